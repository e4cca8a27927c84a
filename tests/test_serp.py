"""SERP parsing: fixtures in each engine's real markup, real saved pages, hostile input."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from crawler.serp import Engine, SerpPage, redirect_target
from spiders.baidu import BAIDU
from spiders.bing import BING, decode_ck_link
from spiders.so360 import SO360
from spiders.sogou import SOGOU

FIXTURES = Path(__file__).parent / "fixtures" / "serp"
REAL_PAGES = Path("/work/shared/realdata/serp")
ENGINES = (BAIDU, SOGOU, BING, SO360)


def parse_fixture(engine: Engine, name: str, url: str | None = None) -> SerpPage:
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    return engine.parse(html, url or engine.url_for("x", 0))


def summary(page: SerpPage) -> list[tuple[str, str | None, bool]]:
    return [(r.title, r.target_url, r.is_ad) for r in page.results]


def test_baidu_results_page() -> None:
    page = parse_fixture(BAIDU, "baidu_results")
    assert page.block is None
    assert summary(page) == [
        ("电工证快速办理-全国联网可查-包过不过退款", None, True),
        (
            "电工证怎么考?零基础包过,官网可查_电工证办理中心",
            "http://www.diangongzheng-ban.com/",
            False,
        ),
        (
            "特种作业操作证(电工证)代办 不考试 包过",
            "https://www.tezhong-banzheng.com/dgz/index.html",
            False,
        ),
        (
            "花钱买的电工证说包过,在网上能查到吗? - 百度知道",
            "https://zhidao.baidu.com/question/1987654321.html",
            False,
        ),
        ('实拍:电工证"包过"骗局揭秘_好看视频', None, False),
        ("特种作业操作证及安全生产知识和管理能力考核合格信息查询", "http://cx.mem.gov.cn/", False),
        (
            "全国特种作业操作证查询系统-电工证查询入口",
            "http://cx-mem-gov.chaxun-zhengshu.com/tzzy/",
            False,
        ),
        ("安全员证 C证 报名 包过 免考 - 建安职业培训", None, True),
    ]
    assert [r.rank for r in page.results] == list(range(1, 9))
    first_ad, first_organic = page.results[0], page.results[1]
    assert first_ad.link.startswith("https://www.baidu.com/baidu.php?url=K000000dGlfdJ3oN7yPV1")
    assert BAIDU.is_redirect_link(first_ad.link)
    assert first_organic.link == (
        "http://www.baidu.com/link?url=Qm9gZ1yKxV2vTq1S8fJ0Ws3bLhNnR5pX-aD6cE7uYz_4kH9oIgT2mB"
    )
    assert first_organic.snippet == (
        "不用考试也能拿电工证?本中心承诺包过, 证书在应急管理部网站可查,"
        "低压电工、高压电工、焊工证均可办理..."
    )
    assert page.results[2].snippet == (
        "特种作业操作证、安全员证、特种设备作业人员证代办,无需到场考试,包过,全国通用可查。"
    )
    assert first_ad.snippet.startswith("零基础报名,包过,15个工作日拿证")
    assert page.next_url == (
        "https://www.baidu.com/s?wd=%E7%94%B5%E5%B7%A5%E8%AF%81%20%E5%8C%85%E8%BF%87&pn=10"
        "&oq=%E7%94%B5%E5%B7%A5%E8%AF%81%20%E5%8C%85%E8%BF%87&ie=utf-8"
        "&rsv_pq=e2d1f4a700023c1f&rsv_page=1"
    )


def test_sogou_results_page() -> None:
    page = parse_fixture(SOGOU, "sogou_results")
    assert page.block is None
    assert summary(page) == [
        ("安全员证包过-三类人员ABC证-免考快速下证", None, True),
        (
            "建筑施工安全员证怎么办?C证包过,官网可查",
            "http://www.jianzhu-anquanyuan.com/c-zheng.html",
            False,
        ),
        ("三类人员安全员证查询_全国建筑安管人员证书查询", None, False),
        ("花钱办的安全员证说包过,是真的吗?-知乎", None, False),
        ("特种设备作业人员证(叉车证)代办 免考包过", None, False),
    ]
    links = [r.link for r in page.results]
    assert links[1] == (
        "https://www.sogou.com/link?url=hedJjaC291Oj7qFBmSPmN9vJb1QeOOdzfkGfvZRb0CrmhKyTi_s5yBz3"
    )
    assert all(SOGOU.is_redirect_link(link) for link in links)
    assert [r.snippet for r in page.results[2:4]] == [
        "输入姓名和证书编号即可查询安全员证真伪。",
        "正规安全员证须由住建部门考核发证,承诺免考包过的基本都是假证。",
    ]
    assert page.results[1].snippet == (
        "专业代办建筑安全员证,无需参加考试,证书可在全国工程质量安全监管信息平台查询, 7天出证。"
    )
    assert page.next_url == (
        "https://www.sogou.com/web?query=%E5%AE%89%E5%85%A8%E5%91%98%E8%AF%81+%E5%8C%85%E8%BF%87"
        "&page=2&ie=utf8"
    )


def test_bing_results_page() -> None:
    page = parse_fixture(BING, "bing_results")
    assert page.block is None
    assert summary(page) == [
        ("高处作业证办理-包过-应急管理厅可查", None, True),
        (
            "高处作业证代办 不用考试 包过 - 高处作业证代办中心",
            "http://www.gaochuzuoye-banzheng.com/",
            False,
        ),
        (
            "特种作业操作证查询 - 高处作业证在线查询",
            "https://www.tezhongzuoye-cx.com/tzzy/query.aspx?id=123",
            False,
        ),
        ("特种作业操作证及安全生产知识和管理能力考核合格信息查询", "http://cx.mem.gov.cn/", False),
        ("网上说高处作业证包过,可信吗?", "https://zhidao.example-qa.com/q/2023-登高证.html", False),
    ]
    ad, organic, _, direct, _ = page.results
    assert ad.link.startswith("https://cn.bing.com/aclk?ld=e8Kp3vY2sQk")
    assert BING.is_redirect_link(ad.link) and BING.is_redirect_link(organic.link)
    assert organic.link.startswith("https://cn.bing.com/ck/a?!&&p=8f2b5e1c9d7a3f60")
    assert direct.link == "http://cx.mem.gov.cn/" and not BING.is_redirect_link(direct.link)
    assert organic.snippet == (
        "2023年10月8日 · 专业办理高处作业证(登高证),不用到场考试,包过,应急管理部网站可查询。"
    )
    assert ad.snippet == "登高证、高处作业证全国代办,免考包过,官网可查,7天下证。"
    assert page.next_url == (
        "https://cn.bing.com/search?q=%e9%ab%98%e5%a4%84%e4%bd%9c%e4%b8%9a%e8%af%81+%e5%8c%85%e8%bf%87"
        "&first=11&FORM=PORE"
    )


def test_so360_results_page() -> None:
    page = parse_fixture(SO360, "so360_results")
    assert page.block is None
    assert summary(page) == [
        ("特种设备作业证-叉车证包过-全国可查", "https://www.tezhongshebei-kuaiban.com/", True),
        (
            "特种设备作业人员证代办_免考包过_当月拿证",
            "http://www.tezhong-banzheng.com/shebei/",
            False,
        ),
        ("全国特种设备作业人员证书查询系统", "http://cnse-e-cqs.chaxun-tzsb.com/", False),
        ("特种设备作业人员证书查询", "http://cnse.e-cqs.cn/", False),
        ("有人说特种设备作业人员证可以包过,靠谱吗?_360问答", None, False),
    ]
    assert page.results[1].link == (
        "https://www.so.com/link?m=zKq8V1d2mQ9yXc3Rt5Uo7Wp%2Bj4FnLs6Ga0Eh8Bk2Mv%2FyT1e%3D"
    )
    assert [r.snippet for r in page.results[1:4]] == [
        "专业代办特种设备作业人员证,叉车证、电梯证、锅炉证均可, "
        "无需考试包过,可在特种设备作业人员证书查询网查询。",
        "2023年9月3日 - 输入证件号查询特种设备作业人员证真伪,与国家市场监管总局数据同步。",
        "国家市场监督管理总局 特种设备作业人员证书查询 请输入姓名和证件号码",
    ]
    assert page.next_url is not None and "&pn=2&" in page.next_url
    assert page.next_url.startswith("https://www.so.com/s?q=")


@pytest.mark.parametrize("engine", ENGINES, ids=lambda e: e.name)
def test_captcha_page(engine: Engine) -> None:
    assert parse_fixture(engine, f"{engine.name}_captcha") == SerpPage((), None, "captcha")


@pytest.mark.parametrize("engine", ENGINES, ids=lambda e: e.name)
def test_zero_results_is_not_a_block(engine: Engine) -> None:
    assert parse_fixture(engine, f"{engine.name}_noresults") == SerpPage((), None, None)


@pytest.mark.parametrize(
    ("engine", "url"),
    [
        (BAIDU, "https://wappass.baidu.com/static/captcha/tuxing.html?&logid=1&backurl=x"),
        (SOGOU, "https://www.sogou.com/antispider/?from=%2Fweb%3Fquery%3Dx"),
        (SO360, "https://qcaptcha.so.com/?ret=https%3A%2F%2Fwww.so.com%2Fs%3Fq%3Dx"),
    ],
    ids=lambda value: getattr(value, "name", ""),
)
def test_captcha_recognised_by_final_url(engine: Engine, url: str) -> None:
    assert engine.parse("<html><body>请稍候</body></html>", url).block == "captcha"


@pytest.mark.parametrize("engine", ENGINES, ids=lambda e: e.name)
@pytest.mark.parametrize("status", [403, 429, 503])
def test_error_status_is_blocked(engine: Engine, status: int) -> None:
    html = (FIXTURES / f"{engine.name}_results.html").read_text(encoding="utf-8")
    assert engine.parse(html, engine.url_for("x", 0), status).block == "blocked"


@pytest.mark.parametrize("engine", ENGINES, ids=lambda e: e.name)
def test_hostile_input_never_raises(engine: Engine) -> None:
    url = engine.url_for("电工证", 0)
    rng = random.Random(7)
    garbage = bytes(rng.randrange(256) for _ in range(20_000)).decode("latin-1")
    full = (FIXTURES / f"{engine.name}_results.html").read_text(encoding="utf-8")
    assert engine.parse("", url).block == "blocked"
    assert engine.parse("   \n ", url).block == "blocked"
    assert engine.parse(garbage, url).results == ()
    assert engine.parse("<html><body><h1>Access Denied</h1></body></html>", url).block == "blocked"
    assert engine.parse("\x00<div>\x00</div>", url).results == ()
    assert engine.parse("<" * 10_000 + "div" * 10_000, url).results == ()
    assert engine.parse("<div>" * 50_000, url).results == ()
    truncated = engine.parse(full[: len(full) // 2], url)
    assert truncated.block is None and truncated.results
    engine.parse(full, "not a url")  # relative links cannot be resolved, but no crash
    huge = full.replace("</body>", "<p>" + "假证 " * 1_700_000 + "</p></body>")
    assert len(huge.encode()) > 5_000_000
    assert engine.parse(huge, url).results == engine.parse(full, url).results


def test_url_for_encodes_utf8_and_pages() -> None:
    query = "电工证 包过"
    encoded = "%E7%94%B5%E5%B7%A5%E8%AF%81+%E5%8C%85%E8%BF%87"
    assert BAIDU.url_for(query, 0) == f"https://www.baidu.com/s?wd={encoded}&pn=0&ie=utf-8"
    assert BAIDU.url_for(query, 2) == f"https://www.baidu.com/s?wd={encoded}&pn=20&ie=utf-8"
    assert SOGOU.url_for(query, 0) == f"https://www.sogou.com/web?query={encoded}&page=1&ie=utf8"
    assert SOGOU.url_for(query, 2) == f"https://www.sogou.com/web?query={encoded}&page=3&ie=utf8"
    assert BING.url_for(query, 0) == f"https://cn.bing.com/search?q={encoded}&first=1"
    assert BING.url_for(query, 2) == f"https://cn.bing.com/search?q={encoded}&first=21"
    assert SO360.url_for(query, 0) == f"https://www.so.com/s?q={encoded}&pn=1"
    assert SO360.url_for(query, 2) == f"https://www.so.com/s?q={encoded}&pn=3"
    assert BAIDU.url_for("a&b=c#d", 0).startswith("https://www.baidu.com/s?wd=a%26b%3Dc%23d&")


def test_hosts_and_redirect_links() -> None:
    assert BAIDU.hosts[0] == "www.baidu.com" and SOGOU.hosts[0] == "www.sogou.com"
    assert BING.hosts[0] == "cn.bing.com" and SO360.hosts[0] == "www.so.com"
    assert BAIDU.is_redirect_link("http://www.baidu.com/link?url=abc")
    assert BAIDU.is_redirect_link("https://www.baidu.com/baidu.php?url=abc")
    assert not BAIDU.is_redirect_link("https://www.baidu.com/s?wd=x")
    assert not BAIDU.is_redirect_link("http://www.example.com/link?url=abc")
    assert SOGOU.is_redirect_link("https://www.sogou.com/link?url=abc")
    assert SO360.is_redirect_link("https://www.so.com/link?m=abc")
    assert BING.is_redirect_link("https://www.bing.com/ck/a?!&&u=a1aHR0cDovL3guY24v")
    assert not SOGOU.is_redirect_link("http://[::1")


def test_decode_ck_link() -> None:
    assert decode_ck_link("https://cn.bing.com/ck/a?!&&p=1&u=a1aHR0cDovL3guY24v&ntb=1") == (
        "http://x.cn/"
    )
    assert decode_ck_link("https://cn.bing.com/ck/a?!&&p=1&u=zzz") is None
    assert decode_ck_link("https://cn.bing.com/ck/a?u=a1%%%") is None


@pytest.mark.parametrize(
    ("html", "target"),
    [
        (
            '<meta content="always" name="referrer"><script>window.location.replace'
            '("http://www.dgz-ban.com/a?b=1&c=2")</script><noscript><META http-equiv="refresh" '
            "content=\"0;URL='http://www.dgz-ban.com/a?b=1&c=2'\"></noscript>",
            "http://www.dgz-ban.com/a?b=1&c=2",
        ),
        ('<meta http-equiv="Refresh" content="0; url=/landing">', "https://www.sogou.com/landing"),
        ("<script>location.href='https:\\/\\/x.cn\\/p'</script>", "https://x.cn/p"),
        ('<script>window.location = "http://y.cn/";</script>', "http://y.cn/"),
        ("<html><body>普通页面</body></html>", None),
        ("<script>location.href='javascript:alert(1)'</script>", None),
        ("", None),
        ("\x00\xff<<<", None),
    ],
)
def test_redirect_target(html: str, target: str | None) -> None:
    assert redirect_target(html, "https://www.sogou.com/link?url=abc") == target


def real_page(name: str) -> str:
    path = REAL_PAGES / name
    if not path.exists():
        pytest.skip(f"real SERP {path} not available")
    return path.read_text(encoding="utf-8", errors="replace")


def test_real_baidu_2022_new_pmd() -> None:
    page = BAIDU.parse(
        real_page("baidu_2022-12-10_q-荷兰阿根廷场上爆发冲突.html"),
        "https://www.baidu.com/s?wd=%E8%8D%B7%E5%85%B0",
    )
    assert page.block is None
    organic = [r for r in page.results if r.target_url]
    assert len(organic) >= 5
    assert all(r.title and not r.is_ad for r in page.results)
    assert all(BAIDU.is_redirect_link(r.link) for r in page.results)
    assert page.results[0].title == "荷兰阿根廷场上爆发冲突 差点引发两队群殴……_新闻频道_..."
    assert page.results[0].target_url == (
        "https://news.china.com/socialgd/10000169/20221210/44066666_2.html"
    )
    assert page.results[0].snippet.startswith("双方爆发冲突。在比赛最后时刻,阿根廷队的帕雷德斯")
    assert page.next_url is not None and "&pn=10&" in page.next_url


@pytest.mark.parametrize(
    "name",
    [
        "baidu_2015-01_q-number.html",
        "baidu_2015_q-a_page9.html",
        "baidu_2015_no-results-literal.html",
    ],
)
def test_real_baidu_2015(name: str) -> None:
    page = BAIDU.parse(real_page(name), "https://www.baidu.com/s?wd=x")
    assert page.block is None and len(page.results) == 10
    assert all(r.title for r in page.results)
    assert page.next_url is not None and page.next_url.startswith("https://www.baidu.com/s?wd=")


def test_real_bing_2015() -> None:
    hello = BING.parse(
        real_page("bing_2015_de-DE_q-hello.html"), "https://www.bing.com/search?q=hello"
    )
    assert hello.block is None and len(hello.results) == 9
    assert hello.results[0].title == "Hello - Official Site"
    assert hello.results[0].target_url == "http://www.hellomagazine.com/"
    assert hello.results[0].snippet.startswith("HELLO! Online brings you the latest celebrity")
    assert hello.next_url == (
        "https://www.bing.com/search?q=hello&go=Submit+Query&qs=bs&first=11&FORM=PORE"
    )
    asdf = BING.parse(
        real_page("bing_2015_de-DE_q-asdf_page5.html"), "https://www.bing.com/search?q=asdf"
    )
    assert len(asdf.results) == 10 and asdf.next_url and "first=51" in asdf.next_url


def test_real_so360_fragment() -> None:
    page = SO360.parse(
        real_page("so360_fragment_circa2016_single-result.html"), "https://www.so.com/s?q=x"
    )
    (result,) = page.results
    assert result.target_url == "http://my.4399.com/forums/thread-53003824-pid-586651442"
    assert result.link.startswith("https://www.so.com/link?m=")
    assert result.title.startswith("【演绎|宫闱】凤凰点翠。")
