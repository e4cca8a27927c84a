"""Baidu Tieba's own post search (tieba.baidu.com/f/search/res): `div.s_post` results, 10 a page,
each a post on tieba.baidu.com itself — the post, not the host, is what a seller left there.

Also what Baidu's own platforms (Tieba, Zhidao) share: their search URL from
keywords/post_platforms.toml, Baidu's 百度安全验证 page, no click redirects, and results that are
their own posts, each known by its plain URL (``platform_engine``).
"""

from typing import Any

from crawler.search_spider import SearchEngineSpider
from crawler.serp import AD_LABEL_XPATH, Engine, has_class
from keywords.post_platforms import load_post_platforms


def platform_engine(key: str, **markup: Any) -> Engine:
    """The Engine of Baidu platform ``key``: its table entry, Baidu's verification page, and the
    ``markup`` (paging, XPaths) of its own result page."""
    platform = load_post_platforms().named(key)
    return Engine(
        name=key,
        search_url=platform.search_url,
        ad_xpath=AD_LABEL_XPATH,
        captcha_xpath=("//title[normalize-space()='百度安全验证']"
                       " or //script[contains(@src, 'wappass.baidu.com')]"),
        captcha_url_markers=("://wappass.baidu.com/", "/static/captcha/", "seccaptcha.baidu.com"),
        redirect_paths=(),
        slot_delay=6.0,
        # A result's link with its tracking parameters → the post's one URL.
        target_from_link=platform.plain_post_url,
        own_host_results=True,
        **markup,
    )


TIEBA = platform_engine(
    "tieba",
    first_offset=1,  # pn=1 is the first page
    offset_step=1,
    result_xpath=f"//div[{has_class('s_post_list')}]/div[{has_class('s_post')}]",
    # /p/<tid>?pid=…&cid=…#… (relative); the excerpt in div.p_content.
    title_xpath=f".//span[{has_class('p_title')}]/a[@href]",
    snippet_xpath=f".//div[{has_class('p_content')}]",
    next_xpath=f"//div[{has_class('pager-search')}]//a[{has_class('next')}]/@href",
    # The search box (qw), present on a page with results and on "没有找到" alike.
    serp_xpath="//input[@name='qw']",
)


class TiebaSpider(SearchEngineSpider):
    """Crawl the keyword queries on Baidu Tieba's post search only."""

    name = "tieba"
    engines = (TIEBA,)
