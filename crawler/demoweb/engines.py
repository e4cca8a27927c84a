"""Simulated search engines of the offline demo web.

Renders result pages, click-redirect links and captcha pages in the engines' real markup
(Baidu new-pmd, Sogou vrwrap, Bing b_algo, 360 res-list), so the crawler runs unchanged
against them. Stateless: every redirect link carries its target URL-safe-base64-encoded.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, parse_qsl, quote, quote_plus, urlsplit

from crawler.serp import Engine
from spiders.search import ENGINES

RESULTS_PER_PAGE = 10

# The engines the crawler declares (spiders/search.py), by name and by every host they use.
DECLARED = {engine.name: engine for engine in ENGINES}
ENGINE_HOSTS: dict[str, str] = {host: engine.name for engine in ENGINES for host in engine.hosts}


@dataclass(frozen=True)
class DemoHit:
    """One simulated search hit."""

    title: str
    url: str  # landing URL, e.g. "http://www.tezhong-banzheng.com/"
    snippet: str
    is_ad: bool = False


@dataclass(frozen=True)
class DemoResponse:
    """An HTTP answer for the demo proxy to send."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class _Page:
    """What a result-page template needs: the page's hits (ads first) and the paging link."""

    query: str
    hits: tuple[DemoHit, ...]
    next_href: str | None


@dataclass(frozen=True)
class _Engine:
    """One simulated engine: the crawler's declaration of it (search URL, paging), and what only
    the simulation knows — its result markup, redirect endpoints and captcha page."""

    declared: Engine
    render_results: Callable[[_Page], str]
    next_href: Callable[[str, int], str]  # (query, offset of the next page) -> href
    redirect_params: dict[str, str]  # redirect path -> query parameter carrying the target
    answer_redirect: Callable[[str], DemoResponse]
    captcha_page: str  # the engine's verification page
    captcha_page_at: tuple[str, str]  # (host, path) where that page lives
    captcha_location: Callable[[str], str] | None  # (blocked URL) -> redirect; None: in place

    @property
    def host(self) -> str:
        return self.declared.hosts[0]

    @property
    def search_path(self) -> str:
        return urlsplit(self.declared.search_url).path

    @property
    def query_param(self) -> str:
        return self._parameter_holding("{query}")

    @property
    def page_param(self) -> str:
        return self._parameter_holding("{offset}")

    @property
    def first_offset(self) -> int:
        return self.declared.first_offset

    @property
    def offset_step(self) -> int:
        return self.declared.offset_step

    def _parameter_holding(self, placeholder: str) -> str:
        query = urlsplit(self.declared.search_url).query
        return next(name for name, value in parse_qsl(query) if value == placeholder)


def engine_response(
    host: str,
    path_and_query: str,
    search: Callable[[str], list[DemoHit]],
    *,
    captcha: bool = False,
) -> DemoResponse | None:
    """Answer one request to a simulated engine host; None if host is not an engine."""
    name = ENGINE_HOSTS.get(host)
    if name is None:
        return None
    engine = _ENGINES[name]
    parts = urlsplit(path_and_query)
    params = parse_qs(parts.query)
    if (host, parts.path) == engine.captcha_page_at:
        return _html(200, engine.captcha_page)
    if host != engine.host:
        return _not_found()
    if parts.path == engine.search_path:
        if not captcha:
            return _search_page(engine, params, search)
        if engine.captcha_location is None:
            return _html(200, engine.captcha_page)
        return _redirect(engine.captcha_location(f"https://{host}{path_and_query}"))
    target_param = engine.redirect_params.get(parts.path)
    target = _decode(params.get(target_param, [""])[0]) if target_param else None
    if target is None:
        return _not_found()
    return engine.answer_redirect(target)


def _search_page(
    engine: _Engine, params: dict[str, list[str]], search: Callable[[str], list[DemoHit]]
) -> DemoResponse:
    query = params.get(engine.query_param, [""])[0].strip()
    try:
        offset = int(params.get(engine.page_param, [str(engine.first_offset)])[0])
    except ValueError:
        offset = engine.first_offset
    page = max(0, (offset - engine.first_offset) // engine.offset_step)
    hits = search(query) if query else []
    on_page = hits[page * RESULTS_PER_PAGE : (page + 1) * RESULTS_PER_PAGE]
    more = len(hits) > (page + 1) * RESULTS_PER_PAGE
    next_offset = engine.first_offset + (page + 1) * engine.offset_step
    return _html(
        200,
        engine.render_results(
            _Page(
                query=query,
                # Engines show the paid results of a page above its organic ones.
                hits=tuple(sorted(on_page, key=lambda hit: not hit.is_ad)),
                next_href=engine.next_href(query, next_offset) if more else None,
            )
        ),
    )


def _encode(url: str) -> str:
    return base64.urlsafe_b64encode(url.encode("utf-8")).rstrip(b"=").decode("ascii")


def _decode(token: str) -> str | None:
    """Target URL of an opaque redirect token (optionally "a1"-prefixed, as Bing's ``u``)."""
    token = token.removeprefix("a1")
    try:
        url = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return url if url.startswith(("http://", "https://")) else None


def _html(status: int, body: str, headers: dict[str, str] | None = None) -> DemoResponse:
    return DemoResponse(
        status=status,
        headers={"Content-Type": "text/html; charset=utf-8", **(headers or {})},
        body=body.encode("utf-8"),
    )


def _redirect(location: str) -> DemoResponse:
    body = f'<html><body>Found. Redirecting to <a href="{escape(location)}">here</a></body></html>'
    return _html(302, body, {"Location": location})


def _not_found() -> DemoResponse:
    return _html(
        404,
        "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>",
    )


def _js_redirect_page(target: str) -> DemoResponse:
    """Sogou's /link?url= answer: a 200 page that redirects by meta refresh and JavaScript."""
    attr, js = escape(target), json.dumps(target)
    return _html(
        200,
        '<meta content="always" name="referrer">'
        f"<script>window.location.replace({js})</script>"
        f'<noscript><META http-equiv="refresh" content="0;URL=\'{attr}\'"></noscript>',
    )


def _highlight(text: str, query: str, open_tag: str, close_tag: str) -> str:
    """Escape ``text`` and wrap the query's terms the way the engine highlights them."""
    escaped = escape(text)
    terms = sorted({escape(term) for term in query.split()}, key=len, reverse=True)
    if not terms:
        return escaped
    pattern = re.compile("|".join(re.escape(term) for term in terms))
    return pattern.sub(lambda match: f"{open_tag}{match.group(0)}{close_tag}", escaped)


def _head(title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        '<meta content="always" name="referrer">\n'
        f"<title>{escape(title)}</title>\n{extra}</head>\n"
    )


# --- Baidu: div.result.c-container[mu] under #content_left; ads via /baidu.php?url= ---------


def _baidu_results(page: _Page) -> str:
    query, items = page.query, []
    for rank, hit in enumerate(page.hits, start=1):
        title = _highlight(hit.title, query, "<em>", "</em>")
        snippet = _highlight(hit.snippet, query, "<em>", "</em>")
        if hit.is_ad:
            link = f"https://www.baidu.com/baidu.php?url={_encode(hit.url)}"
            items.append(
                f'<div id="{3000 + rank}" class="_2z1q32z" data-tuiguang="{rank:08x}" '
                'style="display:block !important;visibility:visible !important">'
                f'<div class="c-container"><h3 class="t c-title"><a href="{link}" target="_blank">'
                f'{title}</a></h3><div class="c-abstract">{snippet}</div>'
                f'<div class="f13"><span class="c-showurl">{escape(urlsplit(hit.url).netloc)}'
                '</span><span class="ec-tuiguang ecfc-tuiguang">广告</span></div></div></div>'
            )
            continue
        link = f"http://www.baidu.com/link?url={_encode(hit.url)}"
        s_data = json.dumps({"title": title, "titleUrl": link}, ensure_ascii=False)
        items.append(
            f'<div class="result c-container xpath-log new-pmd" srcid="1599" id="{rank}" '
            f'tpl="se_com_default" mu="{escape(hit.url)}" data-click=\'{{"p1":{rank}}}\'>'
            f'<div class="c-container"><!--s-data:{s_data}--><div has-tts="true">'
            f'<h3 class="c-title t t tts-title"><a href="{link}" target="_blank">{title}</a></h3>'
            f'<div class="c-gap-top-small"><span class="content-right_8Zs40">{snippet}</span>'
            "</div></div></div></div>"
        )
    if not items:
        items.append(
            '<div class="nors"><div class="norsSuggest"><h3 class="norsTitle">很抱歉，没有找到与'
            f"“<em>{escape(query)}</em>”相关的网页。</h3></div></div>"
        )
    pager = (
        f'<div id="page" class="page_2muyV"><div class="page-inner_2jZi2">'
        f'<a class="n" href="{escape(page.next_href)}">下一页 &gt;</a></div></div>'
        if page.next_href
        else '<div id="page" class="page_2muyV"><div class="page-inner_2jZi2"></div></div>'
    )
    return (
        _head(f"{query}_百度搜索")
        + '<body><div id="wrapper" class="wrapper_new"><div id="head"><form id="form" '
        'name="f" action="/s" class="fm"><input type="hidden" name="ie" value="utf-8">'
        f'<input id="kw" name="wd" class="s_ipt" value="{escape(query)}" maxlength="255">'
        '<input type="submit" id="su" value="百度一下" class="bg s_btn"></form></div>'
        '<div id="wrapper_wrapper"><div id="container" class="container_new">'
        '<div id="content_right" class="cr-offset"></div>'
        f'<div id="content_left">{"".join(items)}</div>{pager}</div></div></div>'
        '<script>var bds={comm:{templateName:"baidu"}};</script></body></html>'
    )


_BAIDU_CAPTCHA = (
    _head("百度安全验证")
    + '<body><div id="ctr" class="passMod_dialog-wrapper"><div class="passMod_dialog-header">'
    '安全验证</div><div class="passMod_dialog-content">请完成下方验证后继续操作</div>'
    '<div class="vcode-spin"></div></div>'
    '<script src="https://wappass.baidu.com/static/machine/js/api/mkd.js"></script></body></html>'
)


def _baidu_captcha_location(original_url: str) -> str:
    return (
        "https://wappass.baidu.com/static/captcha/tuxing.html?&logid=8839201746529&ak="
        f"c27bbc89afca0463650ac9bde68ebe06&backurl={quote(original_url, safe='')}"
        "&signature=0a1b2c3d4e5f&timestamp=1701234567"
    )


# --- Sogou: div.vrwrap > h3.vr-title > a[href^="/link?url="], answered by a JS page --------


def _sogou_results(page: _Page) -> str:
    query = page.query
    red = ("<em><!--red_beg-->", "<!--red_end--></em>")
    ads, organic = [], []
    for rank, hit in enumerate(page.hits):
        title = _highlight(hit.title, query, *red)
        snippet = _highlight(hit.snippet, query, *red)
        cite = escape(urlsplit(hit.url).netloc)
        tag = '<span class="biz-tag">广告</span>' if hit.is_ad else ""
        block = (
            f'<div class="vrwrap" id="sogou_vr_30000000_{rank}"><h3 class="vr-title">'
            f'<a id="sogou_vr_30000000_title_{rank}" target="_blank" '
            f'href="/link?url={_encode(hit.url)}">{title}</a></h3>'
            f'<div class="fz-mid space-txt">{snippet}</div>'
            f'<div class="citeurl"><span>{cite}</span>{tag}</div></div>'
        )
        (ads if hit.is_ad else organic).append(block)
    if not ads and not organic:
        organic.append(
            '<div class="no-result" id="noresult_part1_container"><p class="p1">抱歉，没有找到与'
            f"“<em>{escape(query)}</em>”相关的网页。</p></div>"
        )
    pager = (
        f'<a id="sogou_next" href="{escape(page.next_href)}" class="np">下一页</a>'
        if page.next_href
        else ""
    )
    return (
        _head(f"{query} - 搜狗搜索")
        + '<body><div class="header"><form name="sf" id="searchForm" action="/web">'
        f'<input type="text" class="query" name="query" id="upquery" value="{escape(query)}">'
        '<input type="submit" id="searchBtn" value="搜狗搜索"></form></div>'
        f'<div id="wrap" class="wrap"><div id="main" class="main">'
        f'<div id="promotion_adv_container">{"".join(ads)}</div>'
        f'<div class="results">{"".join(organic)}</div>'
        f'<div class="p" id="pagebar_container">{pager}</div></div>'
        '<div id="right" class="right"></div></div></body></html>'
    )


_SOGOU_CAPTCHA = (
    _head("搜狗搜索") + '<body><div class="content-box"><p class="p1">'
    "用户您好，我们的系统检测到您网络中存在异常访问请求。</p>"
    '<form name="authform" method="POST" id="seccodeForm" action="/">'
    '<input type="text" name="c" id="seccodeInput">'
    '<img id="seccodeImage" src="util/seccode.php?tc=1701234567890" alt="请输入图中的验证码">'
    '<a href="javascript:void(0);" id="submit">提交</a></form></div></body></html>'
)


def _sogou_captcha_location(original_url: str) -> str:
    parts = urlsplit(original_url)
    return f"https://www.sogou.com/antispider/?from={quote(f'{parts.path}?{parts.query}', safe='')}"


# --- Bing: ol#b_results > li.b_algo, h2 > a[href*="/ck/a?"][u=a1<base64url>]; ads li.b_ad --


def _bing_results(page: _Page) -> str:
    query, items = page.query, []
    for rank, hit in enumerate(page.hits, start=1):
        title = _highlight(hit.title, query, "<strong>", "</strong>")
        snippet = _highlight(hit.snippet, query, "<strong>", "</strong>")
        cite = escape(urlsplit(hit.url).netloc)
        if hit.is_ad:
            items.append(
                '<li class="b_ad b_adTop"><ul><li class=" b_adLastChild"><div class="sb_add '
                f'sb_adTA"><h2><a href="https://cn.bing.com/aclk?ld={_encode(hit.url)}&amp;'
                f'rlid={rank:032x}" h="ID=SERP,{5000 + rank}.1">{title}</a></h2>'
                f'<div class="b_caption"><div class="b_attribution"><cite>{cite}</cite>'
                '<span class="b_adSlug b_opttxt b_divdef">广告</span></div>'
                f'<p class="b_lineclamp2">{snippet}</p></div></div></li></ul></li>'
            )
            continue
        link = (
            f"https://cn.bing.com/ck/a?!&amp;&amp;p={rank:016x}JmltdHM9MTcwMTIxNjAwMA&amp;ptn=3"
            f"&amp;ver=2&amp;hsh=3&amp;u=a1{_encode(hit.url)}&amp;ntb=1"
        )
        items.append(
            f'<li class="b_algo" data-bm="{rank + 5}"><h2><a target="_blank" href="{link}" '
            f'h="ID=SERP,{5100 + rank}.1">{title}</a></h2><div class="b_caption" '
            f'role="contentinfo"><div class="b_attribution"><cite>{cite}</cite></div>'
            f'<p class="b_lineclamp2 b_algoSlug">{snippet}</p></div></li>'
        )
    if not items:
        items.append(
            f'<li class="b_no"><h1>没有与此相关的结果: <strong>{escape(query)}</strong></h1></li>'
        )
    if page.next_href:
        items.append(
            '<li class="b_pag"><nav role="navigation" aria-label="更多结果"><ul class="sb_pagF">'
            f'<li><a class="sb_pagN sb_pagN_bp b_widePag sb_bp " title="下一页" '
            f'href="{escape(page.next_href)}"><div class="sw_next">下一页</div></a></li></ul>'
            "</nav></li>"
        )
    return (
        _head(f"{query} - 搜索")
        + '<body class="b_respl"><header id="b_header"><form action="/search" id="sb_form">'
        f'<input class="b_searchbox" id="sb_form_q" name="q" type="search" '
        f'value="{escape(query)}"><input type="submit" id="sb_form_go" value="搜索"></form>'
        f'</header><main aria-label="搜索结果"><ol id="b_results" class="">{"".join(items)}'
        '</ol><ol id="b_context"></ol></main></body></html>'
    )


_BING_CAPTCHA = (
    _head("验证 - 搜索")
    + '<body><div class="captcha" id="b_captcha"><h1>最后一步</h1><p>请解决以下难题以继续</p>'
    '<iframe id="turing_iframe" src="/turing/captcha/challenge?q=&amp;iframeid=local-gen-1" '
    'title="验证你是人类"></iframe></div><script '
    'src="https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit"></script>'
    "</body></html>"
)


# --- 360: ul#e_idea_pp (ads) and ul.result > li.res-list > h3.res-title > a[data-mdurl] ----


def _so360_results(page: _Page) -> str:
    query = page.query
    ads, organic = [], []
    for hit in page.hits:
        title = _highlight(hit.title, query, "<em>", "</em>")
        snippet = _highlight(hit.snippet, query, "<em>", "</em>")
        link = f"https://www.so.com/link?m={_encode(hit.url)}"
        cite = f'<p class="res-linkinfo"><cite>{escape(urlsplit(hit.url).netloc)}</cite>'
        if hit.is_ad:
            ads.append(
                f'<li class="e_haosou_fw"><h3><a class="e_haosou_fw_bg_title" href="{link}" '
                f'target="_blank">{title}</a></h3><p class="res-desc">{snippet}</p>'
                f'{cite}<span class="spread-tag">广告</span></p></li>'
            )
        else:
            organic.append(
                f'<li class="res-list" data-lazyload="1"><h3 class="res-title"><a href="{link}" '
                f'data-mdurl="{escape(hit.url)}" rel="noopener" target="_blank">{title}</a></h3>'
                f'<p class="res-desc">{snippet}</p>{cite}</p></li>'
            )
    results = (
        f'<ul id="e_idea_pp" class="e_idea_list">{"".join(ads)}</ul>'
        f'<ul class="result">{"".join(organic)}</ul>'
        if ads or organic
        else '<div id="no-result" class="so-noresult"><p class="title">抱歉，未找到和'
        f"“<em>{escape(query)}</em>”相关的网页。</p></div>"
    )
    pager = (
        f'<a id="snext" href="{escape(page.next_href)}">下一页&gt;</a>' if page.next_href else ""
    )
    return (
        _head(f"{query} - 360搜索")
        + '<body><div id="warper"><div id="header"><form id="bd_search" '
        'action="https://www.so.com/s" method="get">'
        f'<input type="text" name="q" id="keyword" value="{escape(query)}">'
        '<input type="submit" id="su" value="搜索"></form></div><div id="container">'
        f'<div id="main">{results}<div id="page">{pager}</div></div><div id="side"></div>'
        "</div></div></body></html>"
    )


_SO360_CAPTCHA = (
    _head("360搜索 - 安全验证")
    + '<body><div id="qcaptcha" class="qcaptcha"><p class="tip">您的访问出现异常，请完成以下验证。'
    '</p><img id="qcaptcha-img" src="/image?k=9f8e7d6c5b4a" alt="验证码">'
    '<input type="text" id="qcaptcha-input"><button type="button">确定</button></div></body></html>'
)


def _so360_captcha_location(original_url: str) -> str:
    return f"https://qcaptcha.so.com/?ret={quote(original_url, safe='')}&m=0"


def _paging_href(template: str) -> Callable[[str, int], str]:
    """Next-page href from a template with {query} (URL-encoded) and {offset}."""
    return lambda query, offset: template.format(query=quote_plus(query), offset=offset)


_ENGINES: dict[str, _Engine] = {
    "baidu": _Engine(
        declared=DECLARED["baidu"],
        render_results=_baidu_results,
        next_href=_paging_href("/s?wd={query}&pn={offset}&oq={query}&ie=utf-8&rsv_page=1"),
        redirect_params={"/link": "url", "/baidu.php": "url"},
        answer_redirect=_redirect,
        captcha_page=_BAIDU_CAPTCHA,
        captcha_page_at=("wappass.baidu.com", "/static/captcha/tuxing.html"),
        captcha_location=_baidu_captcha_location,
    ),
    "sogou": _Engine(
        declared=DECLARED["sogou"],
        render_results=_sogou_results,
        next_href=_paging_href("?query={query}&page={offset}&ie=utf8"),
        redirect_params={"/link": "url"},
        answer_redirect=_js_redirect_page,
        captcha_page=_SOGOU_CAPTCHA,
        captcha_page_at=("www.sogou.com", "/antispider/"),
        captcha_location=_sogou_captcha_location,
    ),
    "bing": _Engine(
        declared=DECLARED["bing"],
        render_results=_bing_results,
        next_href=_paging_href("/search?q={query}&first={offset}&FORM=PORE"),
        redirect_params={"/ck/a": "u", "/aclk": "ld"},
        answer_redirect=_redirect,
        captcha_page=_BING_CAPTCHA,
        captcha_page_at=("cn.bing.com", "/turing/captcha/challenge"),
        captcha_location=None,
    ),
    "so360": _Engine(
        declared=DECLARED["so360"],
        render_results=_so360_results,
        next_href=_paging_href("/s?q={query}&pn={offset}&src=srp_paging&fr=none"),
        redirect_params={"/link": "m"},
        answer_redirect=_redirect,
        captcha_page=_SO360_CAPTCHA,
        captcha_page_at=("qcaptcha.so.com", "/"),
        captcha_location=_so360_captcha_location,
    ),
}

# Baidu Tieba's and Zhidao's own search pages, built on the helpers above (so imported last).
from crawler.demoweb.platforms import PLATFORM_ENGINES  # noqa: E402

_ENGINES.update(PLATFORM_ENGINES)
