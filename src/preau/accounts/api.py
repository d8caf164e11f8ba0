"""API authentication: personal bearer tokens, or the browser session (with CSRF)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.security import HttpBearer, SessionAuth

from preau.accounts.models import ApiToken

router = Router(tags=["accounts"])


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


def auth_methods() -> list[Any]:
    return [TokenAuth(), SessionAuth()]
