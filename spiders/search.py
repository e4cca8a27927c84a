"""All engines in one crawl."""

from crawler.search_spider import SearchEngineSpider
from spiders.baidu import BAIDU
from spiders.bing import BING
from spiders.so360 import SO360
from spiders.sogou import SOGOU


class SearchSpider(SearchEngineSpider):
    """Crawl the keyword queries on Baidu, Sogou, Bing China and 360."""

    name = "search"
    engines = (BAIDU, SOGOU, BING, SO360)
