"""score_text separates sales ads from texts about fakes, on a labelled set and on edge cases."""

from pathlib import Path

import pytest

from leads.text_score import MAX_SCAN_CHARS, score_text
from leads.verdict import LEAD_THRESHOLD

LABELLED = Path(__file__).parent / "data" / "labelled_texts.tsv"


def _labelled() -> list[tuple[int, str, str]]:
    rows = []
    lines = LABELLED.read_text(encoding="utf-8").splitlines()
    data = [line for line in lines if line.strip() and not line.startswith("#")][1:]
    for line in data:
        label, kind, text = line.split("\t")
        rows.append((int(label), kind, text.replace("\\u200b", "\u200b")))
    return rows


def test_labelled_set_is_large_and_balanced():
    rows = _labelled()
    positives = sum(label for label, _, _ in rows)
    assert len(rows) >= 150
    assert 0.4 <= positives / len(rows) <= 0.6


def test_precision_and_recall_on_labelled_set():
    true_positive = false_positive = false_negative = 0
    for label, kind, text in _labelled():
        predicted = score_text(text).score >= LEAD_THRESHOLD
        if predicted and label:
            true_positive += 1
        elif predicted:
            false_positive += 1
            print(f"false positive [{kind}]: {text}")
        elif label:
            false_negative += 1
            print(f"false negative [{kind}]: {text}")
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    print(f"precision {precision:.3f} recall {recall:.3f} at threshold {LEAD_THRESHOLD}")
    assert precision >= 0.95
    assert recall >= 0.95


def test_sales_ad_explains_itself():
    result = score_text("電工證免考包過，官網可查，加V信：dgz_2024，电话13812345678")
    assert result.score >= 80
    assert result.terms("fraud") == ("免考", "包过", "官网可查")
    assert result.terms("certificate") == ("电工证",)
    assert result.contacts == ("wechat:dgz_2024", "phone:13812345678")
    assert result.reasons[0] == "页面含办证推销用语：免考、包过、官网可查"
    assert result.signals["fraud_terms"] > 0


def test_news_quoting_sales_phrases_is_not_a_lead():
    text = (
        "本报讯 警方提醒：网上声称“免考”“包过”“官网可查”的电工证均为假证。"
        "犯罪嫌疑人通过微信招揽客户，已被民警抓获。"
    )
    result = score_text(text)
    assert result.score == 0
    assert result.context == "news"
    assert "免考" in result.terms("fraud")
    assert any("按半数计分" in reason for reason in result.reasons)


def test_negative_context_pulls_score_down():
    ad = "电工证免考包过，官网可查，电话13812345678"
    assert score_text(ad).score - score_text(ad + "。警惕！谨防受骗，公安机关严厉打击").score >= 50


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("电工证培训：报名条件年满18周岁，考试安排每月一次，需本人参加考试。", "training"),
        ("招聘电工，要求持证上岗，月薪8000，五险一金。电话13912345678", "job"),
        ("关于开展打击假证专项治理的通报", "notice"),
    ],
)
def test_context_is_named(text: str, context: str):
    result = score_text(text)
    assert result.context == context
    assert result.score < LEAD_THRESHOLD


def test_short_term_inside_another_word_does_not_count():
    assert score_text("打包过来的东西收到了").terms("fraud") == ()
    assert score_text("电工证 100%包过").terms("fraud") == ("包过",)


def test_term_inside_a_longer_term_counts_once():
    assert score_text("办证大厅").terms("fraud") == ()
    assert score_text("焊工证不用本人参加考试").terms("negative") == ()


def test_without_sales_phrases_never_a_lead():
    text = "电工证 焊工证 叉车证 安全员证 塔吊证 微信 abc123 电话 13812345678"
    assert score_text(text).score < LEAD_THRESHOLD


def test_huge_text_is_capped_and_fast():
    text = "普通文本。" * (MAX_SCAN_CHARS // 2) + "电工证免考包过官网可查"
    assert score_text(text).score == 0  # the ad lies beyond the scanned part


@pytest.mark.parametrize("garbage", ["", "\x00" * 100, "\ud800\udfff", "“”" * 50, "🔥" * 1000])
def test_garbage_never_raises(garbage: str):
    assert score_text(garbage).score == 0
