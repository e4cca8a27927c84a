"""What a WeChat id is, and which tokens only look like one.

A WeChat id is 6–20 characters, a letter first, then letters, digits, _ or -. It is never part of
a URL, domain or e-mail address, never a word listed in keywords/not_contact_ids.tsv (“WeChat
official account”, “QQ mailbox”), never a placeholder (xxxxxxxx) and never a certificate code
(T + an ID-card number). An id with no label (``wechat_bare:``) must also mix letters and digits
(never a word, English or pinyin) and must not look like a code. These rules are the id half of
``leads.judge.contacts``, kept apart from the labels and the numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import keywords
from leads.judge.contacts_numbers import RECORD_NUMBER_WORDS

NOT_ID_FILE = Path(keywords.__file__).with_name("not_contact_ids.tsv")
ID = r"[a-z][-_a-z0-9]{5,19}"
ID_CHAR = r"[-_a-z0-9]"
# Words right before a token that make it some other account or a code, not a bare WeChat id.
OTHER_ID_WORDS = (
    "微博",
    "抖音",
    "快手",
    "淘宝",
    "小红书",
    "b站",
    "昵称",
    "用户名",
    "密码",
    "型号",
    "标准",
    "规范",
    "车牌",
)
NOT_BARE_ID_WORD = re.compile("|".join(RECORD_NUMBER_WORDS + OTHER_ID_WORDS))

# --- Ids without a label ------------------------------------------------------------------------
BARE_AFTER_WORD = re.compile(
    rf"(?=[加+联咨详私认])(?:加|\+|联系|咨询|详询|私聊|私信|认准)(?:我|个)?(?:好友)?[\s:]*({ID})(?!{ID_CHAR})"
)
# The lookbehind follows the first letter, so the engine jumps from letter to letter.
BARE_AT_END = re.compile(
    r"([a-z](?<![-_a-z0-9.@/][a-z])[-_a-z0-9]{5,19})[\s.!。~)\]】>」”\"']*$", re.MULTILINE
)
ID_NUMBER_CODE = re.compile(r"[a-z]{1,2}\d{17}[\dx]")  # T + an ID-card number: a certificate
BARE_CODE = re.compile(r"[a-z]{1,3}\d{8,}x?")  # letters + a long number: a record or model code
MASKED_ID_PART = "xxxx"  # xxxxxxxx, abcxxxx: a masked or placeholder id
URL_OR_EMAIL_NEXT = re.compile(r"\.[a-z0-9]|@")


@dataclass(frozen=True)
class NotIds:
    """keywords/not_contact_ids.tsv: tokens that are never ids, by scope."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    bare_words: frozenset[str]
    bare_prefixes: tuple[str, ...]


@cache
def load_not_ids(path: Path = NOT_ID_FILE) -> NotIds:
    """The tokens of keywords/not_contact_ids.tsv; a bad line fails with its file and line."""
    words: dict[str, set[str]] = {"all": set(), "bare": set()}
    prefixes: dict[str, set[str]] = {"all": set(), "bare": set()}
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            if cells != ["token", "match", "scope", "meaning"]:
                raise ValueError(f"{path.name}:{number}: header must be token/match/scope/meaning")
            continue
        if len(cells) != 4 or cells[1] not in ("word", "prefix") or cells[2] not in words:
            raise ValueError(f"{path.name}:{number}: want token, word|prefix, all|bare, meaning")
        (words if cells[1] == "word" else prefixes)[cells[2]].add(cells[0].lower())
    return NotIds(
        frozenset(words["all"]),
        tuple(sorted(prefixes["all"])),
        frozenset(words["bare"]),
        tuple(sorted(prefixes["bare"])),
    )


def is_id(candidate: str, text: str, end: int, *, bare: bool) -> bool:
    """Whether ``candidate`` (ending at ``end`` in ``text``) can be a WeChat id."""
    not_ids = load_not_ids()
    if (
        URL_OR_EMAIL_NEXT.match(text, end)
        or candidate in not_ids.words
        or candidate.startswith(not_ids.prefixes)
        or ID_NUMBER_CODE.fullmatch(candidate)
        or MASKED_ID_PART in candidate
    ):
        return False
    if not bare:
        return True
    letters = sum(char.isalpha() for char in candidate)
    return (
        letters >= 2
        and any(char.isdigit() for char in candidate)
        and candidate not in not_ids.bare_words
        and not candidate.startswith(not_ids.bare_prefixes)
        and not BARE_CODE.fullmatch(candidate)
    )
