"""ICP and 公安备案 numbers read from a page, their offline format check, and a lookalike that
shows an official platform's own number (platforms.toml lists none that is known: the test builds
a platforms table with one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import keywords
from keywords import load_library
from leads.judge import page_similarity
from leads.judge.page_identifiers import (
    PageIdentifier,
    identifier_signals,
    identifiers_of,
    read_identifiers,
)
from leads.judge.page_similarity import PageComparer
from leads.judge.verdict import PageFacts, judge_page
from leads.store import Store
from tests.conftest import make_page, make_verdict

OFFICIAL_ICP = "京ICP备12345678号"
OFFICIAL_POLICE = "京公网安备11010502030143号"
TITLE = "特种作业操作证及安全生产知识和管理能力考核合格信息查询平台"


@pytest.mark.parametrize(("shown", "number", "province"), [
    ("京ICP备12345678号-1", "京ICP备12345678号-1", "北京市"),
    ("京ＩＣＰ备１２３４５６７８号－１", "京ICP备12345678号-1", "北京市"),  # full width
    ("京 ICP 备 1234 5678 号", "京ICP备12345678号", "北京市"),  # spaced
    ("粤ICP证030173号", "粤ICP证030173号", "广东省"),  # an ICP 经营许可证
    ("蜀ICP备2021012345号", "蜀ICP备2021012345号", "四川省"),  # year + 6 digits
    ("京公网安备 11010502030143号", "京公网安备11010502030143号", "北京市"),
    ("京公網安備11010502030143號", "京公网安备11010502030143号", "北京市"),  # traditional
])
def test_a_number_is_read_in_its_canonical_form(shown: str, number: str, province: str) -> None:
    [identifier] = read_identifiers(f"© 2024 某某网 {shown} 技术支持")
    assert (identifier.number, identifier.province, identifier.problem) == (number, province, "")


@pytest.mark.parametrize(("shown", "problem"), [
    ("哈ICP备12345678号", "“哈”不是省级行政区简称"),
    ("京ICP备1234567号", "ICP备号应为8或10位数字，此处7位"),
    ("京ICP证12345678号", "ICP证号应为6位数字，此处8位"),
    ("粤公网安备11010502030143号", "前6位行政区划代码 110105 不属于广东省（应以 44 开头）"),
    ("京公网安备1101050203014号", "公安备案号应为12或14位数字，此处13位"),
])
def test_the_format_check_names_what_is_wrong(shown: str, problem: str) -> None:
    [identifier] = read_identifiers(shown)
    assert identifier.problem == problem


def test_numbers_in_the_html_count_once_and_text_without_one_has_none() -> None:
    html = '<div class="footer"><a href="https://beian.miit.gov.cn">京ICP备<b>12345678</b>号</a></div>'
    found = read_identifiers("京ICP备12345678号", html)
    assert found == (PageIdentifier("icp", "京ICP备12345678号", "北京市", ""),)
    assert read_identifiers("电话 13812345678，ICP备案号查询，证号 T110101199001011234") == ()


def test_the_numbers_are_signals_and_come_back_from_them() -> None:
    found = read_identifiers("京ICP备12345678号-1 粤公网安备11010502030143号")
    signals = identifier_signals(found)
    assert signals == {"identifier:京ICP备12345678号-1": 1.0,
                       "identifier:粤公网安备11010502030143号": 0.0}
    assert identifiers_of({"page": 40.0, **signals}) == (
        "京ICP备12345678号-1", "粤公网安备11010502030143号（格式不符）")


@pytest.fixture
def official_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The judge compares pages with a platforms table listing mem's ICP and 公安备案 numbers."""
    directory = tmp_path / "keywords"
    shutil.copytree(Path(keywords.__file__).parent, directory)
    table = directory / "platforms.toml"
    text = table.read_text(encoding="utf-8")
    text = text.replace("icp_numbers = []", f'icp_numbers = ["{OFFICIAL_ICP}"]', 1)
    text = text.replace("police_numbers = []", f'police_numbers = ["{OFFICIAL_POLICE}"]', 1)
    table.write_text(text, encoding="utf-8")
    comparer = PageComparer(load_library(directory))
    monkeypatch.setattr(page_similarity, "_default_comparer", lambda: comparer)


def lookalike(footer: str) -> PageFacts:
    html = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
            f"<p>请输入证件号码</p><div class=\"footer\"><p>版权所有</p><p>{footer}</p></div>")
    return PageFacts(url="http://www.zheng-center.com/", final_url="http://www.zheng-center.com/",
                     title=TITLE, text=f"{TITLE}\n请输入证件号码\n版权所有\n{footer}", html=html)


@pytest.mark.usefixtures("official_numbers")
def test_a_lookalike_showing_the_platforms_own_numbers_is_flagged() -> None:
    verdict = judge_page(lookalike("京ICP备12345678号-1　京公网安备 11010502030143号"))
    assert verdict.category == "lookalike_site" and verdict.is_lead
    assert verdict.target == "cx.mem.gov.cn"
    assert "页面底部使用 应急管理部 的 ICP 备案号 京ICP备12345678号，但网址不是其官方域名" in (
        verdict.reasons)
    assert ("页面底部使用 应急管理部 的 公安备案号 京公网安备11010502030143号，但网址不是其官方域名"
            in verdict.reasons)
    assert verdict.signals["page.identifier_copy"] > 0
    assert verdict.signals["identifier:京ICP备12345678号-1"] == 1.0


@pytest.mark.usefixtures("official_numbers")
def test_a_page_with_its_own_numbers_is_not_flagged_for_them() -> None:
    verdict = judge_page(lookalike("京ICP备87654321号-1"))
    assert not verdict.is_lead
    assert "page.identifier_copy" not in verdict.signals
    assert not any("页面底部使用" in reason for reason in verdict.reasons)


def test_the_official_host_itself_shows_its_numbers_freely() -> None:
    facts = lookalike(f"{OFFICIAL_ICP}　{OFFICIAL_POLICE}")
    official = PageFacts(url="https://cx.mem.gov.cn/", final_url="https://cx.mem.gov.cn/",
                         title=facts.title, text=facts.text, html=facts.html)
    assert not judge_page(official).is_lead


def test_a_bad_number_is_named_in_a_leads_reasons_and_kept_on_the_lead(store: Store) -> None:
    facts = PageFacts(url="http://ban-zheng.example.com/", final_url="http://ban-zheng.example.com/",
                      title="电工证办理", text="电工证 免考 包过 不用考试 包拿证 微信 abc12345 "
                      "电话 13812345678 哈ICP备12345678号")
    verdict = judge_page(facts)
    assert verdict.is_lead
    assert "页面所示 ICP 备案号 哈ICP备12345678号 格式不符：“哈”不是省级行政区简称" in verdict.reasons
    store.save_page(store.start_run("test", {}), make_page(verdict=verdict))
    [lead] = store.leads()
    assert lead["page_identifiers"] == "哈ICP备12345678号（格式不符）"


def test_a_lead_without_numbers_records_none(store: Store) -> None:
    store.save_page(store.start_run("test", {}), make_page(verdict=make_verdict()))
    assert [lead["page_identifiers"] for lead in store.leads()] == [""]
