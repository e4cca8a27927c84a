"""Baidu Zhidao's own question search (zhidao.baidu.com/search): `dl.dl` results, 10 a page,
each a question page on zhidao.baidu.com whose answers a seller may have written."""

from crawler.search_spider import SearchEngineSpider
from crawler.serp import has_class
from spiders.tieba import platform_engine

ZHIDAO = platform_engine(
    "zhidao",
    # The page is Zhidao's result page when its search box (word) is there, results or none.
    serp_xpath="//input[@name='word']",
    # `div#wgt-list.list` inside `div.list-inner`; the last result is `dl.dl.dl-last`; each
    # links /question/<id>.html?fr=iks&word=…&ie=gbk, its excerpt in `dd.answer` (答：…) when
    # answered, `dd.summary` (the question's text) otherwise.
    result_xpath=(
        f"//div[@id='wgt-list' or ({has_class('list')}"
        f" and ancestor::div[{has_class('list-inner')}])]/dl[{has_class('dl')}]"
    ),
    title_xpath=".//dt/a[@href]",
    snippet_xpath=f".//dd[{has_class('answer')} or {has_class('summary')}]",
    next_xpath=f"//div[{has_class('pager')}]//a[{has_class('pager-next')}]/@href",
    first_offset=0, offset_step=10,  # pn=0, 10, 20 …
)


class ZhidaoSpider(SearchEngineSpider):
    """Crawl the keyword queries on Baidu Zhidao's question search only."""

    name = "zhidao"
    engines = (ZHIDAO,)
