"""Bing China (cn.bing.com/search): `li.b_algo` results, `/ck/a?...&u=a1<base64url>` links."""

import base64
import binascii
from urllib.parse import parse_qs, urlsplit

from crawler.search_spider import SearchEngineSpider
from crawler.serp import AD_LABEL_XPATH, Engine, has_class


def decode_ck_link(link: str) -> str | None:
    """Landing URL inside a Bing click link: ``u=a1`` + unpadded URL-safe base64 of the URL."""
    encoded = parse_qs(urlsplit(link).query).get("u", [""])[0]
    if not encoded.startswith("a1"):
        return None
    payload = encoded[2:] + "=" * (-len(encoded[2:]) % 4)
    try:
        url = base64.urlsafe_b64decode(payload).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return url if url.startswith(("http://", "https://")) else None


BING = Engine(
    name="bing",
    search_url="https://cn.bing.com/search?q={query}&first={offset}",
    first_offset=1,
    offset_step=10,
    # Organic `li.b_algo`; an ad block `li.b_ad` holds one `li` per ad.
    result_xpath=(
        f"//ol[@id='b_results']/li[{has_class('b_algo')}]"
        f" | //ol[@id='b_results']/li[{has_class('b_ad')}]//li[.//h2/a]"
    ),
    title_xpath=".//h2/a[@href]",
    snippet_xpath=f".//div[{has_class('b_caption')}]/p | .//p",
    ad_xpath=(
        f"ancestor-or-self::li[{has_class('b_ad')}] or .//*[{has_class('b_adSlug')}]"
        f" or {AD_LABEL_XPATH}"
    ),
    next_xpath=f"//a[{has_class('sb_pagN')}]/@href",
    serp_xpath="//input[@id='sb_form_q']",
    captcha_xpath=(
        "//iframe[contains(@src, '/turing/captcha/')]"
        " or //script[contains(@src, 'challenges.cloudflare.com/turnstile')]"
    ),
    captcha_url_markers=("/turing/captcha/",),
    redirect_paths=("/ck/a", "/aclk"),
    slot_delay=4.0,
    target_from_link=decode_ck_link,
    extra_hosts=("www.bing.com",),
)


class BingSpider(SearchEngineSpider):
    """Crawl the keyword queries on Bing China only."""

    name = "bing"
    engines = (BING,)
