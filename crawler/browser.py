"""Browser rendering with the system Chromium (scrapy-playwright), used only for pages that need it.

Reads JIAZHENG_CHROMIUM, JIAZHENG_PROXY (else HTTPS_PROXY/HTTP_PROXY) and fills
PLAYWRIGHT_LAUNCH_OPTIONS, so ``scrapy crawl`` and ``jiazheng crawl`` launch the same browser.
"""

from __future__ import annotations

import os
from typing import Any

from scrapy.settings import Settings

# Without these, Chromium phones home (component updates, safe browsing) on every start.
CHROMIUM_ARGS = (
    "--no-sandbox",
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
    "--disable-features=Translate,OptimizationHints,MediaRouter",
)
HEAVY_RESOURCES = frozenset({"image", "media", "font"})
BROWSER_CONTEXT = "jiazheng"


def proxy_from(settings: Settings) -> str:
    """The proxy every request uses: JIAZHENG_PROXY, else the standard environment variables."""
    return (
        settings.get("JIAZHENG_PROXY")
        or os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
        or os.environ.get("HTTP_PROXY") or os.environ.get("http_proxy") or ""
    )


def configure_browser(settings: Settings) -> None:
    """Point scrapy-playwright at the system Chromium, through the same proxy as Scrapy."""
    options: dict[str, Any] = {
        "executable_path": settings.get("JIAZHENG_CHROMIUM"),
        "headless": True,
        "args": list(CHROMIUM_ARGS),
    }
    proxy = proxy_from(settings)
    if proxy:
        options["proxy"] = {"server": proxy}
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options, priority="spider")


def browser_meta(settings: Settings) -> dict[str, Any]:
    """Request meta that renders a page in the shared, proxied browser context.

    The context is described here rather than in PLAYWRIGHT_CONTEXTS, which would launch the
    browser at start-up even when no page needs it.
    """
    proxy = proxy_from(settings)
    context = {
        # Fraud sites have self-signed certificates; the plain fetch already recorded that.
        "ignore_https_errors": True, "accept_downloads": False, "locale": "zh-CN",
        "user_agent": settings.get("USER_AGENT"),
        **({"proxy": {"server": proxy}} if proxy else {}),
    }
    return {"playwright": True, "playwright_context": BROWSER_CONTEXT,
            "playwright_context_kwargs": context}


def abort_heavy_request(request: Any) -> bool:
    """Images, media and fonts add nothing to the text we judge; skip them."""
    return request.resource_type in HEAVY_RESOURCES
