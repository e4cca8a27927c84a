"""All engines in one crawl."""

from crawler.search_spider import SearchEngineSpider
from spiders.baidu import BAIDU
from spiders.bing import BING
from spiders.so360 import SO360
from spiders.sogou import SOGOU
from spiders.sogou_weixin import SOGOU_WEIXIN_ACCOUNTS, SOGOU_WEIXIN_ARTICLES
from spiders.tieba import TIEBA
from spiders.zhidao import ZHIDAO

# Every engine jiazheng searches, declared once: the settings' download slots, the demo web, the
# CLI's help and the tests read this list. A new engine is a module beside baidu.py and a line here.
ENGINES = (BAIDU, SOGOU, BING, SO360, TIEBA, ZHIDAO, SOGOU_WEIXIN_ACCOUNTS, SOGOU_WEIXIN_ARTICLES)


class SearchSpider(SearchEngineSpider):
    """Crawl the keyword queries on every engine in ENGINES."""

    name = "search"
    engines = ENGINES
