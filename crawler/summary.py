"""The table printed at the end of a crawl: per engine, what was asked and what came back."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table

from leads.store import Store

OUTCOMES = ("results", "empty", "captcha", "blocked", "error")
OUTCOME_LABELS = {"results": "有结果", "empty": "无结果", "captcha": "验证码", "blocked": "被拦截",
                  "error": "错误"}
CATEGORY_LABELS = {"fake_ad": "假证广告 fake_ad", "lookalike_site": "仿冒查询网站 lookalike_site",
                   "lookalike_account": "仿冒公众号 lookalike_account"}


def engine_table(store: Store, run_id: int) -> Table:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    for row in store.query_outcomes(run_id):
        counts[row["engine"]][row["outcome"]] = row["n"]
    table = Table(title="搜索引擎（结果页请求数）")
    table.add_column("引擎")
    for outcome in OUTCOMES:
        table.add_column(OUTCOME_LABELS[outcome], justify="right")
    for engine, by_outcome in sorted(counts.items()):
        table.add_row(engine, *(str(by_outcome[o]) for o in OUTCOMES))
    # The login-walled platforms, asked through the web engines above (their pages counted there).
    sites: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    for row in store.site_query_outcomes(run_id):
        sites[row["site"]][row["outcome"]] = row["n"]
    for site, by_outcome in sorted(sites.items()):
        table.add_row(f"  {site}（经网页引擎）", *(str(by_outcome[o]) for o in OUTCOMES))
    return table


def run_table(store: Store, run_id: int, stats: dict[str, Any]) -> Table:
    table = Table(title=f"本次运行 #{run_id}")
    table.add_column("项目")
    table.add_column("数量", justify="right")
    pages = store.count("pages", "run_id = ? AND error = ''", [run_id])
    rendered = store.count("pages", "run_id = ? AND rendered = 1", [run_id])
    table.add_row("抓取页面", str(pages))
    table.add_row("其中浏览器渲染", str(rendered))
    for row in store.page_errors(run_id):
        table.add_row(f"页面错误 {row['error']}", str(row["n"]))
    for row in store.lead_categories(run_id):
        table.add_row(f"线索 {CATEGORY_LABELS.get(row['category'], row['category'])}",
                      str(row["n"]))
    table.add_row("数据库线索总数", str(store.count("leads")))
    if stats.get("jiazheng/store/unsaved"):
        table.add_row("[red]未写入数据库（见 unsaved 文件）[/red]",
                      str(stats["jiazheng/store/unsaved"]))
    return table


def print_summary(store: Store, run_id: int, stats: dict[str, Any], console: Console) -> None:
    console.print(engine_table(store, run_id))
    console.print(run_table(store, run_id, stats))
