"""Registrable lookalike domains of each protected platform, for proactive checks (dnstwist-style).

Each kind is a tiny named function in ``KINDS`` that bends the platform's names (typos, look-alike
letters, token orders, suffix swaps, embedding, pinyin); every result is tagged with its kind and
target. Only registrable names come out: a valid host whose registrable domain is not under gov.cn
and not an official one (fraudsters cannot register those, so checking them is pointless).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import permutations as orderings

from keywords import Platform, load_library
from leads.domains import host_parts, is_government_host, is_official_host

# Suffixes fraudsters register lookalikes under (cn.com is CentralNic's, not ICANN's: registrable).
DEFAULT_SUFFIXES = (
    "com",
    "cn",
    "com.cn",
    "net",
    "net.cn",
    "org",
    "top",
    "vip",
    "xyz",
    "cc",
    "cn.com",
    "site",
    "online",
    "info",
)
SEPARATORS = ("", "-")
QWERTY_NEIGHBOURS = {
    "a": "qwsz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}
ASCII_LOOKALIKES = {"o": "0", "l": "1", "i": "1", "m": "rn", "w": "vv", "d": "cl"}
TYPO_NAME_MIN_LENGTH = 5  # typos of shorter names (mem, samr) are mostly someone else's name
CLAIM_WORDS = ("cx", "chaxun", "zscx", "query", "cert")


@dataclass(frozen=True)
class Permutation:
    domain: str
    kind: str
    target: str  # the official host imitated


@dataclass(frozen=True)
class Seed:
    """What the kinds bend: one platform's names and the suffixes to register them under."""

    platform: Platform
    suffixes: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        """Meaningful labels of the main host: cx.mem.gov.cn → [cx, mem], www.mem.gov.cn → [mem]."""
        return [x for x in self.platform.main_host.split(".") if x not in ("gov", "cn", "www")]

    @property
    def names(self) -> list[str]:
        """Spellings typos are made of: the joined labels and each label of 5+ letters."""
        names = [name.replace("-", "") for name in ("".join(self.labels), *self.labels)]
        return list(dict.fromkeys(n for n in names if len(n) >= TYPO_NAME_MIN_LENGTH))

    def under_suffixes(self, names: Iterator[str] | list[str]) -> Iterator[str]:
        for name in names:
            for suffix in self.suffixes:
                yield f"{name}.{suffix}"


def _edits(name: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(name)


def omission(seed: Seed) -> Iterator[str]:
    """One letter left out: cxmm, mohrd."""
    yield from seed.under_suffixes([n[:i] + n[i + 1 :] for n in seed.names for i, _ in _edits(n)])


def repetition(seed: Seed) -> Iterator[str]:
    """One letter doubled: cxmmem, mohhurd."""
    yield from seed.under_suffixes([n[:i] + c + n[i:] for n in seed.names for i, c in _edits(n)])


def transposition(seed: Seed) -> Iterator[str]:
    """Two neighbouring letters swapped: xcmem, mohrud."""
    yield from seed.under_suffixes(
        [n[:i] + n[i + 1] + n[i] + n[i + 2 :] for n in seed.names for i in range(len(n) - 1)]
    )


def replacement(seed: Seed) -> Iterator[str]:
    """One letter replaced by a keyboard neighbour: cxmwm, mohurf."""
    yield from seed.under_suffixes(
        [
            n[:i] + k + n[i + 1 :]
            for n in seed.names
            for i, c in _edits(n)
            for k in QWERTY_NEIGHBOURS.get(c, "")
        ]
    )


def hyphenation(seed: Seed) -> Iterator[str]:
    """A hyphen inside a name: cx-mem, moh-urd."""
    yield from seed.under_suffixes(
        [n[:i] + "-" + n[i:] for n in seed.names for i in range(1, len(n))]
    )


def ascii_lookalike(seed: Seed) -> Iterator[str]:
    """Digits or letter pairs for letters: m0hurd, zl4q→z1aq, rnohurd, cxrnem."""
    yield from seed.under_suffixes(
        [
            n[:i] + ASCII_LOOKALIKES[c] + n[i + 1 :]
            for n in seed.names
            for i, c in _edits(n)
            if c in ASCII_LOOKALIKES
        ]
    )


def homoglyph(seed: Seed) -> Iterator[str]:
    """One letter replaced by a Unicode look-alike (Cyrillic, Greek), as an IDN: сxmem."""
    glyphs: dict[str, list[str]] = {}
    for glyph, letter in load_library().homoglyphs.items():
        if not glyph.isascii() and len(letter) == 1:
            glyphs.setdefault(letter, []).append(glyph)
    yield from seed.under_suffixes(
        [
            n[:i] + g + n[i + 1 :]
            for n in seed.names
            for i, c in _edits(n)
            for g in glyphs.get(c, ())
        ]
    )


def token_combination(seed: Seed) -> Iterator[str]:
    """The official labels in any order and separator, with or without gov: mem-cx, mohurdgov."""
    pieces = [*seed.labels, "gov"]
    for size in (2, 3):
        for order in orderings(pieces, size):
            if len(set(order) & set(seed.labels)) < min(2, len(seed.labels)):
                continue
            yield from seed.under_suffixes([sep.join(order) for sep in SEPARATORS])


def suffix_swap(seed: Seed) -> Iterator[str]:
    """Official registrable names under another suffix: mem.gov.cn.com, mohurd.com.cn, e-cqs.top."""
    for domain in seed.platform.registered_domains:
        name = domain.removesuffix(".gov.cn").split(".")[0]
        yield from seed.under_suffixes([domain, domain.replace(".", "-"), name])


def embedded_host(seed: Seed) -> Iterator[str]:
    """The official host as a prefix of another registrable domain: cx.mem.gov.cn.cha-xun.top."""
    for host in seed.platform.hosts:
        for word in CLAIM_WORDS:
            yield from seed.under_suffixes([f"{host}.{word}", f"{host}.{word}-center"])


def pinyin(seed: Seed) -> Iterator[str]:
    """The platform's pinyin tokens with a query word: yjglb-chaxun, tzsbcx."""
    strong = [token for token, weight in seed.platform.pinyin_tokens.items() if weight >= 25]
    yield from seed.under_suffixes(
        [
            sep.join(pair)
            for token in strong
            for word in ("cx", "chaxun", "zscx")
            for pair in ((token, word), (word, token))
            for sep in SEPARATORS
        ]
    )


KINDS: dict[str, Callable[[Seed], Iterator[str]]] = {
    kind.__name__: kind
    for kind in (
        omission,
        repetition,
        transposition,
        replacement,
        hyphenation,
        ascii_lookalike,
        homoglyph,
        token_combination,
        suffix_swap,
        embedded_host,
        pinyin,
    )
}


def registrable(domain: str) -> str:
    """The ASCII form of ``domain`` when it can be registered by anyone, else ""."""
    parts = host_parts(domain)
    if parts.problem or parts.is_ip or not parts.registered_domain:
        return ""
    if is_government_host(parts.host) or is_official_host(parts.host):
        return ""
    return parts.host


def permutations(
    platform_key: str | None = None,
    kinds: tuple[str, ...] | None = None,
    suffixes: tuple[str, ...] = DEFAULT_SUFFIXES,
) -> list[Permutation]:
    """Registrable permutations of one platform (by key) or of all, each tagged with its kind."""
    platforms = [p for p in load_library().platforms if platform_key in (None, p.key)]
    if not platforms:
        raise ValueError(f"未知平台：{platform_key}")
    seen: set[str] = set()
    found = []
    for platform in platforms:
        seed = Seed(platform, suffixes)
        for kind in kinds or tuple(KINDS):
            for candidate in KINDS[kind](seed):
                domain = registrable(candidate)
                if domain and domain not in seen:
                    seen.add(domain)
                    found.append(Permutation(domain, kind, platform.main_host))
    return found
