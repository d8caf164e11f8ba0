"""The kinds of notification other apps declare, each with its default e-mail mode.

An app registers its kinds once, at import time of its ``notifications.py`` (from its
``AppConfig.ready()``); the preferences page lists them in registration order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    from django.utils.functional import Promise

    StrOrPromise = str | Promise

NONE = "none"
IMMEDIATE = "immediate"
DIGEST = "digest"
EMAIL_MODES = (NONE, IMMEDIATE, DIGEST)


@dataclass(frozen=True)
class Kind:
    code: str
    label: StrOrPromise
    default_email: str = DIGEST


_kinds: dict[str, Kind] = {}


def register_kind(code: str, label: StrOrPromise, *, default_email: str = DIGEST) -> None:
    """Declare a kind of notification (``"news.post"``, ``"liaison.note"``…)."""
    if default_email not in EMAIL_MODES:
        raise ValueError(
            f"default_email={default_email!r} for kind {code!r} must be one of "
            f"{', '.join(EMAIL_MODES)}."
        )
    if not code or len(code) > 50:
        raise ValueError(f"A kind's code must be 1 to 50 characters, not {code!r}.")
    existing = _kinds.get(code)
    new = Kind(code, label, default_email)
    if existing is not None and existing != new:
        raise ValueError(f"The notification kind {code!r} is already registered differently.")
    _kinds[code] = new


def kinds() -> list[Kind]:
    return list(_kinds.values())


def get_kind(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise ValueError(
            f"Unknown notification kind {code!r}: register it with register_kind() first."
        ) from None
