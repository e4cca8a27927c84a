"""Seller networks as pure functions (leads/networks/): which shared values join two leads, which
never do (masked numbers, inferred ids, an official hotline, an official emblem, a blank image, a
stock logo), transitive joins, page templates measured on the demo web's own seller pages, the
rule that keeps a network's number, and the 串案 paragraph of a referral letter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leads.judge.contacts import extract_contacts
from leads.networks import (
    LeadTraits,
    PublicTraits,
    carried_numbers,
    case_paragraph,
    group_networks,
    shared_contacts,
    shared_logos,
)
from leads.networks.templates import MIN_SHINGLES, TEMPLATE_THRESHOLD, shingles, similar_pairs
from leads.networks.traits import MAX_LOGO_SITES

SITES = Path(__file__).resolve().parent.parent / "crawler" / "demoweb" / "sites"
LOGO = "f7818185a981e7ff"  # a seller's own mark (34 bits set)
OFFICIAL_LOGO = "e781813c188181e7"  # cx.mem.gov.cn's emblem in the demo web


def page_text(host: str) -> str:
    html = (SITES / host / "index.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", " ", re.sub(r"<head>.*</head>", " ", html, flags=re.S))


def lead(lead_id: int, host: str, *contacts: str, logos: tuple[str, ...] = (), text: str = "",
         public: PublicTraits | None = None) -> LeadTraits:
    """A lead as the store builds it: its contacts and logos through the same filters."""
    public = public or PublicTraits()
    return LeadTraits(lead_id, host, f"2026-12-0{1 + lead_id % 9}T00:00:00+00:00",
                      "2026-12-10T00:00:00+00:00",
                      (*shared_contacts(contacts, public.contacts),
                       *shared_logos(logos, public.logos)), text)


@pytest.mark.parametrize(("contact", "reason"), [
    ("phone:13812345678", "共用电话 13812345678"),
    ("wechat:zsbl_8866", "共用微信 zsbl_8866"),
    ("qq:2837451960", "共用QQ 2837451960"),
    ("email:banzheng2024@163.com", "共用邮箱 banzheng2024@163.com"),
])
def test_a_shared_contact_joins_two_sites_and_says_so(contact: str, reason: str) -> None:
    [network] = group_networks([lead(1, "a.example.com", contact, "qq:11111111"),
                                lead(2, "b.example.net", contact, "qq:22222222")])
    assert network.lead_ids == (1, 2) and network.hosts == ("a.example.com", "b.example.net")
    [link] = network.links
    assert (link.lead_id, link.other_lead_id, link.reason, link.strength) == (1, 2, reason, 1.0)
    assert network.label == f"{reason} · 2 个网站"


def test_a_number_is_one_value_whatever_its_label() -> None:
    """138… as a phone on one site and as the WeChat (微信同号) on another: one seller."""
    [network] = group_networks([lead(1, "a.example.com", "phone:13812345678"),
                                lead(2, "b.example.com", "wechat:13812345678")])
    assert [link.reason for link in network.links] == ["共用电话 13812345678"]


def test_joins_are_transitive() -> None:
    """A and B share a phone, B and C a WeChat id, C and D an e-mail: one network of four."""
    leads = [lead(1, "a.com", "phone:13812345678"),
             lead(2, "b.com", "phone:13812345678", "wechat:seller_01"),
             lead(3, "c.com", "wechat:seller_01", "email:x2024@qq.com"),
             lead(4, "d.com", "email:x2024@qq.com"), lead(5, "e.com", "phone:13999999998")]
    [network] = group_networks(leads)
    assert network.lead_ids == (1, 2, 3, 4) and len(network.links) == 3
    assert set(network.reasons) == {"共用电话 13812345678", "共用微信 seller_01",
                                    "共用邮箱 x2024@qq.com"}


def test_a_value_on_many_sites_links_each_to_the_first() -> None:
    leads = [lead(i, f"s{i}.example.com", "qq:2837451960") for i in range(1, 6)]
    [network] = group_networks(leads)
    assert [(link.lead_id, link.other_lead_id) for link in network.links] == [
        (1, 2), (1, 3), (1, 4), (1, 5)]
    assert network.reasons == ("共用QQ 2837451960",)


def test_masked_numbers_and_inferred_ids_never_join() -> None:
    """What the extractor writes for 138****5678 and a bare id: kinds that never join."""
    text = "联系电话 138****5678，加 zhengshu8866"
    contacts = extract_contacts(text)
    assert "phone_masked:138****5678" in contacts and "wechat_bare:zhengshu8866" in contacts
    assert group_networks([lead(1, "a.com", *contacts), lead(2, "b.com", *contacts)]) == []


def test_an_official_hotline_never_joins_under_any_label() -> None:
    """A number an official platform's page shows is public: every copy of the page repeats it."""
    official = extract_contacts("技术支持电话：010-64463366")
    assert official == ["phone:01064463366"]
    public = PublicTraits(contacts=frozenset(official))
    leads = [lead(1, "a.com", "phone:01064463366", public=public),
             lead(2, "b.com", "phone:01064463366", public=public),
             lead(3, "c.com", "qq:01064463366", public=public)]
    assert group_networks(leads, public) == []
    assert group_networks([lead(1, "a.com", "phone:01064463366"),
                           lead(2, "b.com", "phone:01064463366")]) != []  # not public: joins


def test_leads_of_one_host_are_one_site_not_a_network() -> None:
    assert group_networks([lead(1, "a.com", "phone:13812345678"),
                           lead(2, "a.com", "phone:13812345678")]) == []
    [network] = group_networks([lead(1, "a.com", "phone:13812345678"),
                                lead(2, "a.com", "phone:13812345678"),
                                lead(3, "b.com", "phone:13812345678")])
    assert network.lead_ids == (1, 2, 3) and network.hosts == ("a.com", "b.com")


def test_a_shared_logo_joins_but_not_an_official_blank_or_stock_one() -> None:
    [network] = group_networks([lead(1, "a.com", logos=(LOGO,)), lead(2, "b.com", logos=(LOGO,))])
    assert network.reasons == (f"共用标识图片（图像指纹 {LOGO}）",)
    official = PublicTraits(logos=frozenset({int(OFFICIAL_LOGO, 16)}))
    rescaled = f"{int(OFFICIAL_LOGO, 16) ^ 0b101:016x}"  # two bits off: still the emblem
    assert shared_logos([OFFICIAL_LOGO, rescaled], official.logos) == []
    assert shared_logos(["0000000000000000", "ffffffffffffff7f", "not-a-hash", "abc"], []) == []
    stock = [lead(i, f"s{i}.com", logos=(LOGO,)) for i in range(MAX_LOGO_SITES + 1)]
    assert group_networks(stock) == []
    assert len(group_networks(stock[:MAX_LOGO_SITES])[0].hosts) == MAX_LOGO_SITES


def test_a_rebranded_page_is_one_template_and_another_sellers_page_is_not() -> None:
    """The demo web's seller pages: www.chache-nazheng.cc is www.tezhongshebei-ban.top with its
    name and contacts changed; www.huaan-zhiye.com is another seller's page in the same trade."""
    original, copy, other = (page_text(host) for host in (
        "www.tezhongshebei-ban.top", "www.chache-nazheng.cc", "www.huaan-zhiye.com"))
    a, b, c = shingles(original), shingles(copy), shingles(other)
    assert len(a & b) / len(a | b) >= 0.85 and len(a & c) / len(a | c) < 0.5
    [(i, j, similarity)] = similar_pairs([original, copy, other])
    assert (i, j) == (0, 1) and TEMPLATE_THRESHOLD <= similarity <= 1.0
    [network] = group_networks([lead(7, "www.tezhongshebei-ban.top", text=original),
                                lead(9, "www.chache-nazheng.cc", text=copy),
                                lead(8, "www.huaan-zhiye.com", text=other)])
    assert network.lead_ids == (7, 9)
    [link] = network.links
    assert link.kind == "template" and link.reason == f"页面模板相似 {similarity:.2f}"


def test_digits_and_punctuation_do_not_make_another_template() -> None:
    text = page_text("www.tezhongshebei-ban.top")
    assert shingles(text) == shingles(re.sub(r"\d", "7", text).replace("，", " "))


def test_copies_of_an_official_page_and_short_pages_link_nobody() -> None:
    official = page_text("www.tezhongshebei-ban.top")  # as if the government had written it
    copies = [lead(1, "a.com", text=official), lead(2, "b.com", text=official + " 仿冒")]
    assert len(group_networks(copies)) == 1
    assert group_networks(copies, PublicTraits(texts=(official,))) == []
    short = "电工证 免考 包过 7天拿证 官网可查 电话联系"
    assert len(shingles(short)) < MIN_SHINGLES
    assert group_networks([lead(1, "a.com", text=short), lead(2, "b.com", text=short)]) == []


def test_a_template_cluster_keeps_a_spanning_forest() -> None:
    text = page_text("www.tezhongshebei-ban.top")
    leads = [lead(i, f"s{i}.com", text=text.replace("捷达", f"品牌{i}")) for i in range(1, 6)]
    [network] = group_networks(leads)
    assert network.lead_ids == (1, 2, 3, 4, 5) and len(network.links) == 4
    copies = [lead(i, f"c{i}.com", text=text) for i in range(1, 61)]  # one page, 60 hosts
    assert len(similar_pairs([c.text for c in copies])) == 59  # each to the first, not 1,770
    [network] = group_networks(copies)
    assert len(network.hosts) == 60 and {link.strength for link in network.links} == {1.0}


def test_network_numbers_survive_growth_merge_and_split() -> None:
    stored = {3: frozenset({1, 2}), 5: frozenset({10, 11, 12}), 8: frozenset({20, 21})}
    found = [frozenset({1, 2, 4}),  # grew: keeps 3
             frozenset({10, 11, 20, 21}),  # 5 and 8 merged; tie 2–2 goes to the older 5
             frozenset({12, 30}),  # the rest of 5, now taken: a new number
             frozenset({40, 41})]  # new
    assert carried_numbers(stored, found) == [3, 5, None, None]
    split = [frozenset({10}), frozenset({11, 12})]  # 5 split: the larger part keeps it
    assert carried_numbers(stored, split) == [None, 5]


def test_the_case_paragraph_names_the_sites_and_what_they_share() -> None:
    network = {"id": 4, "sites": ["a.com", "b.com", "c.com"], "lead_count": 4, "links": [
        {"kind": "phone", "value": "15918736620", "strength": 1.0},
        {"kind": "phone", "value": "15918736620", "strength": 1.0},
        {"kind": "template", "value": "0.86", "strength": 0.86},
        {"kind": "logo", "value": LOGO, "strength": 1.0}]}
    text = case_paragraph(network, in_packet=3)
    assert "3个网站（a.com、b.com、c.com）" in text and "共用电话 15918736620" in text
    assert text.count("15918736620") == 1 and "相似度最高 0.86" in text
    assert "串案" in text and "网络4" in text and "另有1条线索" in text
    assert "另有" not in case_paragraph(network, in_packet=4)
