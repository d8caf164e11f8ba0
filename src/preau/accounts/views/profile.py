from __future__ import annotations

from typing import cast

from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from preau.accounts.models import ApiToken, User
from preau.directory.scope import scope_of


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My account: who I am here, and where to change password, second factor, tokens."""
    user = cast(User, request.user)  # login_required
    return render(
        request,
        "accounts/profile.html",
        {
            "roles": sorted(scope_of(user).roles),
            "has_totp": Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists(),
            "token_count": ApiToken.objects.filter(user=user, revoked_at__isnull=True).count(),
        },
    )
