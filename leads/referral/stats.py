"""The campaign's monthly statistics (附表): what the crawler knows, the rest left blank, with
breakdowns an analyst can sum and a chart.

Each column says where its figure comes from; columns the crawler cannot know (cases opened,
suspects caught …) stay empty for the analyst to fill in. Months are Beijing-time months; each
figure is given for the month (the notice's headings) and, in the columns after them, up to the
month's end (累计：…). A lead an analyst marked 误报 counts nowhere. The workbook also breaks the
leads found down by category, certificate family, search engine, post platform, agency and where
the seller's phone is registered — every lead in exactly one row of each, so each breakdown sums to
the 附表's figure — and charts the months and the categories.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from keywords import load_library
from leads.judge.phone_location import first_phone_location
from leads.referral.export import FOUND_BY_NAME, platform_name
from leads.referral.packets import CATEGORY_NAMES
from leads.referral.tables import build_workbook, save_workbook, write_csv
from leads.store import Store

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CUMULATIVE = "累计："
THIS_MONTH_HEADING, CUMULATIVE_HEADING = "本月（条）", "累计（条）"
UNIDENTIFIED = "未识别"
NO_PHONE, PHONE_NOT_PLACED = "无电话", "未知归属地"
NOT_ROUTED = "未路由"
FOUND_BY_LINK = "经页面链接发现"
OWN_SITE = "独立网站"  # a lead on no post platform: the seller's own site
CERTIFICATE_REASON = "提及证书："  # the judge's reason naming certificates and, in （）, families
TREND_SHEET, CHART_SHEET, NOTES_SHEET = "月度趋势", "图表", "填写说明"

Count = Callable[[Store, str, bool], int]


@dataclass(frozen=True)
class StatsColumn:
    heading: str
    source: str  # where the figure comes from, for the 填写说明 sheet
    figure: Callable[[Store, str], int | str] | None = None  # None: filled in by hand


def _referred(agency: str) -> Count:
    return lambda store, month, cumulative: store.referrals_in(month, cumulative).get(agency, 0)


# (heading, where the figure comes from, how it is counted): the figures the store knows.
FIGURES: tuple[tuple[str, str, Count], ...] = (
    ("监测发现涉假证违法违规信息数（条）", "首次发现的线索数（不含标为误报的）",
     lambda store, month, cumulative: store.leads_found_in(month, cumulative)),
    ("清理涉安全生产资格证书违法违规信息量（条）", "状态变为“已下架”（taken_down）的线索数",
     lambda store, month, cumulative: sum(store.taken_down_in(month, cumulative).values())),
    ("其中关停仿冒查询网站数（个）", "已下架线索中类别为仿冒查询网站的",
     lambda store, month, cumulative: store.taken_down_in(month, cumulative).get(
         "lookalike_site", 0)),
    ("涉嫌犯罪的线索移交数量（条）", "移送公安的线索数（jiazheng packet --agency 公安）",
     _referred("公安")),
    ("移送网信部门处置线索数（条）", "移送网信的线索数", _referred("网信")),
    ("移送市场监管部门处置线索数（条）", "移送市场监管的线索数", _referred("市场监管")),
)
MANUAL = (
    ("立案侦查案件数（起）", "人工填写（公安反馈）"),
    ("抓获犯罪嫌疑人数（人）", "人工填写（公安反馈）"),
    ("注销（撤销）假冒证书数（本）", "人工填写（发证机关反馈）"),
    ("备注", "人工填写"),
)


def _counted(count: Count, cumulative: bool) -> Callable[[Store, str], int]:
    return lambda store, month: count(store, month, cumulative)


COLUMNS = (
    StatsColumn("统计月份", "统计的月份（北京时间）", lambda store, month: month),
    *(StatsColumn(heading, "当月" + source, _counted(count, False))
      for heading, source, count in FIGURES),
    *(StatsColumn(heading, source) for heading, source in MANUAL),
    *(StatsColumn(CUMULATIVE + heading, "截至当月月末（北京时间）累计" + source,
                  _counted(count, True)) for heading, source, count in FIGURES),
)


@cache
def _certificate_terms() -> tuple[tuple[str, str], ...]:
    """(term, family) of the keyword library's certificates, longest term first."""
    certificates = load_library().certificates
    return tuple(sorted(((c.term, c.family) for c in certificates), key=lambda t: -len(t[0])))


def certificate_family(reasons: list[str]) -> str:
    """The certificate family a lead is about: the first family its "提及证书" reason names,
    else the family of the first certificate named in any reason (a lookalike's copied title),
    else 未识别."""
    families = {family for _, family in _certificate_terms()}
    for reason in reasons:
        if reason.startswith(CERTIFICATE_REASON) and reason.endswith("）"):
            named = [family for family in reason[reason.rfind("（") + 1:-1].split("、")
                     if family in families]
            if named:
                return named[0]
    text = "\n".join(reasons)
    found = [(text.find(term), -len(term), family)
             for term, family in _certificate_terms() if term in text]
    return min(found)[2] if found else UNIDENTIFIED


def found_by(lead: dict[str, Any]) -> str:
    """The search engine that showed the lead first, or how it was found without one."""
    if lead["engine"]:
        return lead["engine"]
    if lead["found_as"] in FOUND_BY_NAME:
        return FOUND_BY_NAME[lead["found_as"]].partition(":")[2]
    return FOUND_BY_LINK


def phone_place(lead: dict[str, Any]) -> tuple[str, str]:
    """(province, city) of the seller's first placeable phone; 无电话 / 未知归属地 otherwise."""
    location = first_phone_location(lead["contacts"])
    if location:
        return location.province, location.city
    if any(contact.startswith("phone:") for contact in lead["contacts"]):
        return PHONE_NOT_PLACED, PHONE_NOT_PLACED
    return NO_PHONE, NO_PHONE


@dataclass(frozen=True)
class Breakdown:
    title: str  # the sheet
    keys: tuple[str, ...]  # headings of the columns a lead is sorted by
    key: Callable[[dict[str, Any]], tuple[str, ...]]
    about: str  # for the 填写说明 sheet


BREAKDOWNS = (
    Breakdown("按类别", ("类别",),
              lambda lead: (CATEGORY_NAMES.get(lead["category"], lead["category"]),),
              "线索类别（假证广告、仿冒查询网站）"),
    Breakdown("按证书类别", ("证书类别",), lambda lead: (certificate_family(lead["reasons"]),),
              "判定理由所提及证书的类别（关键词库 certificates.tsv 的 family），"
              "无法判断的计为未识别"),
    Breakdown("按搜索引擎", ("搜索引擎或发现途径",), lambda lead: (found_by(lead),),
              "最先展示该线索的搜索引擎；非搜索发现的注明途径"),
    Breakdown("按发布平台", ("发布平台",),
              lambda lead: (platform_name(lead.get("platform", "")) or OWN_SITE,),
              "线索所在的发布平台（贴吧、知道、知乎、小红书等，keywords/post_platforms.toml），"
              "不在平台上的计为独立网站"),
    Breakdown("按移送部门", ("移送部门",),
              lambda lead: ("、".join(lead["agencies"]) or NOT_ROUTED,),
              "路由规则给出的移送部门组合（一条线索计一次）"),
    Breakdown("按号码归属省份", ("省份",), lambda lead: phone_place(lead)[:1],
              "卖家第一个可定位电话号码的归属省份（离线号段库），无电话的计为无电话"),
    Breakdown("按号码归属城市", ("省份", "城市"), phone_place,
              "卖家第一个可定位电话号码的归属城市"),
)


def check_month(month: str) -> str:
    if not MONTH.match(month):
        raise ValueError(f"月份应为 YYYY-MM 形式（如 2026-11），收到 {month!r}")
    return month


def monthly_row(store: Store, month: str) -> list[int | str]:
    """The 附表 row for ``month``: figures where the store knows them, "" elsewhere."""
    check_month(month)
    return [column.figure(store, month) if column.figure else "" for column in COLUMNS]


def breakdown_rows(breakdown: Breakdown, leads: list[dict[str, Any]],
                   month: str) -> list[tuple[Any, ...]]:
    """(key …, found in ``month``, found up to its end), most found this month first."""
    this_month: Counter[tuple[str, ...]] = Counter()
    through: Counter[tuple[str, ...]] = Counter()
    for lead in leads:
        key = breakdown.key(lead)
        through[key] += 1
        this_month[key] += lead["month"] == month
    return sorted(((*key, this_month[key], through[key]) for key in through),
                  key=lambda row: (-row[-2], -row[-1], row[:-2]))


def months_through(first: str, last: str) -> Iterator[str]:
    """Every YYYY-MM from ``first`` to ``last``."""
    year, number = map(int, first.split("-"))
    while f"{year:04d}-{number:02d}" <= last:
        yield f"{year:04d}-{number:02d}"
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)


def trend_rows(leads: list[dict[str, Any]], month: str) -> list[tuple[str, int, int]]:
    """(month, found in it, found up to its end) from the first month with a lead."""
    found = Counter(lead["month"] for lead in leads)
    rows, total = [], 0
    for each in months_through(min(found, default=month), month):
        total += found[each]
        rows.append((each, found[each], total))
    return rows


def _bar_chart(title: str, sheet: Worksheet, series: int, rows: int) -> BarChart:
    """Columns of ``series`` figures (columns 2…) of ``sheet`` against its first column."""
    chart = BarChart()
    chart.type, chart.title, chart.width, chart.height = "col", title, 24, 9
    chart.y_axis.title = "条"
    chart.x_axis.delete = chart.y_axis.delete = False  # Excel hides axes openpyxl leaves unset
    chart.add_data(Reference(sheet, min_col=2, max_col=1 + series, min_row=1, max_row=rows + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    return chart


def add_charts(workbook: Workbook, category_rows: int, trend_rows: int) -> None:
    charts = workbook.create_sheet(CHART_SHEET, workbook.sheetnames.index(NOTES_SHEET))
    charts.add_chart(_bar_chart("每月新发现线索", workbook[TREND_SHEET], 1, trend_rows), "A1")
    charts.add_chart(_bar_chart("按类别：本月与累计", workbook[BREAKDOWNS[0].title], 2,
                                max(category_rows, 1)), "A20")


def write_monthly_stats(store: Store, month: str, out_dir: Path) -> tuple[Path, Path]:
    """``附表-YYYY-MM.xlsx`` (附表, one sheet per breakdown, 月度趋势, 图表, 填写说明) and
    ``附表-YYYY-MM.csv`` (the 附表 row, UTF-8 BOM)."""
    row = monthly_row(store, month)
    headings = [column.heading for column in COLUMNS]
    leads = store.leads_found_through(month)
    breakdowns = [(b.title, (*b.keys, THIS_MONTH_HEADING, CUMULATIVE_HEADING),
                   breakdown_rows(b, leads, month)) for b in BREAKDOWNS]
    trend = trend_rows(leads, month)
    notes = [*((column.heading, column.source) for column in COLUMNS),
             *((f"工作表“{b.title}”", f"{b.about}；每条线索只计入一行，各行之和等于附表的发现数")
               for b in BREAKDOWNS)]
    workbook = build_workbook([
        ("附表", headings, [row]), *breakdowns,
        (TREND_SHEET, ("月份", "新发现（条）", "累计发现（条）"), trend),
        (NOTES_SHEET, ("栏目", "来源"), notes)])
    add_charts(workbook, len(breakdowns[0][2]), len(trend))
    xlsx, csv_path = out_dir / f"附表-{month}.xlsx", out_dir / f"附表-{month}.csv"
    save_workbook(workbook, xlsx)
    write_csv(headings, [row], csv_path)
    return xlsx, csv_path
