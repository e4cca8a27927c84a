"""The demo web's site manifest (``sites.toml``): how each simulated site is served and what the
crawler is expected to conclude about it. Loaded once, validated strictly so a typo fails loudly."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
MANIFEST_NAME = "sites.toml"
HTML_SUFFIX = ".html"  # other page files (the logos) are served as bytes, never indexed

EXPECTATIONS = frozenset({"fake_ad", "lookalike_site", "none", "error"})
ENCODINGS = frozenset({"utf-8", "gbk", "gb18030", "big5"})
TLS_KINDS = frozenset({"ca", "self_signed", "expired"})
SCHEMES = frozenset({"http", "https"})
CONTACT_RE = re.compile(
    r"^(phone:\d{7,12}|wechat:[a-z0-9_-]+|qq:\d{5,11}|email:[a-z0-9._@-]+"
    r"|wechat_qr:(?:https?|wxp)://\S+)$"
)
CHARSET_IN_HTML_RE = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)

SITE_KEYS = frozenset({
    "host", "scheme", "indexed", "ad", "encoding", "declare_charset", "declared_as", "tls",
    "search_terms", "expect", "expect_target", "expect_contacts", "why", "pages",
})
PAGE_KEYS = frozenset({"file", "status", "redirect", "indexed", "filler_bytes", "one_line"})


class ManifestError(ValueError):
    """The manifest or a page file is inconsistent; the message names the site and key."""


@dataclass(frozen=True)
class Page:
    """One path of a site: a stored HTML file, a redirect, or both missing (then only a status)."""

    path: str
    file: Path | None
    status: int
    redirect: str
    indexed: bool
    filler_bytes: int  # pad the page with this many bytes of filler (hostile "huge page")
    one_line: bool  # collapse the page onto a single line (hostile "huge single line")


@dataclass(frozen=True)
class Site:
    """A simulated host, how it is served, and the verdict the end-to-end test expects."""

    host: str
    scheme: str
    indexed: bool
    ad: bool
    encoding: str
    declare_charset: bool
    declared_as: str  # charset named in Content-Type; differs from ``encoding`` to lie
    tls: str
    search_terms: tuple[str, ...]
    expect: str
    expect_target: str
    expect_contacts: tuple[str, ...]
    why: str
    pages: dict[str, Page]

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}"


def load_sites(sites_dir: Path | None = None) -> list[Site]:
    """Read ``sites_dir/sites.toml`` (default: the shipped one) in manifest order; page files
    live under ``sites_dir/sites/<host>/``."""
    sites_dir = sites_dir or PACKAGE_DIR
    manifest = sites_dir / MANIFEST_NAME
    with manifest.open("rb") as fh:
        raw = tomllib.load(fh)
    unknown = set(raw) - {"site"}
    if unknown:
        raise ManifestError(f"{manifest}: unknown top-level keys {sorted(unknown)}")
    sites = [_parse_site(entry, sites_dir / "sites") for entry in raw.get("site", [])]
    hosts = [site.host for site in sites]
    duplicates = sorted({host for host in hosts if hosts.count(host) > 1})
    if duplicates:
        raise ManifestError(f"{manifest}: hosts listed twice: {duplicates}")
    return sites


def _parse_site(entry: dict, pages_root: Path) -> Site:
    host = entry.get("host", "<missing host>")
    where = f"site {host!r}"
    _reject_unknown(entry, SITE_KEYS, where)
    encoding = entry.get("encoding", "utf-8")
    site = Site(
        host=_required(entry, "host", where),
        scheme=_choice(entry, "scheme", SCHEMES, "http", where),
        indexed=entry.get("indexed", True),
        ad=entry.get("ad", False),
        encoding=_choice(entry, "encoding", ENCODINGS, "utf-8", where),
        declare_charset=entry.get("declare_charset", True),
        declared_as=entry.get("declared_as", encoding),
        tls=_choice(entry, "tls", TLS_KINDS, "ca", where),
        search_terms=tuple(entry.get("search_terms", ())),
        expect=_choice(entry, "expect", EXPECTATIONS, None, where),
        expect_target=entry.get("expect_target", ""),
        expect_contacts=tuple(entry.get("expect_contacts", ())),
        why=_required(entry, "why", where),
        pages={
            path: _parse_page(path, spec, pages_root / host, where)
            for path, spec in _required(entry, "pages", where).items()
        },
    )
    _check_site(site, where)
    return site


def _parse_page(path: str, spec: str | dict, site_dir: Path, where: str) -> Page:
    where = f"{where} page {path!r}"
    if not path.startswith("/"):
        raise ManifestError(f"{where}: path must start with '/'")
    if isinstance(spec, str):
        spec = {"file": spec}
    _reject_unknown(spec, PAGE_KEYS, where)
    file = site_dir / spec["file"] if "file" in spec else None
    if file is not None and not file.is_file():
        raise ManifestError(f"{where}: page file {file} does not exist")
    redirect = spec.get("redirect", "")
    if file is None and not redirect and "status" not in spec:
        raise ManifestError(f"{where}: needs a file, a redirect or a status")
    return Page(
        path=path,
        file=file,
        status=spec.get("status", 302 if redirect else 200),
        redirect=redirect,
        indexed=spec.get("indexed", file is not None and file.suffix == HTML_SUFFIX),
        filler_bytes=spec.get("filler_bytes", 0),
        one_line=spec.get("one_line", False),
    )


def _check_site(site: Site, where: str) -> None:
    """Cross-field rules: what the e2e test needs and what the server can actually encode."""
    if site.expect == "lookalike_site" and not site.expect_target:
        raise ManifestError(f"{where}: a lookalike_site needs expect_target")
    for contact in site.expect_contacts:
        if not CONTACT_RE.match(contact):
            raise ManifestError(f"{where}: contact {contact!r} is not normalised")
    if "/" not in site.pages:
        raise ManifestError(f"{where}: needs a '/' page")
    for page in site.pages.values():
        if page.file is not None and page.file.suffix == HTML_SUFFIX:  # images go as they are
            _check_page_file(site, page, f"{where} page {page.path!r}")


def _check_page_file(site: Site, page: Page, where: str) -> None:
    raw = page.file.read_bytes()
    try:
        raw.decode("utf-8").encode(site.encoding)
    except UnicodeError as exc:
        raise ManifestError(f"{where}: not encodable as {site.encoding}: {exc}") from exc
    in_html = CHARSET_IN_HTML_RE.search(raw)
    if in_html and not site.declare_charset:
        raise ManifestError(f"{where}: declares a charset in its HTML but declare_charset = false")
    if in_html and in_html.group(1).decode().lower() != site.declared_as:
        raise ManifestError(f"{where}: HTML says charset {in_html.group(1).decode()!r}, "
                            f"the site declares {site.declared_as!r}")


def _reject_unknown(table: dict, known: frozenset[str], where: str) -> None:
    unknown = set(table) - known
    if unknown:
        raise ManifestError(f"{where}: unknown keys {sorted(unknown)}")


def _required(table: dict, key: str, where: str):
    if key not in table:
        raise ManifestError(f"{where}: missing required key {key!r}")
    return table[key]


def _choice(table: dict, key: str, allowed: frozenset[str], default: str | None, where: str) -> str:
    value = table.get(key, default)
    if value not in allowed:
        raise ManifestError(f"{where}: {key} = {value!r}, expected one of {sorted(allowed)}")
    return value
