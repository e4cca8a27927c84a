"""Which pages to fetch next from a page: its contact/about pages, and the sites it sends buyers
to for "verification" — linked, or merely written in the text ("登录 xxx-cx.com 查询"); and which
of its images are its logo (a copied emblem is how a fake portal on any domain looks official).

Sellers point customers at their own fake verification sites, which search engines rarely index,
so these links are how the crawl finds them. Pure functions over the page; the spider bounds them.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from w3lib.html import get_meta_refresh

from leads.judge.domains import host_parts
from leads.judge.normalize import fold

CONTACT_WORDS = re.compile(r"联系我们|关于我们|联系方式|联系电话|公司简介|contact|about", re.I)
VERIFY_WORDS = re.compile(
    r"证书查询|证件查询|查询入口|官网可查|网上可查|在线查询|证书验证|查询系统|查询平台|查询网址|查验|"
    r"查询中心|验证真伪|查真伪"
)
# A domain written near a cue word: "官网可查：www.xxx-cx.com", "登录 xxx.top 查询".
WRITTEN_DOMAIN = re.compile(r"(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})",
                            re.I)
CUES = re.compile(r"查询|登录|登陆|官网|网址|网站|验证|查验|可查|输入")
CUE_DISTANCE = 24
# An <img> is a logo when it, or the element around it, says so (国徽 is the ministries' emblem).
LOGO_HINTS = re.compile(r"logo|emblem|guohui|badge|标志|标识|徽", re.I)
REFRESH_HEAD_CHARS = 65536  # a refresh belongs in the head; huge bodies are not searched


def _anchors(selector: Selector) -> list[tuple[str, str]]:
    """(folded text, href) of every link: folding reads 證書查詢 and 证 书 查 询 as 证书查询."""
    return [
        (fold("".join(a.xpath(".//text()").getall()) + " " + (a.attrib.get("title") or "")),
         a.attrib.get("href", ""))
        for a in selector.xpath("//a[@href]")
    ]


def _http_url(base_url: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    url = urljoin(base_url, href).split("#")[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def contact_links(selector: Selector, base_url: str) -> list[str]:
    """Same-site links whose text says contact/about: where sellers put phone and WeChat."""
    site = host_parts(base_url).registered_domain
    found: list[str] = []
    for text, href in _anchors(selector):
        url = _http_url(base_url, href)
        if url and CONTACT_WORDS.search(text) and host_parts(url).registered_domain == site:
            found.append(url)
    return list(dict.fromkeys(found))


def verification_links(selector: Selector, base_url: str) -> list[str]:
    """Links (any host) whose text offers certificate verification."""
    found = [
        url for text, href in _anchors(selector)
        if VERIFY_WORDS.search(text) and (url := _http_url(base_url, href))
    ]
    return list(dict.fromkeys(found))


def other_site_links(selector: Selector, base_url: str) -> list[str]:
    """Links to other sites, whatever their text says, the first link to each site in page
    order: a seller links its other shops and the sites its cards "verify" on."""
    site = host_parts(base_url).registered_domain
    found: dict[str, str] = {}
    for href in selector.xpath("//a/@href").getall():  # the link text does not matter here
        url = _http_url(base_url, href)
        other = host_parts(url).registered_domain if url else ""
        if url and other and other != site:
            found.setdefault(other, url)
    return list(found.values())


def refresh_link(html: str, base_url: str) -> str | None:
    """Where the page's <meta http-equiv="refresh"> sends the reader. An immediate refresh is a
    redirect (Scrapy's METAREFRESH_MAXDELAY); a delayed one leaves the page to be read and
    judged, and its target is one more page the seller sends buyers to."""
    _, url = get_meta_refresh(html[:REFRESH_HEAD_CHARS], base_url,
                              ignore_tags=("script", "noscript"))
    return _http_url(base_url, url) if url else None


def written_domains(text: str) -> list[str]:
    """Hosts written in the text next to a cue word (查询, 登录, 官网…), as http:// URLs."""
    folded = unicodedata.normalize("NFKC", text).replace("。", ".")
    found: list[str] = []
    for match in WRITTEN_DOMAIN.finditer(folded):
        window = folded[max(0, match.start() - CUE_DISTANCE): match.end() + CUE_DISTANCE]
        host = match.group(1).lower()
        if CUES.search(fold(window)) and host_parts(host).registered_domain:
            scheme = "https" if match.group(0).lower().startswith("https") else "http"
            found.append(f"{scheme}://{host}/")
    return list(dict.fromkeys(found))


def logo_links(selector: Selector, base_url: str) -> list[str]:
    """The page's logo images and icons, in page order: <img> marked as a logo (by its src, alt,
    class, id or title, or its parent's class or id) and <link rel="icon">. Inline data: images
    count too; fraud kits often embed the copied emblem."""
    found: list[str] = []
    for image in selector.xpath("//img[@src]"):
        said = " ".join(
            [*(image.attrib.get(name, "") for name in ("src", "alt", "class", "id", "title")),
             *image.xpath("../@class | ../@id").getall()]
        )
        if LOGO_HINTS.search(said):
            found.append(image.attrib["src"])
    found += selector.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' icon ')]/@href"
    ).getall()
    urls = [
        href.strip() if href.strip().startswith("data:image/") else _http_url(base_url, href)
        for href in found
    ]
    return list(dict.fromkeys(url for url in urls if url))


def needs_browser(text: str, html: str, min_text: int) -> bool:
    """Little visible text but scripts: the content is probably injected by JavaScript."""
    return len(text.strip()) < min_text and "<script" in html.lower()
