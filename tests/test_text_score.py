"""score_text separates sales ads from texts about fakes, on a labelled set and on edge cases."""

import re
from collections import Counter
from pathlib import Path

import pytest

from leads.judge.batch import judge_text
from leads.judge.text_score import MAX_SCAN_CHARS, score_text
from leads.judge.verdict import LEAD_THRESHOLD, PageFacts, judge_page

LABELLED = Path(__file__).parent / "data" / "labelled_texts.tsv"
EVASION_KINDS = (
    "ev_spacing",
    "ev_banzheng",
    "ev_traditional",
    "ev_fullwidth",
    "ev_contact_alias",
    "ev_emoji_zw",
    "ev_numeral_phone",
    "ev_homophone",
    "ev_pinyin",
)
HARD_NEGATIVE_KINDS = ("news", "notice", "warning", "training", "job", "qa")
ESCAPED_CHARACTER = re.compile(r"\\u([0-9a-fA-F]{4})")


def _labelled() -> list[tuple[int, str, str]]:
    rows = []
    lines = LABELLED.read_text(encoding="utf-8").splitlines()
    data = [line for line in lines if line.strip() and not line.startswith("#")][1:]
    for line in data:
        label, kind, text = line.split("\t")
        text = ESCAPED_CHARACTER.sub(lambda match: chr(int(match.group(1), 16)), text)
        rows.append((int(label), kind, text))
    return rows


def test_labelled_set_is_large_balanced_and_covers_every_evasion_kind():
    rows = _labelled()
    positives = sum(label for label, _, _ in rows)
    kinds = Counter(kind for _, kind, _ in rows)
    assert len(rows) >= 400
    assert 0.45 <= positives / len(rows) <= 0.55
    assert all(kinds[kind] >= 12 for kind in EVASION_KINDS), kinds
    assert all(kinds[kind] >= 15 for kind in HARD_NEGATIVE_KINDS), kinds
    assert len({text for _, _, text in rows}) == len(rows)  # no duplicates
    assert any("\u200b" in text for _, kind, text in rows if kind == "ev_emoji_zw")


def test_precision_and_recall_on_labelled_set():
    true_positive = false_positive = false_negative = 0
    found: Counter[str] = Counter()
    for label, kind, text in _labelled():
        predicted = judge_text(text).is_lead
        found[kind] += predicted == bool(label)
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
    kinds = Counter(kind for _, kind, _ in _labelled())
    print("correct by kind:", ", ".join(f"{k} {found[k]}/{n}" for k, n in sorted(kinds.items())))
    print(f"precision {precision:.3f} recall {recall:.3f} at threshold {LEAD_THRESHOLD}")
    assert precision >= 0.95
    assert recall >= 0.95


def test_a_text_alone_gets_the_verdict_its_page_would_get():
    """score-text and the pipeline judge a text the same way (one code path)."""
    url = "http://www.ordinary-shop.com/item/1.html"
    for _, kind, text in _labelled():
        page = judge_page(PageFacts(url=url, final_url=url, title="", text=text))
        text_verdict = judge_text(text)
        assert (page.category, page.is_lead) == (text_verdict.category, text_verdict.is_lead), (
            kind,
            text,
        )


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


def test_short_terms_skip_jiebas_cut_only_where_it_could_not_split_them():
    """The shortcut in ``_word_edges`` (no dictionary word crosses a short term's edge) keeps
    exactly the short terms a full jieba cut keeps."""
    from keywords import load_library
    from leads.judge.normalize import fold
    from leads.judge.text_matching import short_and_embedded
    from leads.judge.text_score import TextScorer, respell

    shortcut, always_cut = TextScorer(load_library()), TextScorer(load_library())
    always_cut._crossed = lambda *_: True
    texts = [text for _, _, text in _labelled()] + [
        "打包过来的东西", "vx包过123", "包过abc", "qq办证号码", "报名的通知", "考试包过了吗"
    ]
    checked = split = 0
    for text in texts:
        folded = respell(fold(text))
        hits = [h for h in shortcut.outermost_hits(folded) if short_and_embedded(folded, h)]
        kept = shortcut._word_edges(folded, hits)
        reference = always_cut._word_edges(folded, hits)
        for hit in hits:
            expected = {hit.start, hit.end} <= reference
            assert ({hit.start, hit.end} <= kept) == expected, (text, hit)
            checked += 1
            split += not expected
    assert checked > 500 and split > 5  # both outcomes are exercised


def test_term_inside_a_longer_term_counts_once():
    assert score_text("办证大厅").terms("fraud") == ()
    assert score_text("焊工证不用本人参加考试").terms("negative") == ()


@pytest.mark.parametrize(
    "text",
    [
        "电工证 焊工证 叉车证 安全员证 塔吊证 微信 abc123 电话 13812345678",
        "电工证 一三六零九八七四二五三",  # a street sticker, the number read aloud
        "各类证书 加V：zs0825kk",
        "證件 壹叁捌 伍贰柒零 陆肆玖壹",
        "各种证 各种章 毕业 学位 驾驶 13277046582 【撕】【撕】",  # papers listed beside a paper
        "dgz hgz 私我",  # a request to be messaged instead of a number
    ],
)
def test_papers_and_a_contact_alone_are_a_street_ad(text: str):
    result = score_text(text)
    assert result.score >= LEAD_THRESHOLD
    assert "只有证件名称和联系方式的小广告 +25" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "电工证 焊工证 叉车证 培训报名 电话 13812345678",  # a school says what it does
        "招电工 持电工证 13812345678",  # a job post
        "电工证 焊工证 叉车证 安全员证",  # no way to reach anyone
        "电工证 周末门店正常营业 电话 13812345678",  # more than a listing
        "电工 焊工 找活 13812345678",  # trades without a paper: a worker, not a listing
    ],
)
def test_without_sales_phrases_or_a_bare_listing_never_a_lead(text: str):
    assert score_text(text).score < LEAD_THRESHOLD


def test_a_phrase_is_quoted_only_inside_one_quotation():
    """is_inside finds the quotation by bisection (a page of 40,000 quoted 包过 took 77 s when
    every phrase was checked against every quotation); it must still say the same."""
    from leads.judge.text_voice import is_inside, quotation_spans

    spans = quotation_spans("他说“包过”,又说“免考”,还有“官网可查”" * 3)
    assert len(spans) == 9
    for start, end in spans:
        assert is_inside(start, end, spans) and is_inside(start + 1, end - 1, spans)
        assert not is_inside(start - 1, end, spans) and not is_inside(start, end + 1, spans)
    assert not is_inside(0, 1, []) and not is_inside(0, 2, spans)
    quoted = score_text('"包过"' * 40_000)  # every phrase quoted: half points, never a lead
    assert quoted.score < LEAD_THRESHOLD


def test_huge_text_is_capped_and_fast():
    text = "普通文本。" * (MAX_SCAN_CHARS // 2) + "电工证免考包过官网可查"
    assert score_text(text).score == 0  # the ad lies beyond the scanned part


@pytest.mark.parametrize("garbage", ["", "\x00" * 100, "\ud800\udfff", "“”" * 50, "🔥" * 1000])
def test_garbage_never_raises(garbage: str):
    assert score_text(garbage).score == 0


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("本培训机构拒绝一切代考、包过，须本人参加考试", ("代考", "包过")),
        ("登高证没有免考的渠道", ("免考",)),
        ("严禁替考，违者取消成绩", ("替考",)),
        ("全部参加统一考试，不承诺包过，不合格可免费补考一次", ("包过",)),
    ],
)
def test_denied_sales_phrases_do_not_count(text: str, denied: tuple[str, ...]):
    result = score_text(text)
    assert result.terms("fraud") == ()
    assert f"否定说法中的推销用语不计分：{'、'.join(denied)}" in result.reasons


def test_a_denial_in_an_earlier_clause_does_not_reach_the_ad():
    result = score_text("不用担心没有时间，电工证包过，官网可查")
    assert result.terms("fraud") == ("包过", "官网可查")


def test_every_phrase_in_a_quotation_counts_half():
    quoted = score_text("电工证“免考包过”")
    plain = score_text("电工证免考包过")
    assert quoted.signals["fraud_terms"] == plain.signals["fraud_terms"] / 2


def test_phrases_in_a_reporters_sentence_count_half_quoted_or_not():
    """宣称/对方称 make the rest of the sentence reported speech, finished phrases included."""
    reported = score_text("有人宣称电工证免考包过")
    quoted = score_text("有人宣称电工证“免考包过”")
    plain = score_text("电工证免考包过")
    assert reported.signals["fraud_terms"] == quoted.signals["fraud_terms"]
    assert reported.signals["fraud_terms"] == plain.signals["fraud_terms"] / 2


def test_pinyin_initials_inside_a_wechat_id_stay_an_id():
    result = score_text("电工证免考包过，微信 dgz_2024，dgz 官网可查")
    assert "wechat:dgz_2024" in result.contacts
    assert result.terms("certificate") == ("电工证",)


DEV = Path(__file__).parent / "data" / "texts_dev.tsv"
DEV_COLUMNS = ["id", "label", "kind", "evasion", "seen", "text"]
DEV_EVASIONS = {
    "none",
    "homophone",
    "pinyin",
    "emoji",
    "separators",
    "fullwidth",
    "traditional",
    "trad_pinyin",
}


def _dev() -> list[dict[str, str]]:
    lines = [line for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = [line.split("\t") for line in lines if not line.startswith("#")]
    assert data[0] == DEV_COLUMNS
    return [dict(zip(DEV_COLUMNS, row, strict=True)) for row in data[1:]]


def test_dev_set_covers_kinds_evasions_and_hard_negatives():
    rows = _dev()
    assert len(rows) >= 300
    assert len({row["id"] for row in rows}) == len(rows)
    assert {row["evasion"] for row in rows if row["label"] == "1"} == DEV_EVASIONS
    negatives = {row["kind"] for row in rows if row["label"] == "0"}
    assert {"news", "warning", "training", "job", "qa"} <= negatives
    assert any("(zhèng)" in row["text"] for row in rows)


def test_precision_and_recall_on_dev_set():
    """The set the concept grammar was tuned on: a floor against regressions, not a claim of
    how well it generalises (bench/detection_bench.py measures that on the held-out set)."""
    hits = Counter()
    for row in _dev():
        predicted, label = judge_text(row["text"]).is_lead, row["label"] == "1"
        hits[(predicted, label)] += 1
        if predicted != label:
            print(
                f"{'false positive' if predicted else 'false negative'} {row['id']}: {row['text']}"
            )
    assert hits[(True, True)] / (hits[(True, True)] + hits[(True, False)]) >= 0.98
    assert hits[(True, True)] / (hits[(True, True)] + hits[(False, True)]) >= 0.95


@pytest.mark.parametrize(
    "text",
    [
        "交了钱人不用来也能拿证",  # wording from public reports, in no phrase list
        "电工证培训一天就包通过",
        "通过网络能查到证，价格优惠，13412345678",
        "办证 13912345678",  # the classic street ad
        "办证 139****5678",  # ... with the number masked
        "代办证件 13812345678",
        "電工證(zhèng)官網(wǎng)可查(chá)，微信 dg_2024",
        "焊工证我这边能弄，不用你去考，一个月左右给你",
        "考试那边我们有人，你只管交钱，证下来了再付尾款",
    ],
)
def test_seller_wording_in_any_words_is_a_lead(text: str):
    assert judge_text(text).is_lead, score_text(text).reasons


def test_each_concept_counts_once_with_its_best_wording():
    result = score_text("焊工证免考，不用考试，无需考试")
    assert result.concepts["NO_EXAM"] == 25
    assert result.signals["fraud_terms"] == 25
    assert "推销概念：不用考试 +25「免考」" in result.reasons


def test_reasons_name_the_concept_the_frame_and_the_points():
    result = score_text("办证 13912345678")
    assert "推销概念：代办证件 +20「办证」" in result.reasons
    assert "办证/代办证件信息附联系方式 +25" in result.reasons
    assert result.signals["frame.offer_contact"] == 25


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("本市长期办理毕业证、驾驶证、职称，电话13812345678", "other_documents"),
        ("电工证免考包过，官网可查，电话13812345678", "safety"),
        ("电工焊工登高全部免考，电话13812345678", "safety"),  # trades without the card's name
        ("交了钱人不用来也能拿证", ""),  # no paper named: not filtered away as other documents
    ],
)
def test_scope_tells_safety_certificates_from_other_documents(text: str, scope: str):
    result = score_text(text)
    assert judge_text(text).is_lead
    assert result.scope == scope
    assert any("非安全生产类证件" in reason for reason in result.reasons) == (
        scope == "other_documents"
    )


def test_a_reporters_sentence_counts_half():
    claim = "交了钱人不用来也能拿证"
    reported = score_text(f"记者暗访时，对方称{claim}")
    own = score_text(f"记者暗访时。{claim}")  # the claim in a sentence of its own
    assert reported.concepts["NO_PRESENCE"] == own.concepts["NO_PRESENCE"] / 2
    assert not judge_text(f"记者暗访时，对方称{claim}").is_lead


def test_denied_claims_in_any_wording_do_not_count():
    result = score_text("本校不包拿证，须本人参加考试，报名电话13812345678")
    assert "GUARANTEED_PASS" not in result.concepts
    assert "否定说法中的推销用语不计分：包拿证" in result.reasons
    assert not judge_text("本校不包拿证，须本人参加考试，报名电话13812345678").is_lead


def test_a_claim_far_from_any_certificate_makes_no_frame():
    near = score_text("焊工证不用考")
    far = score_text("焊工证，我们这里环境很好，老师也很耐心，学员都说好，不用考")
    assert near.signals.get("frame.claim_of_certificate") == 10
    assert "frame.claim_of_certificate" not in far.signals
    assert near.rules_score - far.rules_score == 10  # the frame's points (a fitted model reweighs)


def test_emoji_contact_labels_count_in_the_score():
    """🐧 and ☎ are labels: the scorer sees the same contacts extract_contacts does."""
    scored = score_text("电工证免考包过 🐧1468203957 ☎87654321")
    assert scored.contacts == ("qq:1468203957", "phone:87654321")


DEV2 = Path(__file__).parent / "data" / "texts_dev2.tsv"


def test_second_dev_set_is_balanced_and_clean():
    """texts_dev2.tsv: seller texts of every kind and evasion in other wording, hard negatives of
    the same kinds. A floor against regressions, like the first dev set."""
    lines = [line for line in DEV2.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = [line.split("\t") for line in lines if not line.startswith("#")]
    assert data[0] == DEV_COLUMNS
    rows = [dict(zip(DEV_COLUMNS, row, strict=True)) for row in data[1:]]
    assert len({row["id"] for row in rows}) == len(rows) >= 300
    assert {row["evasion"] for row in rows if row["label"] == "1"} == DEV_EVASIONS
    hits = Counter()
    for row in rows:
        hits[(judge_text(row["text"]).is_lead, row["label"] == "1")] += 1
    assert hits[(True, True)] / (hits[(True, True)] + hits[(True, False)]) >= 0.99
    assert hits[(True, True)] / (hits[(True, True)] + hits[(False, True)]) >= 0.9


@pytest.mark.parametrize(
    ("text", "respelled"),
    [
        ("焊工症不用烤试", "焊工证不用考试"),  # 症 after a trade, 烤 before 试
        ("可以直接扮下来，布用去考场", "可以直接办下来,不用去考场"),
        ("官网可察，包锅", "官网可查,包过"),
        ("扮正 13912345678", "办证 13912345678"),  # 办 first, then 正 after 办
        ("电工证科茶询", "电工证可查询"),
        ("bu yong kao shi，wang shang ke cha", "不用考试,网上可查"),
        ("dian工证 bao过", "电工证包过"),
        ("办※证，免丨考，电—工—证", "办证,免考,电工证"),  # symbols fold() keeps inside words
        ("电工证 mian3kao3，ke3 cha2，v1", "电工证免考,可查,v1"),  # tone numbers; v1 stays
        # a run that does not decode whole is read in spans: 可以上网查 le
        ("ni de hangong zheng xia lai le, ke yi shang wang cha le", "你的焊工证下来了, 可以上网查了"),
        ("ke yi shang wang cha lo", "可以上网查lo"),  # lo decodes to nothing: it stays
        ("专业为理各类正件", "专业办理各类证件"),  # 为 looks like 办
        ("以此为证，作为证人", "以此为证,作为证人"),  # …but 为证 after 以此/作 stays
        ("高处作叶证 包国", "高处作业证包过"),
        ("特钟设备作亚证 查洵", "特种设备作业证查询"),
        ("我呢度直接出，唔使排队", "我这里直接出,不用排队"),  # Cantonese folds to Mandarin
        # folding made zheng a 证 already: the run before it is read with the card
        ("ban li jia shi zheng bi ye zheng", "办理驾驶证毕业证"),
        ("jian kang zheng dang tian chu", "健康证当天出"),
        ("qing kao sheng dai shen fen zheng", "请考生带身份证"),  # 带, not 代: a notice
        ("包过 gong zheng", "包过gong证"),  # a syllable that spells no card word with 证 stays
        ("课章 公张 发漂张", "刻章公章发票章"),  # the seal-maker's words
        ("学力 职撑 建康证 雪信网", "学历职称健康证学信网"),
        ("同等学力申硕，扫马路，发漂粉", "同等学力申硕,扫马路,发漂粉"),  # real words stay
        ("走内布 夏证 扫马能查 住见 车管所联王", "走内部下证扫码能查住建车管所联网"),
        # annotations go: jyutping with tone digits, pinyin apart, zhuyin; labels in brackets stay
        ("平安卡(kǎ) 唔使(m4 sai2)上堂 搞掂(gaau2 dim6)", "平安卡不用上堂搞定"),
        ("代辦(dài bàn) 電ㄉㄧㄢˋ工證 免ㄇㄧㄢˇ考", "代办电工证免考"),
        ("联系(qq) 电话(tel)", "联系(qq) 电话(tel)"),
        ("焊工怔 官网已经能插了 工地茶不出来 考常有人 私迅", "焊工证官网已经能查了工地查不出来考场有人私信"),
        ("系桶 驾找 身分正 安全原 毕叶证 内不人员 是不是骗纸", "系统驾照身份证安全员毕业证内部人员是不是骗子"),
        ("能插上电 考常识", "能插上电考常识"),  # real words stay
        # a lone syllable between the other characters of a library word is its character
        ("安全yuan证 不用去pei训 复shen 人she网可cha 私liao", "安全员证不用去培训复审人社网可查私聊"),
        ("我们ban公室，pizza很好吃，去ktv", "我们办公室,pizza很好吃,去ktv"),
        ("焊攻正 点攻正 特肿作叶 叉扯 塔掉 登膏 上刚证", "焊工证电工证特种作业叉车塔吊登高上岗证"),
        ("发电公司 攻击成功 一套正装 我扮演 喝茶了一下午", "发电公司攻击成功一套正装我扮演喝茶了一下午"),
        ("3类人猿 不用培巛 建造丝 桉全员 宫网可查 消房证 题检 学伟证 职成", "3类人员不用培训建造师安全员官网可查消防证体检学位证职称"),
        ("免烤芝士蛋糕，都是免烤的", "免烤芝士蛋糕,都是免考的"),  # a recipe stays; a seller's 免烤 is 免考
        ("驾使正佳急 至冷证 压历容器正 熔化汗正 保茬 别费劲烤了", "驾驶证加急制冷证压力容器证熔化焊证保查别费劲考了"),
        ("使用 至今 治理 历史 佳节 仪器正常 气焊正确操作 烤肉", "使用至今治理历史佳节仪器正常气焊正确操作烤肉"),
        ("焊工证低价办里 嘉我薇 办里面 代里头", "焊工证低价办理加我薇办里面代里头"),
        ("高楚作业证 电花:13912345678 卜用考 喂信 官网可擦", "高处作业证电话:13912345678 不用考微信官网可查"),
        ("可擦写 擦得很亮 擦到了 电花火 高楚", "可擦写擦得很亮擦到了电花火高楚"),
        ("花证快 开花证明 送花证", "办证快开花证明送花证"),
        ("毕叶蒸 学信网可叉 另承接可章 嘉V 可以般了 直接伴 糕处 高粗作业 勉理论 架使本 叉不到",
         "毕业证学信网可查另承接刻章加v可以办了直接办高处高处作业免理论驾驶本查不到"),
        ("一般来说 迎接伴娘 直接伴奏 叉车证 文章 章节 高粗糙", "一般来说迎接伴娘直接伴奏叉车证文章章节高粗糙"),
        ("吻客服 寒工证 管网改造", "问客服焊工证管网改造"),
        ("找人半的 找人半了 找人半天", "找人办的找人办了找人半天"),
        ("驾政 汗工 店工 高出作业 靠正 不用靠,考都不用考 官方网站插到",
         "驾证焊工电工高处作业考证不用考,考都不用考官方网站查到"),
        # 驾证 is a driving licence, not 假证; a shop's staff, evidence and a guard rail stay.
        ("驾证 本店工作 招聘店工 靠证据说话 依靠证人 护栏高出作业面 靠都不用靠别人",
         "驾证本店工作招聘店工靠证据说话依靠证人护栏高出作业面靠都不用靠别人"),
        ("刻漳 科章 必业正 学信网可差 能差到 带烤 连系人 特种设倍 维修正 各类正明",
         "刻章刻章毕业证学信网可查能查到带考联系人特种设备维修证各类证明"),
        ("本科章程 学科章节 连系列 能差到哪去 假设被告 修正液 带烤肉 可差遣 维修正在进行",
         "本科章程学科章节连系列能差到哪去假设被告修正液带烤肉可差遣维修正在进行"),
        ("健糠证 不用体捡 身体检查 立体剪纸 身体减肥", "健康证不用体检身体检查立体剪纸身体减肥"),
        ("先茶后付 不用去倒场 不用自己烤,", "先查后付不用去到场不用自己考,"),
        ("先喝茶 倒场地 自己烤肉", "先喝茶倒场地自己烤肉"),
        ("全拌,不靠,一起拌有优惠 勉靠 电化 151", "全办,不考,一起办有优惠免考电话 151"),
        ("完全扮演 一起拌面 全半价 不靠谱 电化学", "完全扮演一起拌面全半价不靠谱电化学"),
        ("必业症 学性网 电公 质冷 过炉 压力溶器 店梯 负则人 补半 当天那 直接那新本 司机正",
         "毕业证学信网电工制冷锅炉压力容器电梯负责人补办当天拿直接拿新本司机证"),
        ("供电公司 商店话费 昨天那本书 过炉温度 品质冷链 信号正常 补半价 学性格 当天那个",
         "供电公司商店话费昨天那本书过炉温度品质冷链信号正常补半价学性格当天那个"),
    ],
)
def test_homophones_and_pinyin_are_respelled_by_their_neighbours(text: str, respelled: str):
    from leads.judge.normalize import fold
    from leads.judge.text_score import respell

    assert respell(fold(text)) == respelled


@pytest.mark.parametrize(
    "text",
    [
        "正规培训，考试正常，一本正经",  # 正 that is no 证
        "这家店很靠谱，如果要买的话一半的钱",  # 靠, 果, 半 in their own words
        "微信 hangong_365，qq dgz_2024",  # pinyin inside an id stays
        "please ban this account",  # English words stay English
        "you can go to the shop and ban the man who wanted to",  # a sentence of English words
    ],
)
def test_respelling_leaves_ordinary_words_alone(text: str):
    from leads.judge.normalize import fold
    from leads.judge.text_score import respell

    assert respell(fold(text)) == fold(text)


def test_emoji_label_inside_a_word_does_not_break_it():
    """📞 stands for a phone label when contacts are read, but 办📞的证 is still 办的证."""
    result = score_text("我👉这里💯办📞的🚀证网上都⭐能查，包✅你用️得放👉心，加v dianhan66")
    assert "OFFER" in result.concepts
    assert judge_text("我👉这里💯办📞的🚀证网上都⭐能查，包✅你用️得放👉心，加v dianhan66").is_lead


def test_firm_offer_with_a_prompt_to_message_is_a_lead():
    result = score_text("同城办证，需要的扣我")
    assert result.signals.get("frame.offer_prompt") == 25
    assert judge_text("同城办证，需要的扣我").is_lead
    assert "frame.offer_prompt" not in score_text("要几本？站内信").signals  # a question


def test_a_school_saying_what_its_card_gives_makes_no_seller_sentence():
    school = "电工证报名啦！应急管理局颁发，全国通用，官网可查，培训周期短，拿证快，咨询13912340002"
    result = score_text(school)
    assert result.context == "training"
    assert "frame.claim_of_certificate" not in result.signals
    assert not judge_text(school).is_lead


@pytest.mark.parametrize(
    "text",
    [
        "兄弟你那个焊工证还要不要，我这边有路子，人不用去，资料发过来半个月到手",
        "别费劲考了，我这边出证，跟你自己考的一模一样，需要的留言",
        "又一批电工证到了 没来考的兄弟们都拿到了，需要的抓紧",
        "培训一天就包通过，拿的证网上查得到",
        "不管谁查都能查到，这是官方系统出的证",
        "答：可以找人代办电工证，bu yong kao，wang shang ke cha",
        "焊工证你就別考了，我幫你辦，網路上查得到",  # Taiwanese 網路
        "搵我辦電工證，唔使考試，一星期出證",  # Cantonese
    ],
)
def test_chat_and_comment_wording_is_a_lead(text: str):
    assert judge_text(text).is_lead, score_text(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        # Lawful texts saying a certificate is verifiable, or quoting a seller's claim
        "叉车证培训，学时满后参加考试，考试通过后证书可在官网查询，报名请联系王老师13700001111",
        "工地招塔吊司机，须有塔吊证，证件需官网可查，薪资面议，电话13600002222",
        "努力了两个月，终于拿到叉车证了，官网一查就有，开心",
        "市应急管理局提醒：近期有不法分子冒充考试中心，以“包过”为名收取费用，请勿上当。",
        # Doubters, holders, schools and employers
        "我朋友说他能帮我弄电工证，不用考，我觉得不靠谱，没理他",
        "【曝光】某中介号称“电工证包过，不用到场，全国可查”，收了钱就跑路，大家别上当",
        "分享一下我考焊工证的经历，培训了半个月，实操考平焊，一次过了，证书官网能查到",
        "招焊工，需有焊工证且官网可查，工资面议，电话13812340000",
        "焊工培训班常年招生，随到随学，学会为止，考试合格当月发证，证书官网可查，咨询13812345678",
    ],
)
def test_lawful_texts_doubters_holders_schools_and_employers_are_not_leads(text: str):
    assert not judge_text(text).is_lead, score_text(text).reasons


# ---- round 3 of issue 10: sound-alike words, promises together, voices --------------------------


@pytest.mark.parametrize(
    ("spelt", "restored"),
    [
        ("汉工证", "焊工证"),  # any character of the same syllable
        ("安泉员证", "安全员证"),
        ("官往可茶", "官网可查"),  # at most half of a word's characters swapped
        ("店垫正", "店垫正"),  # more than half: never made up from sounds alone
        ("登搞正", "登高证"),  # a card's 证 written 正 is every seller's swap: it costs nothing
        ("店公正", "店公正"),  # but two further swaps are still too many
        ("特肿做页", "特种作业"),  # four syllables or more: all but one may be swapped
        ("宝正可查", "保证可查"),
        ("行车正常", "行车正常"),  # a real word that sounds like one (keep)
        ("家政服务", "家政服务"),
        ("补考试题", "补考试题"),  # three-character phrases are not restored from sounds
    ],
)
def test_sound_alike_spellings_of_library_words_are_restored(spelt: str, restored: str):
    from leads.judge.text_sounds import restore_sound_alikes

    assert restore_sound_alikes(spelt) == restored


def test_two_character_sound_alike_words_keep_every_real_word_that_sounds_the_same():
    """A two-character word is restored from sounds only if every real word of jieba's dictionary
    that sounds the same is listed as keep, so 观望 never becomes 官网."""
    import jieba

    from keywords.load import DEFAULT_DIRECTORY, read_tsv
    from keywords.terms import SoundAlikeWord
    from leads.judge.text_sounds import default_sound_folder

    keys = default_sound_folder().keys
    words = read_tsv(DEFAULT_DIRECTORY / "sound_alike_words.tsv", SoundAlikeWord)
    fold_by_key = {w.term.translate(keys): w.term for w in words if w.use == "fold"
                   and len(w.term) == 2}
    kept = {w.term for w in words if w.use == "keep"}
    dictionary = Path(jieba.__file__).parent / "dict.txt"
    words_of_jieba = (line.split(" ", 1)[0] for line in dictionary.open(encoding="utf-8"))
    missing = [
        word for word in words_of_jieba
        if len(word) == 2 and word not in kept
        and fold_by_key.get(word.translate(keys), word) != word
    ]
    assert not missing, missing[:20]


@pytest.mark.parametrize(
    "text",
    [
        "你就当是正常考出来的，谁查都一样，不用你去考",  # two promises only a fake keeps
        "考场那边我们有人，进去以后手机别关，答案会有人给你报",
        "你这个月底就能上岗，证我这边先给你弄好，考不考无所谓",
    ],
)
def test_promises_only_a_fake_keeps_said_together_are_a_lead(text: str):
    result = score_text(text)
    assert "frame.promises_together" in result.signals
    assert judge_text(text).is_lead


@pytest.mark.parametrize(
    "text",
    [
        # quoted or reported: a reporter's or a warning's voice
        "温馨提示：凡称“包过”“免考”“代办”的均不可信",
        "他说能帮我办叉车证不用考，我没敢信，怕是骗子",
        # a school's enrolment words weigh in the text
        "学员只需提供身份证和照片，报名手续我们都安排好了，准时参加考试即可",
    ],
)
def test_promises_in_another_voice_or_beside_a_school_are_no_lead(text: str):
    assert not judge_text(text).is_lead


def test_a_school_waved_aside_by_a_seller_takes_nothing_off():
    seller = "不用去培训学校交那么多钱，我有熟人在发证那边，直接录进系统，懂的私聊"
    school = "请到培训学校报名，考试合格后发证，证书可在官网查询"
    assert score_text(seller).signals["negative_context"] == 0
    assert judge_text(seller).is_lead
    assert score_text(school).signals["negative_context"] < 0
    assert not judge_text(school).is_lead


def test_a_schools_step_said_as_not_needed_takes_nothing_off():
    seller = "登高证过期了不用复审，我们直接给你出新的，网上可查"
    school = "登高证到期前须参加复审，请按时报名"
    assert "复审" not in score_text(seller).terms("negative")
    assert judge_text(seller).is_lead
    assert "复审" in score_text(school).terms("negative")
    assert not judge_text(school).is_lead


@pytest.mark.parametrize(
    "text",
    [
        "招代理：特种作业证、安全员证、特种设备证，货源稳定，利润高，新手可带，vx zs8866a",
        "电工证一千二，高空一千，两个一起办给你算两千，加急的话加五百，v：zs8866a",
        "你的焊工證已經出來了，官網可以查到，尾款轉我",
        "考不过可以走内部，我有关系，电工证焊工证都行，私聊",
    ],
)
def test_agents_bundles_balances_and_connections_are_a_sellers(text: str):
    assert judge_text(text).is_lead


def test_a_wary_buyer_denies_what_sellers_say():
    text = "官网能查才是真的，别信那些免考的"
    assert "NO_EXAM" not in score_text(text).concepts
    assert not judge_text(text).is_lead


def test_an_answer_that_asks_to_be_messaged_is_a_seller_not_an_explainer():
    seller = "最佳答案：考太难就别考了，我这边能帮忙搞定，人不用到场，保证能查，私我"
    explainer = "最佳答案：电工证要到考点报名，参加培训和考试，合格后官网能查"
    assert judge_text(seller).is_lead
    assert not judge_text(explainer).is_lead


@pytest.mark.parametrize(
    "text",
    ["二手房过户，代办房产证，手续齐全，13912349606", "电动车上牌，代办行驶证，13912349612"],
)
def test_an_errand_agency_with_a_phone_is_no_lead(text: str):
    assert not judge_text(text).is_lead


@pytest.mark.parametrize(
    "text",
    ["证件 13912345602", "证 13912348002 微信同号", "电工证 焊工证 叉车证 当天咨询当月拿 18823016679"],
)
def test_a_street_ad_of_cards_and_a_phone_is_a_lead(text: str):
    assert judge_text(text).is_lead


@pytest.mark.parametrize(
    "text",
    [
        "查询地址：www.tzzy-cx.com（全国联网查询中心），本中心办理的电工证焊工证全部可查",
        "已经给您录进去了，您现在打开这个链接 http://czzcx-gov.cn.com/query 输入证号就能看到，确认后把尾款转过来",
        "证书编号和发证机关都是真实的，数据挂在省里的系统上，任何单位核验都能通过",
        "先查后付，您拿到证号去官网验证，信息正确再付款，我们做了这么多年不怕您查",
    ],
)
def test_a_seller_vouching_that_the_card_verifies_is_a_lead(text: str):
    assert judge_text(text).is_lead


def test_a_lookup_address_on_an_official_platform_is_no_sellers():
    official = "查询地址：cx.mem.gov.cn（应急管理部特种作业操作证查询），输入证号和姓名即可"
    fake = "查询地址：cx-mem-gov.cn.com（特种作业操作证查询），输入证号和姓名即可"
    assert "VERIFIABLE_ONLINE" not in score_text(official).concepts
    assert "VERIFIABLE_ONLINE" in score_text(fake).concepts


@pytest.mark.parametrize(
    "text",
    [
        "我这周末去考叉车证，教练说倒车入库那块要多练",  # 入库 of parking, not of a record
        "问：我的电工证怎么在网上查真假？答：打开应急管理部官网，输入证号和姓名就行，查得到就是真的",
        "笑死，这个汗工正，我考了三次才过，哪来的包锅，全靠自己练",  # 哪来的 denies
        "网上有人说不用考试就能办叉车证，是不是骗子？有没有人上过当？",
        "高校学信网提醒：近期有人冒用学信网名义提供“学历可查”服务，学信网从未委托第三方代办学历",
    ],
)
def test_buyers_doubters_and_warnings_in_new_wording_are_no_lead(text: str):
    assert not judge_text(text).is_lead


@pytest.mark.parametrize(
    "text",
    [
        "各位工友：年前最后一批特种证，名额有限，人不用回来，证直接寄工地，电话 (0379)6421 5873",
        "主要负责人和安全管理人员合格证，人员不参加统一考试，信息能在省厅网站上显示。联系张工 0531-88264197",
        "各种证件 质量保证 可上网 先拿后付 1876 4430 921",
        "焊工熔化焊操作证，老师傅不想再去考场折腾的可以联系，结果出来前不用交全款。联系电话 152 7731 0946",
        "客户收到焊工证后扫背面二维码，会跳到我们这边的查询页，跟正规查询一样，工地老板一看就放心。",
        "【特种作业】⚡电工🔥焊工🪜高处 🈚考办理 🛜可查 ☎️15036628471",
        "證書查詢(cháxún)：輸入身分證(shēnfènzhèng)號即可查到您的電銲證 與官網(guānwǎng)同步，包過",
        "年底冲量 叉车正 司炉正 起重机正 统统棉烤 宝正可茶 先般后付",
        "回楼上，证过期了不用回去复审，我这直接给你续上，原号不变，vx zs8899a",
        "电工证焊工证不考可办 电话 一三九 零八八七 五二六一 张",
        "登高证急用？3天出 加q 2871634450",
        "叉车的1800，要加急再加三百，一个礼拜出，V：cc_2024x",
        "毕业证学位证职称证都能办，要的在吧里@我",
        "塔吊证压力容器证直出，电话 幺八五 三九两七 六洞一四",
        "二建的题目考前一晚发你，不准不要钱，扣我 3816620479",
        "中级职称代评，无需论文，评审那边有人",
        "耳机加米粒接收器，考场实测稳定，资格考试都能用，13526071834",
        "查询系统：输入身份证号即可查询，未查到请联系客服补录",
        "登高证 现货 不考 详情看主页",
        "考研政治答案 开考前发 QQ 3920481176",  # the exam is what is sold, next to a contact
        "驾使正 扣分多了重新办一个，不用去车管所",  # 驾使正 sounds like 驾驶证
        "你唔使理啲培訓班，我呢度直接出高處作業證，官方網站查得到",  # Cantonese
        "专业为理各类正件 毕业 驾驶 13528461907",  # 为 looks like 办
        "代考科一科四，价格公道",  # the exam named, no contact
        "会计初级机考远程操控，上机后他们帮你答",
        "执业医师技能考官是我同学，分数他会给够，过了再付",
    ],
)
def test_sellers_in_their_own_words_short_lines_and_evasions_are_leads(text: str):
    """Sellers of the blind rounds (dev6 to dev9): stock phrases avoided, emoji for words,
    annotations, many-character swaps, short replies, renewals, prices in digits, numbers read
    aloud, exam answers and earpieces, titles awarded without a thesis."""
    assert judge_text(text).is_lead


@pytest.mark.parametrize(
    "text",
    [
        "高处作业证培训，理论课三天，实操两天，考试由考试中心统一安排，合格率高，电话15090213326",
        "电子证照上线：特种作业操作证电子证与纸质证书具有同等效力，可在政务APP出示",
        "应急管理厅提示：本厅从未委托任何中介机构代办特种作业操作证，证书查询请以本厅官方网站为准",
        "二手叉车出售：合力3吨叉车，九成新，价格面议，有意者联系13938274105",
        "急聘塔吊司机，持建筑施工特种作业操作资格证，有高层项目经验者优先",
        "公告：以下人员特种作业操作证复审合格，名单见附件，证书有效期延长至2032年",
        "答：特种设备作业人员证到期前要申请复审，在市场监管的网上平台提交材料就行，四年一次",
        "各位乡亲，最近有人挨家收身份证说能办电工证不用考，大家千万别信",
        "“包过”替考团伙被抓 涉电工证考试",
        "有人私信说能办电工证不用考，这种是不是诈骗？",
        "有人話唔使考都可以拎焊工證，係咪呃人㗎？",
        "驾校招生：科目一到科目四一条龙培训，报名电话 一三九 零八八七 五二六一",
        "您报名的二级建造师考试准考证已可打印，请登录官网下载，勿信代考",
        "问：我收到一个广告话可以代办高处作业证，系真定假？答：一定是假，正规要上课考试。",
        "期末考试成绩已录入教务系统，学生可登录查询，如有疑问联系任课老师",
    ],
)
def test_schools_notices_warnings_and_other_trades_in_the_same_words_are_no_lead(text: str):
    """Lawful texts in the sellers' words: schools, renewal notices, warnings, news and other
    trades (a forklift truck for sale, a job post)."""
    assert not judge_text(text).is_lead


def test_a_firm_promise_next_to_a_number_is_a_sellers_line():
    seller = score_text("一建保过，电话 13957028816")
    school = score_text("一建考前培训班，往年一次通过率高，电话 13957028816")
    assert "只有假证才能兑现的承诺附联系方式 +10" in seller.reasons
    assert seller.score >= LEAD_THRESHOLD
    assert not any(reason.startswith("只有假证") for reason in school.reasons)
    assert school.score < LEAD_THRESHOLD


def test_exam_fraud_next_to_a_contact_is_named_as_such():
    result = score_text("考研政治答案 开考前发 QQ 3920481176")
    assert "考试作弊服务附联系方式 +25" in result.reasons
    assert "办证/代办证件信息附联系方式 +25" not in result.reasons


def test_a_denial_does_not_skip_over_the_word_it_denies():
    assert "FAST_ISSUE" in score_text("出叉车证名额 不是培训 直接拿证").concepts
    assert "FAST_ISSUE" not in score_text("我们不是直接拿证的那种").concepts


def test_renewal_words_count_against_a_seller_only_when_someone_must_attend():
    seller = score_text("复审我能搞，人不用回去，把旧证拍给我就行")
    school = score_text("特种作业操作证复审：持证人须本人参加复审培训")
    assert "复审" not in seller.terms("negative")
    assert "复审" in school.terms("negative")


def test_a_page_of_syllables_is_read_word_by_word_within_a_bound():
    """A hostile page of 60,000 syllables is not decoded in spans (that took 10 s); a chat line
    of pinyin still is."""
    from leads.judge.normalize import fold
    from leads.judge.text_respell import respell

    page = "zhong guo ren min " * 15_000
    assert respell(fold(page)) == fold(page)
    assert respell(fold("ke yi shang wang cha le")) == "可以上网查了"
    # the same when the page is cut into many short runs (by the 证 folding made of zheng)
    assert respell(fold("ke yi shang wang cha lo")) == "可以上网查lo"
    assert "可以上网查" not in respell(fold("ke yi shang wang cha lo zheng " * 400))


@pytest.mark.parametrize(
    "text",
    [
        "朋友推荐一个人说焊工证不用考，交钱就发，还能官网查，这人靠得住吗？",
        "刷到一个卖叉车证的，免考包过，是不是被骗了，我已经交了定金",
        "群里有人发广告说电工证当月拿证、全国联网可查，真的假的？",
    ],
)
def test_a_buyer_asking_about_an_offer_is_no_seller(text: str):
    """The offer's words are repeated by someone asking whether it is genuine: reported speech."""
    verdict = judge_text(text)
    assert not verdict.is_lead, verdict.result.reasons
    assert verdict.result.context == "buyer" or any("买家询问" in r for r in verdict.result.reasons)


def test_a_seller_who_asks_the_buyers_question_and_gives_a_number_is_still_a_seller():
    """靠谱吗？in a seller's own post with a phone: the buyer's words are the seller's bait."""
    verdict = judge_text("焊工证靠谱吗？当然靠谱，免考包过官网可查，电话 13912345678")
    assert verdict.is_lead, verdict.result.reasons


def test_a_seller_faq_that_answers_its_own_question_is_no_buyer():
    """Q: 证是真的吗? A: … is a seller's FAQ page: its answers are its own claims."""
    faq = "Q：这证是真的吗？A：和考出来的一模一样，不用到场，官网可查，查不到全额退款。"
    assert judge_text(faq).is_lead
    assert judge_text(faq.replace("A：", "")).result.score < judge_text(faq).result.score


def test_a_refusal_after_the_offer_denies_it():
    """办证的勿扰 turns such people away: the 办证 there sells nothing."""
    refused = judge_text("十年老焊工，只聊技术，私信办证的勿扰")
    assert not refused.is_lead
    assert any("否定说法" in reason and "办证" in reason for reason in refused.result.reasons)
    assert judge_text("十年老焊工，私信办证的找我 13912345678").is_lead


@pytest.mark.parametrize(
    ("faq", "concept"),
    [
        ("问：要本人参加考试吗？答：不用，证直接下来", "NO_EXAM"),
        ("需要本人到场吗？不需要，资料发过来就行", "NO_PRESENCE"),
    ],
)
def test_a_faq_that_answers_no_to_its_own_question_claims_it(faq: str, concept: str):
    assert concept in score_text(faq).concepts


def test_machines_listed_beside_a_card_are_part_of_the_sticker():
    """挖机 装载机 beside 电工证 and a number are the listing, not other words."""
    assert score_text("电工证 挖机 装载机 13912345678").signals.get("frame.bare_listing") == 25


def test_initials_written_with_the_card_are_the_card():
    assert score_text("dg证 hg证 快速出 13912345678").families == ("特种作业",)
    assert score_text("lg证").families == ()  # initials the library does not know stay


# Sellers saying it in words the blind rounds 11-18 brought (texts written here, in the patterns
# the rounds showed), and their neighbours in the same words that must stay quiet.
SELLERS_IN_OTHER_WORDS = [
    "各类证件定制，高仿，按图做 13912345678",  # high-grade copies made from a picture
    "出售驾驶证一本，可以过户名字，懂的来 13912345678",  # the name can be changed
    "考场里都安排好了，下一位学员是谁？私我",  # everything arranged in the exam hall
    "需要安全员证的，VX搜wang66844_8，备注来意",  # whoever needs a card, add…
    "电工焊工登高都做，当天寄出 13912345678",
    "专业带考 考场内部有人 一次过 不过退款 私我",
    "不会考试？没关系，找我直接拿证 13912345678",
    "楼上问安全员的，我们跟发证那边合作好多年了，考试就是个形式，报完名等通知拿证就行。",
    "⚡电工证🈚需📝试 ✅官网可🔎 📞15827739041",  # 📝 is 考, 🔎 is 查
    "实操那关我们这边打过招呼了，你只要人去露个面就行，要不要？私我",
    "压力容器操作证锅炉工证俺这都能整，价钱好说，电话13959455685",  # 俺 is 我; 整 gets it done
    "驾照扣满12分？不用学习 直接消分 或者办个新本 私我 13912345678",
    "又一位客人拿到低压电工证啦 完全没去考 网上一查就有 vx: dg_8899",
    "这事微信上说不方便，加我薇：zy_ban886，电工高处都能拿",
    "要高空作业本的加绿色软件 ab66520",
    "电工证数据全部收录，工地查验请登陆本站，入库咨询微信 cx_2088",  # a fake lookup site
    "有人问哪里办叉车证，回复：我就是做这行的，七八年了，放心",  # the seller answering
    "谢谢老顾客捧场，这周又介绍来三个办焊工证的",  # a seller's testimonial
    "我们几个都是从他家拿的登高证，工地查过没问题",  # shills vouching
    "还在考什么，低压电工证找我",
    "工地老板要整一批焊工证的找俺，量大价优，要整的加俺微信 hg_2277",  # northern dialect
    "各类印章刻制，仿真度百分百，同城当天送 13912345678",  # a seal forger
    "你那个电工证下来了，钢印很清晰，后天顺丰寄你，剩下六百记得转我",  # the seller's chat
    "说句实话我是考试中心里面的，这期焊工考试的卷子我能提前拿到，要的话两千",
    "亲，您的叉车证已制作完毕，请补交尾款300元后我们即刻寄出",
    "接单 三类人员 八大员 中级职称 保证出证，出不来全额退",
    "高处作业证不用进考场，有意者加V：gaochu_88 详聊",
    "👉考不过的来 一次搞定 电工 焊工 13912345678",
    "🔥热销 低压电工证 可查 包邮 下单请备注姓名和身份证号",
    "需要电工证、焊工证、登高证的可以 dd 我",
    "年底了还缺证的兄弟抓紧，汉工证 电公证 登搞证都能整",  # homophones of the trades
    "🔌工证 🧗高处证 直接拿 ☎️13912345678",  # 🔌 stands for 电
    "⚡工📜 🔥工📜 ❌培训 ❌考试 ✅可查 📞13912345678",  # 电工证 焊工证, no training, no exam
    "有需要安全员C证的吗 🙅‍♂️考试 住建网🔎 私我",
    "叉车 🆓考 🆓培训 当月拿 13912345678",
    "公章合同章都能刻，跟原章看不出区别，营业执照也能顺带做，13912345678",
    "需要挖机证装载机证的兄弟别找了，我这全能出，身份证复印件发来就行",  # ends the search
    "我们出的每本证都能在专属查询网站上查到，网址发你，工地核验直接打开",
    "恭喜第二批安全员B证顺利出证 没有一个人去考场 下一批月底截止 需要的抓紧",
    "📢焊工证💯过 👉看我主页",  # 💯过 is 包过
    "兄弟 dian gong zheng yao ma, pian yi gei ni",
    "需要登高证的朋友 嘉我薇 dg_2026",  # 嘉 for 加
    "挂科别灰心，电工的可以找我，不用你再去，到手满意再给钱，主页有联系方式",
    "转让叉车考核名额，本人不用参加，半个月能查到，确认后再付款，私聊",
    "这个页面跟安监的一模一样，出本后把链接发你，电话13912345678",
    "回复楼上：能锅的，我们有内部人员，理论实操全包，你只需要人到场签个字，V芯 zw_9919",
    "我文化低考不过，朋友介绍了个渠道，交了钱二十来天就寄到了，扫码能出信息。需要渠道的楼下留言",
    "我们家做了八年，证都是应急管理局系统里能查到的，先出证后付款，不信可以来试",
    "我这特种作业操作证都是真录入的，不是PS，需要的加VX gz_2288",
    "考证论坛的各位，本人专业替考安全员理论机考，过了再付款。不是骗子，有需要站内留言",  # 不是骗子 vouches
    "俺们这旮瘩叫本本，电工的整一本一千五，不带考的，查得着，私我",
    "低压电工一千二，焊工一千四，都是包含查询的价格，别在帖子里问了，站内信",
    "我们这做了五六年，从来不先收全款，证出来你上网查好了再把剩下的钱转过来，私信我",
    "办/证/刻/章 186/2937/4051",  # slashes in the number
    "电工证 焊工证 花证快 可查 加威信 13912345678",  # 花 for 办
    "驾照扣满分了也能处理，新本直接出，急的话打我电话 一三九 八七六五 四三二一",
    "明天科目一的答案我这边有，考前两小时发，准确率九成以上，需要的加群",
    "刻章 公章 合同章 全套证件，拍下备注需求，当天做好发走",
    "刚帮一个老客户办好起重机Q2证，老板验完直接上岗了，有需要的私我",
    "出一本叉车证，可以帮你改成你自己的名字信息，官网能查，包邮",
    "回复：我们每本证都配查询网站，扫二维码直接跳到查询页，和真的一模一样，网址 zs-cx.cc",
    "急转电工证名额，原价三千现一千五，另可帮忙办理新的，资料全程线上 13912345678",
    "📝考试我们🧑‍🎓替你去，保证💯过，🆔发我就行",
    "手上多一个安全员C证名额，低价转，资料齐就能出证，建委可查，私聊",
    "学了两个月没考过，反倒摸清了门路，现在帮人弄电工证焊工证，应急管理局网上能查，私信",
    "当年没考上，现在专门帮别人过，题库我有，考场也认识人，想省事的联系我，QQ在签名里",
    "楼主直接找人办就行，我认识一个老师很靠谱，他的V是 shen_ls66，就说我介绍的",
    "本查询系统收录全国证书，证书未入库可联系企鹅2847193650办理录入",
    "dg证 hg证 gk作业证 cc证 快速出 v：zheng8832",
    "刻各种章，公司章发票章私章，电话贴这了：13912345678",
    "焊工登高叉车，省心拿本，ＶＸ：ｈｇ７７２０１",
    "职称 学历 各种本，办好再付款，扫我贴的码加微信",
    "驾照扣满了懒得去学的找我，不用你去车管所坐着，照样能开，联系方式在签名档",
    "能做，氩弧焊二保焊都有，不要你去场里，钱到了给你录系统，关网查得到，13912345678",
    "看完视频的兄弟，特种作业证不过也能拿，找我主页的维芯",
    "井下电气、爆破这些特种作业证我这里能搞定，不用去矿务局培训，价格好商量，私信",
    "电工正我是找人半的，没去烤，上个月到手，上网也茬得到，需要的可以问我要渠道",
    "考不过的别折腾了，扣扣2837461902找我，电工焊工高处都能拿现成的",
    "老家来的兄弟们，办上岗那个事情找我，一五八二三六四七九零一，不用再花冤枉钱去培训班",
    "叉车那个你直接打我电话，幺叁玖零捌七六五四贰壹，就说是小李介绍的，不用去现场考",
    "这里不方便说，加我绿泡泡 zb_7788，焊工那个事详聊，你们村好几个都是我这办的",
    "工地上岗 登记即办 二十天可取本 13912345678",
    "特种 zuo ye zheng 快拿 ke cha 13912345678",
    "我帮表哥走了个快速通道，现在电工证在手里，官方平台能查到。有同样困扰的兄弟可以跟帖，我一个个回",
    "驾政 学位政 刻章 135·2846·0917",  # 驾政 is 驾证 (not 假证), a number in middle dots
    "楼上那个要排队上课的太麻烦，我这里店工汗工都能搞，靠都不用靠，要的兄弟留个言",
    "登高 叉车 靠正不用去 一五九 二二八四 六六零三",
    "回复 5楼：不用你去考场，我们这边带烤，过了再给钱，小窗",
    "特种设倍 维修正 全办 质监可茶 加急 135 …… 2744 …… 9031",
    "我去年就是在那位老哥手上办的焊工证，工地扫码没出过问题，他电话一五二·六八四七·三零一九",
    "高处作业证包下，住建网能查，联系 13715820946",
    "健糠证 不体捡 当天拿 微信 jkz_0427",
    "司机朋友们 A2 B2 不去驾校 直接拿本 进系统能查 ✈️ @jzkuai_88",
    "老弟别折腾了 花点小💰 证就到手 比你自己请假考省事多了 ✉️我",
    "以前我们厂缺安全管理人员证，都是找人直接出的，要的兄弟私我",
    "安全员证的事情找我就行，比你自己考省心，🐧 209 337 158",
    "职称 中级 高级 不走评审 直接出证 扣扣 2960417735",
    "塔吊 司索 信号工都能弄，支持先茶后付，留个号我加你",
    "电工证查询入口 查询结果：已登记 可凭此页截图上岗 本站数据与官网实时同步",
    "本系统支持个人新证录入，查不到的联系客服 13627190483",
    "问：学信网上查不到学历怎么办？答：可以帮你注册上网，永久可查，Q 3162049785",
    "驾驶证 科目全免 不用到驾校 三天拿本 电话 13812345678",
    "架子工证 住建可查 13005284716",
    "空调证 制冷工证 办理 15230741986",
    "兄弟们，高处作业证便宜出，一本三百五，要的跟帖",
    "毕业证书 支持定制任意院校年份 钢印齐全 拍下私聊",
    "证书能上网查，我们这边有自己的网站，录入后扫码可查，微信 zs_8812",
    "叉车 登高 焊工 全拌 不靠 官往能岔到 电化 151 3806 4427",
    "我也是买家，在群里找到个靠谱的，证书都是真档案，加他微信 kp_zs0615，说是我介绍的就行",
    "电|工|证 可|查 电|话 1 5 0 | 2 8 4 7 | 6 9 3 1",
    "过炉 压力溶器 店梯 特种设备正 可查 18027761592",  # 设备 before a phone is no 备案号
    "低压电工实操包锅，考点内部安排，报名就能拿正 电化 13027719584",
    "主要负则人 安全管理人原正 快速拿 可插 联系电化 15108832746",
    "回复3楼：主要负责人、安全管理人员的证都能包，带考也可以，私我",
    "回复7楼：焊工本过期了别重新烤了，我这边直接给你续上，系统里能刷出来",
    "回复楼主：那个查询网站是我们自己的，扫码就跳过去，放心用",
    "驾使正不用上驾校，科目一到四全包，拿本走人",
    "起重机械作业考试，考场里有安排，进去不用会，电话 13609875241",
    "我就是在这帖子里找的那位师傅办的焊工证，一次考场都没去，比报班便宜一半",
    "别听他们说难考，其实花点钱就能拿焊工证，我去年给二十多个工友办过",
    "放心，那个查询王址是正规的，我给几百个人办过了，高处证没出过事",
    "恭喜老哥拿到叉车证🪪，从交资料到拿证只用了10天，想要的私我",
]
NEIGHBOURS_OF_SELLERS = [
    "请问我在网上查自己的焊工证查不到，是不是还没录入系统？考完快两个月了",  # a holder asking
    "电工 焊工 158 6230 4471",  # trades and a number: no card, and no price in the phone's digits
    "能不能别再有人加我问焊工证了，我不办证，我是考证培训的学员",  # tired of being asked
    "别私信我了，我这儿不办证",
    "招聘保洁两名，入职需办理健康证，体检费报销，电话13307418592",  # 需办理: a requirement
    "重疾险免体检，投保简单，电话13912345678",  # insurance ads promise no check-up too
    "本套餐不用体检，直接投保",
    "报我们培训班，有老师带着复习，比你自己考省心多了，电话13912345678",  # a school's pitch
    "这次职称评审结果出来了，不走评审流程的都不算数",
    "问：证书多久能在官网查到？答：发证机关上传数据后即可查询，请耐心等待，勿轻信“加急入库”",
    "本校制冷与空调作业培训报名中，考试合格后住建可查，电话 0371-65782233",  # a school
    "闲置电钻便宜出，九成新，自提，电话13512345678",  # second-hand goods
    "考试中心提示：安全员证成绩可在住建厅官网查询，请勿轻信任何代办、包过宣传，咨询电话025-83296154",
    "回复5楼：那刻章的话正规要去哪里？公司刚注册，需要公章和财务章",  # a forum reply, no "reply 5"
    "哈哈哈你这电工证再不考，家里的灯泡都要自己拿证换了",
    "熬了三个月终于拿到安全员证了，住建厅网上能查到名字那一刻太激动了",  # a holder
    "有人加我微信说能办电工证不用考，我多了个心眼去问了，根本没这回事，幸好没转钱",
    "我表哥说有人能办免考的焊工证，我总觉得不对劲，你怎么看",
    "回复@小王：电工证要本人去考场，考试有人脸识别，代考根本不可能",
    "公司给新来的工友都办了社保和工伤保险",
    '有人在考场外面塞卡片说"坐着就能过"，考场有信号屏蔽和全程监控，这种都是骗钱的',
    '有人回帖说"包过 不用考 加薇"，收了钱就把我删了，大家别信',  # a victim quoting the ad
    "食品经营许可证代办，餐饮店开业一条龙服务",  # a lawful agency's one-stop service
    "免手续费代办违章、代办驾驶证过期换证",  # no fee, not "no paperwork"
    "小心：驾照不用考的广告都是骗局，车管所不可能查到",
    "🚫考试作弊入刑🚫 组织作弊 出售答案 代替考试 最高可判七年⚖️",
    "住建部门提示：网上流传的“三类人员证快速办理、不用考试”均不可信。",
    "請問有人試過網上話唔使考就有焊工證嗎？係咪呃人㗎？",  # a Cantonese buyer asking
    "🔥 焊工实操培训 手把手教 考试需自己考 我们只负责教会你",  # a lawful school
    "游戏装备 金币 低价出 包售后 微 yx8821",  # another trade's "sold cheap"
    "提醒：私刻公章属违法行为，网上无需执照就能刻章的都是非法的",
    "快递通知：您的包裹（证书资料）已到达驿站，取件码8-3-2061",  # 包裹 is a parcel, not 包过
    "群里有人发免考办证的广告，管理员赶紧踢了吧",
    "老张说能帮我办证不用考，我感觉是骗子，你觉得呢",
    "男子花3000元买“免考”安全员证，上岗后被查出系伪造",
    "我考的登高证到了 官网能查到 开心",
    "换护照请到出入境大厅办理，咨询电话13912345678",  # a lawful errand at the office
    "问：网上说焊工证花钱不用考就能拿，是真的吗？答：假的，必须考试，别信",  # debunked
    "本校承接特种作业培训，考试由应急管理局组织，证书官网可查，有问题留言",  # a school
    "想考电工证找我们，正规考点报名，理论实操都要考",  # a school's "找我们"
    "考试中心公告：本次考试启用人脸识别，发现替考、作弊的，取消考试资格并记入诚信档案",
    "打印店：各类证书复印、彩印、塑封，电工证焊工证都能过塑，一元一张",  # 过塑 laminates
    "🔥安全员C证考前冲刺班🔥 刷题+模拟 须本人参加考试 📞13912345678",  # a cram class
    "别找那些不用考的，都是假的",  # 别找 before the claim still denies it
    "考🙅试 别作弊 ❌不要找人代考",  # ❌ and 🙅 inside a word or before 不 say nothing new
    "问：焊工证过期了，有人私信说给钱直接续期不用复审，靠谱不？？",  # a buyer asking
    "招塔吊司机，须持住建部门核发的操作资格证书，入职时扫码核验，证件不符一律不录用，电话13912345678",
    "住建厅通知：考核合格后约20个工作日发放电子证书，请考生勿相信任何“不用考试即可入库”的说法",
    "办里面的手续要排队，代里头的人问一下",  # 办里面, 代里头 stay
    "亲身经历：找人办登高证，对方说三周出证能查，结果给了个假查询网址，钱打水漂了，大家别再上当",
    "工地来检查，挨个扫码查电工证，有两个人的证查不出来当场被清退了",  # a fake caught
    "我总结了贴吧里卖证的常见套路，先说不用考，再说官网能查，然后让你先付定金，最后各种理由加钱",
    "考研复试保录班开始报名了，不成功不收费，咨询电话13912345678",  # a cram school's refund
    "看到有人发广告说焊工证可以代报名，这个正规吗？代报名和代办证是一回事吗？",  # a buyer asking
    "招焊工，要证，没证的别来，工资日结，电话13912345678",  # an employer
    "工地上有人拿了个不用考的电工证，被监理一查查不到，当场清退。兄弟们老老实实考吧",
    "【吧务公告】近期吧内出现大量“免考办证”“官网可查”类广告帖，一经发现立即删帖封号，请直接举报",
    "装修公司：全包半包，免费上门量房，不满意不收费，咨询13912345678",  # another trade's promise
    "今天车窗上又被插了张卡片，写着不考试拿叉车证，顺手扔垃圾桶了，这种真有人打吗",  # retold
    "船厂招熟练电焊工，要求有焊工证（网上能查的），日结，联系13912345678",
    "叉车证我是在市特检院考的，理论加实操，考完二十天左右出证，公示平台能查到",
    "某市住建局：查出一批假安全员C证，持证人称是在网上找人代办的，已全部列入黑名单",
    "安全员ABC证考前辅导班，本机构只负责培训，不承诺包过，报名电话13912345678",  # a school
    "工地上有人推荐我找熟人办安全员C证，说不用考也能拿，这样违法吗？被查到会怎么样？",
    "最近很多人用“办正”“电功证”这种写法躲审核，大家见到直接举报，别加微信",
    "免费培训！人社局补贴项目，焊工电工初级工免学费，需本人全程参训并通过考核",
    "本店专业办理营业执照、代理记帐、商标注册，正规公司，联系电话13912345678",
    "明天我去安监局办事，顺路帮你把高处的复审材料交了，记得把身份证复印件发我微信",
    "证件照 拍摄 立等可取 13912345678",  # a photo studio
    "楼主那个办证的帖子我已经删了，大家莫信那些不用考就能拿证的，好好学就过了",  # 莫信 denies
    "街边又贴满了办证的牛皮癣，电工证焊工证啥都有，物业说明天统一清理，别打上面的电话",
    "本期电工作业考试成绩已公布，可登录特种作业操作证查询系统查询，咨询电话：0371-65289102",
    "刻章店：公章、财务章、合同章备案刻制，需营业执照原件及法人身份证，公安系统可查，13912345678",
    "网上一搜全是说不用考包过的，我想正规考，不想买证",  # a buyer
    "有人加我说能不用考试直接拿焊工证，这不是骗子吗？我没理他",  # 不是骗子吗 asks
]


@pytest.mark.parametrize(
    ("text", "is_lead"),
    [(text, True) for text in SELLERS_IN_OTHER_WORDS]
    + [(text, False) for text in NEIGHBOURS_OF_SELLERS],
)
def test_sellers_in_other_words_and_their_neighbours(text: str, is_lead: bool):
    verdict = judge_text(text)
    assert verdict.is_lead == is_lead, verdict.result.reasons


def test_a_verb_asked_both_ways_is_a_question():
    """还用不用去考点 asks; 全国通用，不用考 promises."""
    assert not judge_text("想问问焊工证复审现在还用不用去考点，我那个明年到期").is_lead
    assert "NO_EXAM" in score_text("特种作业证 全国通用 不用考 可以查").concepts
