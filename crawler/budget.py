"""Tonight's search budget: result pages stop being asked once it is spent.

``JIAZHENG_BUDGET`` is a time (``5h``: searching stops that long after the crawl opened, like
Scrapy's CLOSESPIDER_TIMEOUT, but the pages already found are still fetched and the run ends as
``finished``) or result pages per engine (``300req``). Empty: no budget (JIAZHENG_MAX_QUERIES
alone bounds the night). The politeness settings are untouched: the budget only decides how many
result-page requests go out, never how fast. A refused request ends in the spider's errback as
:class:`BudgetSpent`; the query stays unasked and the plan's rotation brings it back.
"""

from __future__ import annotations

import time
from collections import Counter

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from leads.plan.query_plan import Budget, parse_budget


class BudgetSpent(IgnoreRequest):
    """A result page not asked: tonight's budget for its engine is spent."""


def is_serp_request(request: Request) -> bool:
    return "jz_query" in request.meta and "jz_page" in request.meta


class SearchBudgetMiddleware:
    """Count result-page requests per engine and refuse them once the budget is spent."""

    def __init__(self, crawler: Crawler, budget: Budget) -> None:
        self.crawler = crawler
        self.budget = budget
        self.started = time.monotonic()
        self.sent: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SearchBudgetMiddleware:
        budget = parse_budget(crawler.settings.get("JIAZHENG_BUDGET") or "")
        if not (budget.seconds or budget.requests):
            raise NotConfigured  # no budget tonight: nothing to say (a message would be a warning)
        return cls(crawler, budget)

    def process_request(self, request: Request) -> None:
        if not is_serp_request(request):
            return
        engine = request.meta["jz_engine"]
        spent = (
            (self.budget.seconds and time.monotonic() - self.started >= self.budget.seconds)
            or (self.budget.requests and self.sent[engine] >= self.budget.requests)
        )
        if spent:
            self.crawler.stats.inc_value(f"jiazheng/budget/refused/{engine}")
            raise BudgetSpent(f"{engine}: 今晚的搜索预算（{self.budget}）已用完")
        self.sent[engine] += 1
