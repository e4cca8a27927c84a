"""The office's own settings for the 移送函: who sends it, to whom per agency, on what legal basis,
who to call, and how 发文字号 read — one file, ``jiazheng.toml``, that ``jiazheng init`` writes.

Without the file a packet still builds: every missing value prints as a placeholder that says
where to fill it in, so a letter is never sent looking finished when it is not. A mistyped key or
a numbering format without ``{number}`` is refused when the file is read, naming the file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from leads.outputs import atomic_file

CONFIG_NAME = "jiazheng.toml"
CONFIG_ENV = "JIAZHENG_CONFIG"
DEFAULT_NUMBERING = "{code}〔{year}〕{number}号"
HINT = f"请在 {CONFIG_NAME} 中填写"

EXAMPLE_CONFIG = f"""\
# {CONFIG_NAME} — 线索移送函（公文，GB/T 9704-2012 信函格式）的本单位设置。
# jiazheng packet 依次在 --config 指定的文件、环境变量 {CONFIG_ENV} 指向的文件、
# 当前目录下的 {CONFIG_NAME} 中读取本文件；都没有时移送函照样生成，
# 缺少的内容印为“（……：{HINT}）”，请填好后重新生成再盖章发出。
# 文件为 UTF-8 编码的 TOML：每个值写在英文双引号内，# 之后为注释。

[sender]
# 发文机关全称：用于发文机关署名（成文日期之上，加盖印章处）。
name = "××市应急管理局"
# 发文机关标志：版头红色大字，一般为发文机关全称或规范化简称。
mark = "××市应急管理局"
# 机关代字：发文字号的开头，例如“×应急函”，发文字号即为“×应急函〔2026〕3号”。
code = "×应急函"
# 联系人和联系电话：印在成文日期下一行的附注中，供接收单位联系核实。
contact = "张××"
phone = "0000-12345678"

[numbering]
# 发文字号格式：{{code}} 为上面的机关代字，{{year}} 为成文年份（北京时间），
# {{number}} 为顺序号（每个移送部门每年从 1 起，由数据库统一编号，不重号、不编虚位）。
format = "{DEFAULT_NUMBERING}"

[addressees]
# 主送机关：每个移送部门（与 jiazheng packet --agency 的取值一致）对应的接收单位全称。
"公安" = "××市公安局"
"网信" = "××市互联网信息办公室"
"市场监管" = "××市市场监督管理局"

[basis]
# 移送依据：写明本单位移送所依据的法律法规和文件；正文在其后接着写
# “现将上述线索移送你单位，请依法核查处理。”
text = "根据《中华人民共和国安全生产法》《安全生产行政执法与刑事司法衔接工作办法》，"
"""

KNOWN_KEYS = {"sender": {"name", "mark", "code", "contact", "phone"},
              "numbering": {"format"}, "addressees": None, "basis": {"text"}}


class OfficeConfigError(ValueError):
    """jiazheng.toml cannot be read or holds something the letter cannot use."""


def placeholder(what: str, where: str = "") -> str:
    """``（移送单位：请在 jiazheng.toml 中填写）`` — what to fill and where."""
    return f"（{what}：{HINT}{where}）"


@dataclass(frozen=True)
class OfficeConfig:
    """The office's settings; every field defaults to a placeholder saying what to fill."""

    name: str = placeholder("移送单位", " [sender] name")
    mark: str = placeholder("发文机关标志", " [sender] mark")
    code: str = ""
    contact: str = placeholder("联系人", " [sender] contact")
    phone: str = placeholder("联系电话", " [sender] phone")
    numbering: str = DEFAULT_NUMBERING
    addressees: dict[str, str] = field(default_factory=dict)
    basis: str = placeholder("移送依据", " [basis] text")
    source: Path | None = None  # the file read; None: placeholders only

    def addressee(self, agency: str) -> str:
        """The full name of the office receiving ``agency``'s packets (主送机关)."""
        return self.addressees.get(agency) or placeholder(f"{agency}的主送机关",
                                                           f" [addressees] \"{agency}\"")

    def reference(self, year: int, number: int) -> str:
        """The 发文字号: ``×应急函〔2026〕3号`` (year in full, number without leading zeros)."""
        return self.numbering.format(code=self.code, year=year, number=number)


def config_path(explicit: str | Path | None = None, cwd: Path | None = None) -> Path | None:
    """``explicit`` (--config), else ``$JIAZHENG_CONFIG``, else ./jiazheng.toml if it exists;
    a file named explicitly or by the variable must exist."""
    named = explicit or os.environ.get(CONFIG_ENV)
    if named:
        path = Path(named)
        if not path.is_file():
            raise OfficeConfigError(
                f"找不到配置文件 {path}（可用 jiazheng init --out {path} 生成）")
        return path
    default = (cwd or Path.cwd()) / CONFIG_NAME
    return default if default.is_file() else None


def load_office_config(path: Path | None) -> OfficeConfig:
    """The settings in ``path``; placeholders for anything it leaves out (all, for None)."""
    if path is None:
        return OfficeConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OfficeConfigError(f"无法读取配置文件 {path}：{exc}") from exc
    _check_keys(path, data)
    sender = data.get("sender", {})
    defaults = OfficeConfig()
    config = OfficeConfig(
        name=sender.get("name") or defaults.name, mark=sender.get("mark") or defaults.mark,
        code=sender.get("code", ""), contact=sender.get("contact") or defaults.contact,
        phone=sender.get("phone") or defaults.phone,
        numbering=data.get("numbering", {}).get("format") or DEFAULT_NUMBERING,
        addressees=dict(data.get("addressees", {})),
        basis=data.get("basis", {}).get("text") or defaults.basis, source=path)
    try:
        sample = config.reference(2026, 1)
    except (KeyError, IndexError, ValueError) as exc:
        raise OfficeConfigError(f"{path}：[numbering] format 只能使用 {{code}} {{year}} "
                                f"{{number}}（{exc}）") from exc
    if "{number}" not in config.numbering or "1" not in sample:
        raise OfficeConfigError(f"{path}：[numbering] format 必须含 {{number}}（顺序号）")
    return config


def _check_keys(path: Path, data: dict[str, object]) -> None:
    """Every table and key known, every value text: a typo fails here, not in a sent letter."""
    for table, values in data.items():
        if table not in KNOWN_KEYS or not isinstance(values, dict):
            raise OfficeConfigError(f"{path}：未知的设置 [{table}]，可用：{'、'.join(KNOWN_KEYS)}")
        allowed = KNOWN_KEYS[table]
        for key, value in values.items():
            if allowed is not None and key not in allowed:
                raise OfficeConfigError(f"{path}：[{table}] 中没有 {key} 这一项，"
                                        f"可用：{'、'.join(sorted(allowed))}")
            if not isinstance(value, str):
                raise OfficeConfigError(f"{path}：[{table}] {key} 应为带引号的文字")


def write_example(path: Path, force: bool = False) -> None:
    """Write the documented example to ``path``; an existing file only with ``force``."""
    if path.exists() and not force:
        raise OfficeConfigError(f"{path} 已存在，未覆盖（确需覆盖请加 --force）")
    with atomic_file(path) as building:
        building.write_text(EXAMPLE_CONFIG, encoding="utf-8")
