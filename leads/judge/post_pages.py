"""A page that is a post or answer on a platform (keywords/post_platforms.toml): which platform,
which post, and who posted it when the page shows it.

A seller's post on Tieba, Zhidao, Zhihu, Xiaohongshu … is a lead by its own URL; the poster's name
and id are what a platform needs to find the account, so they go with the lead. Pure and bounded:
hostile markup gives no poster, never an error; a name or id longer than any real one is cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from keywords.post_platforms import PostPlatform, PostPlatforms, load_post_platforms

MAX_NAME = 60  # characters of a poster's name kept (platforms allow 14–30)
MAX_ID = 64
MAX_HTML = 2_000_000  # a post page's markup read for its poster; the rest is never the header
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class PostFacts:
    """What a post page says of itself: its platform (key), its id and its poster."""

    platform: str
    post_id: str
    poster: str  # "name（ID：id）", "name", "ID：id" or "" when the page does not show one


def post_facts(url: str, html: str, platforms: PostPlatforms | None = None) -> PostFacts | None:
    """The post ``url`` addresses, with its poster read from ``html``; None for any other page."""
    found = (platforms or load_post_platforms()).post_of(url)
    if found is None:
        return None
    platform, post_id = found
    name, poster_id = _poster(platform, html)
    if name and poster_id:
        poster = f"{name}（ID：{poster_id}）"
    else:
        poster = name or (f"ID：{poster_id}" if poster_id else "")
    return PostFacts(platform.key, post_id, poster)


def _poster(platform: PostPlatform, html: str) -> tuple[str, str]:
    """(name, id) of the poster as the page shows them; ("", "") when it does not."""
    if not html or not html.strip():
        return "", ""
    try:
        root = lxml.html.document_fromstring(CONTROL_CHARS.sub(" ", html[:MAX_HTML]))
        names = root.xpath(platform.poster_xpath)
        ids = root.xpath(platform.poster_id_xpath) if platform.poster_id_xpath else []
    except (etree.ParserError, etree.XPathError, ValueError):
        return "", ""
    name = next((text for text in map(_text, names) if text), "")[:MAX_NAME]
    poster_id = ""
    if platform.poster_id_pattern is not None:
        for value in map(_text, ids):
            if match := platform.poster_id_pattern.search(value):
                poster_id = match.group(1)[:MAX_ID]
                break
    return name, poster_id


def _text(found: object) -> str:
    """An XPath answer (element or string) as one line of text."""
    if isinstance(found, str):
        text = found
    elif hasattr(found, "text_content"):
        text = found.text_content()
    else:  # a number or boolean from an XPath expression: not a name
        text = ""
    return " ".join(text.split())
