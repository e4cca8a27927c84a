"""Page similarity: impostor pages on unrelated domains are lookalikes of the right platform; the
genuine pages on the official hosts never lead; identity lines and logos count."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import lxml.html
import pytest
from PIL import Image, ImageDraw

from keywords import load_library
from leads.judge.page_similarity import PageComparer, compare_page, logo_hash
from leads.judge.verdict import LEAD_THRESHOLD, PageFacts, judge_page

PAGES = Path(__file__).parent / "data" / "pages"
DEMO_SITES = Path(__file__).parent.parent / "crawler" / "demoweb" / "sites"


def _read(path: Path) -> tuple[str, str, str]:
    html = path.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    for element in tree.xpath("//script|//style"):
        element.drop_tree()
    return tree.findtext(".//title") or "", " ".join(tree.find("body").itertext()), html


def _judge(path: Path, url: str):
    title, text, html = _read(path)
    return judge_page(PageFacts(url=url, final_url=url, title=title, text=text, html=html))


@pytest.mark.parametrize(
    ("page", "url", "target", "evidence"),
    [
        ("lookalike_query.html", "https://zscx-center.com/", "cx.mem.gov.cn", "title_copy"),
        ("impostor_mohurd.html", "https://aq-fuwu.com/", "zlaq.mohurd.gov.cn", "sponsor"),
        ("impostor_samr.html", "http://shebei-info.net/pub", "cnse.e-cqs.cn", "html_markers"),
        ("impostor_ministry.html", "http://www.yjb-portal.com/", "www.mem.gov.cn", "sponsor"),
    ],
)
def test_impostor_pages_on_unrelated_domains(page: str, url: str, target: str, evidence: str):
    verdict = _judge(PAGES / page, url)
    assert verdict.category == "lookalike_site", verdict.reasons
    assert verdict.target == target
    assert verdict.score >= LEAD_THRESHOLD
    assert verdict.signals["domain"] < LEAD_THRESHOLD  # the page, not the domain, gave it away
    assert f"page.{evidence}" in verdict.signals
    assert any(reason.startswith(f"页面仿冒 {target}") for reason in verdict.reasons)


def test_a_gov_site_code_on_a_non_government_page_is_named():
    title, text, html = _read(PAGES / "impostor_ministry.html")
    match = compare_page(title, text, html)
    assert match.signals["gov_site_code"] > 0
    assert "bm89000001" in match.reasons[0]


@pytest.mark.parametrize(
    ("path", "url", "own_target"),
    [
        ("cx.mem.gov.cn/index.html", "https://cx.mem.gov.cn/", "cx.mem.gov.cn"),
        ("cx.mem.gov.cn/special.html", "https://cx.mem.gov.cn/special?index=0", "cx.mem.gov.cn"),
        (
            "zlaq.mohurd.gov.cn/qyaqscglry.html",
            "https://zlaq.mohurd.gov.cn/fwmh/bjxcjgl/fwmh/pages/construction_safety/qyaqscglry/"
            "qyaqscglry.html",
            "zlaq.mohurd.gov.cn",
        ),
        ("cnse.e-cqs.cn/pub.html", "https://cnse.e-cqs.cn/info-pub/pub", "cnse.e-cqs.cn"),
        ("www.mem.gov.cn/index.html", "https://www.mem.gov.cn/", ""),
    ],
)
def test_genuine_pages_on_official_hosts_never_lead(path: str, url: str, own_target: str):
    verdict = _judge(DEMO_SITES / path, url)
    assert verdict.category == "none" and not verdict.is_lead
    if own_target:  # the fingerprint recognises the genuine page as its own platform
        title, text, html = _read(DEMO_SITES / path)
        assert compare_page(title, text, html).target == own_target


def test_a_school_naming_itself_as_sponsor_is_not_an_impostor():
    verdict = _judge(PAGES / "school_sponsor_line.html", "http://www.hengan-peixun.com/jingsai")
    assert not verdict.is_lead
    assert "page.sponsor" not in verdict.signals


def _emblem(size: int, colour: str = "red") -> Image.Image:
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((size * 0.1, size * 0.1, size * 0.9, size * 0.9), fill=colour)
    draw.rectangle((size * 0.4, size * 0.2, size * 0.6, size * 0.8), fill="gold")
    draw.polygon([(0, size), (size * 0.3, size * 0.7), (size * 0.2, size)], fill="black")
    return image


def _bytes(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def test_logo_hash_survives_rescaling_and_recompression():
    original = logo_hash(_bytes(_emblem(256), "PNG"))
    copied = logo_hash(_bytes(_emblem(90).convert("RGB"), "JPEG", quality=40))
    different = logo_hash(_bytes(Image.new("RGB", (64, 64), "white").rotate(45), "PNG"))
    other = Image.new("RGB", (128, 128), "white")
    ImageDraw.Draw(other).rectangle((0, 0, 64, 128), fill="blue")
    unrelated = logo_hash(_bytes(other, "PNG"))
    assert len(original) == 16
    distance = bin(int(original, 16) ^ int(copied, 16)).count("1")
    assert distance <= 6
    assert bin(int(original, 16) ^ int(unrelated, 16)).count("1") > 12
    assert different != original


@pytest.mark.parametrize("garbage", [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50])
def test_logo_hash_of_garbage_is_empty(garbage: bytes):
    assert logo_hash(garbage) == ""


def test_copied_logo_counts_for_the_platform_that_lists_its_hash(tmp_path: Path):
    """A keyword library copy whose mem platform knows a logo hash (the real one is not known)."""
    directory = tmp_path / "keywords"
    shutil.copytree(
        load_library().directory, directory, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    platforms = directory / "platforms.toml"
    known = logo_hash(_bytes(_emblem(256), "PNG"))
    text = platforms.read_text(encoding="utf-8")
    platforms.write_text(
        text.replace("logo_hashes = []", f'logo_hashes = ["{known}"]', 1), encoding="utf-8"
    )
    comparer = PageComparer(load_library(directory))
    title, text, html = _read(PAGES / "lookalike_query.html")
    copied = logo_hash(_bytes(_emblem(80), "JPEG", quality=50))
    with_logo = comparer.compare(title, text, html, [copied])
    without = comparer.compare(title, text, html, [logo_hash(b"garbage")])
    assert with_logo.target == "cx.mem.gov.cn"
    assert with_logo.signals["logo"] > 0 and "logo" not in without.signals
    assert with_logo.score > without.score or with_logo.score == 100


def test_logos_seen_on_the_official_hosts_count_for_their_platform():
    """No hash in platforms.toml: the emblem the crawler saw on the genuine host is the one."""
    emblem = logo_hash(_bytes(_emblem(256), "PNG"))
    copy = logo_hash(_bytes(_emblem(72).convert("RGB"), "JPEG", quality=45))
    title, text = "证书查询", "请输入身份证号和证书编号查询"
    html = "<form><input name=idcard><input name=zsbh></form>"
    plain = compare_page(title, text, html, [copy])
    assert "logo" not in plain.signals  # nothing known to compare with
    seen = compare_page(title, text, html, [copy], {"cx.mem.gov.cn": [emblem]})
    assert seen.signals["logo"] > 0 and seen.target == "cx.mem.gov.cn"
    assert "照搬标志图片" in seen.reasons[0]
    # the ministry's own front page is the ministry, not the platform under the same domain
    ministry = compare_page(title, text, html, [copy], {"www.mohurd.gov.cn": [emblem]})
    assert ministry.target == "www.mohurd.gov.cn"
    unrelated = compare_page(title, text, html, [copy], {"www.example.com": [emblem]})
    assert "logo" not in unrelated.signals


# --- talking ABOUT a platform is not imitating it (issue 10) ---------------------------------

ABOUT_PLATFORM = [
    ("www.anquan-shibao.com/news/2024/0703/5518.html", "cnse.e-cqs.cn"),  # news, quotes columns
    ("www.wenda-bang.com/q/20931877.html", "zlaq.mohurd.gov.cn"),  # Q&A: steps and the URL
    ("baike.anquan-zhishi.com/item/1538.html", "cx.mem.gov.cn"),  # 百科: <h1> is the name
]
IMITATION_SIGNALS = {
    "page.title_copy", "page.heading_copy", "page.form_fields", "page.sponsor",
    "page.html_markers", "page.result_table", "page.claim",
}


@pytest.mark.parametrize(
    ("path", "url", "platform"),
    [(DEMO_SITES / path, f"https://{path}", platform) for path, platform in ABOUT_PLATFORM]
    + [(PAGES / "about_platform_news.html", "https://www.dongfang-anquan.com/a.html",
        "cx.mem.gov.cn")],
)
def test_a_page_talking_about_a_platform_is_not_its_lookalike(path: Path, url: str, platform):
    verdict = _judge(path, url)
    assert not verdict.is_lead, verdict.reasons
    assert verdict.signals["page"] < LEAD_THRESHOLD
    assert not IMITATION_SIGNALS & verdict.signals.keys(), verdict.signals
    assert any(r.startswith(f"仅在正文中提及 {platform}") for r in verdict.reasons), verdict.reasons


def test_mentions_name_what_the_page_only_talks_about():
    title, text, html = _read(DEMO_SITES / "www.anquan-shibao.com/news/2024/0703/5518.html")
    match = compare_page(title, text, html)
    assert match.mentioned == "cnse.e-cqs.cn"
    assert {"全国特种设备公示信息查询平台", "持证项目", "发证机关"} <= set(match.mentions)


@pytest.mark.parametrize(
    ("title", "own"),
    [
        ("全国特种设备公示信息查询平台", True),
        ("全国特种设备公示信息查询平台官网首页", True),  # filler words around the name
        ("特种设备公示信息查询 - 作业人员查询", True),
        ("全国特种设备公式信息查询平台", True),  # one character changed: a near copy
        ("叉车证怎么查？全国特种设备公示信息查询平台使用指南", False),  # a headline naming it
        ("全国特种设备公示信息查询平台_安全百科", False),  # a 百科 entry about it
        ("全国特种设备公示信息查询平台上线 - 安全时报", False),
    ],
)
def test_the_title_is_the_pages_own_only_when_it_is_the_name(title: str, own: bool):
    html = f"<html><head><title>{title}</title></head><body><p>叉车</p></body></html>"
    match = compare_page(title, "叉车", html)
    assert ("title_copy" in match.signals) is own, match.reasons
    if own:
        assert match.target == "cnse.e-cqs.cn"
        assert any(r.startswith("页面以“") and r.endswith("自称（标题）") for r in match.reasons)


def test_a_lookalike_names_itself_in_title_and_header():
    verdict = _judge(DEMO_SITES / "cx-mem-gov.cn.com/index.html", "http://cx-mem-gov.cn.com/")
    assert verdict.category == "lookalike_site"
    name = "特种作业操作证及安全生产知识和管理能力考核合格信息查询平台"
    assert f"页面以“{name}”自称（标题、页头）" in verdict.reasons


def test_a_query_form_needs_its_fields_and_a_query_button_in_one_form():
    title = "特种作业操作证查询"
    fields = "<label>证件号码<input name=a></label><label>姓名<input name=b></label>"
    copied = compare_page(title, "", f"<form>{fields}<button>查询</button></form>")
    assert {"form_fields", "query_form"} <= copied.signals.keys()
    signup = compare_page(title, "", f"<form>{fields}<button>提交报名</button></form>")
    assert not {"form_fields", "query_form"} & signup.signals.keys()
    searchbox = compare_page(
        title, "输入证件号码、姓名后点击查询",
        "<p>输入证件号码、姓名后点击查询</p><form><input name=q><button>搜索</button></form>",
    )
    assert not {"form_fields", "query_form"} & searchbox.signals.keys()


@pytest.mark.parametrize(
    ("page", "url", "target"),
    [
        (PAGES / "fake_result_card.html", "http://yz-fuwu.net/r/1", "cnse.e-cqs.cn"),
        (DEMO_SITES / "m.hecha-xinxi.com/cert/T370102199003152816.html",
         "http://m.hecha-xinxi.com/cert/T370102199003152816.html", "cx.mem.gov.cn"),
    ],
)
def test_a_result_page_without_a_form_is_a_lookalike(page: Path, url: str, target: str):
    """The page a fake card's QR code opens: the platform's name and a result table."""
    verdict = _judge(page, url)
    assert verdict.category == "lookalike_site" and verdict.target == target
    assert verdict.signals["domain"] == 0 and verdict.signals["page.result_table"] > 0
    assert "page.query_form" not in verdict.signals
    assert any("含证书查询结果表" in reason for reason in verdict.reasons)


def test_result_columns_named_in_a_sentence_are_no_result_table():
    text = "查询结果包括证号、作业类别、操作项目、发证机关和有效期。"
    match = compare_page("特种作业操作证查询", text, f"<p>{text}</p>")
    assert "result_table" not in match.signals


def test_a_sponsor_counts_in_the_footer_not_in_an_infobox():
    title, body = "特种作业操作证查询", "<p>特种作业操作证查询</p>"
    footer = f'{body}<div class="footer">主办单位：应急管理部 京ICP备00000001号</div>'
    infobox = f"{body}<table><tr><th>主办单位</th><td>应急管理部</td></tr></table>"
    sentence = f"{body}<p>该平台主办单位：应急管理部，由干部培训学院运维。</p>"
    assert compare_page(title, "", footer).signals["sponsor"] > 0
    assert "sponsor" not in compare_page(title, "", infobox).signals
    assert "sponsor" not in compare_page(title, "", sentence).signals


def test_links_to_the_official_platform_are_not_copied_code():
    url = "https://zlaq.mohurd.gov.cn/fwmh/bjxcjgl/fwmh/pages/construction_safety/qyaqscglry/"
    linked = compare_page("安全员证怎么查", "", f'<a href="{url}qyaqscglry.html">官方入口</a>')
    assert "html_markers" not in linked.signals
    copied = compare_page("安全员证查询", "", '<input class="keyword-ipt"><a class="btn search">查询</a>')
    assert copied.signals["html_markers"] > 0


def test_a_copy_under_its_own_brand_is_a_lookalike_by_its_form_and_identity():
    """No copied title: the platform's query form with the ministry as 主办单位 gives it away;
    the same form under a site's own identity is a school's student lookup."""
    path = DEMO_SITES / "www.renyuan-heyan.com" / "index.html"
    url = "https://www.renyuan-heyan.com/"
    verdict = _judge(path, url)
    assert verdict.category == "lookalike_site" and verdict.target == "cx.mem.gov.cn"
    assert "page.title_copy" not in verdict.signals
    assert {"page.query_form", "page.form_fields", "page.sponsor"} <= verdict.signals.keys()
    title, text, html = _read(path)
    own = html.replace("主办单位：中华人民共和国应急管理部", "主办单位：持证人员信息核验中心")
    plain = judge_page(PageFacts(url=url, final_url=url, title=title, text=text, html=own))
    assert not plain.is_lead and plain.signals["page"] < LEAD_THRESHOLD
