"""Score how strongly a text sells fake certificates, with reasons an analyst can read.

The units are *concepts* a seller can word any way (不用考试, 不用本人到场, 保证通过, 网上可查,
花钱拿证, 代办证件…, keywords/concept_names.tsv). Two matchers find them in the folded text: one
Aho-Corasick pass finds the library's finished phrases (certificates, fraud signals, negative
context; short terms only where jieba puts a word boundary: 包过 yes, 打包过来 no), and the small
grammars of keywords/concepts.tsv (word classes and gaps: 不用…考试, 人不…到场, 网上…能…查到)
find the paraphrases. Each concept counts once, with its best occurrence, and concepts add up.

Frames weigh more than scattered words: an offer of papers (办证, 代办各类证件) next to a contact
is a lead on its own, and a claim said of a certificate in one sentence of an offer counts extra.
Words of news, notices, warnings, lawful training and job posts are subtracted, so an article
quoting “免考”“包过” to warn the public scores low; a claim right after a denial (拒绝代考, 不包过)
counts nothing, and inside a quotation or a reporter's sentence (对方称…, 记者…) half. Sellers of
papers outside the safety-production families (驾驶证, 毕业证, 职称, 刻章) are leads too, with
scope ``other_documents`` so analysts can filter them. Pure function.
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple

import ahocorasick
import jieba

from keywords import SENTENCE_END, Concept, KeywordLibrary, load_library
from leads.judge.contacts import EMOJI_LABELS, EMOJI_WORDS, contacts_in_folded
from leads.judge.normalize import CJK, PINYIN_SYLLABLE, SEPARATOR_INSIDE_WORD, fold

MAX_SCAN_CHARS = 200_000
FRAUD_CAP = 60  # sales phrases alone can reach 60 of 100
CERTIFICATE_CAP = 25
EXTRA_FAMILY_POINTS = 5  # per further certificate family named (price lists of many cards)
DIRECT_CONTACT_POINTS = 15  # phone, WeChat, QQ, Telegram: a seller can be reached
INDIRECT_CONTACT_POINTS = 8  # e-mail or a masked number only
NO_FRAUD_CAP = 35  # without any sales phrase a text never reaches the lead threshold
QUOTED_FACTOR = 0.5  # “包过” in quotation marks is usually reported speech
CONTEXT_MIN_WEIGHT = 30  # negative weight from which a text has a dominant context
SHORT_TERM_LENGTH = 2  # terms this short must sit on jieba word boundaries
BOUNDARY_WINDOW = 8
# A denial right before a sales phrase ("不"/"无" adjacent, or 拒绝/严禁/没有… up to two
# characters before) is a school or a warning speaking; phrases listed after a denied one
# ("拒绝代考、包过") are denied too.
DENIAL = re.compile(
    r"(?:(?:拒绝|严禁|禁止|杜绝|谢绝|从未|从不|绝不|决不).{0,6}"
    r"|(?:没有|并非|不存在|不是|不可能).{0,2}|[不无非])$"
)
DENIAL_WINDOW = 8
DENIAL_LIST_JOINERS = frozenset("、和或及与/ ")
CJK_CHARACTER = re.compile(f"[{CJK}]")
# A short quotation (“免考包过”, “全国联网可查”, up to 20 characters): sales phrases inside it
# are reported speech. (A seller's slogan in quotes is longer; a reporter's quote of a whole
# sales line is caught by the reporting word before it, 对方称“…”.)
QUOTATION = re.compile(
    r"“[^“”]{1,20}”|「[^「」]{1,20}」|『[^『』]{1,20}』|‘[^‘’]{1,20}’|\"[^\"]{1,20}\""
)
DIRECT_CONTACT_KINDS = ("phone:", "wechat:", "qq:", "telegram:")
SHOWN_ITEMS = 6
REPORTED_FACTOR = 0.5  # a claim in a sentence that reports someone else's words (对方称…)
SALES_ROLES = ("claim", "offer")
SENTENCE_ENDS = re.compile(f"[{SENTENCE_END}]")
# Frames: an offer of papers with a way to reach the seller is the classic street ad (办证 138…).
OFFER_CONTACT_POINTS = 25
# An offer that asks to be messaged (私我, 滴我, 加我) where no number is given: comments, moments
# and forum posts are answered in private messages.
OFFER_PROMPT_POINTS = 25
OFFER_PROMPT_MIN = 15  # a firm offer (办证, 我这边能出), not a question (要几本)
FRAME_TEXT_CHARS = 300  # in a text this short the contact is next to the offer wherever it stands
CONTACT_WINDOW = 80  # in a longer text the contact must be this close to the offer
# A claim said of a certificate within this many characters, in a text that offers or gives a
# contact: the seller's sentence, not words scattered over a page.
CLAIM_FRAME_POINTS = 10
# An offer naming this many kinds of papers is a fake-document seller's list (办理毕业证、驾驶证、
# 资格证、刻章…); a lawful office asks for papers, it does not offer them.
DOCUMENT_LIST_KINDS = 3
DOCUMENT_LIST_POINTS = 20
CLAIM_FRAME_WINDOW = 30
CLAIM_NEXT_TO_NOUN = 16  # this close, the claim is said of the certificate even without an offer
SAFETY_FAMILIES = frozenset({"特种作业", "建筑特种作业", "三类人员", "特种设备", "安全考核"})
SCOPE_SAFETY, SCOPE_OTHER = "safety", "other_documents"
NOUN_ROLES = ("certificate", "document")  # concepts that name the papers sold
BARE_NOUNS = frozenset({"CARD"})  # 证 said bare: a noun for frames, no kind of paper of its own
# A claim a lawful school or a holder makes too ("考试合格后证书官网可查"): it counts,
# but do not make a seller's sentence of their own.
NOT_FRAMING_CLAIMS = frozenset({"VERIFIABLE_ONLINE"})
LAWFUL_OFFER_CONTEXTS = frozenset({"training", "job"})
FRAME_REASONS = {
    "offer_contact": "办证/代办证件信息附联系方式",
    "offer_prompt": "办证/代办证件信息并招揽私信",
    "claim_of_certificate": "同一句中对证书作出卖点承诺",
    "document_list": "一并代办多种证件",
}

CONTEXT_NAMES = {
    "news": "新闻报道",
    "notice": "官方通报",
    "warning": "防骗提示",
    "training": "正规培训",
    "job": "招聘信息",
    "qa": "问答科普",
    "service": "政务服务",
    "invoice": "发票业务",
    "loan": "贷款业务",
    "other": "其他业务",
}


# ---- respelling: homophones and pinyin that fold() cannot undo without context -----------------
# fold() maps whole spellings (evasion_variants.tsv: 电工正 → 电工证). Sellers put a homophone for
# one character of any word (焊工症, 扮下来, 布用, 可察, 包锅), so one character is respelled here
# where its neighbours say which word it stands for: 正/征/政/症 is 证 after a trade or a verb of
# getting papers (工, 业, 岗, 拿, 下, 出…) or before 书/件, never in 正规/正常/正在; 烤/拷 is 考
# before 试/核/证/过 or after 免/代/不用/去…; 茬/察/茶 is 查 after 可/能/网上… or before 询/到.
# Each rule swaps one character for one, so positions (and the contacts found in the folded
# text) stay where they are.
# (stage, canonical, the characters that may stand for it, where: a pattern with {C} for them).
# A stage is one pass of all its rules at once; a later stage sees what earlier ones respelled
# (扮正: 办 first, then 正 after 办 is 证; 科茶: 可 first, then 茶 after 可 is 查).
HOMOPHONE_RULES: tuple[tuple[int, str, str, str], ...] = (
    (0, "可", "科克颗棵", r"{C}(?=[查茬察茶])"),
    (0, "官", "关管观馆", r"{C}(?=网[^。!?;\n,]{0,4}[查验])"),
    (0, "办", "半扮伴瓣拌绊般板扳",
     r"{C}(?=证|理|下来|好的|个证)|[半扮伴瓣拌绊般扳](?=[正征政症])"
     r"|(?<=[代快速能可包找帮急来])[半扮伴瓣拌绊](?![价个年天夜小岛演时斤路截边])"),
    (1, "证", "正征政症挣睁铮诤郑",
     r"(?<=[工车业格岗员高吊炉梯冷种办拿下出发领取弄假本作操个给那考张这等]){C}"
     r"(?![规常在确式好面宗品版当义经是派直视月午事道能门方负文向点房])|{C}(?=[书件])"),
    (0, "考", "烤拷栲",
     r"{C}(?=[试核证过场])|(?<=[免代替用去别没报来难要不你]){C}(?![肉鸭鱼串箱炉贝红面的])"),
    (0, "考", "靠", r"{C}(?=试)"),
    (1, "试", "式事是室", r"(?<=考){C}"),
    (1, "查", "茬察茶碴楂",
     r"(?<=[可能网上以都就时久身验得]){C}(?![叶水馆杯道])|{C}(?=[询到得验])"),
    (1, "过", "锅果裹郭", r"(?<=[包保必稳通考]){C}|(?<=[人你我])锅(?=来)"),
    (1, "不", "卟布埠步", r"{C}(?=[用需必考])"),
    (1, "免", "勉兔缅冕娩", r"{C}(?=[考试培学])"),
    (1, "包", "饱苞宝煲", r"{C}(?=过|通过|拿证|查)"),
    (2, "网", "往罔忘枉旺",
     r"(?<=[官联上]){C}(?![前后来返常年日届])|{C}(?=[上站络页址][^。!?;\n]{0,6}[查验搜])"),
    (2, "焊", "汗旱翰悍", r"{C}(?=工证)"),
    (2, "电", "店垫殿淀", r"{C}(?=工证)"),
    (1, "培", "陪赔裴", r"{C}(?=训)"),
    (1, "用", "甬佣", r"(?<=[不无]){C}"),
    (0, "作", "做", r"(?<=操){C}(?=[证正征政症])|(?<=种){C}(?=业)"),
    (0, "叉", "插差茶查", r"{C}(?=车[证正征政症])"),
    (0, "登", "灯蹬瞪", r"{C}(?=高[证正征政症])"),
    (1, "资", "姿咨滋", r"{C}(?=格证)"),
    (2, "拿", "哪那", r"(?<=[能就以也快包接速]){C}(?=证|到证)"),
    (1, "本", "笨", r"{C}(?=人)"),
    (1, "代", "贷袋岱黛", r"{C}(?=[办考])"),
)
HOMOPHONE_CHARS = frozenset("".join(chars for _, _, chars, _ in HOMOPHONE_RULES))
# Pinyin a seller writes for the words that matter (kaoshi, bao guo, ke cha, mian kao, 不用kao):
# an ASCII run (words joined by single spaces) that splits wholly into these syllable words
# becomes the characters. Runs next to digits, "_", "-" or "@" are ids and stay.
PINYIN_WORDS: Mapping[str, str] = {
    "zheng": "证", "kao": "考", "cha": "查", "guo": "过", "ban": "办", "mian": "免", "bao": "包",
    "dai": "代", "ti": "替", "na": "拿", "ke": "可", "neng": "能", "bu": "不", "wu": "无",
    "kaoshi": "考试", "kaohe": "考核", "mianshi": "免试", "tongguo": "通过", "buyong": "不用",
    "xuyao": "需要", "buxu": "不需", "wuxu": "无需", "yong": "用", "kecha": "可查", "keyi": "可以",
    "chaxun": "查询", "chadao": "查到", "chade": "查得", "wangshang": "网上", "guanwang": "官网",
    "shangwang": "上网", "lianwang": "联网", "wangluo": "网络", "quanguo": "全国", "guojia": "国家",
    "xitong": "系统", "guanfang": "官方", "pingtai": "平台", "nazheng": "拿证",
    "xiazheng": "下证", "chuzheng": "出证", "fazheng": "发证", "banzheng": "办证",
    "banli": "办理", "daiban": "代办", "daikao": "代考", "tikao": "替考", "benren": "本人",
    "daochang": "到场", "kaochang": "考场", "peixun": "培训", "xuexi": "学习", "shangke": "上课",
    "zhengshu": "证书", "zhengjian": "证件", "diangong": "电工", "hangong": "焊工",
    "dianhan": "电焊", "chache": "叉车", "denggao": "登高", "gaochu": "高处", "gaokong": "高空",
    "tadiao": "塔吊", "anquanyuan": "安全员", "tezhong": "特种", "zuoye": "作业",
    "caozuo": "操作", "jiaoqian": "交钱", "fukuan": "付款", "fuqian": "付钱", "zhijie": "直接",
    "kuaisu": "快速", "jiaji": "加急", "baozhen": "保真", "baozheng": "保证", "neibu": "内部",
    "qudao": "渠道", "yongjiu": "永久", "zhenshi": "真实", "youxiao": "有效", "baoguo": "包过",
    "miankao": "免考", "nengcha": "能查", "shi": "试",
}
PINYIN_RUN = re.compile(r"(?<![a-z0-9_@\-])[a-z]{2,}(?: [a-z]{2,})*(?![a-z0-9_@\-])")
PINYIN_LONGEST = max(map(len, PINYIN_WORDS))
PINYIN_SYLLABLES = re.compile(f"(?:{PINYIN_SYLLABLE})+")  # a word that could be pinyin at all
PINYIN_RUN_WORDS = 8  # a longer run is a sentence of some other language, read word by word
# Pinyin with tone numbers (ban4 zheng4, mian3kao3): a word made only of syllables each with its
# digit loses the digits; ids keep theirs (dgz2024 is no syllable run).
TONED_PINYIN = re.compile(
    rf"(?<![a-z0-9_@\-])(?=[a-z]{{2}})(?:{PINYIN_SYLLABLE.removesuffix('[1-5]?')}[1-5])+"
    r"(?![a-z0-9_@\-])"
)
TONE_DIGIT = re.compile("[1-5]")
TONE_NUMBER_CHARS = frozenset("12345")


def _pinyin_word(run: str) -> str | None:
    """The characters a run of pinyin syllables (no spaces) spells, or None when it does not
    split wholly into PINYIN_WORDS (fewest pieces, so kaoshi is 考试, not 考 + 试)."""
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - PINYIN_LONGEST), end):
            word = PINYIN_WORDS.get(run[start:end])
            previous = best[start]
            if word and previous is not None and (
                best[end] is None or len(previous) + 1 < len(best[end])  # type: ignore[arg-type]
            ):
                best[end] = [*previous, word]
    found = best[len(run)]
    return "".join(found) if found else None


def _pinyin(match: re.Match[str]) -> str:
    """A single syllable becomes a character only right next to one (kao试, 电工zheng): on its
    own it may be an English word (ban, na); whole words of two syllables or more always do.
    Words that are not pinyin at all (the, quick) are skipped by one regex, so English pages
    cost little."""
    run, text = match.group(0), match.string
    parts = run.split(" ")
    if not any(PINYIN_SYLLABLES.fullmatch(part) for part in parts):
        return run
    whole = _pinyin_word(run.replace(" ", "")) if len(parts) <= PINYIN_RUN_WORDS else None
    touching = CJK_CHARACTER.match(text[match.start() - 1 : match.start()] or " ") or (
        CJK_CHARACTER.match(text[match.end() : match.end() + 1] or " ")
    )
    if whole and (len(whole) > 1 or touching):
        return whole
    words = [_pinyin_word(part) if PINYIN_SYLLABLES.fullmatch(part) else None for part in parts]
    return " ".join(
        word if word and len(word) > 1 else part for word, part in zip(words, parts, strict=True)
    )


def respell(folded: str) -> str:
    """Folded text with context-dependent homophones and pinyin words written in characters."""
    if HOMOPHONE_CHARS.intersection(folded):
        for pattern, canonical in _HOMOPHONE_STAGES:
            folded = pattern.sub(canonical, folded)
    if LATIN_LETTER.search(folded):
        if TONE_NUMBER_CHARS.intersection(folded):
            folded = TONED_PINYIN.sub(lambda match: TONE_DIGIT.sub("", match.group(0)), folded)
        spelled = PINYIN_RUN.sub(_pinyin, folded)
        if spelled != folded:
            folded = SEPARATOR_INSIDE_WORD.sub("", spelled)
    return folded


LATIN_LETTER = re.compile("[a-z]")


def _homophone_stages() -> tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]:
    """One regex per stage, each rule a named group; the group's name says what it stands for."""
    stages = []
    for stage in sorted({rule[0] for rule in HOMOPHONE_RULES}):
        groups, canonical = [], {}
        for index, (where, word, chars, pattern) in enumerate(HOMOPHONE_RULES):
            if where == stage:
                groups.append(f"(?P<r{index}>{pattern.replace('{C}', f'[{chars}]')})")
                canonical[f"r{index}"] = word
        stages.append((re.compile("|".join(groups)), _group_word(canonical)))
    return tuple(stages)


def _group_word(words: dict[str, str]) -> Callable[[re.Match[str]], str]:
    return lambda match: words[match.lastgroup or ""]


_HOMOPHONE_STAGES = _homophone_stages()


class Hit(NamedTuple):
    start: int
    end: int
    kind: str  # "certificate" | "fraud" | "negative"
    index: int  # position of the entry in its library list


class Weights(NamedTuple):
    by_kind: dict[str, dict[int, float]]  # kind → entry index → weight counted
    quoted_sales: bool  # some sales phrase was only seen between quotation marks
    denied: tuple[str, ...]  # sales phrases seen only after a denial
    denied_spans: tuple[tuple[int, int], ...]  # where they stand
    positions: dict[str, list[tuple[int, int]]]  # kind → (start, entry index) of counted hits


class ConceptHit(NamedTuple):
    start: int
    end: int
    concept: Concept


class Evidence(NamedTuple):
    """A concept's best occurrence: its points and the words that said it."""

    points: float
    words: str


@dataclass(frozen=True)
class TextScore:
    """A text's sales score (0–100) and what it rests on."""

    score: int
    matches: Mapping[str, tuple[str, ...]]  # kind → distinct terms in order found
    families: tuple[str, ...]
    contacts: tuple[str, ...]
    context: str  # dominant negative-context tag ("news", "training", …) or ""
    reasons: tuple[str, ...]
    signals: Mapping[str, float]
    concepts: Mapping[str, float] = field(default_factory=dict)  # concept → points counted
    # "safety" (a safety-production certificate), "other_documents" (驾驶证, 毕业证, 职称, 刻章,
    # exam fraud for other exams) or "" (neither named)
    scope: str = ""

    def terms(self, kind: str) -> tuple[str, ...]:
        return self.matches.get(kind, ())


def _shown(items: tuple[str, ...] | list[str]) -> str:
    return "、".join(items[:SHOWN_ITEMS]) + ("等" if len(items) > SHOWN_ITEMS else "")


class TextScorer:
    """The automaton and tokenizer for one keyword library, built once."""

    def __init__(self, library: KeywordLibrary) -> None:
        self.library = library
        self._entries = {
            "certificate": library.certificates,
            "fraud": library.fraud_signals,
            "negative": library.negative_context,
        }
        # folded term → (kind, entry index); a term listed twice counts for its first entry.
        first_entry: dict[str, tuple[str, int]] = {}
        for kind, entries in self._entries.items():
            for index, entry in enumerate(entries):
                first_entry.setdefault(fold(entry.term), (kind, index))
        self.terms = tuple((term, kind, index) for term, (kind, index) in first_entry.items())
        self._fraud_lengths = [len(fold(entry.term)) for entry in library.fraud_signals]
        self._automaton = ahocorasick.Automaton()
        for term, kind, index in self.terms:
            self._automaton.add_word(term, (kind, index, len(term)))
        self._automaton.make_automaton()
        # Prefilter (Concept.required): each distinct required character set gets a bit; a
        # character maps to the bits of the sets holding it, a pattern to the bits it needs. A
        # text is searched only with the patterns whose every set it holds a character of.
        set_ids: dict[frozenset[str], int] = {}
        self._concept_needs: list[tuple[Concept, int]] = []
        for concept in library.concepts:
            needed = 0
            for required in concept.required:
                needed |= 1 << set_ids.setdefault(required, len(set_ids))
            self._concept_needs.append((concept, needed))
        self._set_bits: dict[str, int] = {}
        for required, bit in set_ids.items():
            for char in required:
                self._set_bits[char] = self._set_bits.get(char, 0) | 1 << bit

    @cached_property
    def _tokenizer(self) -> jieba.Tokenizer:
        """A dedicated jieba tokenizer with the library's words (the global one stays untouched)."""
        jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO level
        tokenizer = jieba.Tokenizer()
        tokenizer.load_userdict(io.StringIO("\n".join(self.library.user_dictionary_lines())))
        return tokenizer

    def occurrences(self, folded: str) -> list[Hit]:
        """Every occurrence of every library term, in one Aho–Corasick pass."""
        return [
            Hit(end - length + 1, end + 1, kind, index)
            for end, (kind, index, length) in self._automaton.iter(folded)
        ]

    def _hits(self, folded: str) -> list[Hit]:
        """All term occurrences, minus those inside a longer one (办证 inside 办证大厅)."""
        found = sorted(self.occurrences(folded), key=lambda hit: (hit.start, -hit.end))
        kept: list[Hit] = []
        for hit in found:
            if not kept or hit.end > kept[-1].end:  # else inside an earlier, longer hit
                kept.append(hit)
        return kept

    def _word_edges(self, folded: str, hits: list[Hit]) -> set[int]:
        """Positions where jieba puts a word boundary, around the short hits only.

        Overlapping windows are merged, so a line with several short terms is cut once.
        """
        regions: list[list[int]] = []
        for hit in hits:
            if not _short_and_embedded(folded, hit):
                continue
            left, right = max(0, hit.start - BOUNDARY_WINDOW), hit.end + BOUNDARY_WINDOW
            if regions and left <= regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], right)
            else:
                regions.append([left, right])
        edges: set[int] = set()
        for left, right in regions:
            edge = left
            edges.add(edge)
            for word in self._tokenizer.cut(folded[left:right], HMM=False):
                edge += len(word)
                edges.add(edge)
        return edges

    def _weights(self, folded: str, hits: list[Hit], quotations: list[tuple[int, int]]) -> Weights:
        """Per kind, entry index → weight of its best occurrence.

        Quoted occurrences count half; a short term counts only where jieba puts word
        boundaries around it; a denied sales phrase does not count.
        """
        weights: dict[str, dict[int, float]] = {kind: {} for kind in self._entries}
        positions: dict[str, list[tuple[int, int]]] = {kind: [] for kind in self._entries}
        denied: dict[str, None] = {}
        denied_spans: list[tuple[int, int]] = []
        last_denied_end = -1
        edges = self._word_edges(folded, hits)
        for hit in hits:
            chosen = weights[hit.kind]
            entry = self._entries[hit.kind][hit.index]
            if _short_and_embedded(folded, hit) and not {hit.start, hit.end} <= edges:
                continue
            if hit.kind == "fraud" and _is_denied(folded, hit.start, last_denied_end):
                denied[entry.term] = None
                denied_spans.append((hit.start, hit.end))
                last_denied_end = hit.end
                continue
            positions[hit.kind].append((hit.start, hit.index))
            weight = entry.weight * (QUOTED_FACTOR if _inside(hit, quotations) else 1.0)
            chosen[hit.index] = max(chosen.get(hit.index, 0.0), weight)
        quoted_sales = any(
            weight < self.library.fraud_signals[index].weight
            for index, weight in weights["fraud"].items()
        )
        counted = {self.library.fraud_signals[index].term for index in weights["fraud"]}
        return Weights(
            weights,
            quoted_sales,
            tuple(t for t in denied if t not in counted),
            tuple(denied_spans),
            positions,
        )

    def concept_hits(self, folded: str) -> list[ConceptHit]:
        """Every match of every concept pattern (concepts.tsv), pattern by pattern."""
        present = 0  # bit i: the text holds a character of required set i
        for char in set(folded).intersection(self._set_bits):
            present |= self._set_bits[char]
        return [
            ConceptHit(*match.span(), concept)
            for concept, needed in self._concept_needs
            if needed & present == needed
            for match in concept.regex.finditer(folded)
        ]

    def _concepts(
        self,
        folded: str,
        hits: list[ConceptHit],
        weights: Weights,
        quotations: list[tuple[int, int]],
    ) -> tuple[dict[str, Evidence], dict[str, list[int]], list[str], set[str]]:
        """Concept → best evidence (phrases and patterns), positions of counted hits by role,
        the words of denied claims, and the distinct papers named (document role).

        A claim after a denial counts nothing; in a quotation, or after a reporter's words in
        its sentence (对方称…), half.
        """
        best: dict[str, Evidence] = {}
        reported = [hit.start for hit in hits if hit.concept.role == "reported"]
        sentence_ends = [m.start() for m in SENTENCE_ENDS.finditer(folded)] if reported else []
        phrase_weights = dict(weights.by_kind["fraud"])
        if reported:
            # A finished phrase in a reporter's sentence (对方称“不用考试，官网可查…”) is reported
            # speech too: each occurrence is weighed on its own, the best counts.
            phrase_weights = {}
            for start, index in weights.positions["fraud"]:
                signal = self.library.fraud_signals[index]
                end = start + self._fraud_lengths[index]
                weight = signal.weight * (
                    QUOTED_FACTOR if any(a <= start and end <= b for a, b in quotations) else 1.0
                )
                if _reported(start, reported, sentence_ends):
                    weight = min(weight, signal.weight * REPORTED_FACTOR)
                phrase_weights[index] = max(phrase_weights.get(index, 0.0), weight)
        for index, weight in phrase_weights.items():
            signal = self.library.fraud_signals[index]
            _keep_best(best, signal.concept, Evidence(weight, signal.term))
        by_role: dict[str, list[int]] = {}
        denied: list[str] = []
        documents: set[str] = set()
        for hit in hits:
            concept, words = hit.concept, folded[hit.start : hit.end]
            if concept.role == "reported":
                continue
            if concept.role in SALES_ROLES and (
                _is_denied(folded, hit.start, -1)
                or any(hit.start < end and start < hit.end for start, end in weights.denied_spans)
            ):
                denied.append(words)
                continue
            factor = 1.0
            if concept.role in SALES_ROLES and (
                _inside(hit, quotations) or _reported(hit.start, reported, sentence_ends)
            ):
                factor = min(QUOTED_FACTOR, REPORTED_FACTOR)
            by_role.setdefault(_frame_role(concept.name, concept.role), []).append(hit.start)
            if concept.role == "document" and concept.name not in BARE_NOUNS:
                documents.add(words)
            _keep_best(best, concept.name, Evidence(concept.weight * factor, words))
        for start, index in weights.positions["fraud"]:
            name = self.library.fraud_signals[index].concept
            role = _frame_role(name, self.library.concept_names[name].role)
            by_role.setdefault(role, []).append(start)
        by_role.setdefault("certificate", []).extend(s for s, _ in weights.positions["certificate"])
        return best, by_role, denied, documents

    def score(self, text: str) -> TextScore:
        """Score ``text`` (only its first MAX_SCAN_CHARS characters are read)."""
        text = text[:MAX_SCAN_CHARS]
        # Emoji that stand for a contact label (🐧 QQ, ☎ phone) are spelled out before fold()
        # drops emoji, so contacts here are the ones extract_contacts finds.
        # Concepts are matched without them (办📞的证 is 办的证, not 办电话的证), with the emoji
        # that stand for a word (➕v is 加v).
        labelled = text.translate(EMOJI_LABELS)
        folded = fold(labelled)
        contacts = tuple(contacts_in_folded(folded))
        if labelled != text:
            folded = fold(text.translate(EMOJI_WORDS))
        folded = respell(folded)
        quotations = [match.span() for match in QUOTATION.finditer(folded)]
        weights = self._weights(folded, self._hits(folded), quotations)
        evidence, positions, denied_claims, documents = self._concepts(
            folded, self.concept_hits(folded), weights, quotations
        )
        roles = self.library.concept_names
        terms = {
            kind: tuple(self._entries[kind][index].term for index in chosen)
            for kind, chosen in weights.by_kind.items()
            if chosen
        }
        families = tuple(
            dict.fromkeys(
                self.library.certificates[index].family for index in weights.by_kind["certificate"]
            )
        )
        sales_concepts = {
            name: found for name, found in evidence.items() if roles[name].role in SALES_ROLES
        }
        fraud = min(FRAUD_CAP, sum(found.points for found in sales_concepts.values()))
        named = [found.points for name, found in evidence.items() if roles[name].role in NOUN_ROLES]
        certificate = min(
            CERTIFICATE_CAP,
            max([*weights.by_kind["certificate"].values(), *named], default=0)
            + EXTRA_FAMILY_POINTS * max(len(families) - 1, 0),
        )
        contact = _contact_points(contacts)
        frames = self._frames(folded, evidence, positions, contacts, len(documents))
        context = self._context(weights.by_kind["negative"])
        if context in LAWFUL_OFFER_CONTEXTS:
            # A school or an employer says what its card gives next to the card's name
            # (考试合格当月拿证, 全国可查): that is no seller's sentence.
            frames.pop("claim_of_certificate", None)
        negative = sum(weights.by_kind["negative"].values())
        positive = (
            fraud + certificate + contact + sum(frames.values())
            if fraud
            else min(certificate + contact, NO_FRAUD_CAP)
        )
        scope = _scope(families, evidence)
        reasons = _reasons(terms, families, contacts, context, negative)
        if sales_concepts:
            shown = [
                f"{roles[name].label} +{round(found.points)}「{found.words}」"
                for name, found in sales_concepts.items()
            ]
            reasons += (f"推销概念：{_shown(shown)}",)
        reasons += tuple(f"{FRAME_REASONS[name]} +{points}" for name, points in frames.items())
        if scope == SCOPE_OTHER and fraud:
            reasons += ("非安全生产类证件（驾驶证、毕业证、职称、印章或其他考试等）",)
        if weights.quoted_sales:
            reasons += ("部分推销用语只出现在引号中（多为转述），按半数计分",)
        denied = tuple(dict.fromkeys([*weights.denied, *denied_claims]))
        denied = tuple(words for words in denied if words not in terms.get("fraud", ()))
        if denied:
            reasons += (f"否定说法中的推销用语不计分：{_shown(denied)}",)
        return TextScore(
            score=max(0, min(100, round(positive - negative))),
            matches=terms,
            families=families,
            contacts=contacts,
            context=context,
            reasons=reasons,
            signals={
                "fraud_terms": fraud,
                "certificates": certificate,
                "contacts": contact,
                **{f"frame.{name}": float(points) for name, points in frames.items()},
                "negative_context": -negative,
            },
            concepts={name: found.points for name, found in evidence.items()},
            scope=scope,
        )

    def _frames(
        self,
        folded: str,
        evidence: Mapping[str, Evidence],
        positions: Mapping[str, list[int]],
        contacts: tuple[str, ...],
        documents: int,
    ) -> dict[str, int]:
        """Points for who offers what to whom: an offer of papers next to a direct contact, an
        offer listing many kinds of papers (毕业证、驾驶证、刻章…), and a claim said of a
        certificate right next to it, or near it in a text that offers or gives a contact."""
        frames: dict[str, int] = {}
        # A masked number (138****5678) still says "call me": street ads print them so.
        reachable = [c.partition(":")[2].replace("*", "") for c in contacts]
        direct = any(c.startswith(DIRECT_CONTACT_KINDS) for c in contacts)
        offers = positions.get("offer", [])
        if offers and evidence.get("OFFER", Evidence(0, "")).points and reachable:
            near = len(folded) <= FRAME_TEXT_CHARS or any(
                abs(folded.find(value) - offer) <= CONTACT_WINDOW
                for value in reachable
                if value in folded
                for offer in offers
            )
            if near:
                frames["offer_contact"] = OFFER_CONTACT_POINTS
        firm_offer = evidence.get("OFFER", Evidence(0, "")).points >= OFFER_PROMPT_MIN
        if firm_offer and "offer_contact" not in frames and "CONTACT_PROMPT" in evidence:
            frames["offer_prompt"] = OFFER_PROMPT_POINTS
        if offers and documents >= DOCUMENT_LIST_KINDS:
            frames["document_list"] = DOCUMENT_LIST_POINTS
        nouns = sorted(position for role in NOUN_ROLES for position in positions.get(role, []))
        claims = positions.get("claim", [])
        near = CLAIM_FRAME_WINDOW if offers or direct else CLAIM_NEXT_TO_NOUN
        if any(_within(nouns, claim, near) for claim in claims):
            frames["claim_of_certificate"] = CLAIM_FRAME_POINTS
        return frames

    def _context(self, negative: Mapping[int, float]) -> str:
        by_tag: dict[str, float] = {}
        for index, weight in negative.items():
            tag = self.library.negative_context[index].tag
            by_tag[tag] = by_tag.get(tag, 0.0) + weight
        if sum(by_tag.values()) < CONTEXT_MIN_WEIGHT:
            return ""
        return max(by_tag, key=by_tag.__getitem__)


def _short_and_embedded(folded: str, hit: Hit) -> bool:
    """A short term touching a CJK character: only jieba can tell whether it is a word there.

    With no CJK neighbour ("，包过。", "100%包过") it is on word boundaries already.
    """
    if hit.end - hit.start > SHORT_TERM_LENGTH:
        return False
    before = folded[hit.start - 1] if hit.start else ""
    after = folded[hit.end : hit.end + 1]
    return bool(CJK_CHARACTER.match(before) or CJK_CHARACTER.match(after))


def _is_denied(folded: str, start: int, last_denied_end: int) -> bool:
    between = folded[last_denied_end:start] if last_denied_end >= 0 else None
    if between is not None and len(between) <= 1 and set(between) <= DENIAL_LIST_JOINERS:
        return True
    return bool(DENIAL.search(folded[max(0, start - DENIAL_WINDOW) : start]))


def _inside(hit: Hit | ConceptHit, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start <= hit.start and hit.end <= end for start, end in spans)


def _reported(position: int, reported: list[int], sentence_ends: list[int]) -> bool:
    """Whether a reporter's word (对方称, 记者…) stands before ``position`` in its sentence."""
    sentence = bisect_left(sentence_ends, position)
    start = sentence_ends[sentence - 1] if sentence else -1
    return any(start < word < position for word in reported)


def _within(sorted_positions: list[int], position: int, window: int) -> bool:
    index = bisect_left(sorted_positions, position - window)
    return index < len(sorted_positions) and sorted_positions[index] <= position + window


def _frame_role(concept: str, role: str) -> str:
    """The role a hit plays in frames: claims lawful texts make too play none."""
    return "lawful_claim" if concept in NOT_FRAMING_CLAIMS else role


def _keep_best(best: dict[str, Evidence], concept: str, found: Evidence) -> None:
    if found.points > best.get(concept, Evidence(-1.0, "")).points:
        best[concept] = found


def _scope(families: tuple[str, ...], evidence: Mapping[str, Evidence]) -> str:
    """safety when a safety-production certificate is named; other_documents when only other
    papers are (驾驶证, 毕业证, 证件 in general, other exams); "" when no paper is named, so a
    filter on other_documents never hides a seller who did not say which card."""
    if SAFETY_FAMILIES.intersection(families) or "CERT_NOUN" in evidence:
        return SCOPE_SAFETY
    return SCOPE_OTHER if families or "OTHER_DOCS" in evidence else ""


def _contact_points(contacts: tuple[str, ...]) -> int:
    if any(contact.startswith(DIRECT_CONTACT_KINDS) for contact in contacts):
        return DIRECT_CONTACT_POINTS
    return INDIRECT_CONTACT_POINTS if contacts else 0


def _reasons(
    terms: Mapping[str, tuple[str, ...]],
    families: tuple[str, ...],
    contacts: tuple[str, ...],
    context: str,
    negative: float,
) -> tuple[str, ...]:
    reasons = []
    if terms.get("fraud"):
        reasons.append(f"页面含办证推销用语：{_shown(terms['fraud'])}")
    if terms.get("certificate"):
        reasons.append(f"提及证书：{_shown(terms['certificate'])}（{'、'.join(families)}）")
    if contacts:
        reasons.append(f"含联系方式：{_shown(contacts)}")
    if terms.get("negative"):
        label = f"{CONTEXT_NAMES.get(context, context)}语境" if context else "反向语境"
        reasons.append(f"{label}用语：{_shown(terms['negative'])}（扣减 {round(negative)} 分）")
    return tuple(reasons)


@cache
def _default_scorer() -> TextScorer:
    return TextScorer(load_library())


def score_text(text: str) -> TextScore:
    """Score a text against the default keyword library."""
    return _default_scorer().score(text)
