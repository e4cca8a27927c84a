"""The platform table (keywords/post_platforms.toml) and what reads it: the loader's checks, how a
post is told from the platform's other pages, the site: queries of the plan and their bound, the
posters of Zhihu and Xiaohongshu pages, the export's source and platform cells, and the demo web's
platform search pages (results only from their own host, 百度安全验证 when captcha'd)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler import settings as crawler_settings
from crawler.demoweb.server import DemoWeb
from crawler.plan import FIRST_KINDS, tonight_queries
from keywords import load_intents, load_library
from keywords.load import DEFAULT_DIRECTORY
from keywords.post_platforms import load_post_platforms, read_post_platforms
from leads.judge.post_pages import post_facts
from leads.plan.platform_queries import compose_site_plan
from leads.plan.query_plan import compose_plan
from leads.referral.export import platform_text, source_label
from leads.store import Store
from spiders.baidu import BAIDU
from spiders.search import ENGINES
from spiders.tieba import TIEBA
from spiders.zhidao import ZHIDAO
from tests.conftest import make_page
from tests.test_demoweb import fetch

PLATFORMS = load_post_platforms()
TOML = DEFAULT_DIRECTORY / "post_platforms.toml"
DEMO_SITES = Path(__file__).parent.parent / "crawler" / "demoweb" / "sites"


# --- the table ---------------------------------------------------------------------------------
def test_every_platform_of_the_issue_is_declared_with_its_reach() -> None:
    reach = {platform.key: platform.reach for platform in PLATFORMS.platforms}
    assert reach == {"tieba": "search", "zhidao": "search", "zhihu": "site", "xiaohongshu": "site",
                     "douyin": "site", "kuaishou": "site", "xianyu": "site", "58": "site"}
    assert all(p.login_to_search for p in PLATFORMS.reached_by_site if p.key != "58")
    assert set(PLATFORMS.site_engines) <= {engine.name for engine in ENGINES}


@pytest.mark.parametrize(("url", "expected"), [
    ("https://tieba.baidu.com/p/8912345678?pid=1&cid=0#1", ("tieba", "8912345678")),
    ("http://zhidao.baidu.com/question/123.html?fr=iks&word=x", ("zhidao", "123")),
    ("https://www.zhihu.com/question/1/answer/22", ("zhihu", "22")),
    ("https://zhuanlan.zhihu.com/p/333", ("zhihu", "333")),
    ("https://www.douyin.com/video/7212345678901234567", ("douyin", "7212345678901234567")),
    ("https://www.kuaishou.com/short-video/3xk9abc", ("kuaishou", "3xk9abc")),
    ("https://www.goofish.com/item?spm=a21&id=712345678901", ("xianyu", "712345678901")),
    ("https://2.taobao.com/item.htm?id=55", ("xianyu", "55")),
    ("https://bj.58.com/zhengshu/49123456789012x.shtml", ("58", "49123456789012")),
    ("https://tieba.baidu.com/f?kw=电工", None),  # a board, not a post
    ("https://tieba.baidu.com/home/main?un=x", None),  # a profile
    ("https://www.zhihu.com/people/someone", None),
    ("https://xm.58.com/zhengshu/123.shtml", None),  # a list page of a classified site
    ("https://tieba.baidu.com.evil.top/p/1", None),  # the host only looks like the platform
    ("https://www.tezhong-banzheng.com/p/1", None),
    ("not a url", None), ("http://[::1", None),
])
def test_a_post_is_told_from_any_other_page(url: str, expected: tuple[str, str] | None) -> None:
    found = PLATFORMS.post_of(url)
    assert (found and (found[0].key, found[1])) == expected


def test_platform_hosts_are_known_whatever_the_page() -> None:
    assert PLATFORMS.platform_of("tieba.baidu.com").key == "tieba"
    assert PLATFORMS.platform_of("m.douyin.com").key == "douyin"
    assert PLATFORMS.platform_of("www.baidu.com") is None  # the engine is no post platform
    assert PLATFORMS.platform_of("zhihu.com.cn") is None


@pytest.mark.parametrize(("old", "new", "message"), [
    ('key = "tieba"', 'key = "tieba"\nlogin = true', "unknown key 'login'"),
    ('reach = "search"\nlogin', 'reach = "app"\nlogin', "reach must be one of"),
    ("post_paths = ['^/p/(\\d+)']", "post_paths = ['^/p/\\d+']", "must capture the id"),
    ("post_paths = ['^/p/(\\d+)']", "post_paths = ['^/p/(\\d+']", "bad regular expression"),
    ('post_example = "https://tieba.baidu.com/p/6792193701?pid=133584103476"',
     'post_example = "https://tieba.baidu.com/f?kw=1"', "is not read as a post"),
    ('site = "zhihu.com"\n', "", "needs the site its queries name"),
    ("site_queries_per_night = 6", "site_queries_per_night = -1", "must be an integer 0–100"),
    ('markup_seen = "scraper code"', 'markup_seen = "guess"', "markup_seen must be one of"),
])
def test_a_bad_entry_fails_naming_the_file_and_platform(tmp_path: Path, old: str, new: str,
                                                        message: str) -> None:
    text = TOML.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "post_platforms.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as raised:
        read_post_platforms(tmp_path / "post_platforms.toml")
    assert "post_platforms.toml" in str(raised.value)


def test_a_bad_poster_xpath_fails_loading(tmp_path: Path) -> None:
    text = TOML.read_text(encoding="utf-8").replace(
        "poster_xpath = \"//*[contains(concat(' ', normalize-space(@class), ' '), ' p_author_name ')]\"",
        'poster_xpath = "//div[@class="', 1)
    (tmp_path / "post_platforms.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"post_platforms\.toml: platform #1 \(tieba\): bad XPath"):
        read_post_platforms(tmp_path / "post_platforms.toml")


# --- the plan ----------------------------------------------------------------------------------
PLAN = compose_plan(load_library(), load_intents())


def test_site_plan_combines_each_login_walled_platform_with_the_first_sales_queries() -> None:
    site_plan = compose_site_plan(PLAN, PLATFORMS)
    per_platform = PLATFORMS.sales_queries_per_platform
    assert len(site_plan) == len(PLATFORMS.reached_by_site) * per_platform
    assert Counter(q.platform for q in site_plan) == {
        p.key: per_platform for p in PLATFORMS.reached_by_site}
    first = next(q for q in PLAN if q.kind == "sales")
    assert [q.text for q in site_plan[:2]] == [f"site:zhihu.com {first.text}",
                                               f"site:xiaohongshu.com {first.text}"]
    assert all(q.kind == "site" and q.text.split()[0] == f"site:{PLATFORMS.named(q.platform).site}"
               for q in site_plan)
    assert not any(q.text.startswith("site:") for q in PLAN)  # the plan itself is unchanged


def _settings(**values: object) -> Settings:
    settings = Settings()
    settings.setmodule(crawler_settings)
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    return settings


def test_web_engines_ask_a_bounded_share_of_site_queries_and_platform_engines_none() -> None:
    tonight = tonight_queries(_settings(JIAZHENG_MAX_QUERIES=10), ENGINES, {}, plan=PLAN)
    for engine in ENGINES:
        sites = [item for item in tonight[engine.name] if item.query.kind == "site"]
        plain = [item for item in tonight[engine.name] if item.query.kind not in FIRST_KINDS]
        assert len(plain) == 10
        if engine.name in PLATFORMS.site_engines:
            assert len(sites) == PLATFORMS.site_queries_per_night
            assert {item.query.platform for item in sites} == {
                p.key for p in PLATFORMS.reached_by_site}
        else:
            assert sites == [], engine.name


def test_a_page_budget_keeps_room_for_the_site_queries() -> None:
    tonight = tonight_queries(_settings(JIAZHENG_BUDGET="30req"), ENGINES, {}, plan=PLAN)
    for name in PLATFORMS.site_engines:
        pages = sum(item.pages for item in tonight[name])
        assert any(item.query.kind == "site" for item in tonight[name])
        assert pages <= 30, (name, pages)


# --- posters, source, platform cells -----------------------------------------------------------
@pytest.mark.parametrize(("url", "page", "poster"), [
    ("https://www.zhihu.com/question/381234567/answer/1123456789",
     "www.zhihu.com/answer-1123456789.html", "证件办理小陈（ID：zhengjian-xiaochen）"),
    ("https://www.xiaohongshu.com/explore/64a1b2c3d4e5f60718293a4b",
     "www.xiaohongshu.com/explore-64a1b2c3d4e5f60718293a4b.html",
     "考证学姐（ID：5f1e2d3c4b5a69788796a5b4）"),
])
def test_posters_of_login_walled_platform_pages(url: str, page: str, poster: str) -> None:
    facts = post_facts(url, (DEMO_SITES / page).read_text(encoding="utf-8"))
    assert facts is not None and facts.poster == poster


@pytest.mark.parametrize("html", [
    "", "\x00" * 100, "<html><body>" + "<div>" * 50_000, "<meta itemprop='name' content='x'>",
    "<div class='AuthorInfo'><meta itemprop='name' content='" + "长" * 500 + "'></div>",
])
def test_hostile_post_pages_give_a_bounded_poster_or_none(html: str) -> None:
    facts = post_facts("https://www.zhihu.com/question/1/answer/2", html)
    assert facts is not None and len(facts.poster) <= 60


def test_source_names_the_platform_a_site_query_searched() -> None:
    assert source_label("baidu:site:zhihu.com 电工证 包过") == "site:zhihu.com via baidu:电工证 包过"
    assert source_label("tieba:电工证 包过") == "tieba:电工证 包过"
    assert source_label("bing:电工证 site:x") == "bing:电工证 site:x"
    assert platform_text({"platform": "tieba", "poster": "老张"}) == "百度贴吧，发帖人 老张"
    assert platform_text({"platform": "zhihu", "poster": ""}) == "知乎"
    assert platform_text({"platform": "", "poster": ""}) == ""


# --- the demo web ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def web() -> Iterator[DemoWeb]:
    with DemoWeb(captcha_engines=frozenset({"zhidao"})) as running:
        yield running


def test_demo_tieba_search_lists_only_tieba_posts_in_its_markup(web: DemoWeb) -> None:
    url = TIEBA.url_for("电工证 免考", 0)
    page = TIEBA.parse(fetch(web, url).body.decode("utf-8"), url)
    assert page.block is None
    assert {r.target_url for r in page.results} == {
        "https://tieba.baidu.com/p/8912345678", "https://tieba.baidu.com/p/8899887766",
        "https://tieba.baidu.com/p/8901234567"}
    assert fetch(web, "https://tieba.baidu.com/p/8912345678").status == 200


def test_demo_zhidao_captcha_redirects_to_baidu_verification(web: DemoWeb) -> None:
    answer = fetch(web, ZHIDAO.url_for("电工证", 0))
    assert answer.status == 302
    location = answer.headers["Location"]
    assert location.startswith("https://wappass.baidu.com/static/captcha/tuxing.html")
    assert ZHIDAO.parse("", location).block == "captcha"
    assert b"wappass.baidu.com" in fetch(web, location).body


def test_demo_site_operator_keeps_results_on_the_platform(web: DemoWeb) -> None:
    url = BAIDU.url_for("site:zhihu.com 特种作业操作证 免考", 0)
    body = fetch(web, url).body.decode("utf-8")
    page = BAIDU.parse(body, url)
    assert len(page.results) == 2
    assert all("www.zhihu.com" in (r.target_url or "") for r in page.results)


def test_demo_platform_host_serves_its_posts_and_404_elsewhere(web: DemoWeb) -> None:
    assert fetch(web, "https://zhidao.baidu.com/question/2031234567890123456.html").status == 200
    assert fetch(web, "https://zhidao.baidu.com/question/1.html").status == 404


# --- the store ---------------------------------------------------------------------------------
POST_URL = "https://tieba.baidu.com/p/8912345678"
POST_HTML = (DEMO_SITES / "tieba.baidu.com" / "p-8912345678.html").read_text(encoding="utf-8")


def test_a_post_lead_keeps_its_platform_and_poster_through_a_fetch_that_shows_none(
    store: Store
) -> None:
    run = store.start_run("test", {})
    store.save_page(run, make_page(POST_URL, html=POST_HTML))
    store.save_page(run, make_page(POST_URL, html=""))  # 304 / a login wall: no author markup
    store.save_page(run, make_page("http://ban-zheng.example.com/", html=POST_HTML))
    leads = {lead["url"]: lead for lead in store.leads()}
    assert leads[POST_URL]["platform"] == "tieba"
    assert leads[POST_URL]["poster"] == "快办老张（ID：tb.1.7f3a2c1d.Qx9kYb2）"
    assert leads["http://ban-zheng.example.com/"]["platform"] == ""
    assert leads["http://ban-zheng.example.com/"]["poster"] == ""


def test_a_platform_that_does_not_answer_is_never_watched_as_a_domain(store: Store) -> None:
    run = store.start_run("test", {})
    for url in (POST_URL, "https://www.zhihu.com/question/1/answer/2", "http://dead-seller.top/"):
        store.save_page(run, make_page(url, error="dns", status=0, verdict=None))
    assert [row["domain"] for row in store.domain_candidates()] == ["dead-seller.top"]
