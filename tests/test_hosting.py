"""Who is behind a host, against the demo web's own DNS, RDAP and WHOIS servers on 127.0.0.1:
every field each source gives, each server's timeout and garbage answer recorded as an outcome
(never an exception), internal addresses never asked about, RDAP through the proxy, the store's
TTL, and ``jiazheng whois``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from crawler.demoweb.hosting import DemoHosting
from crawler.demoweb.server import DemoWeb
from leads.hosting.dns_records import internal_address, look_up_dns
from leads.hosting.host_facts import lead_fields, look_up_host, refresh_host_facts
from leads.hosting.quick_look import referral_text
from leads.hosting.rdap import domain_fields, look_up_domain, look_up_ip, network_fields
from leads.hosting.settings import HostingSettings, HostingSettingsError, whois_servers
from leads.hosting.whois import look_up_whois, parse_whois
from leads.store import Store
from tests.conftest import make_page

# CNNIC's answer for a .cn domain, as whois.cnnic.cn prints it (names invented).
CNNIC_ANSWER = """Domain Name: kaoshi-zhengshu.cn
ROID: 20240311s10001s52731890-cn
Domain Status: clientTransferProhibited
Domain Status: clientDeleteProhibited
Registrant: 张某某
Registrant Contact Email: zhang2024@mail.example
Sponsoring Registrar: 北京某某网络科技有限公司
Name Server: ns1.dns-demo.example
Name Server: ns2.dns-demo.example
Registration Time: 2024-03-11 15:18:00
Expiration Time: 2025-03-11 15:18:00
DNSSEC: unsigned
"""


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoHosting]:
    hosting = DemoHosting().start()
    yield hosting
    hosting.stop()


@pytest.fixture(scope="module")
def settings(demo: DemoHosting) -> HostingSettings:
    values = demo.settings
    return HostingSettings(resolver=values["JIAZHENG_DNS_RESOLVER"],
                           rdap_bootstrap=values["JIAZHENG_RDAP_BOOTSTRAP"],
                           whois_servers=whois_servers(values["JIAZHENG_WHOIS_SERVERS"]),
                           timeout=0.5)


def test_dns_gives_every_record_type(settings: HostingSettings) -> None:
    answer = look_up_dns("www.tezhong-banzheng.com", "tezhong-banzheng.com", settings)
    assert answer.outcome == "ok"
    assert answer.fields["A"] == ["203.0.113.10"]
    assert answer.fields["AAAA"] == ["2001:db8:1000::10"]
    assert answer.fields["NS"] == ["dns1.yunjiexi-demo.com", "dns2.yunjiexi-demo.com"]
    assert answer.fields["MX"] == ["10 mx.yunjiexi-demo.com"]
    assert "203.0.113.10" in answer.raw and "NOERROR" in answer.raw
    cname = look_up_dns("www.anquanyuan-kuaiban.cn", "anquanyuan-kuaiban.cn", settings)
    assert cname.fields["CNAME"] == ["anquanyuan-kuaiban.cn.cdn.yunjiexi-demo.com"]
    assert cname.fields["addresses"] == ["192.0.2.30"]
    missing = look_up_dns("www.nirgendwo-demo.com", "nirgendwo-demo.com", settings)
    assert missing.outcome == "not_found" and "NXDOMAIN" in missing.detail


def test_rdap_domain_and_network_fields(settings: HostingSettings) -> None:
    domain = look_up_domain("tezhong-banzheng.com", settings)
    assert domain.outcome == "ok", domain.detail
    assert domain.fields["registrar"] == "广东金域名网络有限公司"
    assert domain.fields["registrar_id"] == "9901"
    assert (domain.fields["created"], domain.fields["expires"]) == (
        "2026-09-18T02:41:07Z", "2027-09-18T02:41:07Z")
    assert domain.fields["status"] == ["client transfer prohibited"]
    assert domain.fields["nameservers"] == ["dns1.yunjiexi-demo.com", "dns2.yunjiexi-demo.com"]
    assert domain.fields["abuse"] == [{"name": "Abuse Contact", "email": "abuse@jinyuming.example",
                                       "phone": "+86.2066668888"}]
    assert json.loads(domain.raw)["objectClassName"] == "domain"
    network = look_up_ip("198.51.100.7", settings)
    assert network.outcome == "ok", network.detail
    assert network.fields["owner"] == "云端数据（香港）有限公司"
    assert network.fields["asn"] == ["AS64501"]
    assert network.fields["network"] == "YUNDUAN-HK-VPS"
    assert network.fields["range"] == "198.51.100.0 - 198.51.100.127"
    assert network.fields["abuse"][0]["email"] == "abuse@yunduan-data.example"
    v6 = look_up_ip("2001:db8:1000::10", settings)
    assert v6.outcome == "ok" and v6.fields["asn"] == ["AS64500"]


def test_whois_parses_cnnic_fields() -> None:
    fields = parse_whois(CNNIC_ANSWER)
    assert fields["registrar"] == "北京某某网络科技有限公司"
    assert fields["registrant"] == "张某某"
    assert fields["created"] == "2024-03-11 15:18:00"
    assert fields["expires"] == "2025-03-11 15:18:00"
    assert fields["status"] == ["clientTransferProhibited", "clientDeleteProhibited"]
    assert fields["nameservers"] == ["ns1.dns-demo.example", "ns2.dns-demo.example"]
    icann = parse_whois("Registrar: Demo Registrar\nRegistrar Abuse Contact Email: a@b.example\n"
                        "Registry Expiry Date: 2027-01-01T00:00:00Z\n")
    assert icann["abuse"] == [{"name": "Demo Registrar", "email": "a@b.example", "phone": ""}]
    assert parse_whois("No matching record.") == {}


def test_whois_for_a_suffix_without_rdap(settings: HostingSettings) -> None:
    """.cn is not in the bootstrap: the domain goes to the WHOIS server configured for cn."""
    lookup = look_up_host("www.anquanyuan-kuaiban.cn", settings)
    assert [a.source for a in lookup.answers] == ["dns", "rdap_ip", "whois"]
    whois = lookup.answers[-1]
    assert whois.outcome == "ok" and "Registration Time" in whois.raw
    fields = lead_fields(lookup.answers)
    assert fields["registrar"] == "广东金域名网络有限公司"
    assert fields["domain_created"] == "2026-09-12" and fields["domain_expires"] == "2027-09-12"
    assert fields["network_owner"] == "上海深蓝网络科技有限公司" and fields["asn"] == "AS64502"
    unconfigured = look_up_whois("example.jp", settings)
    assert unconfigured.outcome == "not_configured"


@pytest.mark.parametrize(("look_up", "subject", "outcome"), [
    (lambda x, s: look_up_dns(x, "", s), "www.chache-zheng.net", "timeout"),
    (lambda x, s: look_up_dns(x, "", s), "www.kaozheng-v.top", "garbage"),
    (look_up_ip, "192.0.2.200", "timeout"),
    (look_up_ip, "198.51.100.200", "garbage"),
    (look_up_domain, "zhengshu-daiban.xyz", "timeout"),
    (look_up_domain, "baoguo-zhengshu.cc", "garbage"),
    (look_up_whois, "cnse-ecqs.com.cn", "timeout"),
    (look_up_whois, "luanma-zhengshu.cn", "garbage"),
], ids=["dns-timeout", "dns-garbage", "rdap-ip-timeout", "rdap-ip-garbage",
        "rdap-domain-timeout", "rdap-domain-garbage", "whois-timeout", "whois-garbage"])
def test_each_server_timeout_and_garbage_is_an_outcome(
        settings: HostingSettings, look_up: object, subject: str, outcome: str) -> None:
    answer = look_up(subject, settings)  # type: ignore[operator]
    assert answer.outcome == outcome, (answer.outcome, answer.detail)
    assert answer.detail and not answer.fields.get("registrar")


def test_a_failing_source_leaves_the_others_and_a_signal(settings: HostingSettings) -> None:
    lookup = look_up_host("www.tanchuang-xiazai.com", settings)
    fields = lead_fields(lookup.answers)
    assert fields["server_ips"] == "192.0.2.200" and fields["network_owner"] == ""
    assert fields["registrar"] == "广东金域名网络有限公司"
    assert "IP 注册信息（RDAP） 192.0.2.200：超时未答" in fields["host_signals"]


def test_internal_addresses_are_a_signal_never_asked_about(settings: HostingSettings) -> None:
    lookup = look_up_host("www.houtai-tiaozhuan.com", settings)
    asked = [a.subject for a in lookup.answers if a.source == "rdap_ip"]
    assert asked == ["203.0.113.45"]
    fields = lead_fields(lookup.answers)
    assert "DNS 指向内网地址 10.20.30.40（内网私有地址），未查询其注册信息" in fields["host_signals"]
    assert internal_address("127.0.0.1") == "回环地址"
    assert internal_address("::ffff:192.168.1.1") == "内网私有地址"
    assert internal_address("169.254.169.254").startswith("链路本地")
    assert internal_address("203.0.113.45") == ""
    ip_host = look_up_host("10.1.2.3", settings)
    assert ip_host.answers == ()


def test_abuse_contacts_of_both_roles_for_the_referral(settings: HostingSettings) -> None:
    fields = lead_fields(look_up_host("www.tezhong-banzheng.com", settings).answers)
    assert fields["abuse_contacts"] == (
        "接入服务商 广州华夏云计算有限公司：abuse@huaxiayun-idc.example +86-20-3888-6600；"
        "域名注册商 广东金域名网络有限公司：abuse@jinyuming.example +86.2066668888")
    text = referral_text(fields)
    assert text.startswith("接入服务商：广州华夏云计算有限公司（AS64500，IP 203.0.113.10;")
    assert "域名注册商：广东金域名网络有限公司（注册 2026-09-18，到期 2027-09-18）" in text


def test_rdap_goes_through_the_proxy(tmp_path: Path) -> None:
    """A registry that is not on our loopback is asked through the crawl's proxy (here the demo
    web, which forwards nothing and answers 502): recorded as an error, the proxy saw it."""
    (tmp_path / "dns.json").write_text(json.dumps({"version": "1.0", "services": [
        [["com"], ["http://rdap.registry-demo.example/"]]]}))
    with DemoWeb() as web:
        settings = HostingSettings(resolver="127.0.0.1:9", rdap_bootstrap=str(tmp_path),
                                   proxy=web.proxy_url, timeout=2)
        answer = look_up_domain("tezhong-banzheng.com", settings)
        seen = web.requests_seen
    assert ("rdap.registry-demo.example", "/domain/tezhong-banzheng.com") in seen
    assert answer.outcome == "error" and answer.detail == "HTTP 502"


def test_settings_are_checked() -> None:
    assert whois_servers("cn=whois.cnnic.cn, com.cn=127.0.0.1:4343") == {
        "cn": ("whois.cnnic.cn", 43), "com.cn": ("127.0.0.1", 4343)}
    for bad in ("cn", "cn=host:99999", "=host"):
        with pytest.raises(HostingSettingsError):
            whois_servers(bad)
    assert not HostingSettings().enabled


def test_stored_lookups_answer_within_the_ttl(store: Store, settings: HostingSettings) -> None:
    url = "http://www.gangao-zhengshu.com/"
    store.save_page(store.start_run("crawl search", {}), make_page(url))
    assert refresh_host_facts(store, [url], settings) == ["www.gangao-zhengshu.com"]
    assert refresh_host_facts(store, [url], settings) == []
    assert refresh_host_facts(store, [url], replace(settings, ttl=-1)) == [
        "www.gangao-zhengshu.com"]
    [lead] = store.leads()
    assert lead["network_owner"] == "云端数据（香港）有限公司" and lead["asn"] == "AS64501"
    assert lead["registrar"] == "Oceanic Names Registrar Ltd." and lead["host_facts_at"]
    rows = store.latest_host_facts("www.gangao-zhengshu.com")
    assert {row["source"] for row in rows} == {"dns", "rdap_ip", "rdap_domain"}
    assert all(row["raw"] for row in rows)


def jiazheng(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, **env})


def test_whois_command(tmp_path: Path, demo: DemoHosting) -> None:
    db = str(tmp_path / "jiazheng.db")
    shown = jiazheng("whois", "http://www.tezhong-banzheng.com/zhengshu", "--db", db,
                     env=demo.settings)
    assert shown.returncode == 0, shown.stderr
    for line in ("主机：www.tezhong-banzheng.com（查询时间：北京时间 ",
                 "DNS 记录：A 203.0.113.10；AAAA 2001:db8:1000::10；NS dns1.yunjiexi-demo.com",
                 "服务器 IP：203.0.113.10、2001:db8:1000::10",
                 "接入服务商（IP 所属网络）：广州华夏云计算有限公司",
                 "自治系统号（AS）：AS64500", "域名注册商：广东金域名网络有限公司",
                 "域名注册日期：2026-09-18", "域名到期日期：2027-09-18",
                 "滥用投诉联系方式：接入服务商 广州华夏云计算有限公司：abuse@huaxiayun-idc.example",
                 "  域名注册信息（RDAP） tezhong-banzheng.com：已查到"):
        assert line in shown.stdout, (line, shown.stdout)
    as_json = jiazheng("whois", "www.chache-zheng.net", "--db", db, "--json", env=demo.settings)
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["answers"][0]["outcome"] == "timeout"
    assert "DNS 解析 www.chache-zheng.net：超时未答" in report["fields"]["host_signals"]
    unset = {name: "" for name in demo.settings}
    refused = jiazheng("whois", "www.tezhong-banzheng.com", "--db", db, env=unset)
    assert refused.returncode == 2 and "JIAZHENG_DNS_RESOLVER" in refused.stderr
    internal = jiazheng("whois", "127.0.0.1", "--db", db, env=demo.settings)
    assert internal.returncode == 2 and "内网" in internal.stderr


def test_hostile_answers_and_names_are_outcomes(settings: HostingSettings) -> None:
    """RDAP JSON of the wrong shapes parses to empty fields; entities nesting without end are cut;
    a host name no DNS can carry is an error outcome, not an exception."""
    odd = {"entities": "x", "events": [1, {"eventAction": 5}], "status": {"a": 1},
           "nameservers": [None, "ns"], "arin_originas0_originautnums": ["AS1", 2.5]}
    assert domain_fields(odd)["registrar"] == "" and domain_fields(odd)["status"] == []
    assert network_fields(odd)["asn"] == []
    nested: dict[str, object] = {"roles": ["abuse"], "vcardArray": ["vcard", [
        ["email", {}, "text", "deep@x.example"]]]}
    for _ in range(50):
        nested = {"roles": ["registrar"], "entities": [nested]}
    assert domain_fields({"entities": [nested]})["abuse"] == []
    answer = look_up_dns("a" * 70 + ".example.com", "example.com", settings)
    assert answer.outcome == "error" and "主机名无效" in answer.detail
