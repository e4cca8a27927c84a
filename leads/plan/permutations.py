"""Registrable lookalike domains of each protected platform, for proactive checks (dnstwist-style).

Each kind is a tiny named function in ``PERMUTATION_KINDS`` that bends the platform's names
(typos, look-alike letters, token orders, suffix swaps, embedding, pinyin, campaign words, dots);
every result is tagged with its kind and target. Only registrable names come out: a valid host
whose registrable domain is not under gov.cn and not an official one (fraudsters cannot register
those, so checking them is pointless). Names are what platforms.toml calls lookalikes: a short,
generic official name (mem, samr) alone on another suffix is not one, so it is not made (mem only
under a .cn suffix, where the name_context rule of the scorer counts the suffix as context).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import permutations as orderings
from typing import Any

from keywords import Platform, load_library
from leads.judge.domains import host_parts, is_government_host, is_official_host

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
ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789"
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
TYPO_NAME_MIN_LENGTH = 5  # typos of shorter names (mem, samr) are mostly someone else's name
SHORTEST_TYPO = 4  # a typo that leaves three letters (zla, cns) is another name
CLAIM_WORDS = ("cx", "chaxun", "zscx", "query", "cert")
CAMPAIGN_SUFFIXES = 3  # campaign words are many: their names go under the first suffixes only


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
    def table(self) -> Mapping[str, Any]:
        """This platform's table in platforms.toml (distinctive_labels, name_context)."""
        tables = load_library().platform_tables["platform"]
        return next(t for t in tables if t["key"] == self.platform.key)

    @property
    def distinctive(self) -> list[str]:
        return list(self.table.get("distinctive_labels", ()))

    @property
    def names(self) -> list[str]:
        """Spellings typos are made of: the joined labels, each label of 5+ letters, and the
        distinctive labels as written (e-cqs, zlaq, cnse)."""
        names = [name.replace("-", "") for name in ("".join(self.labels), *self.labels)]
        long = [name for name in names if len(name) >= TYPO_NAME_MIN_LENGTH]
        return list(dict.fromkeys(long + self.distinctive))

    def under_suffixes(self, names: Iterator[str] | list[str]) -> Iterator[str]:
        for name in names:
            for suffix in self.suffixes:
                yield f"{name}.{suffix}"


def _edits(name: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(name)


def _substitutions(seed: Seed, substitutes: Mapping[str, Iterable[str]]) -> Iterator[str]:
    """Each name with one letter replaced by one of its ``substitutes``, under every suffix."""
    yield from seed.under_suffixes(
        [
            n[:i] + substitute + n[i + 1 :]
            for n in seed.names
            for i, c in _edits(n)
            for substitute in substitutes.get(c, ())
        ]
    )


def omission(seed: Seed) -> Iterator[str]:
    """One letter left out: cxmm, mohrd, e-cq (not zla: three letters are another name)."""
    left = [n[:i] + n[i + 1 :] for n in seed.names for i, _ in _edits(n)]
    yield from seed.under_suffixes([n for n in left if len(n) >= SHORTEST_TYPO])


def addition(seed: Seed) -> Iterator[str]:
    """One letter or digit appended: e-cqs8, zlaqa, mohurd1."""
    yield from seed.under_suffixes([n + c for n in seed.names for c in ALPHANUMERIC])


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
    yield from _substitutions(seed, QWERTY_NEIGHBOURS)


def hyphenation(seed: Seed) -> Iterator[str]:
    """A hyphen inside a name: cx-mem, moh-urd."""
    yield from seed.under_suffixes(
        [n[:i] + "-" + n[i:] for n in seed.names for i in range(1, len(n))]
    )


def ascii_lookalike(seed: Seed) -> Iterator[str]:
    """Digits or letters for letters (platforms.toml typo_glyphs): m0hurd, 2laq, e-cq5, rnohurd."""
    yield from _substitutions(seed, load_library().platform_tables["typo_glyphs"])


def subdomain_split(seed: Seed) -> Iterator[str]:
    """A distinctive label cut by a dot, its tail the registrable name: z.laq.cn, e-c.qs.cn
    (not when the tail and suffix are a private suffix themselves: cn.se.net is one name)."""
    cuts = [n[:i] + "." + n[i:] for n in seed.distinctive for i in range(1, len(n))]
    for domain in seed.under_suffixes([cut for cut in cuts if ".-" not in cut and "-." not in cut]):
        if host_parts(domain).subdomain:
            yield domain


def campaign_words(seed: Seed) -> Iterator[str]:
    """A distinctive label glued to a campaign word, either side: mohurdsanlei, chaxun-zlaq."""
    words = load_library().platform_tables["generic"]["campaign_words"]
    names = [
        sep.join(pair)
        for label in seed.distinctive
        for word in words
        for pair in ((label, word), (word, label))
        for sep in SEPARATORS
    ]
    for name in names:
        for suffix in seed.suffixes[:CAMPAIGN_SUFFIXES]:
            yield f"{name}.{suffix}"


def name_context(seed: Seed) -> Iterator[str]:
    """A short official name beside its context words, or alone under .cn: memgov-cx, mem-anquan,
    mem.cn."""
    context = seed.table.get("name_context", ())
    for domain in seed.platform.registered_domains if context else ():
        name = domain.removesuffix(".gov.cn").split(".")[0]
        pairs = [
            sep.join(pair)
            for word in context
            for pair in ((name, word), (word, name))
            for sep in SEPARATORS
        ]
        yield from seed.under_suffixes(pairs)
        yield from (f"{name}.{suffix}" for suffix in seed.suffixes if "cn" in suffix.split("."))


def homoglyph(seed: Seed) -> Iterator[str]:
    """One letter replaced by a Unicode look-alike (Cyrillic, Greek), as an IDN: сxmem."""
    glyphs: dict[str, list[str]] = {}
    for glyph, letter in load_library().homoglyphs.items():
        if not glyph.isascii() and len(letter) == 1:
            glyphs.setdefault(letter, []).append(glyph)
    yield from _substitutions(seed, glyphs)


def token_combination(seed: Seed) -> Iterator[str]:
    """The official labels in any order and separator, with or without gov: mem-cx, mohurdgov."""
    pieces = [*seed.labels, "gov"]
    for size in (2, 3):
        for order in orderings(pieces, size):
            if len(set(order) & set(seed.labels)) < min(2, len(seed.labels)):
                continue
            yield from seed.under_suffixes([sep.join(order) for sep in SEPARATORS])


def suffix_swap(seed: Seed) -> Iterator[str]:
    """Official registrable names under another suffix: mem.gov.cn.com, mohurd.com.cn, e-cqs.top;
    distinctive labels too (zlaq.com); a short generic name alone (mem.com) is not a lookalike."""
    for domain in seed.platform.registered_domains:
        name = domain.removesuffix(".gov.cn").split(".")[0]
        names = [domain, domain.replace(".", "-")] + ([name] if name in seed.distinctive else [])
        yield from seed.under_suffixes(names)
    yield from seed.under_suffixes(seed.distinctive)


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


PERMUTATION_KINDS: dict[str, Callable[[Seed], Iterator[str]]] = {
    kind.__name__: kind
    for kind in (
        omission,
        addition,
        repetition,
        transposition,
        replacement,
        hyphenation,
        ascii_lookalike,
        subdomain_split,
        homoglyph,
        token_combination,
        suffix_swap,
        embedded_host,
        pinyin,
        campaign_words,
        name_context,
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
        for kind in kinds or tuple(PERMUTATION_KINDS):
            for candidate in PERMUTATION_KINDS[kind](seed):
                domain = registrable(candidate)
                if domain and domain not in seen:
                    seen.add(domain)
                    found.append(Permutation(domain, kind, platform.main_host))
    return found
