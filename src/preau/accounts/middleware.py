from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from preau.accounts.mfa import needs_mfa_setup

_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")


class RequireMfaForCityRolesMiddleware:
    """City roles reach everything in their municipality: they must use a second factor.

    Until a city admin, technician or programme officer has set up TOTP, every page but
    the account pages sends them to the setup page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and needs_mfa_setup(request.user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
