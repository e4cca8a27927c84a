"""Which pages a page leads to: contact pages of its own site, and verification sites anywhere."""

from parsel import Selector

from crawler.follow import (
    contact_links,
    logo_links,
    needs_browser,
    other_site_links,
    verification_links,
    written_domains,
)

BASE = "http://www.ban-zheng.example.com/index.html"
PAGE = Selector(text="""
<a href="/lianxi.html">联系我们</a> <a href="about.html" title="关于我们">公司</a>
<a href="http://other.example.org/contact">联系我们</a>
<a href="https://cx-mem-gov.cn.com/">证书查询入口</a> <a href="http://zscx.top/q">證書查詢</a>
<a href="javascript:void(0)">证书查询</a> <a href="/news.html">新闻</a>
""")


def test_contact_links_stay_on_the_same_site() -> None:
    assert contact_links(PAGE, BASE) == [
        "http://www.ban-zheng.example.com/lianxi.html",
        "http://www.ban-zheng.example.com/about.html",
    ]


def test_verification_links_go_anywhere_and_read_traditional_script() -> None:
    assert verification_links(PAGE, BASE) == ["https://cx-mem-gov.cn.com/", "http://zscx.top/q"]


def test_other_sites_are_every_other_registered_domain_once_in_page_order() -> None:
    page = Selector(text="""
    <a href="http://shop.ban-zheng.example.com/">分店</a> <a href="http://b.example.net/x">网点</a>
    <a href="http://a.example.net/y">另一个</a> <a href="ftp://files.example.org/">下载</a>
    <a href="https://cx-mem-gov.cn.com/">证书查询入口</a> <a href="mailto:a@example.org">邮件</a>
    """)
    assert other_site_links(page, BASE) == ["http://b.example.net/x", "https://cx-mem-gov.cn.com/"]


def test_domains_written_next_to_a_cue_word_are_followed() -> None:
    text = "办好后登录 ｗｗｗ．zscx-cx。com 查询，官网可查：https://cert-check.top/verify 。联系 abc.com"
    assert written_domains(text) == ["http://www.zscx-cx.com/", "https://cert-check.top/"]


def test_written_domains_ignore_non_domains() -> None:
    assert written_domains("查询 3.5 元，版本 v1.2，文件 a.pdf 官网") == []


def test_browser_only_for_little_text_with_scripts() -> None:
    assert needs_browser("", "<div id=app></div><script src=app.js></script>", 200)
    assert not needs_browser("短", "<p>短</p>", 200)
    assert not needs_browser("长" * 300, "<script></script>", 200)


def test_logo_links_are_marked_images_and_icons_in_page_order() -> None:
    page = Selector(text="""
    <link rel="shortcut icon" href="/favicon.ico"><link rel="stylesheet" href="/a.css">
    <div class="logo"><img src="/img/a.png"></div> <img src="x.jpg" alt="应急管理部标志">
    <img src="photo.jpg" alt="培训现场"> <img src="data:image/png;base64,iVBORw0" id="guohui">
    <img src="javascript:void(0)" class="logo"> <img src="/img/a.png" class="logo">
    """)
    assert logo_links(page, BASE) == [
        "http://www.ban-zheng.example.com/img/a.png",
        "http://www.ban-zheng.example.com/x.jpg",
        "data:image/png;base64,iVBORw0",
        "http://www.ban-zheng.example.com/favicon.ico",
    ]
