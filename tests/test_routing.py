"""Routing rules (keywords/routing.toml): the issue's lead kinds go to the right agencies."""

from __future__ import annotations

import pytest

from keywords import load_library
from leads.judge.domains import host_parts
from leads.judge.verdict import route

PHONE = ("phone:13812345678",)


@pytest.mark.parametrize(("category", "contacts", "url", "target", "agencies"), [
    # lookalike government sites → 公安 and 网信
    ("lookalike_site", (), "http://cx-mem-gov.top/", "cx.mem.gov.cn", ("公安", "网信")),
    # seller contacts → 公安 (an ad on the open web is also removed by 网信)
    ("fake_ad", PHONE, "http://banzheng.example.com/", "", ("公安", "网信")),
    ("fake_ad", (), "http://banzheng.example.com/", "", ("网信",)),
    ("fake_ad", ("wechat:zb88",), "http://banzheng.example.com/", "", ("公安", "网信")),
    # posts on marketplaces and classified platforms → 市场监管 and 网信
    ("fake_ad", (), "https://bj.58.com/zhengshu/1.shtml", "", ("网信", "市场监管")),
    ("fake_ad", PHONE, "https://item.taobao.com/item.htm?id=1", "", ("公安", "网信", "市场监管")),
    # the special-equipment platform's owner is told too
    ("lookalike_site", (), "http://cnse-ecqs.top/", "cnse.e-cqs.cn", ("公安", "网信", "市场监管")),
    ("none", PHONE, "http://news.example.com/", "", ()),
])
def test_lead_kinds_route_to_agencies(category: str, contacts: tuple[str, ...], url: str,
                                      target: str, agencies: tuple[str, ...]) -> None:
    assert route(category, contacts, host_parts(url), target) == agencies


def test_a_masked_number_is_not_a_seller_contact() -> None:
    assert route("fake_ad", ("phone_masked:138****5678",), host_parts("http://a.example.com/"),
                 "") == ("网信",)


def test_every_rule_is_named_explained_and_routes_somewhere() -> None:
    routing = load_library().routing
    names = [rule.name for rule in routing.rules]
    assert len(names) == len(set(names))
    for rule in routing.rules:
        assert rule.agencies and len(rule.why) >= 10 and rule.category
    assert {a for rule in routing.rules for a in rule.agencies} == set(routing.agency_order)
