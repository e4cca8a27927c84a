"""The platforms sellers post on (post_platforms.toml): their hosts, how each is searched (its own
search page, or the web engines' ``site:`` queries), how a post is addressed and where its poster
sits.

A post's URL, not the platform's host, is the lead: ``post_of(url)`` tells a post (its platform and
id) from any other page of a platform host, and ``platform_of(url)`` says whether a host belongs to
a platform at all — the crawler then neither follows its contact pages nor counts it as one site,
and the store never watches it as a lookalike domain. Checked when loaded: a misspelt key, a bad
regular expression or XPath, a ``post_example`` its own ``post_paths`` do not read, or a reach
without what it needs fails naming the platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from keywords.load import DEFAULT_DIRECTORY, known_keys, read_toml, required

POST_PLATFORMS_FILE = "post_platforms.toml"
REACHES = frozenset({"search", "site"})
MARKUP_SOURCES = frozenset({"saved page", "scraper code"})


@dataclass(frozen=True)
class PostPlatform:
    """One platform: where it lives, how it is reached, how its posts and posters are read."""

    key: str
    hosts: tuple[str, ...]
    name: str
    name_zh: str
    reach: str  # search | site
    login_to_search: bool
    search_url: str
    post_url: str  # a post's plain URL, {id} filled in ("" when not known)
    site: str
    result_markup: str
    post_paths: tuple[re.Pattern[str], ...]
    poster_xpath: str
    poster_id_xpath: str
    poster_id_pattern: re.Pattern[str] | None
    markup_seen: str

    def owns(self, host: str) -> bool:
        """Whether ``host`` is one of the platform's hosts or under one."""
        return any(host == own or host.endswith("." + own) for own in self.hosts)

    def post_id(self, url: str) -> str | None:
        """The post's id when ``url`` addresses a post of this platform, else None."""
        parts = _split(url)
        if parts is None or not self.owns(parts[0]):
            return None
        for pattern in self.post_paths:
            if match := pattern.search(parts[1]):
                return match.group(1)
        return None

    def plain_post_url(self, url: str) -> str | None:
        """``url``'s post as its plain URL (post_url with the id) when it is a post and the
        platform declares one: a result link's tracking parameters (?pid=…, ?fr=iks…) dropped."""
        post_id = self.post_id(url)
        return self.post_url.format(id=post_id) if post_id and self.post_url else None


@dataclass(frozen=True)
class PostPlatforms:
    """Every platform of post_platforms.toml and the bounds of their ``site:`` queries."""

    platforms: tuple[PostPlatform, ...]
    site_queries_per_night: int  # per web engine, on top of its plan queries
    sales_queries_per_platform: int  # plan sales queries each site: platform is combined with
    site_engines: tuple[str, ...]  # the web engines asked the site: queries

    def platform_of(self, url: str) -> PostPlatform | None:
        """The platform whose host ``url`` (or a bare host) is on, if any."""
        parts = _split(url if "/" in url else f"http://{url}/")
        if parts is None:
            return None
        return next((p for p in self.platforms if p.owns(parts[0])), None)

    def post_of(self, url: str) -> tuple[PostPlatform, str] | None:
        """(platform, post id) when ``url`` addresses a post or answer, else None."""
        platform = self.platform_of(url)
        post_id = platform.post_id(url) if platform else None
        return (platform, post_id) if platform and post_id else None

    def named(self, key: str) -> PostPlatform:
        """The platform ``key``; a module that needs one the file lacks fails on import."""
        for platform in self.platforms:
            if platform.key == key:
                return platform
        raise ValueError(f"{POST_PLATFORMS_FILE} declares no platform {key!r}")

    @property
    def reached_by_site(self) -> tuple[PostPlatform, ...]:
        return tuple(p for p in self.platforms if p.reach == "site")


# The keys a table may hold: the typed fields, and ``post_example`` (checked when loading only).
PLATFORM_KEYS = frozenset(field.name for field in fields(PostPlatform)) | {"post_example"}
TOP_LEVEL_KEYS = frozenset(field.name for field in fields(PostPlatforms)) - {"platforms"} | {
    "platform"}


def _split(url: str) -> tuple[str, str] | None:
    """(lower-case host, path with query) of a web URL; None when it does not read as one."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if not host:
        return None
    return host, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _pattern(text: str, where: str) -> re.Pattern[str]:
    try:
        pattern = re.compile(text)
    except re.error as error:
        raise ValueError(f"{where}: bad regular expression {text!r}: {error}") from None
    if pattern.groups < 1:
        raise ValueError(f"{where}: {text!r} must capture the id in a group")
    return pattern


def _xpath(text: str, where: str) -> str:
    if text:
        try:
            etree.XPath(text)
        except etree.XPathSyntaxError as error:
            raise ValueError(f"{where}: bad XPath {text!r}: {error}") from None
    return text


def _platform(table: dict[str, Any], where: str) -> PostPlatform:
    known_keys(table, PLATFORM_KEYS, where)
    reach = required(table, "reach", where)
    if reach not in REACHES:
        raise ValueError(f"{where}: reach must be one of {sorted(REACHES)}, got {reach!r}")
    search_url, site = str(table.get("search_url", "")), str(table.get("site", ""))
    if reach == "search" and not ("{query}" in search_url and "{offset}" in search_url):
        raise ValueError(f"{where}: reach = 'search' needs a search_url with {{query}} and "
                         "{offset}")
    if reach == "site" and not site:
        raise ValueError(f"{where}: reach = 'site' needs the site its queries name")
    markup_seen = required(table, "markup_seen", where)
    if markup_seen not in MARKUP_SOURCES:
        raise ValueError(f"{where}: markup_seen must be one of {sorted(MARKUP_SOURCES)}")
    id_pattern = str(table.get("poster_id_pattern", ""))
    platform = PostPlatform(
        key=required(table, "key", where), name=required(table, "name", where),
        name_zh=required(table, "name_zh", where),
        hosts=tuple(host.lower() for host in required(table, "hosts", where)), reach=reach,
        login_to_search=bool(required(table, "login_to_search", where)),
        search_url=search_url, post_url=str(table.get("post_url", "")), site=site,
        result_markup=str(table.get("result_markup", "")),
        post_paths=tuple(_pattern(p, where) for p in required(table, "post_paths", where)),
        poster_xpath=_xpath(required(table, "poster_xpath", where), where),
        poster_id_xpath=_xpath(str(table.get("poster_id_xpath", "")), where),
        poster_id_pattern=_pattern(id_pattern, where) if id_pattern else None,
        markup_seen=markup_seen,
    )
    if not platform.hosts or not platform.post_paths:
        raise ValueError(f"{where}: hosts and post_paths must not be empty")
    example = required(table, "post_example", where)
    if platform.post_id(example) is None:
        raise ValueError(f"{where}: post_example {example!r} is not read as a post")
    return platform


def read_post_platforms(path: Path) -> PostPlatforms:
    """post_platforms.toml checked and typed; a bad entry fails naming the file and platform."""
    data = read_toml(path)
    known_keys(data, TOP_LEVEL_KEYS, path.name)
    platforms = tuple(
        _platform(table, f"{path.name}: platform #{index} ({table.get('key', 'no key')})")
        for index, table in enumerate(required(data, "platform", path.name), 1))
    keys = [platform.key for platform in platforms]
    if len(keys) != len(set(keys)):
        raise ValueError(f"{path.name}: platform keys must be unique, got {keys}")
    bounds = {name: required(data, name, path.name)
              for name in ("site_queries_per_night", "sales_queries_per_platform")}
    for name, value in bounds.items():
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise ValueError(f"{path.name}: {name} must be an integer 0–100, got {value!r}")
    return PostPlatforms(
        platforms=platforms, site_queries_per_night=bounds["site_queries_per_night"],
        sales_queries_per_platform=bounds["sales_queries_per_platform"],
        site_engines=tuple(required(data, "site_engines", path.name)))


@cache
def _default() -> PostPlatforms:
    return read_post_platforms(DEFAULT_DIRECTORY / POST_PLATFORMS_FILE)


def load_post_platforms(directory: Path | None = None) -> PostPlatforms:
    """The platforms of ``directory`` (default: this package's, loaded once and cached)."""
    return _default() if directory is None else read_post_platforms(
        Path(directory) / POST_PLATFORMS_FILE)
