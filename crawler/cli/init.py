"""``jiazheng init``: write jiazheng.toml, the office's settings for the 移送函 (sending unit,
addressee per agency, legal basis, contact, 发文字号 format), every key explained in comments."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.options import console, fail
from leads.referral.office_config import CONFIG_NAME, OfficeConfigError, write_example


@click.command()
@click.option("--out", default=CONFIG_NAME, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Where to write it.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(out: Path, force: bool) -> None:
    """Write an example jiazheng.toml to fill in: who sends the 移送函, to whom, on what basis.

    Example: jiazheng init --out jiazheng.toml
    """
    try:
        write_example(out, force)
    except OfficeConfigError as exc:
        fail(str(exc))
    console.print(f"已写入 {out}：请填写其中的发文机关、主送机关、移送依据和联系人，"
                  f"jiazheng packet 会读取它（或用 --config / JIAZHENG_CONFIG 指定）")
