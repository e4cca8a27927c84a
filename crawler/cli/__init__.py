"""``jiazheng``: a thin command line over crawler.runner and the leads library.

One module per command family (crawl, plan, text, domains, review, export, packets, nightly,
init); every command is registered here, so this is the one list of what ``jiazheng -h`` shows.
Shared options, the console and ``open_store`` live in options.py.
"""

from __future__ import annotations

import os
from typing import Any

import click

from crawler.cli import (
    crawl,
    domains,
    export,
    hosting,
    init,
    learn,
    networks,
    nightly,
    packets,
    plan,
    review,
    serve,
    text,
)
from crawler.cli.options import fail
from leads.outputs import OutputError
from leads.store import StoreCorruptError

# Outputs hold police material: files 0600, folders 0700 unless the operator says otherwise.
DEFAULT_UMASK = "077"


class JiazhengGroup(click.Group):
    """Problems every command can meet — a full disk, a damaged database — end it with one
    sentence and exit code 2, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (OutputError, StoreCorruptError) as exc:
            fail(str(exc))


@click.group(cls=JiazhengGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiazheng")
def main() -> None:
    """jiazheng 假证线索监测: find sellers of fake certificates and fake verification sites.

    Files and folders it writes are private to its user (umask 077; JIAZHENG_UMASK=022 to share).
    """
    os.umask(int(os.environ.get("JIAZHENG_UMASK", DEFAULT_UMASK), 8))


for command in (crawl.crawl, export.export, crawl.demo, text.score_text, domains.score_domains,
                domains.watch_ct, review.review, packets.capture, packets.packet, packets.check,
                export.stats, nightly.nightly, nightly.recheck, nightly.drain, plan.plan,
                init.init, serve.serve, hosting.whois, learn.learn, networks.networks):
    main.add_command(command)
