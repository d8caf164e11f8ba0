"""The texts of the cahier de textes: plain text, or a small safe subset of HTML.

Teachers type plain text (line breaks are kept by the page's CSS) and may use a few
tags (bold, italics, lists, links). Everything else (scripts, styles, event handlers,
``javascript:`` links) is removed by nh3 on the way in, and again on the way out, so a
row written by any path renders inert.
"""

from __future__ import annotations

import html

import nh3

SAFE_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a"})
SAFE_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_TEXT = 5000


def clean(text: str) -> str:
    """``text`` with only the safe subset left, trimmed; what the database stores."""
    return nh3.clean(
        text.replace("\r\n", "\n").strip(),
        tags=set(SAFE_TAGS),
        attributes={k: set(v) for k, v in SAFE_ATTRIBUTES.items()},
        link_rel="noopener noreferrer nofollow",
        url_schemes=set(URL_SCHEMES),
    ).strip()


def plain(text: str) -> str:
    """The text without any tag (for notifications and summaries)."""
    return " ".join(html.unescape(nh3.clean(text, tags=set())).split())
