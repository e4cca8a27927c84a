"""Judge each fetched page once, with the same function every CLI command uses; a re-check of
a referred lead is classified (gone / still online) instead.

A page whose bytes are the same as last time (a 304, or an identical body) keeps its stored
verdict instead of being judged again, as long as the scoring itself has not changed — and the
scoring includes the logos seen on the official hosts, which this pipeline keeps up to date: an
official page's logo hashes count for every page judged after it (and in later runs, from the
store).
Settings read: JIAZHENG_DB, JIAZHENG_DB_TIMEOUT.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy.crawler import Crawler

from leads.judge.domains import host_parts, is_official_host
from leads.judge.observations import PageObservation
from leads.judge.scoring_version import scoring_version
from leads.judge.takedown import classify_recheck
from leads.judge.verdict import PageFacts, Verdict, judge_page
from leads.store import Store


def facts_of(page: PageObservation) -> PageFacts:
    return PageFacts(
        url=page.url, final_url=page.final_url, title=page.title, text=page.text,
        html=page.html, serp_text=page.serp_text, tls_problems=page.tls_problems, role=page.role,
        logo_hashes=page.logo_hashes,
    )


def is_genuine_official(page: PageObservation) -> bool:
    """An official platform's own page, fetched cleanly: its logos are the real ones."""
    return (bool(page.logo_hashes) and not page.error and page.status < 400
            and not page.tls_problems and is_official_host(page.final_url))


class ScorePipeline:
    """Attach a Verdict to every page that was fetched (failed fetches have nothing to judge)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: Store | None = None
        self.official_logos: dict[str, list[str]] = {}
        self.version = scoring_version()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        settings = self.crawler.settings
        self.store = Store(settings.get("JIAZHENG_DB"),
                           timeout=settings.getfloat("JIAZHENG_DB_TIMEOUT"))
        self.official_logos = self.store.official_logos()
        self.version = self.fingerprint()

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageObservation) and item.role == "recheck" and self.store:
            sha256 = hashlib.sha256(item.body).hexdigest() if item.body else ""
            item.recheck = classify_recheck(item, self.store.lead_body_sha256(item.url), sha256)
            self.crawler.stats.inc_value(f"jiazheng/rechecks/{item.recheck.outcome}")
        elif isinstance(item, PageObservation) and not item.error:
            if is_genuine_official(item):
                self.learn_official_logos(item)
            item.scoring_version = self.version
            item.verdict = self.kept_verdict(item) or judge_page(
                facts_of(item), self.official_logos)
            if item.verdict.is_lead:
                self.crawler.stats.inc_value(f"jiazheng/verdicts/{item.verdict.category}")
        return item

    def learn_official_logos(self, page: PageObservation) -> None:
        host = host_parts(page.final_url).host
        known = self.official_logos.setdefault(host, [])
        new = [digest for digest in page.logo_hashes if digest not in known]
        if new:
            known += new
            self.version = self.fingerprint()
            self.crawler.stats.inc_value("jiazheng/logos/official_learned", len(new))

    def fingerprint(self) -> str:
        """The code-and-data fingerprint, plus the official logos a verdict is compared with."""
        logos = sorted(h for hashes in self.official_logos.values() for h in hashes)
        if not logos:
            return scoring_version()
        return f"{scoring_version()}+{hashlib.sha256(' '.join(logos).encode()).hexdigest()[:8]}"

    def kept_verdict(self, page: PageObservation) -> Verdict | None:
        if not page.unchanged or self.store is None:
            self.crawler.stats.inc_value("jiazheng/pages/scored")
            return None
        sha256 = hashlib.sha256(page.body).hexdigest()
        kept = self.store.previous_verdict(page.final_url, sha256, page.scoring_version)
        self.crawler.stats.inc_value(f"jiazheng/pages/{'unchanged' if kept else 'scored'}")
        return kept
