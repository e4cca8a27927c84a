"""Judging the pages of one crawl: the verdict of ``judge_page`` for each fetched page, with the
official logos known so far and the fingerprint those verdicts are stored under.

The genuine emblems come from the store at the crawl's start and from every official page the
crawl fetches cleanly; a logo learned mid-crawl counts for every page judged after it, and changes
the fingerprint, because a verdict given without that logo may differ from one given with it.
The model learned from analysts' decisions (``learned_similarity``, fitted by ``jiazheng learn``)
is loaded once per crawl; while it is active its version is part of the fingerprint too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from leads.judge.domains import host_parts, is_official_host
from leads.judge.learned_similarity import LearnedModel, page_text, with_learned_signal
from leads.judge.observations import PageObservation
from leads.judge.qr_codes import with_qr_findings
from leads.judge.scoring_version import scoring_version
from leads.judge.verdict import PageFacts, Verdict, judge_page


def facts_of(page: PageObservation) -> PageFacts:
    """What the verdict reads of a fetched page."""
    return PageFacts(
        url=page.url, final_url=page.final_url, title=page.title, text=page.text,
        html=page.html, serp_text=page.serp_text, tls_problems=page.tls_problems, role=page.role,
        logo_hashes=page.logo_hashes,
    )


def is_genuine_official(page: PageObservation) -> bool:
    """An official platform's own page, fetched cleanly: its logos are the real ones."""
    return (bool(page.logo_hashes) and not page.error and page.status < 400
            and not page.tls_problems and is_official_host(page.final_url))


class PageJudge:
    """Judges pages against the official logos it knows; ``version`` is what a stored verdict
    must match to be reused."""

    def __init__(self, official_logos: Mapping[str, Iterable[str]],
                 learned: LearnedModel | None = None) -> None:
        self.official_logos = {host: list(hashes) for host, hashes in official_logos.items()}
        self.learned = learned if learned is not None and learned.active else None
        self.version = self._fingerprint()

    def learn(self, page: PageObservation) -> int:
        """Keep the logos of a genuine official page; returns how many were new."""
        if not is_genuine_official(page):
            return 0
        known = self.official_logos.setdefault(host_parts(page.final_url).host, [])
        new = [digest for digest in page.logo_hashes if digest not in known]
        if new:
            known += new
            self.version = self._fingerprint()
        return len(new)

    def judge(self, page: PageObservation, kept: Verdict | None = None) -> Verdict:
        """The page's verdict — ``kept``, the stored one, when its bytes and the judging are
        unchanged — with what its QR codes said: the WeChat contacts in its images, and the
        image a page reached through a QR code came from; a fresh verdict with what analysts'
        decisions say of pages like it (``with_learned_signal``)."""
        verdict = kept or with_learned_signal(
            judge_page(facts_of(page), self.official_logos), self.learned,
            page_text(page.title, page.text), page.final_url)
        return with_qr_findings(verdict, page.fetch_signals, page.final_url)

    def _fingerprint(self) -> str:
        """The code-and-data fingerprint, plus the official logos a verdict is compared with and
        the active learned model's version."""
        logos = sorted(h for hashes in self.official_logos.values() for h in hashes)
        version = scoring_version()
        if logos:
            version += f"+{hashlib.sha256(' '.join(logos).encode()).hexdigest()[:8]}"
        return f"{version}+m{self.learned.version}" if self.learned else version
