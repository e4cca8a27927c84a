"""The official verification platforms (platforms.toml): their hosts, page fingerprints, the
domain tokens lookalikes reuse, and the look-alike letters.

The file is parsed and its keys checked once, here: every key of a ``[[platform]]`` table, of
``[generic]`` and at the top level must be one this loader knows, so a misspelt key fails loading
instead of reading as "not known". Keys the typed ``Platform`` does not carry (distinctive labels,
synonym groups, identity lines …) are read by their users from ``KeywordLibrary.platform_tables``,
the same checked tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keywords.load import known_keys, phrases, read_toml, required, token_weights

PLATFORM_KEYS = frozenset(
    {
        "key", "name", "agency", "hosts", "registered_domains", "default_target",
        "distinctive_labels", "name_context", "title_phrases", "heading_phrases", "form_fields",
        "html_markers", "topic_phrases", "footer_phrases", "sponsors", "site_codes",
        "icp_numbers", "police_numbers", "logo_hashes", "host_tokens", "pinyin_tokens",
    }
)
GENERIC_KEYS = frozenset(
    {
        "filler_tokens", "claim_phrases", "query_buttons", "synonym_groups", "campaign_words",
        "host_tokens", "pinyin_tokens",
    }
)
TOP_LEVEL_KEYS = frozenset({"platform", "generic", "typo_glyphs", "homoglyphs"})


@dataclass(frozen=True)
class Platform:
    """An official verification platform and the fingerprint of its domain and pages."""

    key: str
    name: str
    agency: str
    hosts: tuple[str, ...]
    registered_domains: tuple[str, ...]
    default_target: bool
    title_phrases: tuple[str, ...]
    heading_phrases: tuple[str, ...]
    form_fields: tuple[str, ...]
    html_markers: tuple[str, ...]
    topic_phrases: tuple[str, ...]
    host_tokens: Mapping[str, int]
    pinyin_tokens: Mapping[str, int]

    @property
    def main_host(self) -> str:
        return self.hosts[0]


@dataclass(frozen=True)
class GenericVocabulary:
    """Domain tokens and page phrases shared by all platforms (platforms.toml ``[generic]``)."""

    filler_tokens: tuple[str, ...]
    claim_phrases: tuple[str, ...]
    query_buttons: tuple[str, ...]
    host_tokens: Mapping[str, int]
    pinyin_tokens: Mapping[str, int]


def read_platform_tables(path: Path) -> dict[str, Any]:
    """platforms.toml as parsed TOML, every table's keys checked against those the loader knows."""
    data = read_toml(path)
    known_keys(data, TOP_LEVEL_KEYS, path.name)
    for index, table in enumerate(data.get("platform", ()), 1):
        where = f"{path.name}: platform #{index} ({table.get('key', 'no key')})"
        known_keys(table, PLATFORM_KEYS, where)
    known_keys(data.get("generic", {}), GENERIC_KEYS, f"{path.name}: [generic]")
    return data


def load_platforms(
    data: Mapping[str, Any], file_name: str
) -> tuple[tuple[Platform, ...], GenericVocabulary, dict[str, str]]:
    """The typed platforms, shared vocabulary and homoglyphs of checked platform tables."""
    platforms = []
    for index, table in enumerate(required(data, "platform", file_name), 1):
        where = f"{file_name}: platform #{index}"
        platforms.append(
            Platform(
                key=required(table, "key", where),
                name=required(table, "name", where),
                agency=required(table, "agency", where),
                hosts=phrases(table, "hosts", where),
                registered_domains=phrases(table, "registered_domains", where),
                default_target=bool(table.get("default_target", False)),
                title_phrases=phrases(table, "title_phrases", where),
                heading_phrases=phrases(table, "heading_phrases", where),
                form_fields=phrases(table, "form_fields", where),
                html_markers=phrases(table, "html_markers", where),
                topic_phrases=phrases(table, "topic_phrases", where),
                host_tokens=token_weights(table, "host_tokens"),
                pinyin_tokens=token_weights(table, "pinyin_tokens"),
            )
        )
    if sum(platform.default_target for platform in platforms) != 1:
        raise ValueError(f"{file_name}: exactly one platform must set default_target = true")
    generic_table = required(data, "generic", file_name)
    where = f"{file_name}: [generic]"
    generic = GenericVocabulary(
        filler_tokens=phrases(generic_table, "filler_tokens", where),
        claim_phrases=phrases(generic_table, "claim_phrases", where),
        query_buttons=phrases(generic_table, "query_buttons", where),
        host_tokens=token_weights(generic_table, "host_tokens"),
        pinyin_tokens=token_weights(generic_table, "pinyin_tokens"),
    )
    homoglyphs = {str(key): str(value) for key, value in data.get("homoglyphs", {}).items()}
    return tuple(platforms), generic, homoglyphs
