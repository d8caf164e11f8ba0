"""A note's text: plain text, or a small safe subset of HTML, cleaned with nh3.

What a teacher types is stored cleaned, so that the pages may show it as is: scripts,
event handlers, styles, images and links to anything but http(s)/mailto are gone.
Plain text keeps its paragraphs and line breaks.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
_BLOCKS = re.compile(r"<(p|ul|ol|blockquote|br)\b", re.IGNORECASE)
_BREAKS = re.compile(r"<br\s*/?>|</p>|</li>|</blockquote>", re.IGNORECASE)


def clean_body(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()
    if _BLOCKS.search(cleaned):
        return cleaned
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", cleaned) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)


def plain_text(body: str) -> str:
    """The text of a cleaned body, for exports and the API: no markup, line breaks kept."""
    text = nh3.clean(_BREAKS.sub("\n", body), tags=set())
    lines = [" ".join(line.split()) for line in html.unescape(text).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
