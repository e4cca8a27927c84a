"""Sogou web search (www.sogou.com/web): `div.vrwrap` / `div.rb` results behind `/link?url=`."""

from crawler.search_spider import SearchEngineSpider
from crawler.serp import AD_LABEL_XPATH, Engine, has_class

_RESULT_BLOCK = f"{has_class('vrwrap')} or {has_class('rb')}"

SOGOU = Engine(
    name="sogou",
    search_url="https://www.sogou.com/web?query={query}&page={offset}&ie=utf8",
    first_offset=1,
    offset_step=1,
    # Outermost result blocks only: rich `vrwrap` cards nest further blocks inside.
    result_xpath=f"//div[@id='main']//div[{_RESULT_BLOCK}][not(ancestor::div[{_RESULT_BLOCK}])]",
    title_xpath=".//h3/a[@href]",
    snippet_xpath=(
        f".//*[{has_class('space-txt')} or {has_class('star-wiki')} or {has_class('ft')}"
        f" or {has_class('str_info')} or {has_class('str-text-info')}]"
    ),
    ad_xpath=f"{AD_LABEL_XPATH} or ancestor-or-self::*[contains(@id, 'promotion')]",
    next_xpath="//a[@id='sogou_next']/@href",
    serp_xpath="//input[@id='upquery']",
    captcha_xpath="//img[@id='seccodeImage'] or //form[@id='seccodeForm']",
    captcha_url_markers=("/antispider",),
    redirect_paths=("/link",),
    slot_delay=6.0,
    # Some cards expose the landing URL in `data-url`; plain results only link via /link?url=.
    target_xpath=".//*[@data-url]/@data-url",
)


class SogouSpider(SearchEngineSpider):
    """Crawl the keyword queries on Sogou only."""

    name = "sogou"
    engines = (SOGOU,)
