"""Score how strongly a text sells fake certificates, with reasons an analyst can read.

The units are *concepts* a seller can word any way (不用考试, 不用本人到场, 保证通过, 网上可查,
花钱拿证, 代办证件…, keywords/concept_names.tsv). The folded text is respelled
(``leads.judge.text_respell``: homophones, sound-alike words, pinyin), the library's phrases and
the grammars of
keywords/concepts.tsv are found in it (``leads.judge.text_matching``), each concept counts once,
with its best occurrence, and concepts add up here.

Frames weigh more than scattered words (``leads.judge.text_frames``): an offer of papers next to
a contact is a lead on its own, and so are promises only a fake keeps said together. Words of
news, notices, warnings, lawful training and job posts are subtracted, so an article quoting
“免考”“包过” to warn the public scores low; a claim right after a denial (拒绝代考, 不包过,
别信那些免考的) counts nothing, and inside a quotation or a reporter's sentence (对方称…, 记者…)
half (``leads.judge.text_voice``). A school a seller waves aside (不用去培训学校) takes nothing
off, nor the Q&A form of an answer that asks to be messaged; an errand agency's 代办房产证 with a
phone is no lead. Sellers of papers outside the safety-production families (驾驶证, 毕业证, 职称,
刻章) are leads too, with scope ``other_documents`` so analysts can filter them. Pure function.

What it found is also kept as the features of a fitted model (``leads.judge.text_fitted``); with
keywords/fitted_weights.tsv present, that model may raise the score of a text making a sales
claim about safety-production or unnamed papers (never lower it), and a reason line gives each
feature's contribution.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from keywords import KeywordLibrary, load_library
from keywords.fitted import FittedWeights, load_fitted
from leads.judge.contacts import (
    MAX_SCAN_CHARS,
    contacts_in_folded,
    emoji_as_labels,
    emoji_as_words,
    has_direct_contact,
)
from leads.judge.normalize import fold
from leads.judge.text_fitted import fitted_applies, fitted_score, text_features
from leads.judge.text_frames import (
    BARE_LISTING_POINTS,
    FRAME_REASONS,
    NOUN_ROLES,
    bare_listing,
    frame_points,
)
from leads.judge.text_matching import SALES_ROLES, Evidence, Hit, TextMatcher
from leads.judge.text_respell import respell
from leads.judge.text_voice import REPORTED_FACTOR, quotation_spans

# What importers use (the scorer, its result, the names of contexts; the benchmark subclasses
# TextScorer and builds Hits); the parts live in the text_* modules.
__all__ = [
    "CONTEXT_NAMES",
    "MAX_SCAN_CHARS",
    "Hit",
    "TextScore",
    "TextScorer",
    "respell",
    "score_text",
]

# The dominant context of a text (TextScore.context), in the words of a reason.
CONTEXT_NAMES = {
    "news": "新闻报道",
    "notice": "官方通报",
    "warning": "防骗提示",
    "training": "正规培训",
    "renewal": "证书复审",
    "job": "招聘信息",
    "qa": "问答科普",
    "buyer": "买家询问",
    "service": "政务服务",
    "invoice": "发票业务",
    "loan": "贷款业务",
    "other": "其他业务",
}
FRAUD_CAP = 60  # sales phrases alone can reach 60 of 100
CERTIFICATE_CAP = 25
EXTRA_FAMILY_POINTS = 5  # per further certificate family named (price lists of many cards)
DIRECT_CONTACT_POINTS = 15  # phone, WeChat, QQ, Telegram: a seller can be reached
INDIRECT_CONTACT_POINTS = 8  # e-mail or a masked number only
NO_FRAUD_CAP = 35  # without any sales phrase a text never reaches the lead threshold
CONTEXT_MIN_WEIGHT = 30  # negative weight from which a text has a dominant context
SHOWN_ITEMS = 6
SAFETY_FAMILIES = frozenset({"特种作业", "建筑特种作业", "三类人员", "特种设备", "安全考核"})
SCOPE_SAFETY, SCOPE_OTHER = "safety", "other_documents"
LAWFUL_OFFER_CONTEXTS = frozenset({"training", "renewal", "job"})
# An errand agency (过户, 上牌, 补领, 年审) offering 房产证 or 行驶证 with its phone is that trade's
# ordinary ad: with one of its words, an offer of papers outside the safety families and a phone
# are no lead on their own.
ERRAND_TAGS = frozenset({"service", "other"})
ERRAND_MIN_WEIGHT = 15
# Promises said together (text_frames) count in a text with at most one weak word of a school, a
# job, the news, a notice or a warning (报名, 考证): more, and they may be a school's or a
# reporter's. Words of Q&A and of errands do not speak for anyone.
PROMISES_MAX_NEGATIVE = 15
LAWFUL_VOICE_TAGS = frozenset({"training", "renewal", "job", "news", "notice", "warning"})
# 复审 is a school's or an office's word, and the topic of a seller who renews cards: said next
# to "nobody need come / no training / no exam" in the text's own voice, it takes nothing off.
RENEWAL_TAGS = frozenset({"renewal"})
NOT_ATTENDING = ("NO_PRESENCE", "NO_TRAINING", "NO_EXAM")
ANSWER_FORM_TAGS = frozenset({"qa", "buyer"})
# Someone asking whether an offer made to them is genuine (这个靠谱吗, 是不是骗子, 是不是被骗了)
# and giving no contact of their own repeats the offer: its words count as reported speech.
# A page that answers its own questions (Q:…真的吗? A:…) is a seller's FAQ, not a buyer asking.
BUYER_TAGS = frozenset({"buyer"})
ANSWER_MARK = re.compile(r"(?<![a-z0-9])(?:a|答):")
FIRM_SALES_POINTS = 15


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
    # the fitted model's input (leads.judge.text_fitted.text_features), the rules' own score and
    # whether the model may raise it (leads.judge.text_fitted.fitted_applies)
    features: Mapping[str, float] = field(default_factory=dict)
    rules_score: int = 0
    fitted_applies: bool = False

    def terms(self, kind: str) -> tuple[str, ...]:
        return self.matches.get(kind, ())


def _shown(items: tuple[str, ...] | list[str]) -> str:
    """The first SHOWN_ITEMS items for a reason, with 等 when there are more."""
    return "、".join(items[:SHOWN_ITEMS]) + ("等" if len(items) > SHOWN_ITEMS else "")



class TextScorer(TextMatcher):
    """Scores texts with one keyword library's matchers, built once; with the library's fitted
    weights (keywords/fitted_weights.tsv) the fitted model may raise the rules' score."""

    def __init__(self, library: KeywordLibrary, fitted: FittedWeights | None = None) -> None:
        super().__init__(library)
        self.fitted = fitted

    def score(self, text: str) -> TextScore:
        """Score ``text`` (only its first MAX_SCAN_CHARS characters are read)."""
        text = text[:MAX_SCAN_CHARS]
        # Emoji that stand for a contact label (🐧 QQ, ☎ phone) are spelled out before fold()
        # drops emoji, so contacts here are the ones extract_contacts finds.
        # Concepts are matched without them (办📞的证 is 办的证, not 办电话的证), with the emoji
        # that stand for a word (➕v is 加v).
        labelled = emoji_as_labels(text)
        folded = fold(labelled)
        contacts = tuple(contacts_in_folded(folded))
        worded = emoji_as_words(text)
        if worded != labelled:
            folded = fold(worded)
        folded = respell(folded)
        quotations = quotation_spans(folded)
        weights = self.term_weights(folded, self.outermost_hits(folded), quotations)
        evidence, positions, denied_claims, documents = self.concept_evidence(
            folded, self.concept_hits(folded), weights, quotations
        )
        roles = self.library.concept_names
        terms = {
            kind: tuple(self.entries_by_kind[kind][index].term for index in chosen)
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
        frames = frame_points(folded, evidence, positions, contacts, len(documents))
        # The context is the text's form (a Q&A page stays one), read before any word is dropped.
        context = self._context(weights.by_kind["negative"])
        buyer_question = (
            not contacts
            and bool(self._tagged_weight(weights.by_kind["negative"], BUYER_TAGS))
            and not ANSWER_MARK.search(folded)
        )
        if not buyer_question and (
            _asks_to_be_contacted(evidence)
            or (
                contact == DIRECT_CONTACT_POINTS
                and any(found.points >= FIRM_SALES_POINTS for found in sales_concepts.values())
            )
        ):
            # A Q&A answer or a forum post that asks to be messaged, or gives a number next to
            # a firm sales promise, is a seller's reply, not an explainer: the words of the Q&A
            # form (最佳答案, 答:, 分享一下) take nothing off.
            self._drop_tags(weights.by_kind["negative"], ANSWER_FORM_TAGS, terms)
        if any(name in evidence and evidence[name].full_voice for name in NOT_ATTENDING):
            self._drop_tags(weights.by_kind["negative"], RENEWAL_TAGS, terms)
        if context in LAWFUL_OFFER_CONTEXTS:
            # A school or an employer says what its card gives next to the card's name
            # (考试合格当月拿证, 全国可查): that is no seller's sentence.
            frames.pop("claim_of_certificate", None)
        scope = _scope(families, evidence)
        negative = sum(weights.by_kind["negative"].values())
        if scope == SCOPE_OTHER and self._errand(weights.by_kind["negative"]):
            frames.pop("offer_contact", None)
        lawful_voice = self._tagged_weight(weights.by_kind["negative"], LAWFUL_VOICE_TAGS)
        if lawful_voice >= PROMISES_MAX_NEGATIVE:
            frames.pop("promises_together", None)
        nouns = [*terms.get("certificate", ()), *(
            word for name, found in evidence.items() if roles[name].role in NOUN_ROLES
            for word in found.words.split(",")
        )]
        if not negative and bare_listing(folded, nouns, contacts, _asks_to_be_contacted(evidence)):
            # the one frame that needs no sales phrase: the street sticker (电工证 136…)
            frames["bare_listing"] = BARE_LISTING_POINTS
        if buyer_question:
            fraud *= REPORTED_FACTOR
            frames.clear()
        positive = (
            fraud + certificate + contact + sum(frames.values())
            if fraud
            else min(certificate + contact, NO_FRAUD_CAP) + frames.get("bare_listing", 0)
        )
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
        if buyer_question and sales_concepts:
            reasons += ("买家询问报价真假且未留联系方式：推销说法按转述计半分",)
        if weights.quoted_sales:
            reasons += ("部分推销用语只出现在引号中（多为转述），按半数计分",)
        denied = tuple(dict.fromkeys([*weights.denied, *denied_claims]))
        denied = tuple(words for words in denied if words not in terms.get("fraud", ()))
        if denied:
            reasons += (f"否定说法中的推销用语不计分：{_shown(denied)}",)
        rules_score = max(0, min(100, round(positive - negative)))
        features = text_features(
            {name: found.points for name, found in evidence.items()},
            certificate,
            len(families),
            (contact == DIRECT_CONTACT_POINTS, bool(contacts)),
            frames,
            self._by_tag(weights.by_kind["negative"]),
            {"quoted": weights.quoted_sales, "denied": bool(denied), "other_documents":
             scope == SCOPE_OTHER},
            rules_score,
        )
        score = rules_score
        applies = fitted_applies(features, sales_concepts) and not buyer_question
        if self.fitted is not None and applies:
            score, fitted_reason = fitted_score(self.fitted, features, rules_score)
            reasons += (fitted_reason,)
        return TextScore(
            score=score,
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
            features=features,
            rules_score=rules_score,
            fitted_applies=applies,
        )

    def _tagged_weight(self, negative: Mapping[int, float], tags: frozenset[str]) -> float:
        """The weight of the negative words of ``tags``."""
        return sum(w for i, w in negative.items() if self.library.negative_context[i].tag in tags)

    def _drop_tags(
        self, negative: dict[int, float], tags: frozenset[str], terms: dict[str, tuple[str, ...]]
    ) -> None:
        """Remove the negative words of ``tags`` from ``negative`` and from the terms shown."""
        dropped = {i for i in negative if self.library.negative_context[i].tag in tags}
        for index in dropped:
            del negative[index]
        if dropped:
            names = {self.library.negative_context[index].term for index in dropped}
            kept = tuple(term for term in terms.get("negative", ()) if term not in names)
            if kept:
                terms["negative"] = kept
            else:
                terms.pop("negative", None)

    def _errand(self, negative: Mapping[int, float]) -> bool:
        """Whether a word of a lawful errand trade (过户, 上牌, 补领) weighs in the text."""
        return any(
            weight >= ERRAND_MIN_WEIGHT and self.library.negative_context[index].tag in ERRAND_TAGS
            for index, weight in negative.items()
        )

    def _by_tag(self, negative: Mapping[int, float]) -> dict[str, float]:
        """The weight of the negative words of each context tag."""
        by_tag: dict[str, float] = {}
        for index, weight in negative.items():
            tag = self.library.negative_context[index].tag
            by_tag[tag] = by_tag.get(tag, 0.0) + weight
        return by_tag

    def _context(self, negative: Mapping[int, float]) -> str:
        """The negative-context tag that weighs most, once the negative words weigh enough."""
        by_tag = self._by_tag(negative)
        if sum(by_tag.values()) < CONTEXT_MIN_WEIGHT:
            return ""
        return max(by_tag, key=by_tag.__getitem__)


def _scope(families: tuple[str, ...], evidence: Mapping[str, Evidence]) -> str:
    """safety when a safety-production certificate is named; other_documents when only other
    papers are (驾驶证, 毕业证, 证件 in general, other exams); "" when no paper is named, so a
    filter on other_documents never hides a seller who did not say which card."""
    if SAFETY_FAMILIES.intersection(families) or "CERT_NOUN" in evidence:
        return SCOPE_SAFETY
    return SCOPE_OTHER if families or "OTHER_DOCS" in evidence else ""


def _asks_to_be_contacted(evidence: Mapping[str, Evidence]) -> bool:
    """Whether the text asks, in its own voice, to be messaged (私我, 加我, 看我主页)."""
    prompt = evidence.get("CONTACT_PROMPT")
    return prompt is not None and prompt.full_voice


def _contact_points(contacts: tuple[str, ...]) -> int:
    """A direct contact (phone, WeChat, QQ, Telegram) counts more than an indirect one."""
    if has_direct_contact(contacts):
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
    library = load_library()
    return TextScorer(library, load_fitted(library.directory))


def score_text(text: str) -> TextScore:
    """Score a text against the default keyword library."""
    return _default_scorer().score(text)
