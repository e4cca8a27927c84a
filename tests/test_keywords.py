"""The keyword library loads, rejects bad lines with file:line, and composes diverse queries."""

import shutil
from pathlib import Path

import pytest

from keywords import DEFAULT_DIRECTORY, UNCHANGED, compose_queries, load_library, load_review_words


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "keywords"
    shutil.copytree(
        DEFAULT_DIRECTORY, directory, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    return directory


def _append(path: Path, line: str) -> int:
    """Append a line and return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_default_library_loads_every_file():
    library = load_library()
    assert len(library.certificates) >= 40
    assert {c.family for c in library.certificates} >= {
        "特种作业",
        "建筑特种作业",
        "三类人员",
        "特种设备",
    }
    assert any(s.term == "官网可查" for s in library.fraud_signals)
    assert any(n.term == "通报" and n.weight > 0 for n in library.negative_context)
    assert {v.variant: v.canonical for v in library.evasion_variants}["v信"] == "微信"


def test_default_library_is_cached():
    assert load_library() is load_library()


def test_platform_facts():
    platforms = {p.key: p for p in load_library().platforms}
    assert platforms["mem"].hosts == ("cx.mem.gov.cn",)
    assert platforms["mohurd"].agency == "住房和城乡建设部"
    assert "cnse.e-cqs.cn" in platforms["samr"].hosts  # official although not under gov.cn
    assert platforms["samr"].agency == "国家市场监督管理总局"


def test_terms_are_stored_lower_case_half_width(library_copy: Path):
    _append(
        library_copy / "fraud_signals.tsv", "ＧＷ可查测试\t20\tVERIFIABLE_ONLINE\tno\ttest entry"
    )
    library = load_library(library_copy)
    assert library.fraud_signals[-1].term == "gw可查测试"


@pytest.mark.parametrize(
    ("file_name", "line", "message"),
    [
        (
            "certificates.tsv",
            "假证书\t特种作业\t应急管理部\theavy\tyes\tbad weight",
            "weight must be an integer",
        ),
        (
            "certificates.tsv",
            "假证书\t特种作业\t应急管理部\t150\tyes\tout of range",
            "between 0 and 100",
        ),
        ("fraud_signals.tsv", "免考\t25\tNO_EXAM\tyes\tduplicate", "duplicate entry"),
        ("fraud_signals.tsv", "新词\t25\tNO_EXAM\tmaybe\tbad flag", "yes or no"),
        ("fraud_signals.tsv", "新词\t25\tNO_SUCH\tno\tunknown", "unknown concept 'NO_SUCH'"),
        ("fraud_signals.tsv", "新词\t25\tOTHER_DOCS\tno\tnot a claim", "claim or offer concept"),
        ("concepts.tsv", "NO_SUCH\t免考\t20\tx\t免考", "unknown concept 'NO_SUCH'"),
        ("concepts.tsv", "NO_EXAM\t(免考\t20\tx\t免考", "bad regular expression"),
        ("concepts.tsv", "NO_EXAM\t{NOPE}考\t20\tx\t免考", r"unknown class \{NOPE\}"),
        ("concepts.tsv", "NO_EXAM\t免{G3}考\t20\tx\t不考", "does not match the pattern"),
        ("concept_names.tsv", "NEW\tseller\t新\tx", "role must be one of"),
        ("word_classes.tsv", "G5\tabc\tgap name", "reserved for gaps"),
        ("negative_context.tsv", "只有两列\t10", "expected 4 tab-separated fields"),
        ("evasion_variants.tsv", "\t办证\tempty variant", "variant is empty"),
    ],
)
def test_bad_line_fails_with_file_and_line(
    library_copy: Path, file_name: str, line: str, message: str
):
    number = _append(library_copy / file_name, line)
    with pytest.raises(ValueError, match=rf"^{file_name}:{number}: .*{message}"):
        load_library(library_copy)


def test_wrong_header_fails_on_its_line(library_copy: Path):
    path = library_copy / "negative_context.tsv"
    path.write_text("# comment\nword\tweight\n通报\t25\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^negative_context.tsv:2: header must be"):
        load_library(library_copy)


def test_bad_toml_names_the_file(library_copy: Path):
    (library_copy / "routing.toml").write_text("agency_order = [\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^routing.toml: "):
        load_library(library_copy)


def test_misspelt_platform_key_is_refused_naming_file_and_platform(library_copy: Path):
    """A typo in a key must not read as "not known" (no distinctive labels, no identity lines)."""
    path = library_copy / "platforms.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("distinctive_labels =", "distinctve_labels =", 1), encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"^platforms.toml: platform #1 \(mem\): unknown key 'distinctve_labels'"
    ):
        load_library(library_copy)


def test_routing_rule_with_unknown_agency_fails(library_copy: Path):
    path = library_copy / "routing.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[rule]]\nname = "x"\ncategory = ["fake_ad"]\nagencies = ["法院"]\nwhy = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="agencies not in agency_order"):
        load_library(library_copy)


def test_first_queries_span_families_and_signals():
    library = load_library()
    certificates = [c for c in library.certificates if c.query]
    signals = [s.term for s in library.fraud_signals if s.query]
    families = {c.family for c in certificates}
    first = compose_queries(library, limit=len(families))
    by_term = {c.term: c.family for c in certificates}
    assert {by_term[q.split(" ")[0]] for q in first} == families
    assert len({q.split(" ")[1] for q in first}) == min(len(families), len(signals))


def test_queries_cover_every_pair_once_and_are_deterministic():
    library = load_library()
    queries = compose_queries(library, limit=None)
    certificates = sum(c.query for c in library.certificates)
    signals = sum(s.query for s in library.fraud_signals)
    assert len(queries) == len(set(queries)) == certificates * signals
    assert compose_queries(library, limit=None) == queries


def test_query_limit_caps_the_list():
    library = load_library()
    assert len(compose_queries(library, limit=5)) == 5
    assert compose_queries(library, limit=0) == []


def test_user_dictionary_lines_are_jieba_entries():
    lines = load_library().user_dictionary_lines()
    assert "官网可查 2000" in lines
    assert "包过 50" in lines  # short words get a low frequency
    assert all(len(line.split(" ")) == 2 for line in lines)
    assert not any(line.startswith("100%") for line in lines)  # punctuation cannot be one token


def test_concept_patterns_expand_classes_and_gaps():
    concepts = [c for c in load_library().concepts if c.name == "NO_PRESENCE"]
    assert any(c.regex.search("交了钱人不用来也能拿证") for c in concepts)
    assert not any("{G" in c.regex.pattern or "{PERSON}" in c.regex.pattern for c in concepts)
    assert all(c.source.startswith("concepts.tsv:") for c in load_library().concepts)


def test_cert_class_includes_every_certificate_term():
    library = load_library()
    regex = next(
        c.regex for c in library.concepts if c.name == "OFFER" and c.regex.search("代办塔吊证")
    )
    assert all(regex.search("代办" + entry.term) for entry in library.certificates)


def test_a_class_that_is_a_whole_alternative_is_spliced_into_its_group():
    """({CERT}|证) becomes (电工证|…|证): one group whose alternatives all start with a
    character, so the regex engine skips to where one of them stands. The meaning is unchanged,
    and a class inside a longer alternative, or after an escaped bracket, keeps its own group."""
    from re import _compiler, _parser

    from keywords.concepts import _expand

    classes = {"CERT": "电工证|焊工证", "G2": ""}
    spliced = _expand("({CERT}|证)[0-9]{3}", classes, "test")
    assert spliced == "(电工证|焊工证|证)[0-9]{3}"
    assert _compiler._get_charset_prefix(_parser.parse(spliced), 0)
    assert _expand("(办{CERT}|证)", classes, "test") == "(办(?:电工证|焊工证)|证)"
    assert _expand(r"\({CERT}|证)", classes, "test") == r"\((?:电工证|焊工证)|证)"
    prices = [c.regex for c in load_library().concepts
              if c.name == "PRICE" and c.regex.pattern.startswith("(三类")]
    assert any(price.search("叉车证1800") for price in prices)
    assert not any(price.search("叉车证 138 1234 5678") for price in prices)


def test_a_gap_stays_inside_its_sentence():
    no_exam = [c for c in load_library().concepts if c.name == "NO_EXAM"]
    assert any(c.regex.search("考试你不用管") for c in no_exam)
    assert not any(c.regex.search("考试。你不用管") for c in no_exam)


REVIEW_STATES = ("new", "confirmed", "false_positive", "referred", "taken_down", "still_online")


def test_review_words_load_with_their_states():
    words = {entry.word: entry.state for entry in load_review_words(REVIEW_STATES)}
    assert words["已核实"] == "confirmed" and words["不属实"] == "false_positive"
    assert words["待定"] == UNCHANGED
    assert set(words.values()) <= {*REVIEW_STATES, UNCHANGED}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("已办结\tclosed\tnot a lifecycle state", r"state must be one of new, .*unchanged, got 'closed'"),
        ("已核实\tconfirmed\tthe same word twice", "duplicate entry '已核实'"),
        ("确定\tconfirmed", "expected 3 tab-separated fields"),
        ("\tconfirmed\tno word", "word is empty"),
    ],
)
def test_a_bad_review_word_line_fails_with_file_and_line(library_copy: Path, line, message):
    number = _append(library_copy / "review_words.tsv", line)
    with pytest.raises(ValueError, match=rf"review_words\.tsv:{number}: {message}"):
        load_review_words(REVIEW_STATES, library_copy)


def test_review_words_state_check_uses_the_states_given(library_copy: Path):
    """The library does not know the lifecycle: a state the caller does not list is refused."""
    with pytest.raises(ValueError, match=r"review_words\.tsv:\d+: state must be one of"):
        load_review_words(("new", "false_positive"), library_copy)


def test_the_library_words_in_pinyin_are_regenerated_with_the_library():
    """keywords/pinyin_words.tsv is generated from the other files: a word added there must be
    in it (python -m keywords.pinyin_words --write), and it holds the words sellers spell."""
    from keywords.pinyin_words import FILE_NAME, build, read_pinyin_words, render

    kept = (DEFAULT_DIRECTORY / FILE_NAME).read_text(encoding="utf-8")
    assert kept == render(build()), "run: python -m keywords.pinyin_words --write"
    words = read_pinyin_words()
    assert words["sanleirenyuan"] == "三类人员"
    assert words["lianwangkecha"] == "联网可查"


def test_library_words_written_in_pinyin_are_read_as_the_words():
    from leads.judge.normalize import fold
    from leads.judge.text_respell import respell

    assert respell(fold("san lei ren yuan zheng bao guo")) == "三类人员证包过"
    # the hand-kept chat reading wins where the library has another word of that spelling
    assert respell(fold("dian gong zheng bu kao")) == "电工证不考"
