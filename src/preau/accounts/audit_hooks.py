"""Record logins, logouts and failed logins in the audit log.

Django and allauth only announce these through signals, so this is the one place where
Préau listens to signals; business logic never does.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from preau.accounts.models import User
from preau.core import audit


@receiver(user_logged_in, dispatch_uid="preau_audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit.record("login", actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="preau_audit_logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("logout", actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="preau_audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:150]
    audit.record(
        "login_failed",
        request=request,
        actor_label=attempted,
        municipality_id=municipality_of_login(attempted),
    )


def municipality_of_login(login: str) -> int | None:
    """The municipality of the account ``login`` names, so its city admins see the attempt.

    An unknown name belongs to no municipality: only the server's logs keep those.
    """
    if not login:
        return None
    field = "email__iexact" if "@" in login else "username__iexact"
    user = User.objects.filter(**{field: login}).order_by("pk").first()
    return user.home_municipality_id if user is not None else None
