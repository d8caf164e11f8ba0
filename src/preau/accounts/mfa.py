from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from preau.directory.scope import scope_of


def needs_mfa_setup(user: Any) -> bool:
    if not scope_of(user).is_city_staff:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
