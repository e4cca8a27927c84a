"""Duplicate filters that let redirect loops through.

Page requests are deduplicated by the dupefilter (shared across processes when it lives in
Redis), but a redirect hop back to a URL of its own redirect chain is not a duplicate: it is a
loop, which must run into REDIRECT_MAX_TIMES and be recorded as such, not vanish silently.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy_redis.dupefilter import RFPDupeFilter as RedisRFPDupeFilter


class RedirectHopsPass:
    def request_seen(self, request: Request) -> bool:
        if request.url in request.meta.get("redirect_urls", ()):
            return False  # a loop: let RedirectMiddleware count it out
        return super().request_seen(request)  # type: ignore[misc]


class LocalDupeFilter(RedirectHopsPass, RFPDupeFilter):
    """Fingerprints in this process."""


class RedisDupeFilter(RedirectHopsPass, RedisRFPDupeFilter):
    """Fingerprints shared by every crawler process through Redis (``crawl --redis``)."""
