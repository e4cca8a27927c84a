"""360 search (www.so.com/s): `li.res-list` results with the landing URL in `data-mdurl`."""

from crawler.search_spider import SearchEngineSpider
from crawler.serp import AD_LABEL_XPATH, Engine, has_class

SO360 = Engine(
    name="so360",
    search_url="https://www.so.com/s?q={query}&pn={offset}",
    first_offset=1,
    offset_step=1,
    # Ads sit in `ul#e_idea_pp` above the organic `ul.result`.
    result_xpath=(
        f"//ul[@id='e_idea_pp']/li | //ul[{has_class('result')}]/li[{has_class('res-list')}]"
    ),
    title_xpath=".//h3/a[@href]",
    snippet_xpath=(
        f".//p[{has_class('res-desc')}] | .//*[{has_class('res-list-summary')}]"
        f" | .//div[{has_class('res-rich')}]"
    ),
    ad_xpath=(
        f"ancestor::ul[@id='e_idea_pp'] or .//*[contains(@class, 'e_haosou')]"
        f" or ancestor-or-self::*[{has_class('spread')}] or {AD_LABEL_XPATH}"
    ),
    next_xpath="//a[@id='snext']/@href",
    serp_xpath="//input[@id='keyword']",
    captcha_xpath="//*[@id='qcaptcha'] or //title[normalize-space()='360搜索 - 安全验证']",
    captcha_url_markers=("qcaptcha.so.com",),
    redirect_paths=("/link",),
    slot_delay=6.0,
    # Organic results: `data-mdurl`; ads: `e-landurl`.
    target_xpath=".//h3/a/@data-mdurl | .//h3/a/@e-landurl",
    extra_hosts=("qcaptcha.so.com",),
)


class So360Spider(SearchEngineSpider):
    """Crawl the keyword queries on 360 search only."""

    name = "so360"
    engines = (SO360,)
