"""Round trip: the demo web's simulated engines render pages that crawler.serp parses back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.demoweb.engines import ENGINE_HOSTS, DemoHit, DemoResponse, engine_response
from crawler.serp import Engine, SerpPage, redirect_target
from spiders.baidu import BAIDU
from spiders.search import ENGINES
from spiders.sogou import SOGOU

QUERY = "电工证 包过"
AD_POSITIONS = {3, 15}
HITS = [
    DemoHit(
        title=f"电工证包过办理 第{i}号 - 证件中心",
        url=f"http://www.dgz-banzheng{i}.com/page-{i}.html?from=serp&id={i}",
        snippet=f"低压电工证 包过,官网可查 & 第{i}条 <全国通用>",
        is_ad=i in AD_POSITIONS,
    )
    for i in range(23)
]
# The real engines' paging parameters, as their own result pages write them (the oracle here).
PAGING_PARAM = {"baidu": "pn", "sogou": "page", "bing": "first", "so360": "pn", "tieba": "pn",
                "zhidao": "pn"}
# The engines simulated through engine_response. Sogou WeChat lists only WeChat accounts and
# articles, not generic hits (crawler/demoweb/weixin.py, round-tripped in tests/test_sogou_weixin.py).
SIMULATED_HERE = tuple(engine for engine in ENGINES if engine.name in PAGING_PARAM)


def search(query: str) -> list[DemoHit]:
    return HITS if query == QUERY else []


def fetch(url: str, *, captcha: bool = False) -> tuple[str, DemoResponse]:
    """Request ``url`` from the simulated engines, following 302s like Scrapy does."""
    for _ in range(5):
        parts = urlsplit(url)
        path_and_query = f"{parts.path}?{parts.query}" if parts.query else parts.path
        response = engine_response(parts.hostname or "", path_and_query, search, captcha=captcha)
        assert response is not None, url
        if response.status != 302:
            return url, response
        url = response.headers["Location"]
    raise AssertionError("redirect loop")


def fetch_page(engine: Engine, page: int, *, captcha: bool = False) -> SerpPage:
    url, response = fetch(engine.url_for(QUERY, page), captcha=captcha)
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    return engine.parse(response.body.decode("utf-8"), url, response.status)


def landing_url(engine: Engine, link: str) -> str | None:
    """Where a result link lands: the 302 Location or the HTML/JS redirect page's target."""
    assert engine.is_redirect_link(link)
    parts = urlsplit(link)
    response = engine_response(parts.hostname or "", f"{parts.path}?{parts.query}", search)
    assert response is not None
    if response.status == 302:
        return response.headers["Location"]
    assert response.status == 200
    return redirect_target(response.body.decode("utf-8"), link)


@pytest.mark.parametrize("engine", SIMULATED_HERE, ids=lambda e: e.name)
def test_round_trip_three_pages(engine: Engine) -> None:
    for page_number in range(3):
        page = fetch_page(engine, page_number)
        on_page = HITS[page_number * 10 : (page_number + 1) * 10]
        expected = sorted(on_page, key=lambda hit: not hit.is_ad)
        assert page.block is None
        assert [r.title for r in page.results] == [hit.title for hit in expected]
        assert [r.snippet for r in page.results] == [hit.snippet for hit in expected]
        assert [r.is_ad for r in page.results] == [hit.is_ad for hit in expected]
        assert [r.rank for r in page.results] == list(range(1, len(expected) + 1))
        for result, hit in zip(page.results, expected, strict=True):
            assert (result.target_url or landing_url(engine, result.link)) == hit.url
        if page_number < 2:
            assert page.next_url is not None
            next_parts = urlsplit(page.next_url)
            assert next_parts.hostname == engine.hosts[0]
            paging = parse_qs(next_parts.query)[PAGING_PARAM[engine.name]]
            assert paging == [str(engine.first_offset + (page_number + 1) * engine.offset_step)]
            assert (
                fetch_page(engine, page_number + 1).results
                == engine.parse(fetch(page.next_url)[1].body.decode("utf-8"), page.next_url).results
            )
        else:
            assert page.next_url is None


def test_baidu_ads_hide_the_target_and_organic_results_show_it() -> None:
    page = fetch_page(BAIDU, 0)
    assert [(r.is_ad, r.target_url is None) for r in page.results][:2] == [
        (True, True),
        (False, False),
    ]
    assert page.results[0].link.startswith("https://www.baidu.com/baidu.php?url=")


def test_sogou_links_only_through_link_redirect_page() -> None:
    page = fetch_page(SOGOU, 0)
    assert all(r.target_url is None for r in page.results)
    assert all(r.link.startswith("https://www.sogou.com/link?url=") for r in page.results)
    parts = urlsplit(page.results[1].link)
    response = engine_response("www.sogou.com", f"{parts.path}?{parts.query}", search)
    assert response is not None and response.status == 200
    body = response.body.decode("utf-8")
    assert "window.location.replace(" in body and 'http-equiv="refresh"' in body


@pytest.mark.parametrize("engine", SIMULATED_HERE, ids=lambda e: e.name)
def test_captcha(engine: Engine) -> None:
    assert fetch_page(engine, 0, captcha=True) == SerpPage((), None, "captcha")


def test_baidu_captcha_redirects_to_wappass() -> None:
    response = engine_response("www.baidu.com", "/s?wd=x&pn=0", search, captcha=True)
    assert response is not None and response.status == 302
    assert response.headers["Location"].startswith(
        "https://wappass.baidu.com/static/captcha/tuxing.html?"
    )


def test_sogou_captcha_redirects_to_antispider() -> None:
    response = engine_response("www.sogou.com", "/web?query=x", search, captcha=True)
    assert response is not None and response.status == 302
    assert response.headers["Location"].startswith("https://www.sogou.com/antispider/?from=")


@pytest.mark.parametrize("engine", SIMULATED_HERE, ids=lambda e: e.name)
def test_zero_results(engine: Engine) -> None:
    url = engine.url_for("没有这个词", 0)
    _, response = fetch(url)
    assert engine.parse(response.body.decode("utf-8"), url) == SerpPage((), None, None)


def test_other_paths_and_hosts() -> None:
    assert engine_response("www.example.com", "/", search) is None
    for host in (host for host, name in ENGINE_HOSTS.items() if name in PAGING_PARAM):
        response = engine_response(host, "/favicon.ico", search)
        assert response is not None and response.status == 404
    bad_link = engine_response("www.baidu.com", "/link?url=%%%", search)
    assert bad_link is not None and bad_link.status == 404
