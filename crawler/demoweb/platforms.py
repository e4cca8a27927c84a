"""Baidu Tieba's and Baidu Zhidao's own search pages in the demo web, in their real markup
(tests/fixtures/tieba/, tests/fixtures/zhidao/): Tieba's ``div.s_post`` list and Zhidao's
``dl.dl`` list, each listing only the demo web's pages on its own host — the posts and question
pages of sites.toml's ``tieba.baidu.com`` and ``zhidao.baidu.com`` entries, which this module
serves too. A captcha'd platform redirects to Baidu's 百度安全验证 page on wappass.baidu.com, as
the real ones do.

The server asks ``platform_response`` before the web engines: a platform host answers its search
path here and every other path as the demo site it also is.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from urllib.parse import parse_qs, quote_plus, urlsplit

from crawler.demoweb.engines import (
    _BAIDU_CAPTCHA,
    DECLARED,
    DemoHit,
    DemoResponse,
    _baidu_captcha_location,
    _Engine,
    _head,
    _highlight,
    _not_found,
    _Page,
    _paging_href,
    _redirect,
    _search_page,
)
from crawler.demoweb.manifest import Site
from crawler.demoweb.pages import site_reply


def _post_number(url: str) -> str:
    """The last run of digits of a post's path (/p/8912345678, /question/20312….html)."""
    digits = "".join(ch if ch.isdigit() else " " for ch in urlsplit(url).path).split()
    return digits[-1] if digits else "0"


def _href(url: str, on_platform: str, host: str) -> str:
    """A result's link: the platform's own link form for its posts; any other page (the web
    engines' generic round trip in tests/test_demo_engines.py) as it is."""
    return on_platform if urlsplit(url).hostname == host else url


def _ad_label(hit: DemoHit) -> str:
    """Promoted results carry the 推广 label Chinese law requires (the platforms list few)."""
    return '<span class="ad-label">推广</span>' if hit.is_ad else ""


# --- Tieba: div.s_post_list > div.s_post > span.p_title > a.bluelink[data-tid] ---------------


def _tieba_results(page: _Page) -> str:
    query, posts = page.query, []
    for hit in page.hits:
        tid = _post_number(hit.url)
        pid = f"1{tid[-11:]:0>11}"
        href = _href(hit.url, f"/p/{tid}?pid={pid}&cid=0#{pid}", "tieba.baidu.com")
        posts.append(
            f'<div class="s_post"><span class="p_title"><a data-tid="{tid}" data-fid="2093714" '
            f'class="bluelink" href="{escape(href)}" target="_blank">'
            f'{_highlight(hit.title, query, "<em>", "</em>")}</a></span>    <div class="p_content">'
            f'{_highlight(hit.snippet, query, "<em>", "</em>")}</div>{_ad_label(hit)}'
            "                贴吧："
            '<a data-fid="2093714" class="p_forum" href="/f?kw=%B5%E7%B9%A4" target="_blank">'
            '<font class="p_violet">电工</font></a>            '
            '<font class="p_green p_date">2026-11-28 21:14</font>        </div>'
        )
    listing = (f'<div class="s_post_list">{"".join(posts)}</div>' if posts else
               f'<div class="search_noresult">抱歉，没有找到与“<span class="highlight">'
               f'{escape(query)}</span>”相关的结果。</div>')
    pager = (f'<div class="pager pager-search"><span class="cur">1</span><a href="'
             f'{escape(page.next_href)}" class="next">下一页&gt;</a></div>'
             if page.next_href else "")
    return (
        _head(f"百度贴吧_{query}")
        + '<body><div class="wrap1"><div class="wrap2"><div class="search_top clearfix">'
        '<form name="f1" class="search_form" action="/f/search/res" method="get">'
        f'<input class="s_ipt" id="wd1" name="qw" value="{escape(query)}">'
        '<input type="submit" class="s_btn j_search_post" value="搜索贴子"></form></div>'
        f'<div class="s_container clearfix"><div class="s_main">{listing}{pager}</div></div>'
        "</div></div></body></html>"
    )


# --- Zhidao: div#wgt-list.list > dl.dl > dt > a.ti, dd.dd.answer -----------------------------


def _zhidao_results(page: _Page) -> str:
    query, items = page.query, []
    for rank, hit in enumerate(page.hits):
        qid = _post_number(hit.url)
        href = _href(hit.url, f"http://zhidao.baidu.com/question/{qid}.html?fr=iks&word="
                     f"{quote_plus(query)}&ie=gbk", "zhidao.baidu.com")
        items.append(
            f'<dl class="dl" data-fb="pos:dt>a,type:normal" data-rank="{800 - rank}:{qid}">'
            f'<dt class="dt mb-4 line" alog-alias="result-title-{rank}"><a href="{escape(href)}" '
            f'target="_blank" class="ti">{_highlight(hit.title, query, "<em>", "</em>")}</a></dt>'
            # The real page puts <i class="i-answer-text">答：</i> first; left out here so a
            # snippet reads back exactly as indexed (tests/test_demo_engines.py).
            f'<dd class="dd answer">{_highlight(hit.snippet, query, "<em>", "</em>")}</dd>'
            f"{_ad_label(hit)}"
            '<dd class="dd explain f-light"><span class="mr-8">2026-11-03</span></dd></dl>'
        )
    listing = (f'<div class="list" id="wgt-list" data-log-area="list">{"".join(items)}</div>'
               if items else '<div class="no-result"><p class="no-result-tip">抱歉，暂时没有找到'
               f"与“<em>{escape(query)}</em>”相关的问题</p></div>")
    pager = (f'<div class="pager"><b>1</b><a class="pager-next" href="{escape(page.next_href)}">'
             "下一页&gt;</a></div>" if page.next_href else "")
    return (
        _head(f"百度知道搜索_{query}")
        + '<body><div id="header"><form action="/search" name="search-form" method="get" '
        f'id="search-form-new" class="search-form"><input class="hdi" id="kw" name="word" '
        f'value="{escape(query)}"><button id="search-btn" type="submit">搜索答案</button></form>'
        f'</div><div id="body" class="container"><div class="list-wraper"><div class="list-inner">'
        f"{listing}{pager}</div></div></div></body></html>"
    )


def _platform(name: str, render: Callable[[_Page], str], paging: str) -> _Engine:
    return _Engine(
        declared=DECLARED[name], render_results=render, next_href=_paging_href(paging),
        redirect_params={}, answer_redirect=_redirect, captcha_page=_BAIDU_CAPTCHA,
        captcha_page_at=("wappass.baidu.com", "/static/captcha/tuxing.html"),
        captcha_location=_baidu_captcha_location)


# By engine name, as engines.py registers them; by host, as the server routes to them.
PLATFORM_ENGINES = {
    "tieba": _platform(
        "tieba", _tieba_results,
        "/f/search/res?isnew=1&kw=&qw={query}&rn=10&un=&only_thread=0&sm=1&pn={offset}"),
    "zhidao": _platform("zhidao", _zhidao_results,
                        "/search?word={query}&ie=utf-8&site=-1&pn={offset}"),
}
BY_HOST = {engine.host: engine for engine in PLATFORM_ENGINES.values()}


def platform_response(host: str, path_and_query: str, search: Callable[[str], list[DemoHit]],
                      site: Site | None, *, captcha: bool = False) -> DemoResponse | None:
    """Answer a request to a platform host: its search page (this host's pages only), or its
    page as a demo site; None when ``host`` is no simulated platform."""
    engine = BY_HOST.get(host)
    if engine is None:
        return None
    if urlsplit(path_and_query).path == engine.search_path:
        if captcha:
            return _redirect(_baidu_captcha_location(f"https://{host}{path_and_query}"))
        params = parse_qs(urlsplit(path_and_query).query)
        return _search_page(engine, params, lambda query: search(f"site:{host} {query}"))
    return site_reply(site, path_and_query) if site is not None else _not_found()
