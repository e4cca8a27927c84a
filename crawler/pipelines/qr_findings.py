"""What a page's QR codes said, added to its verdict after it is judged (``crawler.qr_images``
records them on the page's signals): a WeChat contact QR joins the verdict's contacts, and a page
reached through a QR code names the image and the page that showed it in its reasons.

A separate step rather than part of the scoring: the verdict judges what a page says and shows,
while these come from the crawl's path to the page (its images, where its link was found).
"""

from __future__ import annotations

from typing import Any

from leads.judge.observations import PageObservation
from leads.judge.qr_codes import with_qr_findings


class QrFindingsPipeline:
    """Runs after ``ScorePipeline`` and before the store."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageObservation) and item.verdict is not None:
            item.verdict = with_qr_findings(item.verdict, item.fetch_signals, item.final_url)
        return item
