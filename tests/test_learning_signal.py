"""The learned signal as a pure function: decided examples in, a verdict with its reasons out."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from leads.judge.learned_similarity import (
    CONFIRMED,
    FALSE_POSITIVE,
    MAX_TEXT_CHARS,
    MIN_CONFIRMED,
    MIN_FALSE_POSITIVES,
    SIMILAR_CUT,
    DecidedExample,
    LearnedModel,
    Neighbour,
    page_text,
    with_learned_signal,
)
from leads.judge.observations import PageObservation
from leads.judge.page_judge import PageJudge
from leads.judge.verdict import LEAD_THRESHOLD, PageFacts, judge_page

PAGES = Path(__file__).parent / "data" / "learning_pages.toml"
RAISED = re.compile(r"^与已确认线索 L\d{6} 相似 (\d+)%：规则得分 (\d+) 未达阈值 50，但与 (\d+) 条已确认线索"
                    r"相似（L\d{6}(、L\d{6})*等?），按分析员以往的判定列为线索$")
LOWERED = re.compile(r"^与误报线索 L\d{6} 相似 (\d+)%，分析员已多次判为误报（(\d+) 条相似误报："
                     r"L\d{6}(、L\d{6})*等?）：规则得分 (\d+)，按以往的判定不作为线索$")


@dataclass(frozen=True)
class Page:
    """A page of tests/data/learning_pages.toml."""

    kind: str  # new_wording | training
    host: str
    title: str
    text: str
    serp: str
    decided: bool

    @property
    def url(self) -> str:
        return f"http://{self.host}/"

    def facts(self, with_serp: bool = True) -> PageFacts:
        return PageFacts(url=self.url, final_url=self.url, title=self.title, text=self.text,
                         serp_text=self.serp if with_serp else "")

    def observation(self) -> PageObservation:
        html = f"<html><title>{self.title}</title><body>{self.text}</body></html>"
        return PageObservation(url=self.url, final_url=self.url, role="result", status=200,
                               body=html.encode(), encoding="utf-8", title=self.title,
                               text=self.text, html=html, serp_text=self.serp)


def load_pages(kind: str) -> list[Page]:
    data = tomllib.loads(PAGES.read_text(encoding="utf-8"))
    return [Page(kind=kind, **entry) for entry in data[kind]]


def decided(kind: str) -> list[Page]:
    return [page for page in load_pages(kind) if page.decided]


def unseen(kind: str) -> Page:
    [page] = [page for page in load_pages(kind) if not page.decided]
    return page


def model_of(confirmed: list[Page], rejected: list[Page]) -> LearnedModel:
    pages = [(CONFIRMED, page) for page in confirmed] + [(FALSE_POSITIVE, page) for page in rejected]
    return LearnedModel(DecidedExample(number, label, page.url, page_text(page.title, page.text))
                        for number, (label, page) in enumerate(pages, 101))


@pytest.fixture(scope="module")
def model() -> LearnedModel:
    return model_of(decided("new_wording"), decided("training"))


def learned(page: Page, model: LearnedModel, url: str = "") -> tuple:
    rules = judge_page(page.facts(with_serp=False))
    return rules, with_learned_signal(rules, model, page_text(page.title, page.text),
                                      url or page.url)


def test_the_pages_are_what_the_tests_say_today_s_rules_make_of_them() -> None:
    """Preconditions: if the rules learn the new wording or stop flagging the schools, these
    pages no longer test the learned signal — write newer wording then."""
    for page in load_pages("new_wording"):
        assert not judge_page(page.facts(with_serp=False)).is_lead, page.host
    for page in decided("new_wording"):
        assert judge_page(page.facts()).is_lead, f"{page.host}: its search ad makes it a lead"
    for page in load_pages("training"):
        assert judge_page(page.facts()).category == "fake_ad", page.host


def test_below_the_threshold_of_decisions_nothing_changes(model: LearnedModel) -> None:
    few = model_of(decided("new_wording")[:MIN_CONFIRMED - 1], decided("training"))
    assert few.confirmed == MIN_CONFIRMED - 1 and not few.active
    rules, verdict = learned(unseen("new_wording"), few)
    assert verdict == rules and "learned" not in verdict.signals
    assert not model_of(decided("new_wording"), decided("training")[:MIN_FALSE_POSITIVES - 1]).active
    assert PageJudge({}, few).version == PageJudge({}).version
    observation = unseen("new_wording").observation()
    assert PageJudge({}, few).judge(observation) == PageJudge({}).judge(observation)


def test_a_huge_page_is_compared_on_its_first_characters(model: LearnedModel) -> None:
    page = unseen("new_wording")
    text = page_text(page.title, page.text)
    padded = page_text(page.title, page.text + "\n" + "无关内容" * 2_000_000)
    assert len(padded) == MAX_TEXT_CHARS
    [first, *_] = model.neighbours(text)
    [padded_first, *_] = model.neighbours(padded)
    assert padded_first.lead_id == first.lead_id
    assert 0 < padded_first.similarity < first.similarity, "the filler dilutes, nothing breaks"


def test_a_page_like_confirmed_leads_is_raised_with_its_reason(model: LearnedModel) -> None:
    rules, verdict = learned(unseen("new_wording"), model)
    assert not rules.is_lead and rules.score < LEAD_THRESHOLD
    assert verdict.is_lead and verdict.category == "fake_ad" and verdict.score == LEAD_THRESHOLD
    match = RAISED.match(verdict.reasons[0])
    assert match, verdict.reasons[0]
    assert int(match.group(1)) >= 100 * SIMILAR_CUT and int(match.group(2)) == rules.score
    assert int(match.group(3)) >= 2
    assert verdict.reasons[1:] == rules.reasons, "the rules' reasons stay, after the learned one"
    assert verdict.signals["learned.confirmed"] >= 100 * SIMILAR_CUT
    assert verdict.signals["learned.false_positive"] < verdict.signals["learned.confirmed"]
    assert verdict.signals["learned"] == LEAD_THRESHOLD - rules.score
    assert verdict.agencies and verdict.contacts == rules.contacts


def test_a_lead_like_rejected_pages_drops_with_its_reason(model: LearnedModel) -> None:
    page = unseen("training")
    rules = judge_page(page.facts())
    verdict = with_learned_signal(rules, model, page_text(page.title, page.text), page.url)
    assert rules.is_lead and not verdict.is_lead
    assert verdict.category == "none" and verdict.score == LEAD_THRESHOLD - 1
    match = LOWERED.match(verdict.reasons[0])
    assert match, verdict.reasons[0]
    assert int(match.group(1)) >= 100 * SIMILAR_CUT and int(match.group(2)) >= 2
    assert int(match.group(4)) == rules.score
    assert verdict.reasons[1:] == rules.reasons and verdict.agencies == ()
    assert verdict.signals["learned"] == LEAD_THRESHOLD - 1 - rules.score


def test_pages_unlike_every_decision_keep_the_rules_verdict(model: LearnedModel) -> None:
    seller = PageFacts(url="http://a.example.com/", final_url="http://a.example.com/",
                       title="电工证", text="电工证免考包过，全国通用，联系电话13812345678")
    rules = judge_page(seller)
    verdict = with_learned_signal(rules, model, page_text(seller.title, seller.text), seller.url)
    assert verdict.is_lead and verdict.reasons == rules.reasons
    assert verdict.signals["learned"] == 0.0 and verdict.signals["learned.confirmed"] < 50


@pytest.mark.parametrize("url", ["https://cx.mem.gov.cn/lanben", "http://www.ajj.sz.gov.cn/x"])
def test_official_and_government_hosts_are_never_raised(model: LearnedModel, url: str) -> None:
    page = unseen("new_wording")
    facts = PageFacts(url=url, final_url=url, title=page.title, text=page.text)
    verdict = with_learned_signal(judge_page(facts), model, page_text(page.title, page.text), url)
    assert not verdict.is_lead


def test_news_about_such_pages_is_never_raised(model: LearnedModel) -> None:
    page = unseen("new_wording")
    text = f"警方提醒：近日破获一起假证案件，犯罪嫌疑人在网上发布广告：“{page.text}”，请市民警惕。"
    facts = PageFacts(url="http://news.example.com/1", final_url="http://news.example.com/1",
                      title="警惕“蓝本走件”骗局", text=text)
    rules = judge_page(facts)
    verdict = with_learned_signal(rules, model, page_text(facts.title, text), facts.url)
    assert verdict.signals["learned.confirmed"] >= 100 * SIMILAR_CUT, "it is like them"
    assert not verdict.is_lead and verdict.reasons == rules.reasons


def test_one_like_decision_is_no_precedent() -> None:
    pages = decided("new_wording")
    others = [Page("x", f"other{n}.example.com", "电工证", f"电工证免考包过，第{n}家，电话13812345678",
                   "", True) for n in range(5)]
    lone = model_of([pages[0], *others], decided("training"))
    assert lone.active
    page = unseen("new_wording")
    _, verdict = learned(page, lone)
    assert verdict.signals["learned.confirmed"] >= 100 * SIMILAR_CUT
    assert not verdict.is_lead


def test_a_lookalike_site_is_never_lowered(model: LearnedModel) -> None:
    page = unseen("training")
    url = "http://cx-mem-gov.cn.chaxun-zhengshu.com/"
    facts = PageFacts(url=url, final_url=url, title=page.title, text=page.text)
    rules = judge_page(facts)
    assert rules.category == "lookalike_site" and rules.is_lead
    verdict = with_learned_signal(rules, model, page_text(page.title, page.text), url)
    assert verdict.is_lead and verdict.category == "lookalike_site"


def test_a_page_is_never_its_own_precedent(model: LearnedModel) -> None:
    page = decided("new_wording")[0]
    text = page_text(page.title, page.text)
    assert model.neighbours(text)[0].similarity == pytest.approx(1.0)
    assert model.neighbours(text, exclude_url=page.url)[0].similarity < 1.0
    assert model.neighbours(text, exclude_lead=101)[0].lead_id != 101


def test_the_version_is_a_hash_of_the_examples(model: LearnedModel) -> None:
    confirmed, rejected = decided("new_wording"), decided("training")
    assert model_of(confirmed, rejected).version == model.version
    reordered = LearnedModel(reversed(model.examples))
    assert reordered.version == model.version
    assert model_of(confirmed[:-1], [*rejected, confirmed[-1]]).version != model.version
    assert LearnedModel([]).version == ""
    judge = PageJudge({}, model)
    assert judge.version == f"{PageJudge({}).version}+m{model.version}"


def test_a_neighbour_is_named_as_analysts_read_it() -> None:
    assert Neighbour(123, CONFIRMED, "http://a/", 0.8765).describe() == "与已确认线索 L000123 相似 87%"
    assert Neighbour(45, FALSE_POSITIVE, "http://b/", 0.91).describe() == "与误报线索 L000045 相似 91%"


def test_page_judge_applies_the_signal_to_fresh_verdicts_only(model: LearnedModel) -> None:
    judge = PageJudge({}, model)
    observation = unseen("new_wording").observation()
    assert judge.judge(observation).is_lead
    kept = judge_page(unseen("new_wording").facts())
    assert judge.judge(observation, kept=kept) == kept, "a kept verdict was given by this model"
