"""judge_page on whole pages: fake ads and lookalikes lead; official, news, training and jobs do not."""

from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest

from leads.judge.text_score import score_text
from leads.judge.verdict import (
    LAWFUL_LOOKING_CONTEXTS,
    LEAD_THRESHOLD,
    PageFacts,
    Verdict,
    context_cap,
    fake_only_claims,
    judge_page,
)

PAGES = Path(__file__).parent / "data" / "pages"


def _facts(page: str, url: str, **extra: object) -> PageFacts:
    """PageFacts as the pipeline builds them: visible text without scripts and styles."""
    html = (PAGES / page).read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    for element in tree.xpath("//script|//style"):
        element.drop_tree()
    title = tree.findtext(".//title") or ""
    text = " ".join(tree.find("body").itertext())
    return _page(url, title, text, html=html, **extra)


def _page(url: str, title: str = "", text: str = "", **extra: object) -> PageFacts:
    """PageFacts of a page fetched at ``url`` without a redirect."""
    return PageFacts(url=url, final_url=url, title=title, text=text, **extra)  # type: ignore[arg-type]


def test_fake_ad_page():
    verdict = judge_page(_facts("fake_ad.html", "http://www.huaan-zhengshu.cn/dgz.html"))
    assert verdict.category == "fake_ad"
    assert verdict.is_lead
    assert verdict.score >= 80
    assert verdict.target == ""
    assert verdict.contacts == (
        "phone:13812345678",
        "wechat:13812345678",  # 微信同号
        "wechat:zheng_ban88",
        "qq:2938475610",
    )
    assert verdict.agencies == ("公安", "网信")
    assert any(
        reason.startswith("页面含办证推销用语：") and "免考" in reason for reason in verdict.reasons
    )
    assert verdict.signals["text"] >= 80


def test_fake_ad_on_marketplace_also_goes_to_market_regulation():
    verdict = judge_page(_facts("fake_ad.html", "https://xm.58.com/zhengshu/123.shtml"))
    assert verdict.category == "fake_ad"
    assert verdict.agencies == ("公安", "网信", "市场监管")


def test_lookalike_query_page_on_unrelated_domain():
    verdict = judge_page(_facts("lookalike_query.html", "https://zscx-center.com/"))
    assert verdict.category == "lookalike_site"
    assert verdict.target == "cx.mem.gov.cn"
    assert verdict.is_lead
    assert verdict.agencies == ("公安", "网信")
    assert any(reason.startswith("页面仿冒 cx.mem.gov.cn") for reason in verdict.reasons)
    assert verdict.signals["page"] >= LEAD_THRESHOLD


def test_lookalike_domain_alone_is_a_lead_with_domain_reason():
    verdict = judge_page(_page("http://cx.mem.gov.cn.cert-check.top/"))
    assert verdict.category == "lookalike_site"
    assert verdict.target == "cx.mem.gov.cn"
    assert "域名仿冒 cx.mem.gov.cn（嵌入官方域名" in verdict.reasons[0]


def test_special_equipment_lookalike_routes_to_market_regulation():
    verdict = judge_page(_page("http://cnse-e-cqs.top/"))
    assert verdict.target == "cnse.e-cqs.cn"
    assert verdict.agencies == ("公安", "网信", "市场监管")


def test_official_page_is_never_a_lead():
    verdict = judge_page(_facts("official_home.html", "https://cx.mem.gov.cn/"))
    assert verdict.category == "none"
    assert not verdict.is_lead
    assert "官方查询平台" in verdict.reasons[0]


def test_redirect_to_a_lookalike_is_judged_on_the_final_url():
    facts = _facts("lookalike_query.html", "https://cx.mem.gov.cn/")
    moved = PageFacts(**{**facts.__dict__, "final_url": "https://cx-rnem.com/special"})
    assert judge_page(moved).category == "lookalike_site"


def test_any_gov_cn_host_is_never_a_lead():
    verdict = judge_page(_facts("fake_ad.html", "http://yjglj.example.gov.cn/notice/1.html"))
    assert verdict.category == "none"
    assert "gov.cn" in verdict.reasons[0]


def test_crackdown_news_page_is_not_a_lead():
    verdict = judge_page(
        _facts("crackdown_news.html", "https://news.example-daily.com.cn/2024/0601/a.html")
    )
    assert verdict.category == "none"
    assert verdict.score == 0
    assert "谈论假证而非出售" in verdict.reasons[0]


def test_training_school_is_not_a_lead():
    verdict = judge_page(_facts("training_school.html", "http://www.xm-jineng.com/zhaosheng.html"))
    assert verdict.category == "none"
    assert verdict.score < LEAD_THRESHOLD


def test_job_post_is_not_a_lead():
    verdict = judge_page(_facts("job_post.html", "https://xm.58.com/job/456.shtml"))
    assert verdict.category == "none"
    assert verdict.agencies == ()
    assert verdict.contacts == ("phone:13912345678",)  # facts kept, even on a non-lead


def test_selling_page_with_a_weakly_similar_domain_is_a_fake_ad():
    verdict = judge_page(_facts("fake_ad.html", "http://www.yingji-zhengshu.com/"))
    assert verdict.category == "fake_ad"
    assert 0 < verdict.signals["domain"] < LEAD_THRESHOLD


def test_tls_problems_alone_never_make_a_lead():
    tls_problems = ("self_signed", "expired", "hostname_mismatch")
    verdict = judge_page(_page("https://plain-shop.com/", "五金店", "电工工具出售", tls_problems=tls_problems))
    assert not verdict.is_lead
    assert verdict.signals["tls"] > 0


def test_serp_text_counts_but_less_than_page_text():
    ad = "电工证免考包过，官网可查，微信 dgz_2024"
    on_page = judge_page(_page("http://a.com/", text=ad))
    in_snippet = judge_page(_page("http://a.com/", serp_text=ad))
    assert on_page.is_lead
    assert 0 < in_snippet.signals["serp"] < on_page.signals["text"]
    assert not in_snippet.is_lead


def test_huge_page_is_handled():
    text = "电工证免考包过 微信 dgz_2024 " + "填充文字。" * 400_000
    facts = _page("http://big.com/", "电工证免考包过", text, html="<p>" * 100_000)
    assert judge_page(facts).category == "fake_ad"


@pytest.mark.parametrize(
    "facts",
    [
        PageFacts(url="", final_url="", title="", text=""),
        PageFacts(
            url="not a url", final_url="http://[bad", title="\x00", text="\ud800", html="<<<>>>"
        ),
        PageFacts(
            url="http://1.2.3.4/", final_url="http://1.2.3.4/", title="🔥" * 100, text="“" * 1000
        ),
    ],
)
def test_garbage_never_raises(facts: PageFacts):
    verdict = judge_page(facts)
    assert isinstance(verdict, Verdict)
    assert verdict.category == "none"


# --- context caps a page's sales score (issue 10) ---------------------------------------------

DEMO_SITES = Path(__file__).parent.parent / "crawler" / "demoweb" / "sites"


@pytest.mark.parametrize(
    ("path", "url"),
    [
        (PAGES / "school_quotes_sellers.html", "http://www.dongcheng-jx.com/"),
        (DEMO_SITES / "www.zhongan-jixiao.com" / "index.html", "http://www.zhongan-jixiao.com/"),
    ],
)
def test_a_school_quoting_sellers_to_warn_is_not_a_seller(path: Path, url: str):
    html = path.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    title, text = tree.findtext(".//title") or "", " ".join(tree.find("body").itertext())
    facts = _page(url, title, text, html=html)
    verdict = judge_page(facts)
    assert not verdict.is_lead, verdict.reasons
    assert verdict.contacts  # the school's own phone is kept as a fact


def test_a_seller_dressed_as_a_training_centre_is_still_a_lead():
    verdict = judge_page(_facts("seller_as_training.html", "http://www.xinda-px.com/"))
    assert verdict.category == "fake_ad" and verdict.is_lead
    assert "phone:13823957716" in verdict.contacts
    assert any(reason.startswith("虽有正规培训语境") for reason in verdict.reasons)


def test_a_qa_answer_that_sells_in_its_own_voice_is_a_lead():
    text = "网友提问：电工证怎么办？最佳答案：找我们，不用考试，不用本人到场，包过，微信 dgz_2024"
    verdict = judge_page(_page("http://a.com/", text=text))
    assert score_text(text).context == "qa"
    assert verdict.category == "fake_ad"


OWN_VOICE = "电工证培训：不用考试，不用本人到场，包过，先拿证后付款。微信 dgz_2024 报名条件：年满18周岁"
QUOTED = "电工证培训报名条件：年满18周岁。网上“免考”“包过”“不用本人到场”的说法不可信。电话 13812345678"


@pytest.mark.parametrize("context", LAWFUL_LOOKING_CONTEXTS)
def test_context_cap_in_a_lawful_looking_context(context: str):
    quoted = replace(score_text(QUOTED), context=context)
    capped, reason = context_cap(quoted, 80.0)
    assert capped == LEAD_THRESHOLD - 1 and "推销得分封顶" in reason
    assert fake_only_claims(quoted) == ()
    own = replace(score_text(OWN_VOICE), context=context)
    assert {"不用考试", "不用本人到场"} <= set(fake_only_claims(own))
    sales, reason = context_cap(own, 80.0)
    assert sales == 80.0 and reason.startswith("虽有")


def test_context_cap_leaves_other_pages_alone():
    own = score_text(OWN_VOICE)
    for context in ("", "news", "warning"):
        assert context_cap(replace(own, context=context), 80.0) == (80.0, "")
    assert context_cap(replace(own, context="training"), 30.0) == (30.0, "")  # no lead anyway
    no_contact = replace(own, context="training", contacts=())
    assert fake_only_claims(no_contact) == ()
    assert context_cap(no_contact, 80.0)[0] == LEAD_THRESHOLD - 1


def test_a_site_that_names_itself_as_news_baike_or_school_caps_sales_like_a_context():
    """A news site's headline "…证可在…平台查验真伪" is not an offer, whatever the snippet adds."""
    quoted = score_text(QUOTED)
    for context in ("", *LAWFUL_LOOKING_CONTEXTS):
        capped, _ = context_cap(replace(quoted, context=context), 80.0, venue="安全时报网")
        assert capped == LEAD_THRESHOLD - 1
    assert context_cap(replace(quoted, context=""), 80.0, venue="安全时报网")[1].startswith(
        "页面标题自称“安全时报网”")
    own = replace(score_text(OWN_VOICE), context="")
    assert context_cap(own, 80.0, venue="金牌职业技能培训中心")[0] == 80.0


def test_a_news_sites_front_page_with_a_verification_headline_is_not_a_lead():
    path = DEMO_SITES / "www.anquan-shibao.com" / "index.html"
    html = path.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    title, text = tree.findtext(".//title") or "", " ".join(tree.find("body").itertext())
    url = "https://www.anquan-shibao.com/"
    verdict = judge_page(_page(url, title, text, html=html, serp_text=f"{title} {text}"))
    assert not verdict.is_lead, verdict.reasons
    assert not any(reason.startswith("页面仿冒") for reason in verdict.reasons)


def test_a_capped_page_stays_below_the_threshold_with_certificate_problems():
    facts = _facts("school_quotes_sellers.html", "https://www.dongcheng-jx.com/")
    troubled = replace(facts, tls_problems=("self_signed", "expired"))
    verdict = judge_page(troubled)
    assert not verdict.is_lead and verdict.signals["tls"] > 0
    assert verdict.score < LEAD_THRESHOLD


def test_filing_numbers_are_recorded_and_weigh_nothing():
    """A page's ICP and 公安备案 numbers are signals of its verdict (1.0: the format check
    passes), never points: a news site's real footer neither makes nor lifts a lead."""
    text = "电工证 免考 包过 微信 abc12345"
    footer = "版权所有 粤ICP备2021012345号-1 粤公网安备44030502001234号"
    plain = judge_page(_page("http://ban-zheng.example.com/", "电工证", text))
    numbered = judge_page(_page("http://ban-zheng.example.com/", "电工证", f"{text}\n{footer}"))
    assert numbered.signals["identifier:粤ICP备2021012345号-1"] == 1.0
    assert numbered.signals["identifier:粤公网安备44030502001234号"] == 1.0
    assert (numbered.category, numbered.score) == (plain.category, plain.score)
    news = judge_page(_page("http://www.anquan-shibao.com/news/1.html", "安全时报网",
                            "应急管理部提醒：查询证书请到官方平台。\n" + footer))
    assert not news.is_lead and "identifier:粤ICP备2021012345号-1" in news.signals
