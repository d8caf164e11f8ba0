from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class PreauAccountAdapter(DefaultAccountAdapter):
    """Accounts come from the directory (staff) or from activation codes (families)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
