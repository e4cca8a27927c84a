"""Seller networks in a real SQLite store: the rebuild reads leads and official pages, writes
``networks`` and ``network_links`` (m015), keeps numbers across rebuilds (and never gives a retired
one again), leaves out leads marked 误报, and a packet refers one network as one case (串案)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

import leads.store.networks as store_networks
from leads.referral.packets import LETTER_DOCX, build_packet
from leads.store import Store
from tests.conftest import make_page, make_verdict

SELLER_PHONE = "phone:15918736620"
HOTLINE = "技术支持电话：010-64463366"  # on the official platform's own page


def add_lead(store: Store, host: str, *contacts: str, agencies: tuple[str, ...] = ("公安",),
             text: str = "电工证 免考 包过") -> int:
    url = f"http://{host}/"
    run = store.start_run("test", {})
    store.save_page(run, make_page(url, text=text, verdict=make_verdict(
        contacts=contacts, agencies=agencies)))
    lead_id = store.lead_id(url)
    assert lead_id is not None
    return lead_id


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rebuild's clock, one tick per rebuild."""
    ticks = [f"2026-12-0{day}T12:00:00+00:00" for day in range(1, 10)]
    monkeypatch.setattr(store_networks, "utc_now", lambda: ticks.pop(0))
    return ticks


def test_a_rebuild_stores_networks_links_and_reasons(store: Store, clock: list[str]) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page("https://cx.mem.gov.cn/", role="official", verdict=None,
                                   text=f"特种作业操作证查询 {HOTLINE}"))
    first = add_lead(store, "a.example.com", SELLER_PHONE, "wechat:a_seller")
    second = add_lead(store, "b.example.net", "wechat:15918736620")
    copied = [add_lead(store, f"{name}.example.org", "phone:01064463366") for name in "cd"]
    rebuilt = store.rebuild_networks()
    assert (rebuilt.networks, rebuilt.leads, rebuilt.new, rebuilt.retired) == (1, 2, 1, 0)
    [network] = store.seller_networks()
    assert network["lead_ids"] == [first, second] and network["site_count"] == 2
    assert network["sites"] == ["a.example.com", "b.example.net"]
    assert network["contacts"] == [SELLER_PHONE, "wechat:a_seller", "wechat:15918736620"]
    assert network["reasons"] == ["共用电话 15918736620"]
    assert network["label"] == "共用电话 15918736620 · 2 个网站"
    assert network["created_at"] == network["updated_at"] == "2026-12-01T12:00:00+00:00"
    shown = store.network(network["id"])
    assert shown is not None
    assert [lead["id"] for lead in shown["leads"]] == [first, second]
    assert shown["leads"][0]["contacts"] == [SELLER_PHONE, "wechat:a_seller"]
    assert [(link["lead_id"], link["other_lead_id"], link["kind"], link["value"],
             link["reason"]) for link in shown["links"]] == [
        (first, second, "phone", "15918736620", "共用电话 15918736620")]
    assert store.network_of_lead(second)["id"] == network["id"]  # type: ignore[index]
    assert store.network_of_lead(copied[0]) is None  # the official hotline joins nobody
    assert store.network(network["id"] + 1) is None


def test_numbers_are_kept_and_never_given_twice(store: Store, clock: list[str]) -> None:
    a, b = (add_lead(store, host, SELLER_PHONE) for host in ("a.com", "b.com"))
    store.rebuild_networks()
    [before] = store.seller_networks()
    store.rebuild_networks()  # nothing changed: nothing updated
    assert store.seller_networks() == [before]
    c = add_lead(store, "c.com", "qq:2837451960", SELLER_PHONE)
    rebuilt = store.rebuild_networks()
    [grown] = store.seller_networks()
    assert (rebuilt.new, rebuilt.retired) == (0, 0)
    assert grown["id"] == before["id"] and grown["lead_ids"] == [a, b, c]
    assert grown["created_at"] == before["created_at"] < grown["updated_at"]
    store.set_state(a, "false_positive", "分析员")  # not a seller: out of every network
    store.rebuild_networks()
    [kept] = store.seller_networks()
    assert kept["id"] == before["id"] and kept["lead_ids"] == [b, c]
    store.set_state(b, "false_positive", "分析员")
    assert store.rebuild_networks().retired == 1 and store.seller_networks() == []
    add_lead(store, "d.com", "qq:2837451960")
    [renewed] = store.seller_networks() or [None]
    assert renewed is None  # nothing changes until the next rebuild
    store.rebuild_networks()
    [renewed] = store.seller_networks()
    assert renewed["id"] > before["id"]  # the retired number is not given again


def test_a_network_packet_is_one_case_with_all_its_leads(store: Store, tmp_path: Path) -> None:
    """Every member goes, whatever agency it was routed to; only confirmed ones unless told."""
    a = add_lead(store, "a.com", SELLER_PHONE)
    b = add_lead(store, "b.com", SELLER_PHONE, agencies=("网信",))
    c = add_lead(store, "c.com", SELLER_PHONE)
    outsider = add_lead(store, "d.com", "phone:13812345678")
    store.rebuild_networks()
    [network] = store.seller_networks()
    for lead_id in (a, b, outsider):
        store.set_state(lead_id, "confirmed", "分析员")
    packet = build_packet(store, "公安", tmp_path / "packets", network=network["id"])
    assert packet and set(packet.lead_ids) == {a, b} and packet.unreviewed == ()
    letter = "\n".join(p.text for p in Document(str(packet.folder / LETTER_DOCX)).paragraphs)
    assert "3个网站（a.com、b.com、c.com）共用电话 15918736620，系同一卖家经营" in letter
    assert f"串案，本单位关联编号 网络{network['id']}" in letter and "另有1条线索" in letter
    assert letter.index("网络线索2条") < letter.index("串案") < letter.index("现将上述线索移送")
    [(network_id,)] = store.db.execute(
        "SELECT network_id FROM packets WHERE packet_id = ?", [packet.packet_id]).fetchall()
    assert network_id == network["id"]
    assert build_packet(store, "公安", tmp_path / "packets", network=network["id"]) is None
    rest = build_packet(store, "公安", tmp_path / "packets", network=network["id"],
                        include_unreviewed=True)
    assert rest and rest.lead_ids == rest.unreviewed == (c,)
    assert store.db["leads"].get(outsider)["state"] == "confirmed"  # not in the network
    assert build_packet(store, "公安", tmp_path / "packets", network=999) is None
