"""One plain HTTP request outside the browser, for evidence of a page whose script keeps the
browser's renderer busy (its response then cannot be read from the browser).

Through the same proxy (its password as Proxy-Authorization, never shown), redirects not followed
(the browser already followed, and the egress policy checked, the chain), certificates not
verified (fraud sites' self-signed ones were recorded by the browser), the body capped. Blocking:
call it in a thread.
"""

from __future__ import annotations

import ssl
import urllib.request
from urllib.error import HTTPError

from leads.evidence.folder import HttpExchange


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch_raw(url: str, *, proxy: str, user_agent: str, timeout: float,
              max_bytes: int) -> HttpExchange:
    """GET ``url`` once; the answer (any status) as an HttpExchange with at most ``max_bytes``."""
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy, "https": proxy} if proxy else {}),
        urllib.request.HTTPSHandler(context=unverified), _NoRedirect())
    request = urllib.request.Request(url, headers={"User-Agent": user_agent} if user_agent else {})
    try:
        answer = opener.open(request, timeout=timeout)
    except HTTPError as error:  # 3xx/4xx/5xx: still the server's answer
        answer = error
    with answer:
        body = answer.read(max_bytes + 1)
        return HttpExchange(url, answer.status, answer.reason or "",
                            [(name, value) for name, value in request.header_items()],
                            list(answer.headers.items()), body[:max_bytes], len(body) > max_bytes)
