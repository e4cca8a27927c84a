"""Frames: who offers what to whom, which weighs more than the same words scattered over a page.

An offer of papers (办证, 代办各类证件) next to a way to reach the seller is a lead on its own, an
offer listing many kinds of papers is a fake-document seller's price list, and a claim said of a
certificate in one sentence of an offer counts extra. These rules read where the concepts stand
(``leads.judge.text_matching``) rather than which were found, so they are kept apart from the
adding up of concept points.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping

from leads.judge.contacts import has_direct_contact, spoken_numbers_as_digits
from leads.judge.text_matching import Evidence

NOUN_ROLES = ("certificate", "document")  # concepts that name the papers sold
# Frames: an offer of papers with a way to reach the seller is the classic street ad (办证 138…).
OFFER_CONTACT_POINTS = 25
# An offer that asks to be messaged (私我, 滴我, 加我) where no number is given: comments, moments
# and forum posts are answered in private messages.
OFFER_PROMPT_POINTS = 25
OFFER_PROMPT_MIN = 15  # a firm offer (办证, 我这边能出), not a question (要几本)
EXAM_FRAUD_OFFER_MIN = 20  # exam fraud said firmly (答案考前发, 替考, 隐形耳机) offers the exam
EXAM_FRAMES = {"offer_contact": "exam_contact", "offer_prompt": "exam_prompt"}
EXAM_NAMED_POINTS = 15
FRAME_TEXT_CHARS = 300  # in a text this short the contact is next to the offer wherever it stands
CONTACT_WINDOW = 80  # in a longer text the contact must be this close to the offer
# A claim said of a certificate within this many characters, in a text that offers or gives a
# contact: the seller's sentence, not words scattered over a page.
CLAIM_FRAME_POINTS = 10
# An offer naming this many kinds of papers is a fake-document seller's list (办理毕业证、驾驶证、
# 资格证、刻章…); a lawful office asks for papers, it does not offer them.
DOCUMENT_LIST_KINDS = 3
DOCUMENT_LIST_POINTS = 20
# Promises only a fake can keep (no exam, no training, no presence, pay and get it, someone
# inside, exam answers, "as good as a real one", pay after checking it online): two of
# them together, or one with an offer or "it can be found online", are a seller speaking even when
# the text names no card and gives no number (a chat message, a comment under a post); the scorer
# drops the frame when words of news, schools, notices or jobs weigh in the text. Each must
# be said in full voice: a quoted or reported promise (“免考”, 对方称…) takes no part.
PROMISES_ONLY_A_FAKE = frozenset({
    "NO_EXAM", "NO_TRAINING", "NO_PRESENCE", "PAY_FOR_CERT", "INSIDER_CHANNEL", "EXAM_FRAUD",
    "GENUINE", "PAY_AFTER",
})
# Partners: an offer, and promises a school makes too (官网可查, 帮你通过, 学员信息录入系统, 食宿都
# 安排好了): with a fake's promise they are a seller's, on their own they are not.
PROMISE_PARTNERS = PROMISES_ONLY_A_FAKE | {
    "OFFER", "VERIFIABLE_ONLINE", "GUARANTEED_PASS", "VERIFY_ASSURED", "ALL_HANDLED",
}
PROMISE_MIN_POINTS = 12  # a weak wording (一次通过 8, a halved quotation) does not take part
# One such promise said firmly, or a guaranteed pass, next to a number to call (二建保过 139…,
# 学信网可查 毕业证 150…): a seller's line, since a school that gives its phone promises neither.
FIRM_PROMISES = PROMISES_ONLY_A_FAKE | {"GUARANTEED_PASS"}
FIRM_PROMISE_POINTS = 20
PROMISE_CONTACT_POINTS = 10
PROMISES_TOGETHER_POINTS = 15
CLAIM_FRAME_WINDOW = 30
CLAIM_NEXT_TO_NOUN = 16  # this close, the claim is said of the certificate even without an offer
# A listing made only of papers and a way to reach the seller (电工证 136…, 各类证书 加V:…,
# 證件 壹叁捌…) is a street sticker or a one-line post: nobody else prints a card's name and a
# number with nothing around them. Lawful offers say what they are (培训, 报名, 招聘, 回收), so
# more than a few characters of any other word, a word of a negative context, or a character
# that says hiring, buying, renting or learning (招电工 持电工证 138…) leave it out.
BARE_LISTING_POINTS = 25
BARE_LISTING_OTHER_CHARS = 3
NOT_A_SELLER_CHARS = re.compile("[招聘求收持培训学考报租回赁修教]")
CONTACT_LABEL_WORDS = re.compile(
    r"电话|手机|微信|热线|联系|致电|咨询|详询|加|薇|扣|号|打|请|找|需要的|要的|私|见|本人"
)
CJK_CHARACTER = re.compile(r"[\u4e00-\u9fff]")
PAPER = re.compile("[证本章书件照凭]|学历|职称|毕业")  # a trade alone (电工 焊工) is a worker's
LISTED_PAPERS = re.compile(
    r"电工|焊工|电焊|气割|叉车|塔吊|登高|高处|制冷|电梯|锅炉|起重|压力容器|安全员|三类人员|特种作业"
    r"|挖机|挖掘机|装载机|铲车"
    r"|特种设备|毕业|学位|驾驶|驾照|学历|职称|本科|大专|硕士|刻章|各种|各类|证件|证书|[证章本]"
)
FRAME_REASONS = {
    "bare_listing": "只有证件名称和联系方式的小广告",
    "offer_contact": "办证/代办证件信息附联系方式",
    "offer_prompt": "办证/代办证件信息并招揽私信",
    "exam_contact": "考试作弊服务附联系方式",
    "exam_prompt": "考试作弊服务并招揽私信",
    "exam_named": "考试作弊服务并点明考试或价格",
    "claim_of_certificate": "同一句中对证书作出卖点承诺",
    "document_list": "一并代办多种证件",
    "promises_together": "同时作出多项只有假证才能兑现的承诺",
    "promise_contact": "只有假证才能兑现的承诺附联系方式",
}
NO_OFFER = Evidence(0, "")


def frame_points(
    folded: str,
    evidence: Mapping[str, Evidence],
    positions: Mapping[str, list[int]],
    contacts: tuple[str, ...],
    documents: int,
) -> dict[str, int]:
    """Points for who offers what to whom: an offer of papers next to a direct contact, an
    offer listing many kinds of papers (毕业证、驾驶证、刻章…), promises only a fake keeps said
    together, and a claim said of a certificate right next to it, or near it in a text that
    offers or gives a contact."""
    frames: dict[str, int] = {}
    # A masked number (138****5678) still says "call me": street ads print them so.
    reachable = [c.partition(":")[2].replace("*", "") for c in contacts]
    offers = positions.get("offer", [])
    offer_points = evidence.get("OFFER", NO_OFFER).points
    exam_fraud = evidence.get("EXAM_FRAUD", NO_OFFER)
    sells_exam = (not offers and exam_fraud.full_voice
                  and exam_fraud.points >= EXAM_FRAUD_OFFER_MIN)
    if sells_exam:
        # answers, a stand-in or an earpiece for sale is an offer of its own (四六级答案 考前发
        # QQ 2081…): what is sold is the exam rather than the card
        offers, offer_points = positions.get("claim", []), exam_fraud.points
    if offers and offer_points and reachable:
        near = len(folded) <= FRAME_TEXT_CHARS or any(
            abs(folded.find(value) - offer) <= CONTACT_WINDOW
            for value in reachable
            if value in folded
            for offer in offers
        )
        if near:
            frames["offer_contact"] = OFFER_CONTACT_POINTS
    firm_offer = offer_points >= OFFER_PROMPT_MIN
    if firm_offer and "offer_contact" not in frames and "CONTACT_PROMPT" in evidence:
        frames["offer_prompt"] = OFFER_PROMPT_POINTS
    if sells_exam:
        frames = {EXAM_FRAMES.get(name, name): points for name, points in frames.items()}
        if not frames and (documents or "PRICE" in evidence):
            # no contact, but the exam or the price named: 代考科一, 耳机一套2800
            frames["exam_named"] = EXAM_NAMED_POINTS
    if offers and documents >= DOCUMENT_LIST_KINDS:
        frames["document_list"] = DOCUMENT_LIST_POINTS
    if _promises_together(evidence):
        frames["promises_together"] = PROMISES_TOGETHER_POINTS
    elif reachable and "offer_contact" not in frames and _firm_promise(evidence):
        frames["promise_contact"] = PROMISE_CONTACT_POINTS
    nouns = sorted(position for role in NOUN_ROLES for position in positions.get(role, []))
    claims = positions.get("claim", [])
    near = CLAIM_FRAME_WINDOW if offers or has_direct_contact(contacts) else CLAIM_NEXT_TO_NOUN
    if any(_within(nouns, claim, near) for claim in claims):
        frames["claim_of_certificate"] = CLAIM_FRAME_POINTS
    return frames


def bare_listing(
    folded: str, nouns: Iterable[str], contacts: tuple[str, ...], prompted: bool = False
) -> bool:
    """Whether the text is only papers (``nouns``: the words that named them), a direct contact
    (or, ``prompted``, a request to be messaged: dgz hgz 私我) and at most
    BARE_LISTING_OTHER_CHARS characters of other words. Once a paper is named, the trades and
    papers listed beside it (电工 焊工 叉车, 毕业 学位 驾驶) are part of the listing."""
    nouns = {n for n in nouns if n}
    if not (prompted or has_direct_contact(contacts)) or not any(map(PAPER.search, nouns)):
        return False
    rest = folded
    for noun in sorted(nouns, key=len, reverse=True):
        rest = rest.replace(noun, "")
    if rest == folded:
        return False
    rest = LISTED_PAPERS.sub("", CONTACT_LABEL_WORDS.sub("", spoken_numbers_as_digits(rest)))
    return (len(CJK_CHARACTER.findall(rest)) <= BARE_LISTING_OTHER_CHARS
            and not NOT_A_SELLER_CHARS.search(rest))


def _firm_promise(evidence: Mapping[str, Evidence]) -> bool:
    """A promise only a fake keeps (or 包过), said firmly in full voice."""
    return any(
        found.full_voice and found.points >= FIRM_PROMISE_POINTS
        for name, found in evidence.items() if name in FIRM_PROMISES
    )


def _promises_together(evidence: Mapping[str, Evidence]) -> bool:
    """Two promises said in full voice and in different words (不用体检 is one promise even
    where two concepts read it), at least one that only a fake can keep."""
    said = {
        name: found.words for name, found in evidence.items()
        if name in PROMISE_PARTNERS and found.full_voice and found.points >= PROMISE_MIN_POINTS
    }
    return len(set(said.values())) >= 2 and bool(said.keys() & PROMISES_ONLY_A_FAKE)


def _within(sorted_positions: list[int], position: int, window: int) -> bool:
    """Whether some position stands within ``window`` characters of ``position``."""
    index = bisect_left(sorted_positions, position - window)
    return index < len(sorted_positions) and sorted_positions[index] <= position + window
