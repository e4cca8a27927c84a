"""WeChat accounts imitating the official ones: the official accounts file and its checks, the
pure judge (the official itself, lookalikes, unrelated accounts, an official whose verification
subject is unknown), and how a lookalike_account lead is stored, exported, routed, printed in a
packet, queued over Redis, and kept out of page capture and re-checks."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from keywords.official_accounts import load_official_accounts, read_official_accounts
from leads.feeds.records import decode_record, encode_record
from leads.judge.accounts import AccountObservation, judge_account, shown_address
from leads.judge.observations import QueryOutcome, Sighting
from leads.referral.export import COLUMNS, export_leads
from leads.referral.packets import CATEGORY_NAMES
from leads.referral.plain_reasons import suspicion
from leads.store import Store

OFFICIAL_SUBJECT = "应急管理部干部培训学院"


def card(name: str, *, wechat_id: str = "gjaqsc-cx", verified_by: str = "",
         description: str = "", query: str = "国家安全生产考试") -> AccountObservation:
    return AccountObservation(
        engine="sogou_weixin_account", query=query, serp_page=0, rank=1, name=name,
        wechat_id=wechat_id, open_id="oIWsFt0000", description=description,
        verified_by=verified_by, link="https://weixin.sogou.com/link?url=x",
        card_text=f"{name} 微信号：{wechat_id} 功能介绍：{description}")


# --- the data file ---------------------------------------------------------------------------

def test_official_accounts_name_the_campaigns_channels_and_invent_nothing() -> None:
    accounts = {account.key: account for account in load_official_accounts().accounts}
    assert accounts["mem_exam"].name == "国家安全生产考试"
    assert accounts["mem_exam"].verified_by == OFFICIAL_SUBJECT
    assert accounts["mem_exam"].wechat_id == ""  # no source states it: "unknown" in the file
    assert (accounts["mohurd_platform"].kind, accounts["mohurd_platform"].verified_by) == (
        "小程序", "")


OFFICIAL_FILE = Path(__file__).parents[1] / "keywords" / "official_accounts.toml"


@pytest.mark.parametrize(("old", "new", "message"), [
    ('kind = "公众号"', 'kind = "服务号"', "kind must be one of"),
    (f'verified_by = "{OFFICIAL_SUBJECT}"', 'verified_by = ""', "verified_by is empty"),
    ('named_by = "', 'nmed_by = "', "unknown key 'nmed_by'"),
    ('key = "mem_exam"', 'key = "mohurd_platform"', "duplicate key"),
])
def test_a_bad_entry_fails_loading_with_file_and_entry(tmp_path: Path, old: str, new: str,
                                                       message: str) -> None:
    path = tmp_path / "official_accounts.toml"
    path.write_text(OFFICIAL_FILE.read_text(encoding="utf-8").replace(old, new, 1),
                    encoding="utf-8")
    with pytest.raises(ValueError, match=message) as raised:
        read_official_accounts(path)
    assert "official_accounts.toml: account #" in str(raised.value)


# --- the judge -------------------------------------------------------------------------------

def test_the_official_account_itself_is_never_a_lead() -> None:
    verdict = judge_account(card("国家安全生产考试", wechat_id="", verified_by=OFFICIAL_SUBJECT))
    assert verdict.category == "none" and not verdict.is_lead
    assert verdict.reasons == (f"官方公众号「国家安全生产考试」本身：微信认证主体为「{OFFICIAL_SUBJECT}」",)


def test_same_name_without_verification_is_a_lookalike_with_its_contacts() -> None:
    verdict = judge_account(card("国家安全生产考试",
                                 description="电工证官方查询，全国联网可查。办理咨询微信 aqkscx2024"))
    assert (verdict.category, verdict.target) == ("lookalike_account", "国家安全生产考试")
    assert verdict.is_lead and verdict.contacts == ("wechat:aqkscx2024",)
    assert verdict.agencies == ("公安", "网信")
    assert verdict.reasons[:2] == (
        "名称与官方公众号「国家安全生产考试」（应急管理部公众号）完全相同",
        f"未显示微信认证（官方账号的认证主体为「{OFFICIAL_SUBJECT}」）")
    assert "简介留有联系方式：wechat:aqkscx2024" in verdict.reasons


@pytest.mark.parametrize(("name", "verified_by", "reason"), [
    ("国家安全生产考试查询中心", "", "名称包含官方公众号名称「国家安全生产考试」"),
    ("国家安全生产考试网", "", "名称包含官方公众号名称"),
    ("國家安全生產考試", "", "完全相同"),  # traditional script folds to the same name
    ("国家安全生产考试", "某某信息科技有限公司", "不是官方账号的认证主体「应急管理部干部培训学院」"),
    ("国家安全生产考武", "", "高度相似"),
    ("全国工程质量安全监管信息平台", "", "官方小程序「全国工程质量安全监管信息平台」"),
])
def test_lookalikes(name: str, verified_by: str, reason: str) -> None:
    verdict = judge_account(card(name, verified_by=verified_by))
    assert verdict.category == "lookalike_account", verdict.reasons
    assert any(reason in line for line in verdict.reasons), verdict.reasons


@pytest.mark.parametrize(("name", "verified_by", "description"), [
    ("山东高考指南", "《山东商报》社", "高考志愿填报"),
    ("江苏安全生产宣传", "江苏省安全生产宣传教育中心", "宣传安全生产法律法规"),
    ("电工技术学习园地", "某某教育科技有限公司", "电工证考试题库"),
    # A training school's own verified account uses official words but is not the official's
    ("安全生产考试培训中心", "某某职业培训学校", "安全生产培训报名"),
])
def test_unrelated_and_lawful_accounts_are_not_leads(name: str, verified_by: str,
                                                     description: str) -> None:
    verdict = judge_account(card(name, verified_by=verified_by, description=description))
    assert not verdict.is_lead, verdict.reasons


def test_official_words_alone_and_unverified_are_a_lead() -> None:
    verdict = judge_account(card("安全生产证书查询中心", description="国家安全生产考试证书官方查询"))
    assert verdict.is_lead
    assert verdict.reasons[0].startswith("名称使用官方字眼（安全生产、查询、证书、中心）")
    assert "简介冒用「国家安全生产考试」的名义" in verdict.reasons


def test_a_verified_namesake_of_an_official_with_unknown_subject_is_left_to_the_analyst() -> None:
    verdict = judge_account(card("全国工程质量安全监管信息平台", verified_by="某某建设有限公司"))
    assert not verdict.is_lead and verdict.score == 49
    assert verdict.reasons[-1] == ("已有微信认证（「某某建设有限公司」），官方账号的认证主体未知："
                                   "请人工核对")


def test_an_account_without_wechat_id_is_addressed_by_the_engine_id_else_its_name() -> None:
    assert card("国家安全生产考试").url == "weixin://account/gjaqsc-cx"
    assert card("国家安全生产考试", wechat_id="").url == "weixin://openid/oIWsFt0000"
    nameless = replace(card("国家安全生产考试", wechat_id=""), open_id="")
    assert nameless.url == "weixin://name/%E5%9B%BD%E5%AE%B6%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7%E8%80%83%E8%AF%95"
    assert card("x", wechat_id="a/b?c#d").url == "weixin://account/a%2Fb%3Fc%23d"


# --- store, export, packets, Redis -------------------------------------------------------------

def crawl_cards(store: Store, *cards: AccountObservation) -> int:
    """Store cards the way the crawl does: outcome, sighting, then the judged record."""
    run = store.start_run("crawl test", {})
    for account in cards:
        store.save_record(run, QueryOutcome(account.engine, account.query, 0, "u", "results", 3))
        store.save_record(run, Sighting(account.engine, account.query, 0, account.rank,
                                        account.name, account.description, False, account.link,
                                        account.url))
        account.verdict = judge_account(account)
        store.save_record(run, account)
    return run


def test_a_lookalike_is_stored_as_one_lead_per_account_and_every_card_is_kept(
        store: Store) -> None:
    lookalike = card("国家安全生产考试", description="办理咨询微信 aqkscx2024")
    official = card("国家安全生产考试", wechat_id="", verified_by=OFFICIAL_SUBJECT)
    crawl_cards(store, lookalike, official, replace(lookalike, query="电工证 查询"))
    leads = list(store.leads())
    assert len(leads) == 1
    lead = leads[0]
    assert (lead["url"], lead["host"], lead["category"]) == (
        "weixin://account/gjaqsc-cx", "", "lookalike_account")
    assert (lead["account_name"], lead["wechat_id"], lead["imitated_official"]) == (
        "国家安全生产考试", "gjaqsc-cx", "国家安全生产考试（应急管理部公众号）")
    assert lead["contacts"] == ["wechat:aqkscx2024"] and lead["title"] == "国家安全生产考试"
    assert lead["sources"] == ("sogou_weixin_account:国家安全生产考试;"
                               "sogou_weixin_account:电工证 查询")
    cards = store.account_cards("weixin://account/gjaqsc-cx")
    assert [c["query"] for c in cards] == ["国家安全生产考试", "电工证 查询"]
    assert store.account_cards("weixin://openid/oIWsFt0000")[0]["category"] == "none"
    yields = dict(store.db.execute("SELECT query, new_leads FROM query_yields").fetchall())
    assert yields == {"国家安全生产考试": 1, "电工证 查询": 0}


def test_account_leads_are_not_captured_as_pages_nor_re_fetched(store: Store) -> None:
    crawl_cards(store, card("国家安全生产考试"))
    lead_id = store.lead_id("weixin://account/gjaqsc-cx")
    assert lead_id is not None
    assert store.leads_without_capture(0) == []
    store.db.execute("UPDATE leads SET state = 'referred' WHERE id = ?", [lead_id])
    assert store.leads_to_recheck() == []


def test_export_shows_the_account_its_source_and_the_imitated_official(
        store: Store, tmp_path: Path) -> None:
    crawl_cards(store, card("国家安全生产考试查询", wechat_id="aqsc-zscx"))
    out = tmp_path / "leads.csv"
    assert export_leads(store, out) == 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert COLUMNS[-3:] == ("account_name", "wechat_id", "imitated_official")
    assert (row["url"], row["host"], row["category"]) == (
        "weixin://account/aqsc-zscx", "", "lookalike_account")
    assert row["source"] == "sogou_weixin_account:国家安全生产考试"
    assert (row["account_name"], row["wechat_id"], row["imitated_official"]) == (
        "国家安全生产考试查询", "aqsc-zscx", "国家安全生产考试（应急管理部公众号）")


def test_packets_print_the_account_where_a_url_is() -> None:
    assert shown_address({"url": "weixin://account/aqsc-zscx", "account_name": "国家安全生产考试",
                          "wechat_id": "aqsc-zscx"}) == (
        "微信公众号「国家安全生产考试」（微信号：aqsc-zscx）")
    assert shown_address({"url": "http://x.com/", "account_name": ""}) == "http://x.com/"
    assert CATEGORY_NAMES["lookalike_account"] == "仿冒公众号"
    assert "公众号" in suspicion("lookalike_account")


def test_an_account_record_survives_the_redis_queue() -> None:
    account = card("国家安全生产考试")
    account.verdict = judge_account(account)
    decoded = decode_record(encode_record(account))
    assert decoded == account and decoded.verdict is not None and decoded.verdict.is_lead
