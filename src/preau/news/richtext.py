"""A post's text: what a teacher types on a phone, turned into a small, safe HTML.

Authors type plain text with a few habits everyone already has: a blank line starts a
paragraph, lines starting with "- " make a list ("1. " a numbered one), **bold** and
*italic*, and web addresses become links. Everything typed is escaped first, so HTML
or JavaScript in a post shows as text and never runs. The result then goes through nh3
(the Rust ``ammonia`` sanitiser) with an allowlist, as a second line of defence: only
p, br, strong, em, ul, ol, li and a[href] (http, https, mailto) survive, and every link
gets ``rel="noopener noreferrer"`` so that no other site learns which post linked it.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)»\"'"
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+")


def sanitize(fragment: str) -> str:
    """Keep only the allowed subset of an HTML fragment."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render(text: str) -> str:
    """The sanitised HTML of what an author typed."""
    return sanitize(to_html(text))


def to_html(text: str) -> str:
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return "".join(_block(block) for block in blocks if block.strip())


def _block(block: str) -> str:
    """A paragraph, with its runs of bulleted or numbered lines made into lists."""
    lines = [line.rstrip() for line in block.split("\n") if line.strip()]
    out: list[str] = []
    run: list[str] = []
    kind = ""
    for line in [*lines, ""]:
        line_kind = "ul" if _BULLET.match(line) else "ol" if _NUMBER.match(line) else "p"
        if run and (line_kind != kind or not line):
            out.append(_run(kind, run))
            run = []
        kind = line_kind
        run.append(line)
    return "".join(out)


def _run(kind: str, lines: list[str]) -> str:
    if kind == "p":
        return "<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>"
    marker = _BULLET if kind == "ul" else _NUMBER
    items = "".join(f"<li>{_inline(marker.sub('', line))}</li>" for line in lines)
    return f"<{kind}>{items}</{kind}>"


def _inline(line: str) -> str:
    """Escape a line, format its emphasis, and make links of its web addresses."""
    out: list[str] = []
    position = 0
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        out.append(_emphasis(html.escape(line[position : match.start()], quote=False)))
        safe = html.escape(url, quote=True)
        out.append(f'<a href="{safe}">{safe}</a>')
        position = end
    out.append(_emphasis(html.escape(line[position:], quote=False)))
    return "".join(out)


def _emphasis(escaped: str) -> str:
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _ITALIC.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", escaped)


def plain(fragment: str, limit: int = 200) -> str:
    """A short plain-text extract of sanitised HTML (for previews and the API)."""
    text = nh3.clean(fragment.replace("<br>", " ").replace("</p>", " "), tags=set())
    text = html.unescape(re.sub(r"\s+", " ", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
