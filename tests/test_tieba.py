"""Tieba's own post search: its result markup, paging, no-result and 百度安全验证 pages, hostile
input, and the poster read from a post page (tests/fixtures/tieba/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leads.judge.post_pages import post_facts
from spiders.tieba import TIEBA

FIXTURES = Path(__file__).parent / "fixtures" / "tieba"


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.html").read_text(encoding="utf-8")


def test_search_url_pages_from_one() -> None:
    assert TIEBA.url_for("电工证 包过", 0) == (
        "https://tieba.baidu.com/f/search/res?ie=utf-8"
        "&qw=%E7%94%B5%E5%B7%A5%E8%AF%81+%E5%8C%85%E8%BF%87&pn=1")
    assert TIEBA.url_for("x", 2).endswith("&pn=3")


def test_results_are_the_posts_by_their_plain_url() -> None:
    page = TIEBA.parse(fixture("results"), TIEBA.url_for("电工证 包过", 0))
    assert page.block is None
    assert [(r.rank, r.title, r.target_url, r.is_ad) for r in page.results] == [
        (1, "高压电工证、低压电工证代办,不用考试包过", "https://tieba.baidu.com/p/8912345678",
         False),
        (2, "回复:花钱买的电工证说包过,能在官网查到吗?", "https://tieba.baidu.com/p/8901234567",
         False),
        (3, "焊工证 电工证 高处作业证 当月拿证 可查", "https://tieba.baidu.com/p/8899887766",
         False),
    ]
    first = page.results[0]
    assert first.link.startswith("https://tieba.baidu.com/p/8912345678?pid=149876543210")
    assert "dgz-kuaiban88" in first.snippet and "13812345678" in first.snippet
    assert page.next_url is not None and page.next_url.endswith("&pn=2")
    assert page.next_url.startswith("https://tieba.baidu.com/f/search/res?")


def test_no_results_is_empty_not_blocked() -> None:
    page = TIEBA.parse(fixture("noresults"), TIEBA.url_for("zzqqxxyy", 0))
    assert page.block is None and page.results == () and page.next_url is None


def test_baidu_verification_page_is_a_captcha_in_place_and_by_its_url() -> None:
    assert TIEBA.parse(fixture("captcha"), TIEBA.url_for("x", 0)).block == "captcha"
    redirected = ("https://wappass.baidu.com/static/captcha/tuxing.html?&logid=1&backurl="
                  "https%3A%2F%2Ftieba.baidu.com%2Ff%2Fsearch%2Fres")
    assert TIEBA.parse("<html><body>ok</body></html>", redirected).block == "captcha"


@pytest.mark.parametrize("html", [
    "", "<html><body><h1>403 Forbidden</h1></body></html>", "\x00\x01<div class='s_post'",
    "<div class='s_post_list'><div class='s_post'><span class='p_title'>"
    "<a href='javascript:alert(1)'>x</a></span></div></div>",
])
def test_hostile_or_foreign_pages_are_blocked_never_results(html: str) -> None:
    page = TIEBA.parse(html, TIEBA.url_for("x", 0))
    assert page.results == () and page.block == "blocked"


def test_a_result_linking_off_the_post_path_keeps_its_link() -> None:
    html = fixture("results").replace("/p/8899887766?pid=149700011122&amp;cid=0#149700011122",
                                      "/f?kw=%BA%B8%B9%A4")
    page = TIEBA.parse(html, TIEBA.url_for("x", 0))
    assert page.results[2].target_url == "https://tieba.baidu.com/f?kw=%BA%B8%B9%A4"


def test_post_page_gives_the_poster_name_and_portrait_id() -> None:
    facts = post_facts("https://tieba.baidu.com/p/8912345678", fixture("post"))
    assert facts is not None
    assert (facts.platform, facts.post_id) == ("tieba", "8912345678")
    assert facts.poster == "快办老张（ID：tb.1.7f3a2c1d.Qx9kYb2）"


def test_a_board_or_a_page_without_author_markup() -> None:
    assert post_facts("https://tieba.baidu.com/f?kw=电工", fixture("post")) is None
    facts = post_facts("https://tieba.baidu.com/p/1", "<html><body>已删除</body></html>")
    assert facts is not None and facts.poster == ""
