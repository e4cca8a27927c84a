"""Judge each fetched page once, with the same function every CLI command uses."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from leads.observations import PageObservation
from leads.verdict import PageFacts, judge_page


def facts_of(page: PageObservation) -> PageFacts:
    return PageFacts(
        url=page.url, final_url=page.final_url, title=page.title, text=page.text,
        html=page.html, serp_text=page.serp_text, tls_problems=page.tls_problems, role=page.role,
    )


class ScorePipeline:
    """Attach a Verdict to every page that was fetched (failed fetches have nothing to judge)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScorePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageObservation) and not item.error:
            item.verdict = judge_page(facts_of(item))
            stats = self.crawler.stats
            stats.inc_value("jiazheng/pages/scored")
            if item.verdict.is_lead:
                stats.inc_value(f"jiazheng/verdicts/{item.verdict.category}")
        return item
