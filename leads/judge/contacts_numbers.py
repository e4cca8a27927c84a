"""Which digits are a phone: shape, the words before them, the separators inside them.

A seller writes a number any way (138 1234 5678, (0755)-1234-5678, 86 138…, 壹叁捌…), and many
numbers that are not phones look like one: a QQ, a date, a price (138.00), a certificate or ICP
record number (编号, 证号, 身份证, ICP备, 订单号, 例如…). Numbers that only look like phones are
rejected by shape (prefix and length, an area code for landlines), by a decimal point and by the
words just before them; a phone may run straight into the next label (13812345678qq909299940).
These rules are the number half of ``leads.judge.contacts``, kept apart from the labels and ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7}")
SERVICE_NUMBER = re.compile(r"[48]00\d{7}")
LOCAL_NUMBER = re.compile(r"[2-9]\d{6,7}")  # a landline without its area code
PLACEHOLDER_MOBILE = re.compile(r"1[3-9]\d(\d)\1{7}")  # 13800000000, 13888888888
PHONE_START = re.compile(r"1[3-9]|0[1-9]|[48]0|86")  # the first two digits of any phone
SHORTEST_PHONE, LONGEST_PHONE = 10, 13  # a 400 number; 86 + an 11-digit mobile
# Digits with up to five separators between them: 138 1234 5678, (0755)-1234-5678, 020--8765,
# 186/2937/4051 (a sticker's slashes), 135·0447·8126 (middle dots), 157 ··· 2084 (up to five),
# 135 …… 6082 (fold() spells each … as three dots).
DIGIT_RUN = re.compile(r"(?=[+\d])(?<![\d+])\+?\d(?:(?:[ ()./|\-–—·•・]{0,5}| ?\.{3,6} ?)\d)*")
DIGIT_GROUP = re.compile(r"\d+")
MASK_CHARS = "*x×"
# A mobile with some of its last nine digits masked: 138****5678, 1381234xxxx, 13x xxxx xxxx.
MASKED_MOBILE = re.compile(
    r"(1(?<![\d*×]1)[3-9])(?=(?:[ -]?\d){0,8}[ -]?[*x×])((?:[ -]?[\d*x×]){9})(?![\d*x×])"
)
# Words right before a number that make it a record number or an example, not a contact.
RECORD_NUMBER_WORDS = (
    "icp",
    "(?<![设准具储装配必预完戒守警后防])备",  # 京ICP备, 公网安备: not 设备 (特种设备 138…)
    "编号",
    "证号",
    "身份证",
    "单号",
    "账号",
    "卡号",
    "工号",
    "设备号",
    "学号",
    "代码",
    "流水号",
    "例如",
    "比如",
    "示例",
    "举例",
    "格式",
)
RECORD_WORD_WINDOW = 6
RECORD_WORD = re.compile("|".join(RECORD_NUMBER_WORDS))
# A phone may follow these words with nothing between (tel13812345678); other letters make the
# digits part of an id or a code (abc13812345678, bm01000001, v13.8).
PHONE_WORDS = frozenset(
    {
        "tel",
        "telephone",
        "phone",
        "mobile",
        "mob",
        "cell",
        "call",
        "hotline",
        "wechat",
        "weixin",
        "qq",
    }
)
LETTERS_BEFORE = re.compile(r"[a-z]{1,12}$")


def phone_from_digits(digits: str) -> str | None:
    """The phone these digits spell, or None; a leading 86 country code is dropped."""
    if digits.startswith("86") and len(digits) > 11:
        national = digits[2:]
        digits = national if MOBILE.fullmatch(national) else "0" + national
    if MOBILE.fullmatch(digits):
        return None if PLACEHOLDER_MOBILE.fullmatch(digits) else digits
    if LANDLINE.fullmatch(digits) or SERVICE_NUMBER.fullmatch(digits):
        return digits
    return None


def _is_decimal(text: str, groups: list[tuple[int, int]], index: int) -> bool:
    """Group ``index`` is the fraction of a decimal number (the 00 of 138.00)."""
    start, end = groups[index]
    return end - start <= 2 and "." in text[groups[index - 1][1] : start]


def _phone_at(text: str, groups: list[tuple[int, int]], first: int) -> tuple[int, str] | None:
    """(last group used, phone) for the shortest phone starting at group ``first``."""
    digits = ""
    for index in range(first, len(groups)):
        if index > first and _is_decimal(text, groups, index):
            return None
        digits += text[groups[index][0] : groups[index][1]]
        if len(digits) > LONGEST_PHONE or (len(digits) >= 2 and not PHONE_START.match(digits)):
            return None
        phone = len(digits) >= SHORTEST_PHONE and phone_from_digits(digits)
        if phone:
            after = index + 1
            if after < len(groups) and _is_decimal(text, groups, after):
                return None  # 13812345678.00 is an amount
            return index, phone
    return None


def phones_in_run(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, phone) in a digit run: separator-split groups are joined, never split."""
    if text[start:end].isdigit():  # most runs: one group, nothing to join
        phone = phone_from_digits(text[start:end])
        if phone:
            yield start, end, phone
        return
    groups = [match.span() for match in DIGIT_GROUP.finditer(text, start, end)]
    first = 0
    while first < len(groups):
        found = _phone_at(text, groups, first)
        if found:
            last, phone = found
            yield groups[first][0], groups[last][1], phone
            first = last
        first += 1


def clean_start(text: str, position: int) -> bool:
    """A number may start here: not inside a word, unless the word is a phone label (tel138…)."""
    if position == 0 or not ("a" <= text[position - 1] <= "z"):
        return True
    word = LETTERS_BEFORE.search(text, max(0, position - 12), position)
    return word is not None and word.group(0) in PHONE_WORDS


def is_record_number(text: str, position: int, words: re.Pattern[str] = RECORD_WORD) -> bool:
    """One of ``words`` ends in the few characters before ``position``."""
    return words.search(text, max(0, position - RECORD_WORD_WINDOW), position) is not None

