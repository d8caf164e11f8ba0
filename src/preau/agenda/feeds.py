"""Private iCal feed links: one secret per person, stored as a SHA-256 digest.

The clear token exists once, in the answer to the person who made it; a new one
revokes the old, and a revoked or unknown token finds nobody (the feed answers 404).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from preau.agenda.models import FeedToken
from preau.core import audit

TOKEN_BYTES = 32
# Calendar apps poll every few minutes to hours: note the use at most this often.
USE_RESOLUTION = dt.timedelta(hours=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_token(user: Any) -> FeedToken | None:
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def issue(user: Any, request: HttpRequest | None = None) -> str:
    """Make a new feed link for ``user`` (revoking any previous one); returns the token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        replaced = FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        row = FeedToken.objects.create(user=user, digest=digest(token))
        audit.record(
            "agenda.feed_link_created", actor=user, request=request, target=row, replaced=replaced
        )
    return token


def revoke(user: Any, request: HttpRequest | None = None) -> bool:
    with transaction.atomic():
        row = (
            FeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
        )
        if row is None:
            return False
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit.record("agenda.feed_link_revoked", actor=user, request=request, target=row)
    return True


def user_for(token: str) -> Any | None:
    """The active person whose live feed token this is, or ``None``."""
    if not token or len(token) > 100:
        return None
    row = (
        FeedToken.objects.filter(digest=digest(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > USE_RESOLUTION:
        FeedToken.objects.filter(pk=row.pk).update(last_used_at=now)
    user: Any = row.user
    return user
