"""One bounded HTTPS/HTTP GET to a registry (RDAP): through the proxy unless the registry is on
this machine's loopback, certificates verified (registries have real ones), redirects not
followed (a redirect's target is the answer's word, not configuration), the body capped.

One opener per proxy for the whole process: building the TLS context (loading the system's CA
certificates) costs more CPU than the request, and a crawl asks hundreds of times."""

from __future__ import annotations

import ipaddress
import urllib.request
from functools import lru_cache
from urllib.error import HTTPError
from urllib.parse import urlsplit


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@lru_cache(maxsize=8)
def _opener(proxy: str) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy, "https": proxy} if proxy else {}),
        _NoRedirect())


def loopback(url: str) -> bool:
    """A server configured on this machine (the demo web's): a proxy elsewhere cannot reach it."""
    try:
        return ipaddress.ip_address(urlsplit(url).hostname or "").is_loopback
    except ValueError:
        return False


def http_get(url: str, *, proxy: str, timeout: float, max_bytes: int,
             accept: str) -> tuple[int, bytes]:
    """(status, at most ``max_bytes`` of the body) of any answer; OSError/HTTPException when
    there is none (``TimeoutError`` when it did not come in time)."""
    request = urllib.request.Request(url, headers={"Accept": accept,
                                                   "User-Agent": "jiazheng-rdap"})
    try:
        answer = _opener("" if loopback(url) else proxy).open(request, timeout=timeout)
    except HTTPError as error:  # 3xx/4xx/5xx: still the registry's answer
        answer = error
    with answer:
        return answer.status, answer.read(max_bytes)
