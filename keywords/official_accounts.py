"""The official WeChat accounts and mini-programs (official_accounts.toml) that lookalike accounts
imitate, and the words a lookalike dresses its name in.

Parsed and checked once, here, with keywords/load.py's rules: an unknown key, a missing field, a
``kind`` other than 公众号/小程序 or a duplicate key fails loading with the file and the entry.
"unknown" is kept as the empty string, so code never mistakes the word for a verified subject.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

from keywords.load import DEFAULT_DIRECTORY, known_keys, phrases, read_toml, required

FILE_NAME = "official_accounts.toml"
UNKNOWN = "unknown"
KINDS = ("公众号", "小程序")


@dataclass(frozen=True)
class OfficialAccount:
    """One official account or mini-program; ``verified_by``/``wechat_id`` are "" when unknown."""

    key: str
    name: str
    kind: str
    agency: str
    verified_by: str
    wechat_id: str
    named_by: str


@dataclass(frozen=True)
class AccountSearch:
    """What WeChat account search asks before the plan: the official names, then the variants a
    lookalike's name is found by ([account_search]), at most ``per_night`` a night."""

    engines: tuple[str, ...]
    per_night: int
    variants: tuple[str, ...]


@dataclass(frozen=True)
class OfficialAccounts:
    """The official accounts and the imitation vocabulary (lower-cased, NFKC)."""

    accounts: tuple[OfficialAccount, ...]
    official_words: tuple[str, ...]
    claim_words: tuple[str, ...]
    search: AccountSearch

    @property
    def search_queries(self) -> tuple[str, ...]:
        """The official names (file order), then the variants; each once."""
        names = (account.name for account in self.accounts)
        return tuple(dict.fromkeys((*names, *self.search.variants)))


# The keys an entry may have: its fields and its note; the tables of the file.
ACCOUNT_KEYS = frozenset({field.name for field in fields(OfficialAccount)} | {"note"})
IMITATION_KEYS = frozenset({"official_words", "claim_words"})
SEARCH_KEYS = frozenset({"engines", "per_night", "variant"})
VARIANT_KEYS = frozenset({"query", "why"})
TOP_LEVEL_KEYS = frozenset({"account", "imitation", "account_search"})


def _known_or_empty(table: dict[str, object], key: str, where: str) -> str:
    value = str(required(table, key, where)).strip()
    if not value:
        raise ValueError(f"{where}: {key} is empty (write {UNKNOWN!r} when no source states it)")
    return "" if value == UNKNOWN else value


def read_official_accounts(path: Path) -> OfficialAccounts:
    data = read_toml(path)
    known_keys(data, TOP_LEVEL_KEYS, path.name)
    accounts: list[OfficialAccount] = []
    for index, table in enumerate(required(data, "account", path.name), 1):
        where = f"{path.name}: account #{index} ({table.get('key', 'no key')})"
        known_keys(table, ACCOUNT_KEYS, where)
        kind = required(table, "kind", where)
        if kind not in KINDS:
            raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
        account = OfficialAccount(
            key=required(table, "key", where), name=required(table, "name", where).strip(),
            kind=kind, agency=required(table, "agency", where),
            verified_by=_known_or_empty(table, "verified_by", where),
            wechat_id=_known_or_empty(table, "wechat_id", where),
            named_by=required(table, "named_by", where))
        required(table, "note", where)
        if any(account.key == seen.key for seen in accounts):
            raise ValueError(f"{where}: duplicate key {account.key!r}")
        accounts.append(account)
    imitation = required(data, "imitation", path.name)
    where = f"{path.name}: [imitation]"
    known_keys(imitation, IMITATION_KEYS, where)
    return OfficialAccounts(tuple(accounts), phrases(imitation, "official_words", where),
                            phrases(imitation, "claim_words", where),
                            _account_search(required(data, "account_search", path.name),
                                            f"{path.name}: [account_search]"))


def _account_search(table: dict[str, Any], where: str) -> AccountSearch:
    """[account_search]: every variant with its ``why``; ``per_night`` at least 1."""
    known_keys(table, SEARCH_KEYS, where)
    per_night = required(table, "per_night", where)
    if not isinstance(per_night, int) or per_night < 1:
        raise ValueError(f"{where}: per_night must be a whole number of at least 1")
    variants = []
    for index, variant in enumerate(required(table, "variant", where), 1):
        at = f"{where} variant #{index}"
        known_keys(variant, VARIANT_KEYS, at)
        if not str(required(variant, "why", at)).strip():
            raise ValueError(f"{at}: why is empty")
        variants.append(" ".join(str(required(variant, "query", at)).split()))
    return AccountSearch(tuple(required(table, "engines", where)), per_night, tuple(variants))


@cache
def load_official_accounts(directory: Path = DEFAULT_DIRECTORY) -> OfficialAccounts:
    return read_official_accounts(directory / FILE_NAME)
