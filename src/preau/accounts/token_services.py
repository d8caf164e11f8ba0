"""Personal API tokens: create (the clear token is returned once) and revoke.

Only a SHA-256 digest of a token is stored, with its first 8 characters so that its
owner can tell tokens apart. A token is 256 random bits, so an unsalted fast hash is
enough: nobody can guess one, and a database leak gives none away.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from preau.accounts.models import ApiToken
from preau.core import access
from preau.core.audit import record

PREFIX_LENGTH = 8
MAX_ACTIVE_TOKENS = 20


class TokenError(Exception):
    """A request about tokens that cannot be honoured; the message says why."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_tokens(user: Any) -> Any:
    return access.restrict(user, ApiToken).filter(revoked_at__isnull=True)


@transaction.atomic
def create_token(
    user: Any, name: str, *, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its clear value, which is never stored."""
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name.")
    if active_tokens(user).count() >= MAX_ACTIVE_TOKENS:
        raise TokenError(f"You already have {MAX_ACTIVE_TOKENS} tokens; revoke one first.")
    clear = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=clear[:PREFIX_LENGTH], digest=token_digest(clear)
    )
    record("api_token.created", actor=user, request=request, target=token, name=token.name)
    return token, clear


@transaction.atomic
def revoke_token(user: Any, token_id: Any, *, request: HttpRequest | None = None) -> ApiToken:
    """Revoke one of ``user``'s tokens; someone else's or a missing one is a 404."""
    token = access.get_or_404(user, ApiToken, access.CHANGE, pk=token_id)
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        token.refresh_from_db(fields=["revoked_at"])
        record("api_token.revoked", actor=user, request=request, target=token, name=token.name)
    return token
