"""Sogou WeChat search (weixin.sogou.com) in the demo web, in its real markup
(tests/fixtures/sogou_weixin/): account search (``type=1``, ``ul.news-list2`` cards with 微信号,
功能介绍 and the 认证 line) and article search (``type=2``, ``ul.news-list``), links through
``/link?url=`` answered by a page whose script builds the target piece by piece, and the
anti-spider page (``/antispider/``, ``seccodeImage``) when the engine is captcha'd.

The accounts are this module's own (``DEMO_ACCOUNTS``): a lookalike of the official 公众号
“国家安全生产考试”, the official itself and an unrelated account. Article search lists only the
demo web's pages on mp.weixin.qq.com (sites.toml), as the real one lists only WeChat articles.
The server asks ``weixin_response`` before the web engines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

from crawler.demoweb.engines import (
    _SOGOU_CAPTCHA,
    RESULTS_PER_PAGE,
    DemoHit,
    DemoResponse,
    _decode,
    _encode,
    _head,
    _highlight,
    _html,
    _not_found,
    _redirect,
)
from spiders.sogou_weixin import SOGOU_WEIXIN_ACCOUNTS, SOGOU_WEIXIN_ARTICLES

HOST = urlsplit(SOGOU_WEIXIN_ACCOUNTS.search_url).hostname or ""
ARTICLE_HOST = "mp.weixin.qq.com"
ENGINE_NAMES = (SOGOU_WEIXIN_ACCOUNTS.name, SOGOU_WEIXIN_ARTICLES.name)
RED = ("<em><!--red_beg-->", "<!--red_end--></em>")
# The query words an account is found by, besides its name and description.
SEARCHED_BY = ("特种作业", "操作证", "电工证", "焊工证", "证书", "查询", "考试", "安全生产")


@dataclass(frozen=True)
class DemoAccount:
    """A WeChat account as Sogou lists it; ``expect`` is what the end-to-end test expects."""

    name: str
    wechat_id: str
    open_id: str
    description: str
    verified_by: str  # "" when it shows no 认证 line
    expect: str  # lookalike_account | none
    why: str


DEMO_ACCOUNTS = (
    DemoAccount(
        name="国家安全生产考试", wechat_id="gjaqsc-cx", open_id="oIWsFt1aQk3Lookalike01",
        description="特种作业操作证、电工证、焊工证官方查询，全国联网可查。"
                    "证书办理咨询微信 aqkscx2024",
        verified_by="", expect="lookalike_account",
        why="Copies the official account's name, shows no 认证 line and sells through a WeChat id: "
            "the fake the Beijing case's QR codes opened."),
    DemoAccount(
        name="国家安全生产考试", wechat_id="", open_id="oIWsFt7mEmOfficial0002",
        description="应急管理部干部培训学院主办。提供特种作业操作证及安全生产知识和管理能力考核合格信息查询服务。",
        verified_by="应急管理部干部培训学院", expect="none",
        why="The official account (认证 by 应急管理部干部培训学院): never a lead."),
    DemoAccount(
        name="电工技术学习园地", wechat_id="dgjs-xuexi", open_id="oIWsFt2UnrelatedAcct03",
        description="电工基础知识、电工证考试题库与安全用电常识分享。",
        verified_by="某某教育科技有限公司", expect="none",
        why="An unrelated account found by the same query (电工证, 考试): a hard negative."),
)


def weixin_response(host: str, path_and_query: str, search: Callable[[str], list[DemoHit]],
                    *, captcha: bool = False) -> DemoResponse | None:
    """Answer one request to weixin.sogou.com; None for any other host."""
    if host != HOST:
        return None
    parts = urlsplit(path_and_query)
    params = parse_qs(parts.query)
    if parts.path == "/antispider/":
        return _html(200, _SOGOU_CAPTCHA)
    if parts.path == "/link":
        target = _decode(params.get("url", [""])[0])
        return _link_page(target) if target else _not_found()
    if parts.path != "/weixin":
        return _not_found()
    if captcha:
        return _redirect(f"https://{HOST}/antispider/?from={quote(path_and_query, safe='')}")
    query = params.get("query", [""])[0].strip()
    try:
        page = max(0, int(params.get("page", ["1"])[0]) - 1)
    except ValueError:
        page = 0
    if params.get("type", ["2"])[0] == "1":
        accounts = _matching(query)
        return _html(200, _accounts_page(query, accounts[_window(page)],
                                         _next_href(query, 1, page, len(accounts))))
    articles = [hit for hit in search(query) if urlsplit(hit.url).hostname == ARTICLE_HOST]
    return _html(200, _articles_page(query, articles[_window(page)],
                                     _next_href(query, 2, page, len(articles))))


def _window(page: int) -> slice:
    return slice(page * RESULTS_PER_PAGE, (page + 1) * RESULTS_PER_PAGE)


def _next_href(query: str, kind: int, page: int, total: int) -> str | None:
    if total <= (page + 1) * RESULTS_PER_PAGE:
        return None
    return f"?query={quote_plus(query)}&_sug_type_=&s_from=input&_sug_=n&type={kind}" \
           f"&page={page + 2}&ie=utf8"


def _matching(query: str) -> list[DemoAccount]:
    words = [word for word in query.split() if word]
    return [account for account in DEMO_ACCOUNTS
            if any(word in f"{account.name}{account.description}{''.join(SEARCHED_BY)}"
                   for word in words)]


def _link_page(target: str) -> DemoResponse:
    """The /link?url= answer: the target split into string pieces a script joins."""
    pieces = "".join(f"        url += '{target[i:i + 11]}';\n" for i in range(0, len(target), 11))
    return _html(200, '<meta content="always" name="referrer">\n<script>\n'
                      "    setTimeout(function () {\n        var url = '';\n"
                      f"{pieces}        url.replace(\"@\", \"\");\n"
                      "        window.location.replace(url)\n    },100);\n</script>\n")


def _page(query: str, kind: int, listing: str, next_href: str | None) -> str:
    pager = (f'<div class="p-fy" id="pagebar_container"><span>1</span><a id="sogou_next" '
             f'href="{escape(next_href)}" class="np" uigs="page_next">下一页</a></div>'
             if next_href else "")
    noun = "公众号" if kind == 1 else "文章"
    return (
        _head(f"{query}的相关微信{noun} – 搜狗微信搜索")
        + '<body><div class="header-box"><div class="header" id="scroll-header">'
        '<form name="searchForm" action="/weixin"><div class="querybox"><div class="qborder">'
        f'<input type="hidden" name="type" value="{kind}"/><input type="text" class="query" '
        f'name="query" id="query" value="{escape(query)}" autocomplete="off"/></div>'
        '<input type="button" value="搜文章" class="swz" onclick="search(this,2)"/>'
        '<input type="button" value="搜公众号" class="swz2" onclick="search(this,1)"/></div>'
        '</form></div></div><div class="wrapper" id="wrapper"><div class="main-left" id="main">'
        f'<div class="news-box">{listing}{pager}</div></div></div></body></html>'
    )


def _no_result(query: str) -> str:
    return (f'<div class="no-sosuo" id="noresult_part1_container"><p>抱歉，没有找到与“<em>'
            f"{escape(query)}</em>”相关的微信公众号文章。</p></div>")


def _accounts_page(query: str, accounts: list[DemoAccount], next_href: str | None) -> str:
    cards = []
    for rank, account in enumerate(accounts):
        profile = (f"https://{ARTICLE_HOST}/profile?src=3&timestamp=1701234567&ver=1"
                   f"&signature={account.open_id}")
        link = escape(f"/link?url={_encode(profile)}&type=1&query={quote_plus(query)}")
        label = f'<label name="em_weixinhao">{escape(account.wechat_id)}</label>'
        wechat_id = f'<p class="info">微信号：{label}</p>' if account.wechat_id else ""
        verified = (f"<dl><dt><script>document.write(authname('2'))</script>认证：</dt><dd>"
                    f'<i class="identify"></i>{escape(account.verified_by)}</dd></dl>'
                    if account.verified_by else "")
        cards.append(
            f'<li id="sogou_vr_11002301_box_{rank}" d="{escape(account.open_id)}">\n'
            f'<div class="gzh-box2"><div class="img-box"><a target="_blank" '
            f'uigs="account_image_{rank}" href="{link}"><span></span></a></div>\n'
            f'<div class="txt-box"><p class="tit"><a target="_blank" uigs="account_name_{rank}" '
            f'href="{link}">{_highlight(account.name, query, *RED)}</a><i></i></p>\n{wechat_id}'
            f"</div></div>\n<dl><dt>功能介绍：</dt><dd>"
            f"{_highlight(account.description, query, *RED)}</dd></dl>\n{verified}</li>\n"
        )
    listing = f'<ul class="news-list2">{"".join(cards)}</ul>' if cards else _no_result(query)
    return _page(query, 1, listing, next_href)


def _articles_page(query: str, hits: list[DemoHit], next_href: str | None) -> str:
    items = []
    for rank, hit in enumerate(hits):
        link = escape(f"/link?url={_encode(hit.url)}&type=2&query={quote_plus(query)}")
        items.append(
            f'<li id="sogou_vr_11002601_box_{rank}"><div class="txt-box"><h3><a target="_blank" '
            f'href="{link}" id="sogou_vr_11002601_title_{rank}" uigs="article_title_{rank}">'
            f"{_highlight(hit.title, query, *RED)}</a></h3>"
            f'<p class="txt-info" id="sogou_vr_11002601_summary_{rank}">'
            f"{_highlight(hit.snippet, query, *RED)}</p>"
            f'<div class="s-p" t="1701234567"><a class="account" target="_blank" '
            f'data-isV="0" uigs="article_account_{rank}" href="{link}">微信公众号'
            "</a><span class=\"s2\"><script>document.write(timeConvert('1701234567'))</script>"
            "</span></div></div></li>"
        )
    listing = f'<ul class="news-list">{"".join(items)}</ul>' if items else _no_result(query)
    return _page(query, 2, listing, next_href)
