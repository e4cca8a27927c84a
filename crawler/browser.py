"""Browser rendering with the system Chromium (scrapy-playwright), used only for pages that need it.

Reads JIAZHENG_CHROMIUM, JIAZHENG_CHROMIUM_NO_SANDBOX, JIAZHENG_BROWSER_USER, JIAZHENG_PROXY
(else HTTPS_PROXY/HTTP_PROXY) and fills PLAYWRIGHT_LAUNCH_OPTIONS, so ``scrapy crawl`` and
``jiazheng crawl`` launch the same, sandboxed browser (``leads.egress.chromium``). The deadlines
and the one-browser-per-crawl rule live in the download handler, ``crawler.renderer``.
"""

from __future__ import annotations

import base64
import os
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import Settings

from leads.egress.chromium import launch_options

# On top of Playwright's own switches (which disable background networking, component updates
# and network-time queries): a second --disable-features here would replace Playwright's list.
# Never --no-sandbox here: leads.egress.chromium keeps the sandbox on
# (see JIAZHENG_CHROMIUM_NO_SANDBOX).
CHROMIUM_ARGS = (
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
)
HEAVY_RESOURCES = frozenset({"image", "media", "font"})
# Chromium's own background requests (on-demand component downloads, network time) ignore
# --disable-component-update; the proxy script sends them to a closed loopback port instead.
BACKGROUND_HOSTS = (".googleapis.com", ".gvt1.com", ".gvt2.com", "clients2.google.com",
                    "clients1.google.com", "accounts.google.com")
CLOSED_PORT = "127.0.0.1:9"
BROWSER_CONTEXT = "jiazheng"


def proxy_from(settings: Settings) -> str:
    """The proxy every request uses: the JIAZHENG_PROXY setting, else the JIAZHENG_PROXY
    environment variable (how ``nightly`` hands it to its steps), else the standard ones."""
    return (
        settings.get("JIAZHENG_PROXY") or os.environ.get("JIAZHENG_PROXY")
        or os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
        or os.environ.get("HTTP_PROXY") or os.environ.get("http_proxy") or ""
    )


def configure_browser(settings: Settings) -> None:
    """Point scrapy-playwright at the system Chromium, sandboxed, through the same proxy as
    Scrapy (pages get it per context, with its password: ``crawler.renderer``)."""
    if not settings.getbool("JIAZHENG_BROWSER"):
        return
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", browser_launch_options(settings), priority="spider")


def browser_launch_options(settings: Settings) -> dict[str, Any]:
    """Playwright launch options for the crawl's settings (capture uses the same)."""
    return launch_options(
        settings.get("JIAZHENG_CHROMIUM"),
        [*CHROMIUM_ARGS, f"--proxy-pac-url={pac_url(proxy_from(settings))}"],
        no_sandbox=settings.getbool("JIAZHENG_CHROMIUM_NO_SANDBOX"),
        user=settings.get("JIAZHENG_BROWSER_USER"))


def pac_url(proxy: str) -> str:
    """A proxy auto-config script for the browser as a whole: Chromium's own background hosts
    nowhere, anything else through ``proxy``'s address (or direct). Pages do not use it: their
    context has the proxy with its password (Chromium ignores credentials in a script, which
    therefore never holds them)."""
    address = urlsplit(proxy if "://" in proxy else f"http://{proxy}").netloc.rpartition("@")[2]
    route = f"PROXY {address}" if proxy else "DIRECT"
    tests = " || ".join(
        f"dnsDomainIs(host, '{host}')" if host.startswith(".") else f"host == '{host}'"
        for host in BACKGROUND_HOSTS
    )
    script = (f"function FindProxyForURL(url, host) {{ if ({tests}) return 'PROXY {CLOSED_PORT}';"
              f" return '{route}'; }}")
    return "data:application/x-ns-proxy-autoconfig;base64," + base64.b64encode(
        script.encode()).decode()


def browser_meta(settings: Settings) -> dict[str, Any]:
    """Request meta that renders a page in the shared browser context.

    The context is described here rather than in PLAYWRIGHT_CONTEXTS, which would launch the
    browser at start-up even when no page needs it.
    """
    context = {
        # Fraud sites have self-signed certificates; the plain fetch already recorded that.
        "ignore_https_errors": True, "accept_downloads": False, "locale": "zh-CN",
        "user_agent": settings.get("USER_AGENT"),
    }
    return {"playwright": True, "playwright_context": BROWSER_CONTEXT,
            "playwright_context_kwargs": context}


def abort_heavy_request(request: Any) -> bool:
    """Images, media and fonts add nothing to the text we judge; skip them."""
    return request.resource_type in HEAVY_RESOURCES
