"""Sogou WeChat search parsed from saved pages in its real markup (tests/fixtures/sogou_weixin/):
account cards with 微信号, 功能介绍 and the 认证 line, article results behind /link?url=, the
script-built redirect page, paging, the anti-spider page and an empty search; then the demo web's
simulation of it, parsed back by the same engines."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.demoweb.engines import DemoHit
from crawler.demoweb.weixin import DEMO_ACCOUNTS, weixin_response
from crawler.serp import CAPTCHA_PAGE, Engine, SerpPage, redirect_target
from spiders.search import ENGINES
from spiders.sogou_weixin import SOGOU_WEIXIN_ACCOUNTS, SOGOU_WEIXIN_ARTICLES, account_card

FIXTURES = Path(__file__).parent / "fixtures" / "sogou_weixin"
ACCOUNTS_URL = SOGOU_WEIXIN_ACCOUNTS.url_for("国家安全生产考试", 0)
ARTICLES_URL = SOGOU_WEIXIN_ARTICLES.url_for("电工证 免考", 0)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_both_engines_are_searched_by_the_crawl() -> None:
    assert SOGOU_WEIXIN_ACCOUNTS in ENGINES and SOGOU_WEIXIN_ARTICLES in ENGINES
    assert ACCOUNTS_URL == ("https://weixin.sogou.com/weixin?type=1&query=%E5%9B%BD%E5%AE%B6%E5%AE"
                            "%89%E5%85%A8%E7%94%9F%E4%BA%A7%E8%80%83%E8%AF%95&page=1&ie=utf8")
    assert SOGOU_WEIXIN_ARTICLES.url_for("电工证", 1).endswith("type=2&query=%E7%94%B5%E5%B7%A5"
                                                               "%E8%AF%81&page=2&ie=utf8")


def test_account_cards_give_name_wechat_id_description_and_verification() -> None:
    page = SOGOU_WEIXIN_ACCOUNTS.parse(fixture("accounts.html"), ACCOUNTS_URL)
    assert page.block is None
    cards = [dict(result.fields) | {"name": result.title, "description": result.snippet}
             for result in page.results]
    assert [(c["name"], c["wechat_id"], c["verified_by"]) for c in cards] == [
        ("国家安全生产考试", "gjaqsckaoshi", "应急管理部干部培训学院"),
        ("国家安全生产考试查询中心", "aqsc-zscx", ""),
        ("江苏安全生产宣传", "jsaqscxc", "江苏省安全生产宣传教育中心"),
    ]
    assert cards[0]["open_id"] == "oIWsFt5Ks8QpWvMbLk2RvT0fH1cE"
    assert cards[1]["description"] == ("特种作业操作证、电工证、焊工证官方查询，全国联网可查。"
                                       "加急办理请联系微信 zscx_8866")
    # The 认证 label is written by a script: its text never leaks into the subject.
    assert all("authname" not in c["verified_by"] and "document" not in c["card"] for c in cards)
    assert all(r.link.startswith("https://weixin.sogou.com/link?url=dn9a_") for r in page.results)
    assert [r.is_ad for r in page.results] == [False, False, False]


def test_an_account_result_becomes_its_record_at_a_stable_address() -> None:
    page = SOGOU_WEIXIN_ACCOUNTS.parse(fixture("accounts.html"), ACCOUNTS_URL)
    record = account_card(SOGOU_WEIXIN_ACCOUNTS.name, "国家安全生产考试", 0, page.results[1])
    assert record.url == "weixin://account/aqsc-zscx"
    assert (record.name, record.rank, record.verified_by) == ("国家安全生产考试查询中心", 2, "")
    assert "微信号：aqsc-zscx" in record.card_text
    assert SOGOU_WEIXIN_ACCOUNTS.result_record is account_card
    assert SOGOU_WEIXIN_ARTICLES.result_record is None  # articles are pages: fetched and judged


def test_a_hostile_card_is_kept_within_bounds() -> None:
    huge = "国家安全生产考试" + "官方查询" * 200_000
    html = (f'<form action="/weixin"><input name="query"></form><ul class="news-list2">'
            f'<li d="{"o" * 5000}"><div class="txt-box"><p class="tit"><a href="/link?url=a">'
            f'{huge}</a></p><p class="info">微信号：<label name="em_weixinhao">{"w" * 5000}'
            f"</label></p></div><dl><dt>功能介绍：</dt><dd>{huge}</dd></dl></li></ul>")
    [result] = SOGOU_WEIXIN_ACCOUNTS.parse(html, ACCOUNTS_URL).results
    record = account_card(SOGOU_WEIXIN_ACCOUNTS.name, "q", 0, result)
    assert (len(record.name), len(record.wechat_id), len(record.open_id)) == (64, 64, 64)
    assert len(record.description) == 2000 and len(record.card_text) == 2000
    assert record.name.startswith("国家安全生产考试官方查询")


@pytest.mark.parametrize(("engine", "name", "url", "page_two"), [
    (SOGOU_WEIXIN_ACCOUNTS, "accounts.html", ACCOUNTS_URL, "1"),
    (SOGOU_WEIXIN_ARTICLES, "articles.html", ARTICLES_URL, "2"),
])
def test_next_page_is_the_sogou_next_link(engine: Engine, name: str, url: str,
                                          page_two: str) -> None:
    next_url = engine.parse(fixture(name), url).next_url
    assert next_url is not None and next_url.startswith("https://weixin.sogou.com/weixin?")
    params = parse_qs(urlsplit(next_url).query)
    assert params["page"] == ["2"] and params["type"] == [page_two]


def test_article_results_link_through_the_redirect_and_keep_their_snippet() -> None:
    page = SOGOU_WEIXIN_ARTICLES.parse(fixture("articles.html"), ARTICLES_URL)
    assert [r.title for r in page.results] == ["2024年电工证、焊工证办理须知",
                                               "警惕!“免考包过”的电工证是假证"]
    assert page.results[0].snippet.startswith("本中心长期代办特种作业操作证,免考,不用本人到场")
    assert all(r.target_url is None for r in page.results)  # only the /link page knows it
    assert all(SOGOU_WEIXIN_ARTICLES.is_redirect_link(r.link) for r in page.results)


def test_link_page_builds_the_article_address_piece_by_piece() -> None:
    target = redirect_target(fixture("link.html"), "https://weixin.sogou.com/link?url=dn9a_x")
    assert target == ("https://mp.weixin.qq.com/s?src=11&timestamp=1717401600&ver=5283"
                      "&signature=Kq8vTz3LmN2pXw5RbY7cJd*Wn4fHs9QaE6tUy1oPi3gZl&new=1")


def test_only_the_pieces_of_the_variable_the_location_is_set_to_count() -> None:
    html = ("<script>var myurl = ''; myurl += 'https://evil.example/'; var url = '';"
            " url += 'https://mp.weixin'; url += '.qq.com/s?src=11'; window.location.replace(url)"
            "</script>")
    base = "https://weixin.sogou.com/link?url=a"
    assert redirect_target(html, base) == "https://mp.weixin.qq.com/s?src=11"
    assert redirect_target(html.replace("location.replace(url)", "x(url)"), base) is None


@pytest.mark.parametrize("engine", [SOGOU_WEIXIN_ACCOUNTS, SOGOU_WEIXIN_ARTICLES],
                         ids=lambda e: e.name)
def test_anti_spider_page_is_a_captcha_by_markup_and_by_address(engine: Engine) -> None:
    html = fixture("antispider.html")
    assert engine.parse(html, engine.url_for("国家", 0)) == CAPTCHA_PAGE
    assert engine.parse("", "https://weixin.sogou.com/antispider/?from=%2Fweixin") == CAPTCHA_PAGE


def test_empty_search_is_empty_not_blocked() -> None:
    url = SOGOU_WEIXIN_ACCOUNTS.url_for("xqzv", 0)
    assert SOGOU_WEIXIN_ACCOUNTS.parse(fixture("empty.html"), url) == SerpPage((), None, None)
    assert SOGOU_WEIXIN_ACCOUNTS.parse("<html><body>502</body></html>", url).block == "blocked"


# --- the demo web's simulation, parsed back ----------------------------------------------------

ARTICLE_HITS = [DemoHit(f"电工证办理 第{i}篇", f"https://mp.weixin.qq.com/s/demo{i}", f"摘要{i}")
                for i in range(12)]
WEB_HIT = DemoHit("电工证办理网站", "http://www.dgz-banzheng.com/", "不是公众号文章")


def search(query: str) -> list[DemoHit]:
    return [WEB_HIT, *ARTICLE_HITS] if query == "电工证 办理" else []


def answer(url: str, *, captcha: bool = False) -> tuple[str, int, str, dict[str, str]]:
    """The simulation's answer to ``url``, 302s followed: (final url, status, body, headers)."""
    for _ in range(3):
        parts = urlsplit(url)
        reply = weixin_response(parts.hostname or "", f"{parts.path}?{parts.query}", search,
                                captcha=captcha)
        assert reply is not None
        if reply.status != 302:
            return url, reply.status, reply.body.decode("utf-8"), reply.headers
        url = reply.headers["Location"]
    raise AssertionError("redirect loop")


def test_demo_accounts_round_trip_with_their_verification() -> None:
    url = SOGOU_WEIXIN_ACCOUNTS.url_for("特种作业操作证 查询", 0)
    final, status, body, _ = answer(url)
    page = SOGOU_WEIXIN_ACCOUNTS.parse(body, final, status)
    assert [(r.title, dict(r.fields)["wechat_id"], dict(r.fields)["verified_by"])
            for r in page.results] == [(a.name, a.wechat_id, a.verified_by) for a in DEMO_ACCOUNTS]
    assert page.next_url is None


def test_demo_articles_list_only_wechat_pages_over_two_result_pages() -> None:
    first_url = SOGOU_WEIXIN_ARTICLES.url_for("电工证 办理", 0)
    first = SOGOU_WEIXIN_ARTICLES.parse(answer(first_url)[2], first_url)
    assert [r.title for r in first.results] == [hit.title for hit in ARTICLE_HITS[:10]]
    assert first.next_url is not None
    second = SOGOU_WEIXIN_ARTICLES.parse(answer(first.next_url)[2], first.next_url)
    assert [r.title for r in second.results] == [hit.title for hit in ARTICLE_HITS[10:]]
    assert second.next_url is None
    link = first.results[3].link
    assert redirect_target(answer(link)[2], link) == ARTICLE_HITS[3].url


def test_demo_captcha_sends_to_the_anti_spider_page() -> None:
    url = SOGOU_WEIXIN_ACCOUNTS.url_for("国家安全生产考试", 0)
    final, status, body, _ = answer(url, captcha=True)
    assert urlsplit(final).path == "/antispider/"
    assert SOGOU_WEIXIN_ACCOUNTS.parse(body, final, status) == CAPTCHA_PAGE


def test_demo_answers_only_its_host_and_paths() -> None:
    assert weixin_response("www.sogou.com", "/web?query=x", search) is None
    reply = weixin_response("weixin.sogou.com", "/favicon.ico", search)
    assert reply is not None and reply.status == 404
    bad = weixin_response("weixin.sogou.com", "/link?url=%%%", search)
    assert bad is not None and bad.status == 404
