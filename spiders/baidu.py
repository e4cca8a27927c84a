"""Baidu web search (www.baidu.com/s): new-pmd result markup, 10 results per page."""

from crawler.search_spider import SearchEngineSpider
from crawler.serp import AD_LABEL_XPATH, Engine, has_class

BAIDU = Engine(
    name="baidu",
    search_url="https://www.baidu.com/s?wd={query}&pn={offset}&ie=utf-8",
    first_offset=0,
    offset_step=10,
    # Organic `div.result.c-container` and Aladdin `div.result-op.c-container` cards; ads carry
    # `data-tuiguang` and not always `c-container`.
    result_xpath=(f"//div[@id='content_left']/div[{has_class('c-container')} or @data-tuiguang]"),
    title_xpath=".//h3/a[@href]",
    # 2020s: span.content-right_<hash> (hashed CSS module); 2015: div.c-abstract.
    snippet_xpath=(
        ".//span[starts-with(@class, 'content-right') or contains(@class, ' content-right')]"
        f" | .//div[{has_class('c-abstract')}]"
    ),
    ad_xpath=(
        f"@data-tuiguang or .//*[contains(@class, 'tuiguang')] or {AD_LABEL_XPATH}"
        " or .//h3/a[contains(@href, '/baidu.php?')]"
    ),
    next_xpath=f"//div[@id='page']//a[{has_class('n')}][contains(., '下一页')]/@href",
    serp_xpath="//input[@id='kw']",
    captcha_xpath=(
        "//title[normalize-space()='百度安全验证'] or //script[contains(@src, 'wappass.baidu.com')]"
    ),
    captcha_url_markers=("://wappass.baidu.com/", "/static/captcha/", "seccaptcha.baidu.com"),
    redirect_paths=("/link", "/baidu.php"),
    slot_delay=5.0,
    target_xpath="@mu",
    extra_hosts=("wappass.baidu.com",),
)


class BaiduSpider(SearchEngineSpider):
    """Crawl the keyword queries on Baidu only."""

    name = "baidu"
    engines = (BAIDU,)
