"""Zhidao's own question search: its result markup, paging, no-result and 百度安全验证 pages,
hostile input, and the answerer read from a question page (tests/fixtures/zhidao/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leads.judge.post_pages import post_facts
from spiders.zhidao import ZHIDAO

FIXTURES = Path(__file__).parent / "fixtures" / "zhidao"


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.html").read_text(encoding="utf-8")


def test_search_url_pages_by_ten_from_zero() -> None:
    assert ZHIDAO.url_for("电工证", 0).endswith("&ie=utf-8&pn=0")
    assert ZHIDAO.url_for("电工证", 2).endswith("&pn=20")
    assert ZHIDAO.url_for("电工证", 0).startswith("https://zhidao.baidu.com/search?word=")


def test_results_are_the_questions_by_their_plain_url() -> None:
    page = ZHIDAO.parse(fixture("results"), ZHIDAO.url_for("电工证 包过", 0))
    assert page.block is None
    assert [(r.rank, r.title, r.target_url) for r in page.results] == [
        (1, "电工证哪里可以办?不考试能拿到吗",
         "https://zhidao.baidu.com/question/2031234567890123456.html"),
        (2, "网上说电工证包过,是真的吗?",
         "https://zhidao.baidu.com/question/1987654321098765432.html"),
        (3, "低压电工证怎么报名考试?", "https://zhidao.baidu.com/question/1622334455667788990.html"),
    ]
    assert page.results[0].snippet.startswith("答：可以的,我这边代办电工证")
    assert page.results[2].snippet.startswith("问：想考个低压电工证")  # dd.summary, unanswered
    assert not any(result.is_ad for result in page.results)
    assert page.next_url == ("https://zhidao.baidu.com/search?word=%B5%E7%B9%A4%D6%A4+%B0%FC%B9%FD"
                             "&ie=gbk&site=-1&sites=0&date=0&pn=10")


def test_no_results_is_empty_not_blocked() -> None:
    page = ZHIDAO.parse(fixture("noresults"), ZHIDAO.url_for("zzqqxxyy", 0))
    assert page.block is None and page.results == () and page.next_url is None


def test_baidu_verification_page_is_a_captcha() -> None:
    assert ZHIDAO.parse(fixture("captcha"), ZHIDAO.url_for("x", 0)).block == "captcha"
    assert ZHIDAO.parse("", "https://wappass.baidu.com/static/captcha/tuxing.html?x=1"
                        ).block == "captcha"


@pytest.mark.parametrize("html", [
    "<html><body>502 Bad Gateway</body></html>", "<dl class='dl'><dt><a href='#'>x</a></dt></dl>",
    "<<<<" * 1000,
])
def test_hostile_or_foreign_pages_are_blocked(html: str) -> None:
    page = ZHIDAO.parse(html, ZHIDAO.url_for("x", 0))
    assert page.results == () and page.block == "blocked"


def test_error_status_with_the_search_form_is_blocked() -> None:
    assert ZHIDAO.parse(fixture("results"), ZHIDAO.url_for("x", 0), status=503).block == "blocked"


def test_question_page_gives_the_answerer_and_user_centre_id() -> None:
    url = "https://zhidao.baidu.com/question/2031234567890123456.html"
    facts = post_facts(url, fixture("question"))
    assert facts is not None and facts.platform == "zhidao"
    assert facts.post_id == "2031234567890123456"
    assert facts.poster == "证书代办小刘（ID：7a3c9e01f2b4d5）"
