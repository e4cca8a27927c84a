"""The campaign's monthly statistics table (附表): what the crawler knows, the rest left blank.

Each column says where its figure comes from; columns the crawler cannot know (cases opened,
suspects caught …) stay empty for the analyst to fill in. Months are UTC months, as the store's
timestamps are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leads.referral.tables import write_csv, write_xlsx
from leads.store import Store

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class StatsColumn:
    heading: str
    source: str  # where the figure comes from, for the 填写说明 sheet
    figure: Callable[[Store, str], int | str] | None = None  # None: filled in by hand


def _referred(agency: str) -> Callable[[Store, str], int]:
    return lambda store, month: store.referrals_in(month).get(agency, 0)


COLUMNS = (
    StatsColumn("统计月份", "统计的月份（UTC）", lambda store, month: month),
    StatsColumn("监测发现涉假证违法违规信息数（条）", "当月首次发现的线索数",
                lambda store, month: store.leads_found_in(month)),
    StatsColumn("清理涉安全生产资格证书违法违规信息量（条）",
                "当月状态变为“已下架”（taken_down）的线索数",
                lambda store, month: sum(store.taken_down_in(month).values())),
    StatsColumn("其中关停仿冒查询网站数（个）", "上一列中类别为仿冒查询网站的线索数",
                lambda store, month: store.taken_down_in(month).get("lookalike_site", 0)),
    StatsColumn("涉嫌犯罪的线索移交数量（条）",
                "当月移送公安的线索数（jiazheng packet --agency 公安）", _referred("公安")),
    StatsColumn("移送网信部门处置线索数（条）", "当月移送网信的线索数", _referred("网信")),
    StatsColumn("移送市场监管部门处置线索数（条）", "当月移送市场监管的线索数",
                _referred("市场监管")),
    StatsColumn("立案侦查案件数（起）", "人工填写（公安反馈）"),
    StatsColumn("抓获犯罪嫌疑人数（人）", "人工填写（公安反馈）"),
    StatsColumn("注销（撤销）假冒证书数（本）", "人工填写（发证机关反馈）"),
    StatsColumn("备注", "人工填写"),
)


def check_month(month: str) -> str:
    if not MONTH.match(month):
        raise ValueError(f"月份应为 YYYY-MM 形式（如 2026-11），收到 {month!r}")
    return month


def monthly_row(store: Store, month: str) -> list[int | str]:
    """The 附表 row for ``month``: figures where the store knows them, "" elsewhere."""
    check_month(month)
    return [column.figure(store, month) if column.figure else "" for column in COLUMNS]


def write_monthly_stats(store: Store, month: str, out_dir: Path) -> tuple[Path, Path]:
    """``附表-YYYY-MM.xlsx`` (with a 填写说明 sheet) and ``附表-YYYY-MM.csv`` (UTF-8 BOM)."""
    row = monthly_row(store, month)
    headings = [column.heading for column in COLUMNS]
    xlsx, csv_path = out_dir / f"附表-{month}.xlsx", out_dir / f"附表-{month}.csv"
    write_xlsx([("附表", headings, [row]),
                ("填写说明", ("栏目", "来源"),
                 [(column.heading, column.source) for column in COLUMNS])], xlsx)
    write_csv(headings, [row], csv_path)
    return xlsx, csv_path
