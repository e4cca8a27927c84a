"""Judge each fetched page once, with the same function every CLI command uses; a re-check of
a referred lead is classified (gone / still online) instead. A WeChat account card (Sogou WeChat
account search) is judged from the card itself (leads/judge/accounts.py).

A page whose bytes are the same as last time (a 304, or an identical body) keeps its stored
verdict instead of being judged again, as long as the scoring itself has not changed — and the
scoring includes the logos seen on the official hosts, which the ``PageJudge``
(leads/judge/page_judge.py) keeps up to date. The store is the crawl's one connection
(crawler/crawl_store.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy.crawler import Crawler

from leads.judge.accounts import AccountObservation, judge_account
from leads.judge.observations import PageObservation
from leads.judge.page_judge import PageJudge
from leads.judge.takedown import classify_recheck
from leads.judge.verdict import Verdict
from leads.learning import load_model
from leads.store import Store


class ScorePipeline:
    """Attach a Verdict to every page that was fetched (failed fetches have nothing to judge)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: Store | None = None
        self.judge = PageJudge({})

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.store = self.crawler.jiazheng_store.store
        self.judge = PageJudge(self.store.official_logos(), load_model(self.store))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageObservation) and item.role == "recheck" and self.store:
            sha256 = hashlib.sha256(item.body).hexdigest() if item.body else ""
            item.recheck = classify_recheck(item, self.store.lead_body_sha256(item.url), sha256)
            self.crawler.stats.inc_value(f"jiazheng/rechecks/{item.recheck.outcome}")
        elif isinstance(item, AccountObservation):
            item.scoring_version = self.judge.version
            item.verdict = judge_account(item)
            if item.verdict.is_lead:
                self.crawler.stats.inc_value(f"jiazheng/verdicts/{item.verdict.category}")
        elif isinstance(item, PageObservation) and not item.error:
            if learned := self.judge.learn(item):
                self.crawler.stats.inc_value("jiazheng/logos/official_learned", learned)
            item.scoring_version = self.judge.version
            item.verdict = self.judge.judge(item, self.kept_verdict(item))
            if item.verdict.is_lead:
                self.crawler.stats.inc_value(f"jiazheng/verdicts/{item.verdict.category}")
        return item

    def kept_verdict(self, page: PageObservation) -> Verdict | None:
        if not page.unchanged or self.store is None:
            self.crawler.stats.inc_value("jiazheng/pages/scored")
            return None
        sha256 = hashlib.sha256(page.body).hexdigest()
        kept = self.store.previous_verdict(page.final_url, sha256, page.scoring_version)
        self.crawler.stats.inc_value(f"jiazheng/pages/{'unchanged' if kept else 'scored'}")
        return kept
