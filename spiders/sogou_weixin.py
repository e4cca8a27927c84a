"""Sogou WeChat search (weixin.sogou.com/weixin): official accounts (type=1) and articles (type=2).

Markup as in saved pages of 2017–2021 (public Sogou WeChat scrapers' fixtures): accounts are
``ul.news-list2 > li`` cards (``p.tit a`` name, ``label[name=em_weixinhao]`` 微信号, ``dl`` rows
功能介绍 and 微信认证 — the 认证 label is written by script, so only "认证：" is in the markup),
articles ``ul.news-list > li`` with ``div.txt-box h3 a``, ``p.txt-info`` and ``div.s-p`` (its
``a.account`` and ``span.s2`` time). Links go through ``/link?url=``, a page whose script builds the
article address piece by piece; too many requests land on ``/antispider/`` (``seccodeImage``).
An account is judged from its card (leads/judge/accounts.py), never fetched: its profile link
expires and needs the WeChat app.
"""

from crawler.search_spider import SearchEngineSpider
from crawler.serp import Engine, SerpResult, has_class
from leads.judge.accounts import AccountObservation

SEARCH_URL = "https://weixin.sogou.com/weixin?type={type}&query={{query}}&page={{offset}}&ie=utf8"
COMMON = {
    "first_offset": 1,
    "offset_step": 1,
    "ad_xpath": "false()",  # WeChat search shows no paid results
    "next_xpath": "//a[@id='sogou_next']/@href",
    "serp_xpath": "//form[@action='/weixin']//input[@name='query']",
    "captcha_xpath": "//img[@id='seccodeImage'] or //form[@id='seccodeForm']",
    "captcha_url_markers": ("/antispider",),
    "redirect_paths": ("/link",),
    "slot_delay": 6.0,
}
DESCRIPTION_XPATH = ".//dl[dt[contains(., '功能介绍')]]/dd"
# WeChat caps a name at 30 characters and an introduction at 120: a card far longer is hostile
# markup, kept (and judged) only up to these lengths.
MAX_NAME, MAX_ID, MAX_TEXT = 64, 64, 2000


def account_card(engine: str, query: str, page: int, result: SerpResult) -> AccountObservation:
    """An account result as the record judged from it, every text bounded."""
    fields = dict(result.fields)
    return AccountObservation(
        engine=engine, query=query, serp_page=page, rank=result.rank,
        name=result.title[:MAX_NAME], wechat_id=fields["wechat_id"][:MAX_ID],
        open_id=fields["open_id"][:MAX_ID], description=result.snippet[:MAX_TEXT],
        verified_by=fields["verified_by"][:MAX_NAME], link=result.link[:MAX_TEXT],
        card_text=fields["card"][:MAX_TEXT])


SOGOU_WEIXIN_ACCOUNTS = Engine(
    name="sogou_weixin_account",
    search_url=SEARCH_URL.format(type=1),
    result_xpath=f"//ul[{has_class('news-list2')}]/li",
    title_xpath=f".//p[{has_class('tit')}]/a[@href]",
    snippet_xpath=DESCRIPTION_XPATH,
    field_xpaths=(
        ("wechat_id", ".//label[@name='em_weixinhao']"),
        ("open_id", "@d"),
        ("verified_by", ".//dl[dt[contains(., '认证')]]/dd"),
        ("card", "."),
    ),
    result_record=account_card,
    **COMMON,
)

SOGOU_WEIXIN_ARTICLES = Engine(
    name="sogou_weixin_article",
    search_url=SEARCH_URL.format(type=2),
    result_xpath=f"//ul[{has_class('news-list')}]/li",
    title_xpath=f".//div[{has_class('txt-box')}]/h3/a[@href]",
    snippet_xpath=f".//p[{has_class('txt-info')}]",
    **COMMON,
)


class SogouWeixinSpider(SearchEngineSpider):
    """Crawl the keyword queries on Sogou WeChat search only, accounts and articles."""

    name = "sogou_weixin"
    engines = (SOGOU_WEIXIN_ACCOUNTS, SOGOU_WEIXIN_ARTICLES)


class SogouWeixinAccountSpider(SearchEngineSpider):
    """Crawl the keyword queries on Sogou WeChat account search only."""

    name = SOGOU_WEIXIN_ACCOUNTS.name
    engines = (SOGOU_WEIXIN_ACCOUNTS,)


class SogouWeixinArticleSpider(SearchEngineSpider):
    """Crawl the keyword queries on Sogou WeChat article search only."""

    name = SOGOU_WEIXIN_ARTICLES.name
    engines = (SOGOU_WEIXIN_ARTICLES,)
