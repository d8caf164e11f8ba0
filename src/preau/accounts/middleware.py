from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from preau.accounts.mfa import needs_mfa_setup

_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")
_SESSION_KEY = "preau_mfa_checked_at"
# A passed check is remembered in the session for this long, so that ordinary requests
# cost no query; a role granted meanwhile is caught at the next check.
RECHECK_SECONDS = 300


class RequireMfaForCityRolesMiddleware:
    """City roles reach everything in their municipality: they must use a second factor.

    Until a city admin, technician or programme officer has set up TOTP, every page but
    the account pages sends them to the setup page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith(_ALLOWED_PREFIXES):
            checked_at = request.session.get(_SESSION_KEY, 0)
            if time.time() - checked_at >= RECHECK_SECONDS:
                if needs_mfa_setup(request.user):
                    return redirect("mfa_activate_totp")
                request.session[_SESSION_KEY] = time.time()
        return self.get_response(request)
