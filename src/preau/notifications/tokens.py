"""Signed unsubscribe links: they name a person and a kind ("*" for all), nothing more.

A link works without logging in (mail clients post to it, RFC 8058), so it carries a
signature rather than a session; it stops e-mails only, and the person can undo that on
the preferences page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

_SALT = "preau.notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeToken:
    user_id: int
    scope: str  # a kind's code, or "*"


def make_token(user_id: int, scope: str) -> str:
    return signing.dumps({"u": user_id, "k": scope}, salt=_SALT)


def read_token(token: str) -> UnsubscribeToken | None:
    """The token's content, or None if it was not made here (or was tampered with)."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, scope = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not isinstance(scope, str):
        return None
    return UnsubscribeToken(user_id, scope)
