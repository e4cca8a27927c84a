"""Lookalike domains are found with the right target; official, government and innocent hosts are not."""

from pathlib import Path

import pytest

from leads.judge.domains import host_parts, is_government_host, is_official_host, score_domain
from leads.judge.verdict import LEAD_THRESHOLD

DATA = Path(__file__).parent / "data"
REAL_GOV_DOMAINS = Path("/work/shared/realdata/gov_domains.txt")


def _hosts(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(
    "host",
    [
        "cx.mem.gov.cn",
        "zlaq.mohurd.gov.cn",
        "cnse.e-cqs.cn",
        "cnse.samr.gov.cn",
        "https://CX.MEM.GOV.CN:443/special?index=0",
    ],
)
def test_official_hosts(host: str):
    assert is_official_host(host)
    assert is_government_host(host)
    assert score_domain(host).score == 0


def test_own_government_host_list_scores_zero():
    hosts = _hosts(DATA / "gov_hosts.txt")
    assert len(hosts) >= 30
    for host in hosts:
        assert is_government_host(host), host
        assert score_domain(host).score == 0, host


@pytest.mark.skipif(not REAL_GOV_DOMAINS.exists(), reason="reference gov.cn list not present")
def test_reference_government_hosts_score_zero():
    for host in _hosts(REAL_GOV_DOMAINS):
        assert score_domain(host).score == 0, host


@pytest.mark.parametrize(
    ("host", "signal", "target"),
    [
        ("cx.mem.gov.cn.example.com", "embedded_official_host", "cx.mem.gov.cn"),
        (
            "http://zlaq.mohurd.gov.cn.check-cert.top/index",
            "embedded_official_host",
            "zlaq.mohurd.gov.cn",
        ),
        ("mem.gov.cn.com", "suffix_swap", "cx.mem.gov.cn"),
        ("mohurd.com.cn", "suffix_swap", "zlaq.mohurd.gov.cn"),
        ("cnse-e-cqs.top", "token_combination", "cnse.e-cqs.cn"),
        ("e-cqs.com", "suffix_swap", "cnse.e-cqs.cn"),
        ("cx-mem-gov.com", "token_combination", "cx.mem.gov.cn"),
        ("mohurd-zlaq.net", "token_combination", "zlaq.mohurd.gov.cn"),
        ("memgov-cx.cn", "token_combination", "cx.mem.gov.cn"),
        ("cnse-samr.com", "token_combination", "cnse.e-cqs.cn"),
        ("cx-rnem.com", "homoglyph", "cx.mem.gov.cn"),
        ("zlaq-mohurb.com", "typosquat", "zlaq.mohurd.gov.cn"),
        ("сх-mem.com", "homoglyph", "cx.mem.gov.cn"),  # Cyrillic с and х
        ("tzzycx.com", "pinyin_tokens", "cx.mem.gov.cn"),
        ("yjglb-cx.com", "pinyin_tokens", "cx.mem.gov.cn"),
        ("zhengshu-chaxun.com", "pinyin_tokens", "cx.mem.gov.cn"),
        ("tezhongzuoye-chaxun.cn", "pinyin_tokens", "cx.mem.gov.cn"),
        ("tzsb-cx.com", "pinyin_tokens", "cnse.e-cqs.cn"),
        ("zhujianbu-chaxun.com", "pinyin_tokens", "zlaq.mohurd.gov.cn"),
    ],
)
def test_lookalikes_found_with_target(host: str, signal: str, target: str):
    result = score_domain(host)
    assert result.score >= LEAD_THRESHOLD, result
    assert result.target == target
    assert signal in result.signals
    assert any(target in reason for reason in result.reasons)


@pytest.mark.parametrize(
    "host",
    [
        "memory.com",
        "cxmotors.com",
        "members.example.org",
        "www.cqs.org",
        "memes.net",
        "cx.example.com",
        "chaxun.com",
        "baidu.com",
        "www.58.com",
        "samrat.in",
        "mohair.co.uk",
        "tezhongzuoye.com",
        "news.sina.com.cn",
        "www.163.com",
        "cnseed.com",  # cnse + ed: a longer word, not a bend of cnse
        "cns.cn",  # one letter short of cnse: three letters are someone else's name
        "zla.com",
        "case.com",  # one letter from cnse, but no typing mistake turns n into a
        "ecos.cn",
        "memo.cn",
        "member.com",
        "mem.com",  # mem alone, without gov/cn/cx/yjglb/anquan beside it
        "mem-chip.cn",
    ],
)
def test_innocent_hosts_stay_low(host: str):
    assert score_domain(host).score < LEAD_THRESHOLD, score_domain(host)


@pytest.mark.parametrize(
    ("raw", "host", "registered"),
    [
        ("HTTPS://Cx.Mem.Gov.Cn./x", "cx.mem.gov.cn", "mem.gov.cn"),
        ("shop.example.co.uk:8080", "shop.example.co.uk", "example.co.uk"),
        ("http://user:pw@a.b.example.com/p?q=1", "a.b.example.com", "example.com"),
        ("证书查询.中国", "xn--1jq843d2lz3da.xn--fiqs8s", "xn--1jq843d2lz3da.xn--fiqs8s"),
    ],
)
def test_host_parts(raw: str, host: str, registered: str):
    parts = host_parts(raw)
    assert (parts.host, parts.registered_domain) == (host, registered)


def test_ip_hosts():
    assert host_parts("http://10.0.0.1:8080/").is_ip
    assert host_parts("[2001:db8::1]").is_ip
    assert score_domain("1.2.3.4").score == 0


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "http://", "http://[bad", "...", "a..b", "\x00", "🔥.com", "-" * 300, "xn--zz"],
)
def test_garbage_never_raises(garbage: str):
    assert score_domain(garbage).score >= 0
    assert is_government_host(garbage) in (True, False)


LABELLED = DATA / "lookalike_domains.tsv"


def test_labelled_domain_set_precision_and_recall():
    """≥ 500 lookalikes of every kind against ≥ 2,000 hard negatives (tests/data/make_lookalike_domains.py)."""
    rows = [line.split("\t") for line in LABELLED.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    lookalikes = [row for row in rows if row[1] == "lookalike"]
    negatives = [row for row in rows if row[1] == "negative"]
    assert len(lookalikes) >= 500 and len(negatives) >= 2000
    kinds = {row[2] for row in lookalikes}
    assert {"typosquat", "homoglyph", "ascii_swap", "token_combination", "suffix_swap", "pinyin",
            "embedded_official_host", "idn_punycode"} <= kinds
    found = [row for row in lookalikes if score_domain(row[0]).score >= LEAD_THRESHOLD]
    false = [row for row in negatives if score_domain(row[0]).score >= LEAD_THRESHOLD]
    right_target = [row for row in found if score_domain(row[0]).target == row[3]]
    precision = len(found) / (len(found) + len(false))
    recall = len(found) / len(lookalikes)
    print(f"\nlookalikes {len(lookalikes)}  negatives {len(negatives)}  "
          f"precision {precision:.3f}  recall {recall:.3f}  right target {len(right_target)}/{len(found)}")
    print("false positives:", ", ".join(row[0] for row in false))
    assert precision >= 0.95 and recall >= 0.95
    assert len(right_target) / len(found) >= 0.95
    assert not [row for row in false if row[2] == "government"]  # no gov.cn host is an impostor


@pytest.mark.parametrize(
    ("host", "target"),
    [
        ("m0hurd.com", "zlaq.mohurd.gov.cn"),  # digit for letter
        ("z1aq-mohurd.cn", "zlaq.mohurd.gov.cn"),
        ("mohurcl.top", "zlaq.mohurd.gov.cn"),  # cl for d
        ("vvvvvv-mem-gov.com", "cx.mem.gov.cn"),  # vv for w
        ("zlaqmοhurd.com", "zlaq.mohurd.gov.cn"),  # Greek omicron
        ("cx-mém.com", "cx.mem.gov.cn"),  # accent dropped
        ("ｃｘ－ｍｅｍ.com", "cx.mem.gov.cn"),  # full width
        ("xn---mem-k6dy.com", "cx.mem.gov.cn"),  # punycode of Cyrillic сх-mem
    ],
)
def test_homoglyph_and_idn_folding(host: str, target: str):
    result = score_domain(host)
    assert result.score >= LEAD_THRESHOLD, result
    assert result.target == target
    assert any("homoglyph" in reason or "typosquat" in reason or "token_combination" in reason
               for reason in result.reasons)


def test_signal_names_appear_in_reasons():
    result = score_domain("cx.mem.gov.cn.zscx.top")
    assert result.reasons[0].startswith("域名仿冒 cx.mem.gov.cn（嵌入官方域名 embedded_official_host：")
    for name in result.signals:
        assert any(name in reason for reason in result.reasons)


def test_subdomain_labels_count_and_synonyms_do_not_add_up():
    assert score_domain("cx-mem.example.com").score >= LEAD_THRESHOLD  # subdomain label
    assert score_domain("cx.kuaidi-chaxun.com").score < LEAD_THRESHOLD  # 查询 twice is one claim


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("a" * 64 + ".com", "63"), ("x" * 250 + ".com", "253"), ("a..b.com", "空标签"),
     ("xn--zz.com", "IDN"), ("bad_$host.com", "非法字符")],
)
def test_unregistrable_hosts_say_why(raw: str, problem: str):
    assert problem in host_parts(raw).problem
    result = score_domain(raw)
    assert result.score == 0 and problem in result.reasons[0]


def test_ministry_hosts_are_official_and_their_embedding_is_a_lookalike():
    for host in ("www.mem.gov.cn", "www.mohurd.gov.cn", "www.samr.gov.cn"):
        assert is_official_host(host) and score_domain(host).score == 0
    assert score_domain("www.mohurd.gov.cn.zhengshu.top").target == "www.mohurd.gov.cn"


def test_scores_do_not_depend_on_the_hash_seed() -> None:
    """Two look-alike spellings of equal length once came out in set order (hash-seed order)."""
    import os
    import subprocess
    import sys

    code = ("from leads.judge.domains import score_domain; "
            "d = score_domain('xn-mohurdy-cnseeqs-zx1c.com.cn'); print(d.target, d.reasons)")
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1, outputs


def test_cheap_label_filter_never_drops_a_label_that_matters() -> None:
    """``label_notable`` rejects plain labels without their facts; it must agree with the facts
    on every label of the labelled set and of the permutations, their look-alike readings and
    hyphen variants."""
    from leads.judge.domains import _vocabulary
    from leads.plan.permutations import permutations

    vocabulary = _vocabulary()
    hosts = [line.split("\t")[0] for line in LABELLED.read_text(encoding="utf-8").splitlines()[2:]]
    hosts += [permutation.domain for permutation in permutations()]
    labels = {label for host in hosts for label in host_parts(host).host.split(".")}
    labels |= {vocabulary.confusables.skeleton(label) for label in labels}
    labels |= {label.replace("-", "_") for label in labels} | {f"{label}-x" for label in labels}
    labels = {label for label in labels if label.isascii() and label}
    disagree = [label for label in labels
                if vocabulary.label_notable(label) != vocabulary.label_facts(label).notable]
    assert len(labels) > 2000 and sum(map(vocabulary.label_notable, labels)) > 500
    assert not disagree, disagree[:20]


def test_piece_filter_keeps_every_spelling_within_reach() -> None:
    """``_near_spelling`` runs the edit distance only on a spelling that holds a piece of a key
    (pigeonhole filter); every spelling one or two edits (as allowed) from a key must hold one.
    Edits use the key's own letters and one outsider, the worst case for the filter."""
    from leads.judge.domains import _vocabulary

    def edits(word: str, alphabet: str) -> set[str]:
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        return (
            {a + b[1:] for a, b in splits if b}
            | {a + c + b[1:] for a, b in splits if b for c in alphabet}
            | {a + c + b for a, b in splits for c in alphabet}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        )

    vocabulary = _vocabulary()
    for key, typo in vocabulary.typo_keys.items():
        alphabet = "".join(set(key)) + "-"
        reach = edits(key, alphabet)
        if typo.allowed == 2:
            reach |= {twice for once in reach for twice in edits(once, alphabet)}
        missed = [text for text in reach if not vocabulary.near_pieces[len(text)].search(text)]
        assert not missed, (key, missed[:10])
        assert all(vocabulary.may_be_near(text) for text in reach)


def test_innocent_names_and_government_hosts_are_rarely_flagged():
    """tests/data/innocent_domains.txt (written before the scorer changes of issue 10) and the
    government hosts: at most 0.5 % flagged."""
    hosts = _hosts(DATA / "innocent_domains.txt") + _hosts(DATA / "gov_hosts.txt")
    flagged = [host for host in hosts if score_domain(host).score >= LEAD_THRESHOLD]
    assert len(hosts) >= 2000
    assert len(flagged) <= 0.005 * len(hosts), flagged


@pytest.mark.parametrize(
    ("host", "flagged"),
    [("memgov-cx.com", True), ("mem-anquan.net", True), ("memanquan.top", True), ("mem.cn", True),
     ("www.mem.com.cn", True), ("yjglb-mem.com", True), ("memo.cn", False), ("member.com", False),
     ("mem.com", False), ("memory-cn.com", False), ("mem-chip.cn", False)],
)
def test_mem_counts_only_with_its_context(host: str, flagged: bool):
    result = score_domain(host)
    assert (result.score >= LEAD_THRESHOLD) is flagged, result
    assert not flagged or result.target == "cx.mem.gov.cn"
