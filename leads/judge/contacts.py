"""Extract seller contacts (phone, WeChat, QQ, e-mail, Telegram) as normalised strings.

A contact is ``kind:value`` so leads from different pages can be joined on it:

- ``phone:13812345678`` a mobile; ``phone:02087654321`` a landline with its area code (brackets,
  dashes and spaces dropped, an extension too: the switchboard number is what joins leads);
  ``phone:4008001234`` a 400/800 number; ``phone:87654321`` a local number, only right after a
  phone label (电话：87654321), since eight bare digits are as often a QQ, a date or a price.
- ``wechat:abc_123`` an id after a WeChat label (微信, wechat, V:, 加V, 薇/威/危/微:, 卫星:,
  绿泡泡); a mobile is one too when the text says so (微信：138…, 138…微信同号).
- ``qq:12345678`` 5–12 digits after a QQ label (QQ, Q:, 加Q, 扣扣, 企鹅, 🐧), or a phone the text
  marks QQ同号. Without a label a number is never a QQ.
- ``email:…`` and ``telegram:…``.
- ``phone_masked:138****5678`` a mobile shown with masked digits (x, *, ×), never completed.
  ``xxxxxxxxxxx`` with no digits is a placeholder, not a contact.
- ``wechat_bare:zhengshu8866`` an id with no label, where ads put their WeChat id: after
  加/联系/咨询/认准, or ending the text. It is a kind of its own, not ``wechat:``, because a bare
  token can also be a product code or a user name: the scorer counts it as an indirect contact
  (the ``wechat:`` prefix does not match it) and the analyst sees it was inferred. A bare id must
  mix letters and digits (never a word, English or pinyin) and must not look like a code.
- ``wechat_qr:https://u.wechat.com/…`` a WeChat contact QR code in one of the page's images (a
  personal card, group or official-account QR, or a ``wxp://`` pay code), its payload whole: the
  payload, not a WeChat id, is what the code gives away. Read from images by
  ``leads.judge.qr_codes``, never from text; a direct contact (scanning it reaches the seller).

What a WeChat id is lives in ``leads.judge.contacts_ids``, which digits are a phone in
``leads.judge.contacts_numbers``; this module reads the labels and runs the passes over a text.
The kinds of contact are declared here once: the scorer, the verdict and the routing use them.

Text is folded first (``leads.judge.normalize.fold``), so V信/薇信/vx/扣扣/企鹅, full-width and
traditional characters need no special case here. Only the first ``MAX_SCAN_CHARS`` characters
are read, and every pattern is bounded or anchored so that hostile text costs linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from keywords.regex_factors import with_first_characters
from leads.judge.contacts_ids import (
    BARE_AFTER_WORD,
    BARE_AT_END,
    ID,
    ID_CHAR,
    NOT_BARE_ID_WORD,
    is_id,
    load_not_ids,
)
from leads.judge.contacts_numbers import (
    DIGIT_RUN,
    LOCAL_NUMBER,
    MASK_CHARS,
    MASKED_MOBILE,
    MOBILE,
    PLACEHOLDER_MOBILE,
    clean_start,
    is_record_number,
    phones_in_run,
)
from leads.judge.normalize import CJK, fold

__all__ = [
    "DIRECT_CONTACT_KINDS",
    "EMOJI_LABELS",
    "EMOJI_WORDS",
    "MAX_SCAN_CHARS",
    "ROUTABLE_CONTACT_KINDS",
    "WECHAT_QR_KIND",
    "contacts_in_folded",
    "emoji_as_labels",
    "emoji_as_words",
    "extract_contacts",
    "has_direct_contact",
    "load_not_ids",
    "spoken_numbers_as_digits",
]

MAX_SCAN_CHARS = 200_000  # the text scorer's cap too: an ad is a few hundred characters
# Kinds of contact at which a seller can be reached at once; e-mail and a masked or inferred
# number (phone_masked:, wechat_bare:) are indirect.
WECHAT_QR_KIND = "wechat_qr:"  # a WeChat contact QR code read from an image (leads.judge.qr_codes)
DIRECT_CONTACT_KINDS = ("phone:", "wechat:", "qq:", "telegram:", WECHAT_QR_KIND)
# Kinds an agency can act on, so a lead with one goes to the agencies that need contacts.
ROUTABLE_CONTACT_KINDS = (*DIRECT_CONTACT_KINDS, "email:")

# Numbers read aloud: 幺 is 1, 洞 0, 两 2 and 拐 7 as dispatchers say them; sellers write phones
# so (幺三六 洞二五八 两七九四), in groups split by spaces, commas or 、. A run of at least seven
# such digits, one of them read aloud, becomes digits, its separators spaces, so the phone rules
# read it like any other (a shorter run is a quantity: 两三个, 一两天). Every character maps to
# one, so positions stay.
SPOKEN_DIGITS = "零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖洞两拐"
CHINESE_DIGITS = str.maketrans(
    SPOKEN_DIGITS + "、,", "001234567891123456789027" + "  "
)
CHINESE_NUMBER_RUN = re.compile(
    rf"[{SPOKEN_DIGITS}0-9](?:[ 、,.\-·•・]{{0,2}}[{SPOKEN_DIGITS}0-9]){{6,}}"
)
# A letter written for the digit it looks like inside a phone (13O8-5521-967, 1390l23…): read
# only where phones are looked for, so an id such as ab1o2 keeps its letters.
LETTER_FOR_DIGIT = re.compile(r"(?<=\d)[oli](?=\d)")
LETTER_DIGITS = {"o": "0", "l": "1", "i": "1"}
# fold() drops emoji. These stand for a word in any text (➕v is 加v, 🛜可查 is 网上可查, 🈚考
# is folded to 无考 by NFKC, 高处作业📜 is 高处作业证, 不用📖不用✍ is 不用看书不用考, 🏃🈚 is
# 去无 (no need to go), 直接⬇ is 直接下, 📦工地 is 寄工地, 🎓本科 is 学历本科, 🔌工 is 电工,
# 🆓考 is 免考, 🚜📜 is 叉车证, 👤不用去 is 人不用去) ...
EMOJI_WORD_MAP = {"➕": "加", "✚": "加", "🛜": "网上", "🌐": "网上", "📜": "证", "📖": "看书",
                  "✍": "考", "🔍": "查", "💬": "私", "🏃": "去", "⬇": "下", "📦": "寄",
                  "🆔": "证件", "🔏": "章", "🎓": "学历", "🐧": "qq", "📕": "本", "📇": "证",
                  "🪪": "证件", "📄": "证", "📃": "证", "📝": "考", "🔎": "查", "📩": "信",
                  "🔌": "电", "🗨": "私", "🆓": "免", "🚜": "叉车",
                  "👤": "人", "📮": "寄", "💰": "钱", "🧯": "消防", "✉": "私"}
EMOJI_WORDS = str.maketrans(EMOJI_WORD_MAP)
# ⚡ and 🔥 stand for a trade only before 工 (⚡工📜 is 电工证, 🔥工 is 焊工); elsewhere they
# decorate.
TRADE_EMOJI = {"⚡": "电", "🔥": "焊"}
TRADE_EMOJI_BEFORE_WORKER = re.compile("([⚡🔥])\ufe0f?(?= ?工)")
# 💯 is 包 before a pass (💯过 is 包过); elsewhere it decorates.
FULL_MARKS_BEFORE_PASS = re.compile("💯\ufe0f?(?=过|通过|拿证)")
# ❌ and 🙅 say "no" before what a buyer is spared (❌考试 🙅‍♂️培训 is 无考试 无培训), not inside a
# word (考🙅试) nor before a 不 of their own (❌不考试).
NO_EMOJI_BEFORE_CHORE = re.compile(
    f"(?<![{CJK}])[❌🙅][\u200d\u2640\u2642\ufe0f]*(?= ?(?:考|培训|学习|上课|到场|去|跑|体检|复审))"
)
# ... and these for a contact label, so extract_contacts spells them out first (✈ is Telegram's
# 飞机).
EMOJI_LABELS = str.maketrans(
    {"☎": "电话", "📞": "电话", "📱": "手机", "✈": "飞机", **EMOJI_WORD_MAP}
)
# str.translate with a table walks every character in Python objects; most texts hold none of
# these emoji, and a set tells that much faster.
EMOJI_LABEL_CHARACTERS = frozenset(map(chr, EMOJI_LABELS))
EMOJI_WORD_CHARACTERS = frozenset(EMOJI_WORD_MAP)


# --- Labels -------------------------------------------------------------------------------------
# One-letter and one-character labels (v, q, 薇, 威, 危, 微, 卫星) are everyday text on their own:
# they count only right after 加/+ or right before a colon.
WECHAT_LABEL = (
    r"微信|wechat|绿色?泡泡|绿色软件"
    r"|(?:(?<=加)|(?<=\+))(?:v|薇|威|危|微|卫星)"
    r"|(?:(?<![a-z0-9.])v|薇|威|危|微|卫星)(?=\s*:)"
)
# No letter before qq, but a digit may be: a phone runs into the QQ label (138…qq909…). A lone q
# is a label after 加/+ or a contact verb (详询Q 2284…, 联系q…), or before a colon.
QQ_LABEL = (r"(?<![a-z])q?qq|(?:(?<=加)|(?<=\+)|(?<=[询系联]))q|(?<![a-z0-9])q(?=\s*:)"
            r"|(?<![a-z0-9])q(?= ?[1-9]\d{4,10}(?!\d))"  # Q 3162049785, a bare Q before a QQ number
            r"|(?<=加)扣(?=\s*:?\s*[1-9])"  # 加扣 2210874533: 扣 for QQ after 加, before a number
            r"|蔻蔻|寇寇"  # 扣扣 in look-alikes
            # 扣我 2736…, 扣扣 4820…: before a QQ-long number, never 折扣/扣款/不扣 (扣10000元)
            r"|(?<![折预不克代被实])扣[扣我]?(?=\s*:?\s*[1-9]\d{4,10}(?![\d元块万%分]))")
PHONE_LABEL = r"电话|手机|座机|热线|(?<![a-z])(?:tel|phone|mobile)|电(?=\s*:)"
LABELS = rf"(?P<wechat>{WECHAT_LABEL})|(?P<qq>{QQ_LABEL})|(?P<phone>{PHONE_LABEL})"
# Behind a lookahead for the characters a label can start with (read from the pattern itself),
# the regex engine skips every other position at once.
LABEL = with_first_characters(re.compile(LABELS))
# Labels written together name one value: 电话/微信：138…, QQ微信同号, qq、微信.
NEXT_LABEL = re.compile(rf"[\s/、和及或]{{0,2}}(?:{LABELS})")
# Between a label and its value: punctuation and the words sellers put there (号码是, 搜索, 添加).
FILLER = (
    r"(?:[\s:;,.、。!\"'“”‘’()\[\]【】<>《》=~-]"
    r"|号码|号|id|账号|帐号|是|为|搜索|搜|添加|加|好友|联系|咨询|同号|群){0,6}"
)
LABELLED_VALUE = re.compile(
    rf"({FILLER})(?:(?P<mobile>1[3-9]\d(?:[ -]?\d{{4}}){{2}})(?!\d)"
    rf"|(?P<number>[1-9]\d{{4,11}}|[1-9]\d{{2,3}}(?: \d{{3,4}}){{1,2}})(?!\d)"
    rf"|(?P<id>{ID})(?!{ID_CHAR}))"
)
# What may follow a number that is a quantity, a price or a date rather than a QQ or a phone.
# A unit is on the same line and is not the start of a word (本站, 人员, 名称, 条件, 期间).
NUMBER_UNIT = re.compile(
    r"[.,]\d|[ \t]?(?:[元块万千年月日岁%个次分秒位张]|本(?![站人店网司])|人(?!员)"
    r"|名(?![称字])|天(?![津])|期(?!间)|届|条(?!件))"
)
# 138… 微信同号 / QQ同号 / 同微信 / 微信同手机: the phone is also the WeChat or QQ account.
SAME_NUMBER = re.compile(
    r"(?=[微qv同])(?:(?:(?:微信|qq|v)[和及/、]?){1,3}也?同号|同(?:微信|qq)|(?:微信|qq)同(?:手机|电话))"
)
SAME_NUMBER_KIND = re.compile(r"微信|qq|v")
SAME_NUMBER_BEFORE, SAME_NUMBER_AFTER = 16, 8  # how far the phone may be from the marker

TELEGRAM = re.compile(
    r"(?=[t电纸飞])(?:(?<![a-z0-9])(?:telegram|tg)|电报|纸飞机|飞机)(?:号|上?搜)?\s*:?\s*@?([a-z][a-z0-9_]{4,31})"
    r"|t\.me/([a-z][a-z0-9_]{4,31})"
)
# Starts only where a token starts, with every part bounded: no quadratic scan of a long word.
EMAIL = re.compile(
    r"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]{0,63}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}"
    r"\.[a-z]{2,24}"
)


class _Found:
    """Contacts with their positions, and the characters no later pass may read again."""

    def __init__(self, length: int) -> None:
        self.first_seen: dict[str, int] = {}  # contact → where it first appears
        self._claimed = bytearray(length)  # 1 where a contact was read: a check costs one span

    def add(self, position: int, contact: str, claim: tuple[int, int] | None = None) -> None:
        if position < self.first_seen.get(contact, position + 1):
            self.first_seen[contact] = position
        if claim is not None:
            self._claimed[claim[0] : claim[1]] = b"\x01" * (claim[1] - claim[0])

    def free(self, span: tuple[int, int]) -> bool:
        return self._claimed.find(1, span[0], span[1]) < 0

    def ordered(self) -> list[str]:
        """In order of appearance (stable: a phone before the WeChat it also is), de-duplicated."""
        return sorted(self.first_seen, key=self.first_seen.__getitem__)


def _emails_masks_telegram(text: str, found: _Found) -> None:
    if "@" in text:
        for match in EMAIL.finditer(text):
            found.add(match.start(), f"email:{match.group(0)}", match.span())
    for match in MASKED_MOBILE.finditer(text):
        tail = match.group(2).replace(" ", "").replace("-", "")
        if clean_start(text, match.start()):
            masked = match.group(1) + "".join("*" if char in MASK_CHARS else char for char in tail)
            found.add(match.start(), f"phone_masked:{masked}", match.span())
    for match in TELEGRAM.finditer(text):
        if found.free(match.span()):
            found.add(match.start(), f"telegram:{match.group(1) or match.group(2)}", match.span())


def _labelled(text: str, found: _Found) -> None:
    """Values after a label or a run of labels (电话/QQ/微信：…)."""
    resume = 0
    for label in LABEL.finditer(text):
        if label.start() < resume:
            continue  # already read as part of the previous run of labels
        kinds = {label.lastgroup}
        end = label.end()
        while following := NEXT_LABEL.match(text, end):
            kinds.add(following.lastgroup)
            end = following.end()
        resume = end
        value = LABELLED_VALUE.match(text, end)
        if value is None:
            continue
        span = value.span(value.lastgroup)
        if not found.free(span):
            continue
        if value.group("id"):
            ascii_label = text[label.start()].isascii() and ":" not in value.group(1)
            if (
                "wechat" in kinds
                and not (ascii_label and value.group("id").isalpha())
                and is_id(value.group("id"), text, span[1], bare=False)
            ):
                found.add(label.start(), f"wechat:{value.group('id')}", span)
            continue
        if is_record_number(text, span[0]):
            continue
        if value.group("mobile"):
            mobile = re.sub(r"[ -]", "", value.group("mobile"))
            if PLACEHOLDER_MOBILE.fullmatch(mobile):
                continue
            also_phone = "phone" in kinds or "wechat" in kinds or "同号" in value.group(1)
            for kind in ("wechat", "qq"):
                if kind in kinds:
                    found.add(label.start(), f"{kind}:{mobile}", None if also_phone else span)
            continue
        number = value.group("number").replace(" ", "")  # QQ 209 337 158, as stickers space it
        if NUMBER_UNIT.match(text, span[1]):
            continue
        if "qq" in kinds:
            found.add(label.start(), f"qq:{number}", span)
        elif "phone" in kinds and LOCAL_NUMBER.fullmatch(number):
            found.add(label.start(), f"phone:{number}", span)


def _phones(text: str, found: _Found) -> list[tuple[int, int, str]]:
    """Phones in digit runs; returns the mobiles with their spans for 微信同号."""
    mobiles = []
    for run in DIGIT_RUN.finditer(text):
        for start, end, phone in phones_in_run(text, *run.span()):
            if (
                found.free((start, end))
                and clean_start(text, start)
                and not is_record_number(text, start)
            ):
                found.add(start, f"phone:{phone}")
                if MOBILE.fullmatch(phone):
                    mobiles.append((start, end, phone))
    return mobiles


def _same_number(text: str, mobiles: list[tuple[int, int, str]], found: _Found) -> None:
    """138… 微信同号: the nearest mobile before the marker (or just after it) is the account too."""
    if not mobiles:
        return
    starts, ends = [m[0] for m in mobiles], [m[1] for m in mobiles]  # ascending, no overlaps
    for marker in SAME_NUMBER.finditer(text):
        before = bisect_right(ends, marker.start()) - 1
        after = bisect_left(starts, marker.end())
        if before >= 0 and marker.start() - ends[before] <= SAME_NUMBER_BEFORE:
            start, _, mobile = mobiles[before]
        elif after < len(mobiles) and starts[after] - marker.end() <= SAME_NUMBER_AFTER:
            start, _, mobile = mobiles[after]
        else:
            continue
        for kind in dict.fromkeys(SAME_NUMBER_KIND.findall(marker.group(0))):
            found.add(start, f"{'qq' if kind == 'qq' else 'wechat'}:{mobile}")


def _bare_ids(text: str, found: _Found) -> None:
    for pattern in (BARE_AFTER_WORD, BARE_AT_END):
        for match in pattern.finditer(text):
            candidate, span = match.group(1), match.span(1)
            if (
                is_id(candidate, text, span[1], bare=True)
                and found.free(span)
                and not is_record_number(text, span[0], NOT_BARE_ID_WORD)
                and f"wechat:{candidate}" not in found.first_seen
            ):
                found.add(span[0], f"wechat_bare:{candidate}", span)


def emoji_as_words(text: str) -> str:
    """``text`` with the emoji that stand for a word spelled out (EMOJI_WORDS; ⚡工 🔥工, 💯过,
    ❌考试 by their neighbours)."""
    if "⚡" in text or "🔥" in text:
        text = TRADE_EMOJI_BEFORE_WORKER.sub(lambda match: TRADE_EMOJI[match.group(1)], text)
    if "💯" in text:
        text = FULL_MARKS_BEFORE_PASS.sub("包", text)
    if "❌" in text or "🙅" in text:
        text = NO_EMOJI_BEFORE_CHORE.sub("无", text)
    return text if EMOJI_WORD_CHARACTERS.isdisjoint(text) else text.translate(EMOJI_WORDS)


def emoji_as_labels(text: str) -> str:
    """``text`` with the emoji that stand for a contact label or a word spelled out
    (EMOJI_LABELS: 🐧 is qq, ☎ 电话), as extract_contacts reads it."""
    return text if EMOJI_LABEL_CHARACTERS.isdisjoint(text) else text.translate(EMOJI_LABELS)


def extract_contacts(text: str) -> list[str]:
    """Contacts in order of appearance, de-duplicated; masked numbers stay masked."""
    return contacts_in_folded(fold(emoji_as_labels(text[:MAX_SCAN_CHARS])))


def contacts_in_folded(folded: str) -> list[str]:
    """``extract_contacts`` for text already folded by ``leads.judge.normalize.fold``.

    Emoji labels (🐧 for QQ, ☎ for a phone) are gone from folded text, so callers fold
    ``emoji_as_labels(text)`` as the text scorer does.
    """
    text = spoken_numbers_as_digits(folded[:MAX_SCAN_CHARS])
    found = _Found(len(text))
    _emails_masks_telegram(text, found)
    _labelled(text, found)
    phone_text = LETTER_FOR_DIGIT.sub(lambda letter: LETTER_DIGITS[letter.group(0)], text)
    _same_number(text, _phones(phone_text, found), found)
    _bare_ids(text, found)
    return found.ordered()


def spoken_numbers_as_digits(folded: str) -> str:
    """Folded text with numbers read aloud (幺三六 洞二五八 两七九四) in digits, position for
    position."""
    return CHINESE_NUMBER_RUN.sub(_spoken_run_as_digits, folded)


def _spoken_run_as_digits(match: re.Match[str]) -> str:
    """A run with a digit read aloud, in digits; a run of plain digits stays as written (an
    amount, 13,800,138,000元, is no phone split by commas)."""
    run = match.group(0)
    return run if run.isascii() else run.translate(CHINESE_DIGITS)


def has_direct_contact(contacts: Iterable[str]) -> bool:
    """Whether one of ``contacts`` (``kind:value``) reaches the seller at once."""
    return any(contact.startswith(DIRECT_CONTACT_KINDS) for contact in contacts)
