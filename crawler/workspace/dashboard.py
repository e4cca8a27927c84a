"""The home page's figures: new leads per Beijing day, per search engine and per category, the
decisions waiting (leads nobody has looked at, and for how long), and takedowns per month — each
as a server-drawn chart (``charts``)."""

from __future__ import annotations

from typing import Any

from crawler.workspace.charts import bars, columns
from crawler.workspace.lead_page import CATEGORY_LABELS
from leads.store import Store
from leads.store.lifecycle import STATE_LABELS

DAYS = 30  # the per-day chart's span
STALE_DAYS = 7  # a new lead older than this is an overdue decision
# Leads per engine: the result was the lead's own URL, or a URL that redirected to it.
LEADS_PER_ENGINE = """
    SELECT engine, count(DISTINCT lead_id) FROM (
        SELECT sightings.engine, leads.id AS lead_id FROM sightings
        JOIN leads ON leads.url = sightings.url
        UNION ALL
        SELECT sightings.engine, leads.id FROM sightings
        JOIN pages ON pages.url = sightings.url AND pages.final_url != pages.url
        JOIN leads ON leads.url = pages.final_url)
    GROUP BY engine ORDER BY 2 DESC"""


def figures(store: Store) -> dict[str, Any]:
    """Every figure and chart of the dashboard."""
    def pairs(sql: str, params: list[Any] | None = None) -> list[tuple[str, int]]:
        return [(str(label), int(value)) for label, value in store.db.execute(sql, params or [])]

    per_day = pairs("SELECT date(first_seen, '+8 hours') AS day, count(*) FROM leads "
                    "GROUP BY day ORDER BY day DESC LIMIT ?", [DAYS])[::-1]
    per_category = [(CATEGORY_LABELS.get(category, category), n) for category, n in pairs(
        "SELECT category, count(*) FROM leads GROUP BY category ORDER BY 2 DESC")]
    per_state = [(STATE_LABELS.get(state, state), n) for state, n in pairs(
        "SELECT state, count(*) FROM leads GROUP BY state ORDER BY 2 DESC")]
    takedowns = pairs("SELECT strftime('%Y-%m', at, '+8 hours') AS month, "
                      "count(DISTINCT lead_id) FROM lead_events WHERE to_state = 'taken_down' "
                      "GROUP BY month ORDER BY month")
    backlog, stale = store.db.execute(
        "SELECT count(*), coalesce(sum(julianday('now') - julianday(first_seen) > ?), 0) "
        "FROM leads WHERE state = 'new'", [STALE_DAYS]).fetchone()
    return {
        "backlog": backlog, "stale": stale, "stale_days": STALE_DAYS,
        "taken_down": sum(n for _, n in takedowns),
        "charts": [
            columns(f"近 {DAYS} 天每天新增线索（北京时间）", per_day),
            bars("各搜索引擎发现的线索", pairs(LEADS_PER_ENGINE)),
            bars("各类别线索", per_category),
            bars("待处理与已处理（按状态）", per_state),
            bars("每月下架线索", takedowns),
        ],
        "chart_titles": ["每天新增线索", "按搜索引擎", "按类别", "按状态（待核实积压）",
                         "下架情况"],
    }
