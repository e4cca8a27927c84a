"""Visible text from hostile HTML: what a visitor reads, never a crash."""

from leads.judge.page_text import page_text


def test_scripts_styles_and_head_are_not_text_but_meta_keywords_are() -> None:
    html = ("<html><head><title> 电工证  包过 </title><meta name='keywords' content='免考拿证'>"
            "<script>var hidden='不可见'</script><style>p{}</style></head>"
            "<body><p>联系微信 abc</p><div>免<b>考</b></div></body></html>")
    title, text = page_text(html)
    assert title == "电工证 包过"
    assert "免考拿证" in text and "联系微信 abc" in text
    assert "免考" in text.splitlines()  # inline tags join, blocks end lines
    assert "不可见" not in text and "p{}" not in text


def test_malformed_html_with_nul_bytes_still_yields_text() -> None:
    title, text = page_text("<html><title>证书\x00查询</title><body><div><p>包过<div>薇信 abc<td><!-- x")
    assert "包过" in text and "薇信 abc" in text
    assert "\x00" not in title


def test_empty_and_non_html_input() -> None:
    assert page_text("") == ("", "")
    assert page_text("   ") == ("", "")
    assert page_text("just text")[1] == "just text"


def test_huge_page_is_capped() -> None:
    _, text = page_text("<p>" + "办证" * 400_000 + "</p>")
    assert 0 < len(text) <= 500_000
