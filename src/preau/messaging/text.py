"""Cleaning what people type: plain text only, shown escaped with its links made clickable.

Messages are never HTML: the template escapes them and ``urlize`` turns web addresses
into links, so ``<script>`` arrives as the characters a person typed. Control and
direction-override characters (which could disguise a link or break a database) are
dropped here.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from preau.messaging.errors import MessagingError
from preau.messaging.models import EXCERPT_MAX, SUBJECT_MAX

BODY_MAX = 10_000
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def clean_body(text: str) -> str:
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"\n{4,}", "\n\n\n", text).strip()
    if len(text) > BODY_MAX:
        raise MessagingError(
            _("The message is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(text), "limit": BODY_MAX}
        )
    return text


def one_line(text: str) -> str:
    return " ".join(_INVISIBLE.sub("", text).split())


def clean_subject(subject: str, body: str) -> str:
    """The subject as one line; when left empty, the message's first words."""
    line = one_line(subject)
    if len(line) > SUBJECT_MAX:
        raise MessagingError(
            _("The subject is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(line), "limit": SUBJECT_MAX}
        )
    return line or shorten(one_line(body), 60) or _("(no subject)")


def shorten(text: str, limit: int = EXCERPT_MAX) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
