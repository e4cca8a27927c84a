"""WeChat accounts that imitate an official one: the ``lookalike_account`` verdict.

The campaign names the 公众号 “国家安全生产考试” (and 住建部's mini-program) as the official way to
verify a certificate; sellers register accounts with lookalike names and without the official's
verification, and print their QR codes on fake cards. An account is not a web page we can fetch:
it is judged from its search-result card (name, 微信号, 功能介绍, the 认证 line), as
``AccountObservation`` records it. Pure functions; the official accounts are data
(keywords/official_accounts.toml).

A lookalike's address is ``weixin://account/<微信号>`` (``weixin://openid/<id>`` when the card
shows no 微信号): stable, unlike Sogou's signed profile links that expire within hours, and never
the platform's host, so leads of different accounts are never grouped as one site.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from rapidfuzz import fuzz

from keywords.official_accounts import OfficialAccount, OfficialAccounts, load_official_accounts
from leads.judge.contacts import extract_contacts
from leads.judge.domains import host_parts
from leads.judge.normalize import fold
from leads.judge.observations import utc_now
from leads.judge.verdict import LEAD_THRESHOLD, Verdict, route

CATEGORY = "lookalike_account"
ADDRESS_PREFIX = "weixin://"
SIMILAR_NAME = 80  # rapidfuzz ratio of folded names from which a name imitates the official one
# Points: what the name imitates, then what the card adds. A lookalike needs both a name that
# imitates and a card that is not the official's (no verification, or another subject).
EXACT_NAME, SIMILAR_NAME_POINTS, CONTAINED_NAME, OFFICIAL_WORDS = 70, 60, 65, 35
UNVERIFIED, OTHER_SUBJECT, CLAIMS, NAMES_OFFICIAL, CONTACTS = 20, 20, 10, 10, 10
UNKNOWN_SUBJECT_CAP = LEAD_THRESHOLD - 1  # verified, official subject unknown: the analyst checks
MIN_OFFICIAL_WORDS = 2
_NOT_NAME_CHARACTERS = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


@dataclass
class AccountObservation:
    """One WeChat account as an engine listed it, judged from its card (never fetched)."""

    engine: str
    query: str
    serp_page: int
    rank: int
    name: str
    wechat_id: str  # 微信号 as shown, "" when the card has none
    open_id: str  # the engine's own id of the account (Sogou's ``d`` attribute), may be ""
    description: str  # 功能介绍
    verified_by: str  # subject of the 认证 line, "" when the card shows no verification
    link: str  # the engine's link to the profile (Sogou /link?url=…, expires)
    card_text: str  # the card's visible text, kept as what was seen
    seen_at: str = field(default_factory=utc_now)
    scoring_version: str = ""
    verdict: Verdict | None = None

    @property
    def url(self) -> str:
        return account_address(self.wechat_id, self.open_id, self.name)


def account_address(wechat_id: str, open_id: str = "", name: str = "") -> str:
    """The stable address of an account: ``weixin://account/<微信号>``, else by the engine's id
    of it, else (a card showing neither) by its name."""
    for kind, value in (("account", wechat_id), ("openid", open_id), ("name", name)):
        if value:
            return f"{ADDRESS_PREFIX}{kind}/{quote(value, safe='')}"
    return f"{ADDRESS_PREFIX}name/"


def is_account_address(url: str) -> bool:
    return url.startswith(ADDRESS_PREFIX)


def shown_address(lead: Mapping[str, Any]) -> str:
    """Where a lead is, as a document prints it: an account by its name and 微信号, else its URL."""
    if not lead.get("account_name"):
        return str(lead["url"])
    wechat_id = lead.get("wechat_id") or "未显示"
    return f"微信公众号「{lead['account_name']}」（微信号：{wechat_id}）"


def folded_name(name: str) -> str:
    """A name as compared: folded like page text, spaces and punctuation dropped."""
    return _NOT_NAME_CHARACTERS.sub("", fold(name))


@dataclass(frozen=True)
class _Imitation:
    official: OfficialAccount
    points: int
    reason: str
    similarity: float


def _imitation(name: str, description: str, official: OfficialAccount,
               vocabulary: OfficialAccounts) -> _Imitation | None:
    """How ``name`` imitates ``official``, if it does."""
    own, theirs = folded_name(name), folded_name(official.name)
    if not own or not theirs:
        return None
    similarity = fuzz.ratio(own, theirs)
    label = f"「{official.name}」（{official.agency}{official.kind}）"
    if own == theirs:
        return _Imitation(official, EXACT_NAME, f"名称与官方{official.kind}{label}完全相同",
                          similarity)
    if theirs in own:
        return _Imitation(official, CONTAINED_NAME, f"名称包含官方{official.kind}名称{label}",
                          similarity)
    if similarity >= SIMILAR_NAME:
        return _Imitation(official, SIMILAR_NAME_POINTS, f"名称与官方{official.kind}{label}"
                          f"高度相似（相似度 {similarity:.0f}%）", similarity)
    words = [word for word in vocabulary.official_words if word in own]
    names_official = theirs in folded_name(description)
    close = fuzz.partial_ratio(own, theirs) >= SIMILAR_NAME - 20
    if len(words) >= MIN_OFFICIAL_WORDS and (close or names_official):
        return _Imitation(official, OFFICIAL_WORDS, f"名称使用官方字眼（{'、'.join(words)}），"
                          f"模仿官方{official.kind}{label}", similarity)
    return None


def _card_findings(account: AccountObservation, imitation: _Imitation,
                   vocabulary: OfficialAccounts) -> tuple[int, list[str], tuple[str, ...]]:
    """Points and reasons the rest of the card adds: verification, claims, contacts."""
    official = imitation.official
    points, reasons = 0, []
    if not account.verified_by:
        points += UNVERIFIED
        subject = official.verified_by
        reasons.append(f"未显示微信认证（官方账号的认证主体为「{subject}」）" if subject
                       else "未显示微信认证")
    elif official.verified_by and imitation.points > OFFICIAL_WORDS:
        points += OTHER_SUBJECT
        reasons.append(f"微信认证主体为「{account.verified_by}」，不是官方账号的认证主体"
                       f"「{official.verified_by}」")
    elif official.verified_by:
        reasons.append(f"微信认证主体为「{account.verified_by}」（非官方主体）")
    description = fold(account.description)
    if claims := [word for word in vocabulary.claim_words if word in description]:
        points += CLAIMS
        reasons.append(f"简介自称{'、'.join(f'「{word}」' for word in claims)}")
    if folded_name(official.name) in folded_name(account.description):
        points += NAMES_OFFICIAL
        reasons.append(f"简介冒用「{official.name}」的名义")
    contacts = tuple(extract_contacts(account.description))
    if contacts:
        points += CONTACTS
        reasons.append(f"简介留有联系方式：{'、'.join(contacts)}")
    return points, reasons, contacts


def _is_the_official(account: AccountObservation, official: OfficialAccount) -> bool:
    same_name = folded_name(account.name) == folded_name(official.name)
    same_subject = bool(official.verified_by) and (
        folded_name(account.verified_by) == folded_name(official.verified_by))
    same_id = bool(official.wechat_id) and account.wechat_id == official.wechat_id
    return same_id or (same_name and same_subject)


def judge_account(account: AccountObservation,
                  vocabulary: OfficialAccounts | None = None) -> Verdict:
    """The verdict on one account card: ``lookalike_account`` with the imitated official as its
    target, or ``none`` with the reason (the official itself, no imitation, a subject to check)."""
    vocabulary = vocabulary or load_official_accounts()
    for official in vocabulary.accounts:
        if _is_the_official(account, official):
            return Verdict("none", 0, official.name, (), (), (
                f"官方{official.kind}「{official.name}」本身：微信认证主体为「{official.verified_by}」",))
    found = [imitation for official in vocabulary.accounts
             if (imitation := _imitation(account.name, account.description, official, vocabulary))]
    if not found:
        return Verdict("none", 0, "", (), (), ("名称不模仿任何官方公众号或小程序",))
    imitation = max(found, key=lambda item: (item.points, item.similarity))
    official = imitation.official
    points, reasons, contacts = _card_findings(account, imitation, vocabulary)
    score = min(100, imitation.points + points)
    reasons = [imitation.reason, *reasons]
    signals = {"account.name": float(imitation.points), "account.card": float(points),
               "account.similarity": round(imitation.similarity, 1)}
    if account.verified_by and not official.verified_by:
        score = min(score, UNKNOWN_SUBJECT_CAP)
        reasons.append(f"已有微信认证（「{account.verified_by}」），官方账号的认证主体未知：请人工核对")
    if score < LEAD_THRESHOLD:
        return Verdict("none", score, official.name, contacts, (), tuple(reasons), signals)
    agencies = route(CATEGORY, contacts, host_parts(account.url), official.name)
    return Verdict(CATEGORY, score, official.name, contacts, agencies, tuple(reasons), signals)


def imitated_official(verdict: Verdict) -> str:
    """The imitated official as the lead's column shows it: name, kind and agency."""
    for official in load_official_accounts().accounts:
        if official.name == verdict.target:
            return f"{official.name}（{official.agency}{official.kind}）"
    return verdict.target
