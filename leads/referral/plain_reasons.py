"""A lead's stored reasons in sentences an officer reads, for 附表一 (PDF, DOCX, XLSX).

The judge writes reasons for analysts: scoring arithmetic (``+25``, ``扣减 25 分``), the names of
domain checks (``token_combination``), CSS classes and image hashes. An officer receiving a
referral needs what was found and why it points to a fake-certificate sale or a fake
verification site: the seller's own words (kept, in 「」), the certificates, the copied platform.
Sentences this module does not know pass through unchanged, so nothing a future judge says is
lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SUSPICIONS = {
    "fake_ad": "涉嫌出售假冒安全生产类资格证书（网上推销“办证”，承诺不考试即可拿证）",
    "lookalike_site": "涉嫌仿冒官方证书查询网站（让假证在网上“查得到”，以骗取信任）",
    "lookalike_account": "涉嫌仿冒官方证书查询公众号（冒用“国家安全生产考试”等名称为假证“验证”）",
}
CONTACT_KINDS = {"phone": "电话", "wechat": "微信", "wechat_qr": "微信二维码", "qq": "QQ",
                 "telegram": "Telegram", "email": "邮箱"}
TLS_PROBLEMS = {"self_signed": "自签名", "expired": "已过期", "not_yet_valid": "尚未生效",
                "hostname_mismatch": "与网址不符"}
# The parts of a 页面仿冒 reason (label：value) in an officer's words; ``{}`` is the value.
PAGE_COPY_PARTS = {
    "标题以平台名称自称": "网页标题冒用平台名称「{}」",
    "页头/栏目照搬平台文字": "页头、栏目照搬官方平台文字「{}」",
    "含查询表单": "设有证书查询框",
    "查询表单字段": "要求输入{}",
    "照搬官方页面代码": "网页代码照搬官方平台",
    "涉及证书": "涉及{}证书",
    "页脚冒用主办单位": "页脚冒称由{}主办",
    "照搬标志图片": "使用与官方平台相同的标志图片",
    "自称官方查询平台": "自称官方查询平台（「{}」）",
    "含证书查询结果表": "显示仿造的证书查询结果（{}）",
}
SCORE_POINTS = re.compile(r"\s*[+＋]\d+(?:\.\d+)?")
DEDUCTION = re.compile(r"（(?:扣减|减) ?\d+(?:\.\d+)? ?分）")
DOMAIN_COPY = re.compile(r"^域名仿冒 (\S+)（(\S+?) [a-z_]+：.*）$")
PAGE_COPY = re.compile(r"^页面仿冒 (\S+?)（(.*)）$")
SERP_PREFIX = "搜索结果摘要："
SERP_SENTENCE = "搜索引擎的结果摘要中也有同样的推销内容"
FRAME_SENTENCES = {"办证/代办证件信息附联系方式": "推销办证并留有联系方式",
                   "办证/代办证件信息并招揽私信": "推销办证并招揽私信联系",
                   "同一句中对证书作出卖点承诺": "同一句话里对证书作出承诺"}
SELLER_WORDS = "页面含办证推销用语："
# A stored contact inside a sentence (联系页/截图二维码 reasons): phone:139…, wechat_qr:https://…
_KINDS = "|".join(sorted(CONTACT_KINDS, key=len, reverse=True))  # wechat_qr before wechat
CONTACT_TOKEN = re.compile(rf"\b(?:{_KINDS}):[^\s、，；）]+")
# Scoring notes with no fact for an officer in them.
SCORING_ONLY = ("否定说法中的推销用语不计分", "按半数计分", "拟合权重")


def suspicion(category: str) -> str:
    """Why a lead of ``category`` is referred, in one sentence."""
    return SUSPICIONS.get(category, category)


def contact_text(contact: str) -> str:
    """``phone:13671820954`` → ``电话 13671820954`` (the number itself never altered)."""
    kind, _, value = contact.partition(":")
    return f"{CONTACT_KINDS[kind]} {value}" if value and kind in CONTACT_KINDS else contact


def _contacts_sentence(contacts: str) -> str:
    """Which kinds of contact the page gives; the numbers themselves are in the 联系方式 column,
    printed whole (a number in a wrapped sentence could break across lines)."""
    kinds = dict.fromkeys(CONTACT_KINDS.get(c.partition(":")[0], "其他") for c in
                          contacts.split("、"))
    return f"页面留有联系方式（{'、'.join(kinds)}，见“联系方式”栏）"


def _page_copy(host: str, parts: str) -> str:
    sentences = []
    for part in parts.split("；"):
        label, _, value = part.partition("：")
        template = PAGE_COPY_PARTS.get(label)
        if template is None:
            sentences.append(part)
        else:
            sentences.append(template.format(value.replace("相差", "").strip()))
    return f"网页仿冒官方平台 {host}：" + "；".join(sentences)


def _plain(reason: str) -> str:
    """One reason in plain words, or "" for a note about scoring only."""
    if any(note in reason for note in SCORING_ONLY):
        return ""
    if reason.startswith(SERP_PREFIX):
        return SERP_SENTENCE
    if page := PAGE_COPY.match(reason):
        return _page_copy(page[1], page[2])
    if reason.startswith("TLS 证书问题："):
        problems = reason.removeprefix("TLS 证书问题：").split("、")
        return "网站的 HTTPS 证书" + "、".join(TLS_PROBLEMS.get(p, p) for p in problems)
    text = DEDUCTION.sub("", SCORE_POINTS.sub("", reason))
    text = re.sub(r"^(反向语境|正规培训语境)用语：(.*)$", r"页面另有“\2”等词语（已综合判断）", text)
    if text.startswith(SELLER_WORDS):
        words, more = re.subn(r"等$", "", text.removeprefix(SELLER_WORDS))
        text = "页面原话：" + "".join(f"「{word}」" for word in words.split("、")) + "等" * more
    if text.startswith("含联系方式："):
        return _contacts_sentence(text.removeprefix("含联系方式："))
    text = CONTACT_TOKEN.sub(lambda found: contact_text(found[0]), text)
    return FRAME_SENTENCES.get(text, text).replace("推销概念：", "卖家承诺：")


def _domain_copies(reasons: Iterable[str]) -> dict[str, list[str]]:
    """Every 域名仿冒 reason folded to the copied host and the ways it was copied."""
    copies: dict[str, list[str]] = {}
    for reason in reasons:
        if match := DOMAIN_COPY.match(reason):
            ways = copies.setdefault(match[1], [])
            if match[2] not in ways:
                ways.append(match[2])
    return copies


def plain_reasons(lead: Mapping[str, Any]) -> list[str]:
    """The lead's reasons as plain sentences, in their order, without repeats: domain copies
    folded into one sentence per copied host, what the search engine's snippet repeated said
    once, scoring arithmetic and internal names dropped."""
    reasons: Sequence[str] = lead.get("reasons") or ()
    sentences: list[str] = [f"网址的域名模仿官方平台 {host} 的域名（{'、'.join(ways)}）"
                 for host, ways in _domain_copies(reasons).items()]
    for reason in reasons:
        if DOMAIN_COPY.match(reason):
            continue
        sentence = _plain(reason)
        if sentence and sentence not in sentences:
            sentences.append(sentence)
    return sentences
