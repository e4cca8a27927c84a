"""The review pages end to end in the real Chromium (Playwright, Debian's /usr/bin/chromium,
sandboxed as the project starts it): a store filled by a real demo crawl, one lead captured as
evidence, ``jiazheng serve`` on 127.0.0.1; the analyst opens the list, filters it, opens a lead,
sees its screenshot, presses 确认 and 误报 (by button and by key), and the decisions are in the
store as lifecycle events naming the analyst.

``JIAZHENG_DOCS_SCREENSHOTS=1 pytest -q tests/test_workspace_browser.py`` also writes
docs/workspace-lead.png (and docs/workspace-network.png when seller networks exist) for the
README; otherwise the screenshots go to tests/artifacts/."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from crawler.browser import CHROMIUM_ARGS
from crawler.cli.packets import capture_settings
from crawler.demoweb.server import DemoWeb
from leads.egress.chromium import launch_options
from leads.evidence.capture import capture_leads
from leads.learning import fit
from leads.store import Store
from tests.conftest import make_page, make_verdict
from tests.test_workspace import running_serve

ANALYST = "分析员乙"
ROOT = Path(__file__).parent.parent
SHOTS = ROOT / ("docs" if os.environ.get("JIAZHENG_DOCS_SCREENSHOTS") else "tests/artifacts")
# Everything but loopback goes to a closed port: the test browser reaches only the workspace.
NOWHERE = ("--proxy-server=http://127.0.0.1:9",)


# Three sites of one seller, sharing a phone, written as a crawl writes them: a seller network.
NETWORK_PHONE = "phone:13955550123"
NETWORK_HOSTS = ("www.banzheng-a.example", "www.banzheng-b.example", "www.banzheng-c.example")


class Demo:
    def __init__(self, db: Path, captured: int, others: list[int],
                 network: tuple[int, list[int]]) -> None:
        self.db, self.captured, self.others = db, captured, others
        self.network, self.network_leads = network


def add_network(store: Store) -> tuple[int, list[int]]:
    """The three sites, networks rebuilt; the network holding them, and their lead ids."""
    run = store.start_run("test", {})
    for number, host in enumerate(NETWORK_HOSTS):
        store.save_page(run, make_page(
            f"http://{host}/", title=f"电工证焊工证办理 {number}",
            text=f"电工证 焊工证 免考包过 联系电话 {NETWORK_PHONE[6:]} 第{number}站",
            verdict=make_verdict(contacts=(NETWORK_PHONE,))))
    store.rebuild_networks()
    leads = [store.lead_id(f"http://{host}/") for host in NETWORK_HOSTS]
    network = store.network_of_lead(leads[0])  # type: ignore[arg-type]
    assert network and network["site_count"] == 3
    return network["id"], leads  # type: ignore[return-value]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    out = tmp_path_factory.mktemp("workspace-demo")
    db = out / "jiazheng.db"
    with DemoWeb() as web:
        crawled = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", "--proxy", web.proxy_url, "--db", str(db),
             "--no-delay", "--max-queries", "2"], capture_output=True, text=True, timeout=900)
        assert crawled.returncode == 0, crawled.stderr[-3000:]
        store = Store(db)
        try:
            leads = [lead for lead in store.leads() if lead["category"] == "fake_ad"]
            assert len(leads) >= 3
            capture_leads(store, leads[:1], out / "evidence", capture_settings(web.proxy_url))
            network = add_network(store)
        finally:
            store.close()
    return Demo(db, leads[0]["id"], [lead["id"] for lead in leads[1:3]], network)


@pytest.fixture(scope="module")
def base(demo: Demo) -> Iterator[str]:
    with running_serve(demo.db, "--who", ANALYST) as url:
        yield url


@pytest.fixture(scope="module")
def browser(demo: Demo) -> Iterator[Browser]:
    """After the demo store: Playwright's sync API holds an event loop the capture cannot share."""
    with sync_playwright() as playwright:
        options = launch_options("/usr/bin/chromium", (*CHROMIUM_ARGS, *NOWHERE))
        launched = playwright.chromium.launch(**options)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    yield context.new_page()
    context.close()


def moves(db: Path, lead_id: int) -> list[tuple[str, str, str, str]]:
    store = Store(db)
    try:
        return [(e["from_state"], e["to_state"], e["who"], e["source"])
                for e in store.lead_events(lead_id)]
    finally:
        store.close()


def test_review_pass_in_the_browser(page: Page, base: str, demo: Demo) -> None:
    page.goto(f"{base}/-/jiazheng/leads")
    expect(page.locator("h1")).to_contain_text("线索列表")
    rows = page.locator("tr.jz-row")
    assert rows.count() >= 3
    # Filter: fake ads mentioning 包过 in their page text.
    page.select_option("select[name=category]", "fake_ad")
    page.fill("input[name=q]", "包过")
    page.click("button:has-text('筛选')")
    expect(page).to_have_url(re.compile("category=fake_ad"))
    assert rows.count() >= 1
    assert all(cell == "假证广告" for cell in rows.locator("td:nth-child(4)").all_inner_texts())
    # Open the captured lead: its screenshot is shown, loaded from the evidence folder.
    page.goto(f"{base}/-/jiazheng/leads/{demo.captured}?q=包过")
    screenshot = page.locator("img.jz-screenshot")
    expect(screenshot).to_be_visible()
    assert page.evaluate("document.querySelector('img.jz-screenshot').naturalWidth") > 100
    assert page.locator(".jz-text mark").count() >= 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "workspace-lead.png"), full_page=False)
    # 确认 by button, with a note.
    page.fill("form.jz-lead-decide input[name=note]", "已电话核实")
    page.click("form.jz-lead-decide button[value=确认]")
    expect(page.locator(".jz-lead h1 .jz-state")).to_have_text("已确认")
    assert moves(demo.db, demo.captured) == [("new", "confirmed", ANALYST, "workspace")]
    # 误报 by key on the next lead's page, then back with k.
    other = demo.others[0]
    page.goto(f"{base}/-/jiazheng/leads/{other}")
    page.keyboard.press("f")
    expect(page.locator(".jz-lead h1 .jz-state")).to_have_text("误报")
    assert moves(demo.db, other) == [("new", "false_positive", ANALYST, "workspace")]


def test_batch_decision_by_keys_on_the_list(page: Page, base: str, demo: Demo) -> None:
    last = demo.others[1]
    page.goto(f"{base}/-/jiazheng/leads?sort=id&state=new")
    target_row = page.locator(f"tr.jz-row[data-lead-id='{last}']")
    index = page.locator("tr.jz-row").evaluate_all(
        f"rows => rows.findIndex(r => r.dataset.leadId === '{last}')")
    for _ in range(index + 1):
        page.keyboard.press("j")
    expect(target_row).to_have_class("jz-row jz-current")
    page.keyboard.press("x")
    page.keyboard.press("c")
    expect(page.locator(f"tr.jz-row[data-lead-id='{last}']")).to_have_count(0)  # no longer new
    assert moves(demo.db, last) == [("new", "confirmed", ANALYST, "workspace")]


def test_dashboard_is_drawn_without_scripts_from_elsewhere(page: Page, base: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base}/")
    assert page.locator("svg.jz-chart").count() == 5
    assert requested and all(url.startswith(base) for url in requested)


def test_network_page_lists_its_sites_and_the_lead_page_links_it(page: Page, base: str,
                                                                  demo: Demo) -> None:
    page.goto(f"{base}/-/jiazheng/networks")
    page.click(f"a[href='/-/jiazheng/networks/{demo.network}']")
    expect(page.locator("h1")).to_contain_text("3 个网站")
    hosts = page.locator(".jz-network-leads td:nth-child(2)").all_inner_texts()
    assert {text.splitlines()[0] for text in hosts} == set(NETWORK_HOSTS)
    expect(page.locator(".jz-facts")).to_contain_text(NETWORK_PHONE)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "workspace-network.png"), full_page=False)
    page.click(".jz-network-leads a >> nth=0")
    expect(page.locator(f"a[href='/-/jiazheng/networks/{demo.network}']")).to_be_visible()


def test_a_lead_page_names_similar_decided_leads(page: Page, base: str, demo: Demo) -> None:
    """A site of the network confirmed and learned (``leads.learning.fit``): its sister site's
    page names it as a similar confirmed lead."""
    first, second = demo.network_leads[:2]
    page.goto(f"{base}/-/jiazheng/leads/{first}")
    page.keyboard.press("c")
    expect(page.locator(".jz-lead h1 .jz-state")).to_have_text("已确认")
    store = Store(demo.db)
    try:
        fit(store)
    finally:
        store.close()
    page.goto(f"{base}/-/jiazheng/leads/{second}")
    expect(page.locator(".jz-similar")).to_contain_text(f"与已确认线索 L{first:06d} 相似")
