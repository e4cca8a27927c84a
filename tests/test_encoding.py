"""Encoding repair on the byte level: declared, undeclared and mislabelled Chinese pages."""

from crawler.encoding import choose_encoding
from leads.evidence import charset
from leads.evidence.rerender import same_text, web_label

AD = "<html><head><title>电工证 焊工证 免考包过 官网可查</title></head><body>" + (
    "<p>本公司常年代办特种作业操作证，不用本人到场，三天出证，全国联网可查。联系电话一三八。</p>" * 20
) + "</body></html>"
TRADITIONAL = "<html><body>" + "<p>電工證、焊工證免考包過，官網可查，聯繫微信辦理。</p>" * 20 + "</body></html>"


def test_declared_charset_that_holds_is_kept() -> None:
    body = AD.replace("<head>", '<head><meta charset="gbk">').encode("gbk")
    assert choose_encoding("text/html", body) == ("gb18030", "")


def test_header_charset_wins_over_meta() -> None:
    assert choose_encoding("text/html; charset=UTF-8", AD.encode("utf-8")) == ("utf-8", "")


def test_undeclared_gbk_is_detected_and_flagged() -> None:
    encoding, signal = choose_encoding("text/html", AD.encode("gbk"))
    assert encoding == "gb18030"
    assert AD.encode("gbk").decode(encoding) == AD
    assert signal == "encoding_undeclared"


def test_undeclared_big5_is_detected() -> None:
    body = TRADITIONAL.encode("big5")
    encoding, signal = choose_encoding("", body)
    assert body.decode(encoding) == TRADITIONAL
    assert signal == "encoding_undeclared"


def test_page_claiming_utf8_but_sent_in_gbk_is_repaired() -> None:
    body = AD.encode("gbk")
    encoding, signal = choose_encoding("text/html; charset=utf-8", body)
    assert body.decode(encoding) == AD
    assert signal == "encoding_mismatch:utf-8"


def test_bom_decides() -> None:
    assert choose_encoding("text/html; charset=gbk", b"\xef\xbb\xbf" + AD.encode())[0] == "utf-8"


def test_unknown_label_falls_back_to_detection() -> None:
    body = AD.encode("gbk")
    encoding, signal = choose_encoding("text/html; charset=x-made-up", body)
    assert encoding == "gb18030" and signal == "encoding_mismatch:x-made-up"


def test_binary_garbage_does_not_raise() -> None:
    encoding, _ = choose_encoding("text/html", bytes(range(256)) * 100)
    assert encoding


def test_the_crawl_and_the_evidence_capture_decide_with_one_function() -> None:
    assert choose_encoding is charset.choose_encoding


def test_the_capture_renders_again_only_when_the_browser_reads_other_text() -> None:
    gbk = AD.encode("gbk")
    assert not same_text(gbk, "UTF-8", "gb18030")  # the mislabelled page: mojibake in Chromium
    assert same_text(gbk, "GBK", "gb18030")  # Chromium's GBK is the crawl's gb18030
    assert same_text(b"<p>plain ascii</p>", "windows-1252", "utf-8")  # same text: no second render
    assert not same_text(gbk, "x-no-such-charset", "gb18030")
    assert [web_label(name) for name in ("gb18030", "big5hkscs", "cp1252", "shift_jis")] == [
        "gb18030", "big5", "windows-1252", "shift-jis"]
