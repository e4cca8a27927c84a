"""Fitted text weights (keywords/fitted.py, leads/judge/text_fitted.py, bench/fit_text_weights.py):
the file is read strictly, the scorer without it scores by its rules, with it by the model (not for
texts about other papers) and says each feature's contribution, and the fit keeps the signs an
analyst expects."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

from keywords import load_library
from keywords.fitted import FittedWeights, read_fitted
from leads.judge.text_score import TextScorer

BENCH = Path(__file__).resolve().parents[1] / "bench"
SELLER = "电工证焊工证 免考包过 微信 zhengjian888 当天拿证"
FAR_CLAIM = "焊工证，我们这里环境很好，老师也很耐心，学员都说好，不用考"  # rules: 40
NEWS = "记者调查发现，有人在网上叫卖“免考包过”的电工证，警方提醒市民不要轻信，已立案侦查。"
WEIGHTS_FILE = """# fitted: 2026-12-04
# data: a test
feature\tweight\tlabel\tmeaning
bias\t-2.0\t常数项\tconstant
concept.NO_EXAM\t3.0\t不用考试\tpoints / 25
contact.direct\t1.0\t含直接联系方式\t1 with a contact
context.news\t-2.5\t新闻报道语境\tweight / 30
"""


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_read_fitted_reads_bias_weights_labels_and_date(tmp_path: Path) -> None:
    path = tmp_path / "fitted_weights.tsv"
    path.write_text(WEIGHTS_FILE, encoding="utf-8")
    fitted = read_fitted(path)
    assert fitted.bias == -2.0 and fitted.fitted_on == "2026-12-04"
    assert fitted.weights == {"concept.NO_EXAM": 3.0, "contact.direct": 1.0, "context.news": -2.5}
    assert fitted.labels["context.news"] == "新闻报道语境"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("\t3.0\t", "\tthree\t"), "fitted_weights.tsv:5: weight must be a number"),
        (("bias\t", "offset\t"), "needs a bias row"),
        (("feature\tweight", "name\tweight"), "fitted_weights.tsv:3: header"),
        (("\t1.0\t", "\tnan\t"), "fitted_weights.tsv:6: weight not finite"),
    ],
)
def test_read_fitted_names_the_bad_line(tmp_path: Path, change: tuple[str, str], message) -> None:
    path = tmp_path / "fitted_weights.tsv"
    path.write_text(WEIGHTS_FILE.replace(*change), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_fitted(path)


def test_without_fitted_weights_the_rules_score_and_the_features_are_kept(library) -> None:
    result = TextScorer(library).score(SELLER)
    assert result.score == result.rules_score == 100
    assert not any(reason.startswith("拟合权重") for reason in result.reasons)
    features = result.features
    assert features["concept.NO_EXAM"] == 1.0 and features["contact.direct"] == 1.0
    assert features["rules"] == 1.0 and "context.news" not in features


def test_fitted_weights_raise_the_score_and_name_each_contribution(library) -> None:
    fitted = FittedWeights(-2.0, {"concept.NO_EXAM": 3.0, "contact.direct": 1.0,
                                  "context.news": -2.5},
                           {"concept.NO_EXAM": "不用考试", "contact.direct": "含直接联系方式",
                            "context.news": "新闻报道语境"}, "2026-12-04")
    scorer, rules = TextScorer(library, fitted), TextScorer(library)
    assert rules.score(FAR_CLAIM).score == 40
    raised = scorer.score(FAR_CLAIM)
    assert raised.score == 73  # 100·σ(−2 + 3)
    line = raised.reasons[-1]
    assert line.startswith("拟合权重（2026-12-04）") and "不用考试 +3.0" in line
    assert line.endswith("→ 73 分")
    assert raised.reasons[:-1] == rules.score(FAR_CLAIM).reasons  # the rules' lines stay
    seller = scorer.score(SELLER)  # the model says 88 (σ(−2 + 3 + 1)): it never lowers the rules
    assert seller.score == 100 and "含直接联系方式 +1.0" in seller.reasons[-1]
    assert seller.reasons[-1].endswith("→ 88 分，低于规则得分 100，取规则得分")
    news = scorer.score(NEWS)
    assert news.score < 50 and "新闻报道语境 −" in news.reasons[-1]


def test_texts_about_other_papers_keep_the_rules_score(library) -> None:
    """The model raises only texts about safety-production or unnamed papers: an exchange
    agreement for driving licences (like real non-spam the first candidate flagged) keeps the
    rules' 45, and a seller of 驾驶证 the rules' own lead score, with no fitted reason line."""
    generous = FittedWeights(5.0, {"concept.NO_EXAM": 3.0}, {"concept.NO_EXAM": "不用考试"},
                             "2026-12-05")
    scorer, rules = TextScorer(library, generous), TextScorer(library)
    for text in ("中法双方签署驾驶证互认换领协议，无需考试即可换领",
                 "驾驶证 毕业证 免考办理 可查 微信 zhengjian888"):
        result = scorer.score(text)
        assert result.scope == "other_documents" and result.score == rules.score(text).score
        assert not any(reason.startswith("拟合权重") for reason in result.reasons)
    assert scorer.score(FAR_CLAIM).score == 100  # a safety certificate: raised by the model


def test_no_sales_claim_no_fitted_score(library) -> None:
    """Certificates and a phone without a sales claim stay under the rules' no-sales cap, and an
    empty text stays 0, however generous the model."""
    generous = FittedWeights(5.0, {}, {}, "2026-12-05")
    scorer, rules = TextScorer(library, generous), TextScorer(library)
    for text in ("电工证 周末门店正常营业 微信 abc123 电话 13812345678", ""):
        assert scorer.score(text).score == rules.score(text).score < 50
        assert not scorer.score(text).fitted_applies


def test_the_fit_keeps_evidence_positive_and_contexts_negative() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        fit_module = importlib.import_module("fit_text_weights")
    finally:
        sys.path.remove(str(BENCH))
    rng = np.random.default_rng(7)
    x = rng.random((400, 2))
    # Labels that reward the context: the bound must hold its weight at ≤ 0 all the same.
    y = ((x[:, 0] + 0.5 * x[:, 1]) > 0.8).astype(float)
    theta = fit_module.fit(x, y, ["concept.NO_EXAM", "context.news"], l2=0.1)
    assert theta[0] > 2.0 and theta[1] == pytest.approx(0.0, abs=1e-9)


def test_a_prompt_or_a_price_alone_is_not_raised_by_the_model(library) -> None:
    """加我/私我, a price, stock phrases or a delivery are said by every trade and every chat:
    the model may not raise a text that has only those (it raised 我QQ是…你加我 over 50)."""
    generous = FittedWeights(5.0, {}, {}, "2026-12-05")
    scorer = TextScorer(library, generous)
    weak = scorer.score("我ＱＱ是８８７６５４３２ 你加我 我把电工考试的复习资料发你")
    assert not weak.fitted_applies and weak.score == weak.rules_score
    assert scorer.score("电工证不用考试，你加我").fitted_applies
