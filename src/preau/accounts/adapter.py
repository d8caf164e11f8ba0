from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from preau.accounts.audit_hooks import municipality_of_login
from preau.core import audit


class PreauAccountAdapter(DefaultAccountAdapter):
    """Accounts come from the directory (staff) or from activation codes (families)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth refuses a login past ACCOUNT_RATE_LIMITS["login_failed"] without asking
        # Django, so no "login failed" signal is sent: record the refusal here.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            attempted = str(credentials.get("username") or credentials.get("email") or "")[:150]
            audit.record(
                "login_rate_limited",
                request=request,
                actor_label=attempted,
                municipality_id=municipality_of_login(attempted),
            )
            raise
