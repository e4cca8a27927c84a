"""Extract seller contacts (phone, WeChat, QQ, e-mail, Telegram) as normalised strings.

A contact is ``kind:value`` (``phone:13812345678``, ``wechat:abc123``) so leads from different
pages can be joined on it. Text is folded first, so V信/薇信/扣扣/企鹅 and full-width digits need
no special case here. Numbers that only look like phones (dates, prices, ID-card, certificate and
ICP numbers) are rejected by length, prefix and the words just before them. A partly masked
mobile (138****5678, 1381234****) is ``phone_masked:`` and never completed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from leads.normalize import fold

CHINESE_DIGITS = str.maketrans(
    "零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖", "001234567891123456789"
)
CHINESE_NUMBER_RUN = re.compile(r"[零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖0-9]{7,}")

WECHAT = re.compile(
    r"(?:微信|wechat|weixin|加v|加微|薇|(?<![a-z0-9])v(?=\s*[:：]))(?:号码|号|id)?\s*[:：]?\s*(?:是|为)?\s*"
    r"([a-z][-_a-z0-9]{5,19}|1[3-9]\d{9})(?![-_a-z0-9])"
)
QQ = re.compile(
    r"(?<![a-z0-9])(?:qq|q(?=\s*[:：]))(?:号码|号|群)?\s*[:：]?\s*(?:是|为)?\s*([1-9]\d{4,11})(?!\d)"
)
TELEGRAM = re.compile(
    r"(?:(?<![a-z0-9])(?:telegram|tg)|电报|纸飞机|飞机)(?:号)?\s*[:：]?\s*@?([a-z][a-z0-9_]{4,31})"
    r"|t\.me/([a-z][a-z0-9_]{4,31})"
)
EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
MASK = r"[*x×]{4}"
MASKED_MOBILE = re.compile(
    rf"(?<!\d)(1[3-9]\d)[\s\-]?{MASK}[\s\-]?(\d{{4}})(?!\d)"
    rf"|(?<!\d)(1[3-9]\d)[\s\-]?(\d{{4}})[\s\-]?{MASK}(?![0-9*])"
)
DIGIT_RUN = re.compile(r"(?<![0-9a-z])\+?\d(?:[ \-.]{0,2}\d)*")
DIGIT_GROUP = re.compile(r"\d+")

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7}")
SERVICE_NUMBER = re.compile(r"[48]00\d{7}")
# Words right before a number that make it a record number, not a phone.
RECORD_NUMBER_WORDS = (
    "icp",
    "备",
    "编号",
    "证号",
    "身份证",
    "单号",
    "账号",
    "卡号",
    "工号",
    "学号",
    "代码",
    "流水号",
)
RECORD_WORD_WINDOW = 6
# "138… (微信同号)": the WeChat account is the phone number.
SAME_AS_PHONE = re.compile(r"微信同号|同微信|微信同手机")
SAME_AS_PHONE_WINDOW = 12
LONGEST_PHONE = 13  # 86 + 11-digit mobile


def _phone_from_digits(digits: str) -> str | None:
    """The phone these digits spell, or None; a leading 86 country code is dropped."""
    if digits.startswith("86") and len(digits) > 11:
        national = digits[2:]
        digits = national if MOBILE.fullmatch(national) else "0" + national
    if MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits) or SERVICE_NUMBER.fullmatch(digits):
        return digits
    return None


def _phones_in_run(run: str) -> Iterator[str]:
    """Phones in a digit run: separator-split groups are joined (0592-876 0748), never split."""
    groups = DIGIT_GROUP.findall(run)
    start = 0
    while start < len(groups):
        digits = ""
        for end in range(start, len(groups)):
            digits += groups[end]
            if len(digits) > LONGEST_PHONE:
                break
            phone = _phone_from_digits(digits)
            if phone:
                yield phone
                start = end
                break
        start += 1


def _is_record_number(text: str, position: int) -> bool:
    before = text[max(0, position - RECORD_WORD_WINDOW) : position]
    return any(word in before for word in RECORD_NUMBER_WORDS)


def _wechat_is_phone(text: str, span: tuple[int, int]) -> bool:
    nearby = text[max(0, span[0] - SAME_AS_PHONE_WINDOW) : span[1] + SAME_AS_PHONE_WINDOW]
    return bool(SAME_AS_PHONE.search(nearby))


def _overlaps(span: tuple[int, int], claimed: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in claimed)


def _labelled(text: str) -> Iterator[tuple[int, str, tuple[int, int] | None]]:
    """(position, contact, span other extractors must leave alone) for labelled contacts."""
    for match in EMAIL.finditer(text):
        yield match.start(), f"email:{match.group(0)}", match.span()
    for match in MASKED_MOBILE.finditer(text):
        if match.group(1):
            masked = f"{match.group(1)}****{match.group(2)}"
        else:
            masked = f"{match.group(3)}{match.group(4)}****"
        yield match.start(), f"phone_masked:{masked}", match.span()
    for match in QQ.finditer(text):
        yield match.start(), f"qq:{match.group(1)}", match.span(1)
    for match in TELEGRAM.finditer(text):
        yield match.start(), f"telegram:{match.group(1) or match.group(2)}", match.span()
    for match in WECHAT.finditer(text):
        # A WeChat id that is a mobile number is also a phone: leave it for the phone pass too.
        yield (
            match.start(),
            f"wechat:{match.group(1)}",
            None if match.group(1).isdigit() else match.span(),
        )


def extract_contacts(text: str) -> list[str]:
    """Contacts in order of appearance, de-duplicated; masked numbers stay masked."""
    return contacts_in_folded(fold(text))


def contacts_in_folded(folded: str) -> list[str]:
    """``extract_contacts`` for text already folded by ``leads.normalize.fold``."""
    folded = CHINESE_NUMBER_RUN.sub(lambda m: m.group(0).translate(CHINESE_DIGITS), folded)
    found: list[tuple[int, str]] = []
    claimed: list[tuple[int, int]] = []
    for position, contact, span in _labelled(folded):
        if span is not None and _overlaps(span, claimed):
            continue
        found.append((position, contact))
        if span is not None:
            claimed.append(span)
    for match in DIGIT_RUN.finditer(folded):
        if _overlaps(match.span(), claimed) or _is_record_number(folded, match.start()):
            continue
        phones = list(_phones_in_run(match.group(0)))
        found.extend((match.start(), f"phone:{phone}") for phone in phones)
        if _wechat_is_phone(folded, match.span()):
            found.extend((match.start(), f"wechat:{p}") for p in phones if MOBILE.fullmatch(p))
    return list(dict.fromkeys(contact for _, contact in sorted(found, key=lambda item: item[0])))
