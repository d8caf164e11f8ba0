"""Accounting exports waiting between their preview and their import.

An upload is kept as a private file under ``var/uploads/accounting/`` (never under the
media root: nothing serves it), named after its programme, the person who uploaded it
and a random token, so that only they reach it, for that programme. It is erased when
imported or refused, when the same person uploads another export for the programme, and
after :data:`LIFETIME` (swept at every upload). The same lifecycle as the ONDE import's.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from preau.programme.models import Programme

LIFETIME = dt.timedelta(hours=24)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Pending:
    token: str
    data: bytes
    filename: str


def _directory() -> Path:
    directory = Path(settings.VAR_DIR) / "uploads" / "accounting"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def _stem(programme: Programme, user: Any, token: str) -> str:
    return f"{programme.pk}-{user.pk}-{token}"


def sweep() -> int:
    """Erase the uploads older than :data:`LIFETIME`; returns how many."""
    limit = time.time() - LIFETIME.total_seconds()
    erased = 0
    for path in _directory().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                erased += 1
        except FileNotFoundError:
            continue
    return erased


def keep(*, programme: Programme, user: Any, data: bytes, filename: str) -> str:
    """Keep ``data`` for its preview; the person's earlier upload for the programme goes."""
    sweep()
    for old in _directory().glob(f"{programme.pk}-{user.pk}-*"):
        old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    stem = _stem(programme, user, token)
    (_directory() / f"{stem}.name").write_text(filename[:255], encoding="utf-8")
    (_directory() / f"{stem}.csv").write_bytes(data)
    return token


def load(*, programme: Programme, user: Any, token: str) -> Pending | None:
    """The upload, if it is this person's for this programme and has not expired."""
    if not _TOKEN.match(token):
        return None
    stem = _stem(programme, user, token)
    path = _directory() / f"{stem}.csv"
    try:
        if path.stat().st_mtime < time.time() - LIFETIME.total_seconds():
            erase(programme=programme, user=user, token=token)
            return None
        data = path.read_bytes()
        name = (_directory() / f"{stem}.name").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return Pending(token=token, data=data, filename=name)


def erase(*, programme: Programme, user: Any, token: str) -> None:
    if not _TOKEN.match(token):
        return
    stem = _stem(programme, user, token)
    for suffix in (".csv", ".name"):
        (_directory() / f"{stem}{suffix}").unlink(missing_ok=True)
