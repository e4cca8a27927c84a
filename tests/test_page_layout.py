"""page_layout: where a page's words stand (title parts, header, footer, forms, label cells),
read from hostile HTML without raising."""

from __future__ import annotations

import pytest

from leads.judge.page_layout import MAX_HTML_CHARS, page_layout, title_segments


@pytest.mark.parametrize(
    ("title", "segments"),
    [
        ("特种作业操作证查询", ("特种作业操作证查询",)),
        ("查询结果 - 全国特种设备公示信息查询平台", ("查询结果", "全国特种设备公示信息查询平台")),
        ("叉车证怎么查？使用指南_行业资讯_安全时报网", ("叉车证怎么查?使用指南", "行业资讯", "安全时报网")),
        ("问题 | 问答帮", ("问题", "问答帮")),
        ("特种作业操作证查询-全国统一查询入口", ("特种作业操作证查询", "全国统一查询入口")),
        ("e-cqs.cn 平台", ("e-cqs.cn平台",)),  # a hyphen inside a host name is no separator
        ("", ()),
    ],
)
def test_title_segments(title: str, segments: tuple[str, ...]):
    assert title_segments(title) == segments


def test_regions_of_a_lookalike():
    html = """<html><head><title>t</title></head><body>
    <div class="header"><div class="logo"><img src="l.png">中华人民共和国应急管理部</div></div>
    <div class="search"><label>身份证号 <input name="sfzh"></label><a class="btn">查询</a></div>
    <form><input type="hidden" name="token"><input name="q" placeholder="搜索"><button>搜索</button></form>
    <table><tr><th>证号</th><td>T1</td></tr><tr><th>发证机关</th><td>某市应急管理局</td></tr></table>
    <p>有效期限：2030-03-17</p>
    <div id="copyright"><p>主办单位：应急管理部</p><p>京ICP备1号</p></div>
    </body></html>"""
    layout = page_layout("t", "", html)
    assert layout.header_lines == ("中华人民共和国应急管理部",)
    assert layout.footer_lines == ("主办单位:应急管理部", "京icp备1号")
    search, site_search = layout.forms
    assert search.buttons == ("查询",) and search.inputs == 1 and "身份证号" in search.text
    assert site_search.buttons == ("搜索",) and site_search.inputs == 1  # hidden input not counted
    assert {"证号", "发证机关", "有效期限"} <= set(layout.labels)


def test_without_html_the_text_lines_are_the_layout():
    layout = page_layout("标题 - 站名", "第一行\n\n 第二行 \n", "")
    assert layout.title_segments == ("标题", "站名")
    assert layout.lines == ("第一行", "第二行")
    assert layout.forms == () and layout.footer_lines == ()


@pytest.mark.parametrize(
    "html",
    [
        "<<<>>>",
        "\x00\x01<html><body>\x00</body>",
        "<p>" * 100_000,
        "<div class='footer'>" + "版权所有" * 200_000,
        "<form>" + "<input>" * 50_000,
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
    ],
)
def test_hostile_html_never_raises(html: str):
    layout = page_layout("t", "x", html)
    assert all(len(line) <= 2_000 for line in layout.lines)
    assert all(len(form.text) <= 2_000 for form in layout.forms)


def test_only_the_first_part_of_a_huge_page_is_read():
    html = "<html><body><p>开头</p>" + "填充" * MAX_HTML_CHARS + "<p>结尾</p></body></html>"
    lines = page_layout("", "", html).lines
    assert lines[0] == "开头" and "结尾" not in "".join(lines)
