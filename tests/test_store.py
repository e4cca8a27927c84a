"""The SQLite store: migrations, one lead per URL, bodies kept, locks reported clearly."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from leads.judge.observations import LinkResolved, QueryOutcome, Sighting
from leads.store import Store, StoreLockedError
from tests.conftest import make_page, make_verdict


def test_schema_is_created_once_and_reopening_keeps_data(db_path: Path) -> None:
    first = Store(db_path)
    run = first.start_run("test", {})
    first.save_page(run, make_page())
    first.close()
    again = Store(db_path)
    assert again.count("leads") == 1
    assert {"runs", "queries", "sightings", "pages", "leads", "bodies"} <= set(
        again.db.table_names())
    again.close()


def test_one_lead_per_url_with_first_and_last_seen(store: Store) -> None:
    first_run = store.start_run("test", {})
    store.save_page(first_run, make_page(fetched_at="2026-11-01T00:00:00+00:00"))
    second_run = store.start_run("test", {})
    store.save_page(second_run, make_page(fetched_at="2026-11-02T00:00:00+00:00",
                                          verdict=make_verdict(score=95)))
    [lead] = list(store.leads())
    assert (lead["first_seen"], lead["last_seen"]) == ("2026-11-01T00:00:00+00:00",
                                                       "2026-11-02T00:00:00+00:00")
    assert (lead["first_run_id"], lead["last_run_id"], lead["score"]) == (first_run,
                                                                          second_run, 95)
    assert store.count("pages") == 2


def test_non_lead_pages_are_kept_but_are_not_leads(store: Store) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page(verdict=make_verdict(category="none", score=5)))
    store.save_page(run, make_page("http://down.example.com/", error="dns", verdict=None,
                                   body=b""))
    assert store.count("leads") == 0
    assert store.count("pages", "error = 'dns'") == 1


def test_body_is_stored_once_by_sha256(store: Store) -> None:
    run = store.start_run("test", {})
    page = make_page()
    store.save_page(run, page)
    store.save_page(run, make_page("http://mirror.example.com/"))
    digest = hashlib.sha256(page.body).hexdigest()
    assert store.count("bodies") == 1
    assert store.db["bodies"].get(digest)["body"] == page.body


def test_sources_come_from_sightings_resolved_through_redirect_links(store: Store) -> None:
    run = store.start_run("test", {})
    link = "https://www.baidu.com/link?url=abc"
    store.save_sighting(run, Sighting("baidu", "电工证 包过", 0, 1, "t", "s", True, link, None))
    store.save_sighting(run, Sighting("so360", "焊工证 免考", 0, 3, "t", "s", False,
                                      "https://www.so.com/link?m=x", "http://ban-zheng.example.com/"))
    store.save_page(run, make_page(via_link=link))
    [lead] = list(store.leads())
    assert lead["sources"] == "baidu:电工证 包过;so360:焊工证 免考"


def test_queries_are_counted_per_engine_and_outcome(store: Store) -> None:
    run = store.start_run("test", {})
    for outcome in ("results", "results", "captcha"):
        store.save_query(run, QueryOutcome("baidu", "q", 0, "https://www.baidu.com/s", outcome))
    assert store.query_outcomes(run) == [
        {"engine": "baidu", "outcome": "captcha", "n": 1},
        {"engine": "baidu", "outcome": "results", "n": 2},
    ]


def test_a_lock_held_by_another_process_is_a_clear_error_and_loses_nothing(
    store: Store, db_path: Path
) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page())
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLockedError, match="锁定"):
            store.save_page(run, make_page("http://second.example.com/"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [lead["url"] for lead in store.leads()] == ["http://ban-zheng.example.com/"]
    store.save_page(run, make_page("http://second.example.com/"))
    assert store.count("leads") == 2


def test_contacts_on_a_contact_page_join_the_site_lead_and_its_routing(store: Store) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page(verdict=make_verdict(contacts=(), agencies=("网信",))))
    store.save_page(run, make_page(
        "http://ban-zheng.example.com/lianxi.html", role="contact",
        parent_url="http://ban-zheng.example.com/",
        verdict=make_verdict(category="none", score=20, contacts=("wechat:abc123",))))
    [lead] = list(store.leads())
    assert lead["contacts"] == ["wechat:abc123"]
    assert "公安" in lead["agencies"]
    assert any("lianxi.html" in reason for reason in lead["reasons"])
    assert store.count("leads") == 1


def test_the_sellers_province_and_carrier_are_fields_of_the_lead(store: Store) -> None:
    """Written with the lead, and again when a contact page brings a phone (migration m010)."""
    run = store.start_run("test", {})
    store.save_page(run, make_page(verdict=make_verdict(contacts=("wechat:abc123",))))
    [lead] = list(store.leads())
    assert (lead["province"], lead["phone_carrier"], lead["virtual_phone"]) == ("", "", 0)
    store.save_page(run, make_page(
        "http://ban-zheng.example.com/lianxi.html", role="contact",
        parent_url="http://ban-zheng.example.com/",
        verdict=make_verdict(category="none", score=20,
                             contacts=("phone:16512345678", "phone:075512345678"))))
    [lead] = list(store.leads())
    assert (lead["province"], lead["phone_carrier"], lead["virtual_phone"]) == (
        "广东省", "虚拟运营商（中国移动网络）", 1)
    store.save_page(run, make_page(verdict=make_verdict(contacts=("phone:13812345678",))))
    [lead] = list(store.leads())
    # the page's own phone comes first; the contact page's virtual number stays the lead's
    assert lead["contacts"] == ["phone:13812345678", "phone:16512345678", "phone:075512345678"]
    assert (lead["province"], lead["phone_carrier"], lead["virtual_phone"]) == (
        "江苏省", "中国移动", 1)


def test_a_link_resolved_before_its_page_is_fetched_still_credits_the_sighting(
    store: Store,
) -> None:
    run = store.start_run("test", {})
    link = "https://www.sogou.com/link?url=xyz"
    store.save_sighting(run, Sighting("sogou", "叉车证 免考", 1, 2, "t", "s", False, link, None))
    store.save_link(LinkResolved(link, "http://ban-zheng.example.com/"))
    store.save_page(run, make_page())
    [lead] = list(store.leads())
    assert lead["sources"] == "sogou:叉车证 免考"


def test_packets_skip_false_positives_and_never_move_a_lead_back_to_referred(
    store: Store,
) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page("http://wrong.example.com/"))
    store.save_page(run, make_page("http://gone.example.com/"))
    wrong, gone = store.lead_id("http://wrong.example.com/"), store.lead_id("http://gone.example.com/")
    store.set_state(wrong, "false_positive", "analyst")
    store.set_state(gone, "confirmed", "analyst")
    store.set_state(gone, "referred", "jiazheng packet", source="referral")
    store.set_state(gone, "taken_down", "recheck", source="recheck")
    assert [lead["id"] for lead in store.leads_to_refer("公安")] == [gone]
    assert [lead["id"] for lead in store.leads_to_refer("公安", include_unreviewed=True)] == [gone]
    store.record_packet({"packet_id": "JZ-1", "agency": "公安", "created_at": "2026-11-28",
                         "since": "", "folder": "", "zip_path": "", "zip_sha256": "",
                         "lead_count": 1}, [gone])
    assert store.lead_states()[gone]["state"] == "taken_down"
    assert store.leads_to_refer("公安") == []


def test_days_from_referral_to_takedown_per_agency(store: Store) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page())
    lead_id = store.lead_id("http://ban-zheng.example.com/")
    store.record_packet({"packet_id": "JZ-1", "agency": "公安",
                         "created_at": "2026-11-01T00:00:00+00:00", "since": "", "folder": "",
                         "zip_path": "", "zip_sha256": "", "lead_count": 1}, [lead_id])
    store.db["lead_events"].insert({"lead_id": lead_id, "at": "2026-11-04T12:00:00+00:00",
                                    "who": "recheck", "from_state": "referred",
                                    "to_state": "taken_down", "note": "", "source": "recheck"})
    assert store.days_to_takedown() == {"公安": 3.5}


def test_official_logos_come_only_from_clean_fetches_of_official_hosts(store: Store) -> None:
    run = store.start_run("search", {})
    store.save_page(run, make_page("https://cx.mem.gov.cn/", role="official",
                                   logo_hashes=("e781813c188181e7",), verdict=None))
    store.save_page(run, make_page("https://cx.mem.gov.cn/special", role="result",
                                   logo_hashes=("e781813c188181e7", "00ff00ff00ff00ff")))
    store.save_page(run, make_page("https://zlaq.mohurd.gov.cn/", role="official",
                                   logo_hashes=("ffe7e7c300001818",), tls_problems=("expired",)))
    store.save_page(run, make_page("https://cx-mem-gov.cn.com/", logo_hashes=("e781813c188181e7",)))
    store.save_page(run, make_page("https://cnse.e-cqs.cn/", status=404,
                                   logo_hashes=("0f0900090f0f0f0f",)))
    assert store.official_logos() == {"cx.mem.gov.cn": ["e781813c188181e7", "00ff00ff00ff00ff"]}
