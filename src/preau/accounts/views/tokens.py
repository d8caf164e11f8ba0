"""The API tokens page: list my tokens, create one (shown once), revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from preau.accounts import token_services
from preau.accounts.models import ApiToken
from preau.core import access


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “inventory script”."),
    )


class RevokeForm(forms.Form):
    revoke = forms.IntegerField(min_value=1)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm()
    created: str | None = None
    if request.method == "POST" and "revoke" in request.POST:
        revoke = RevokeForm(request.POST)
        if revoke.is_valid():
            token = token_services.revoke_token(
                request.user, revoke.cleaned_data["revoke"], request=request
            )
            messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("accounts:api_tokens")
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _token, created = token_services.create_token(
                    request.user, form.cleaned_data["name"], request=request
                )
            except token_services.TokenError as exc:
                form.add_error("name", str(exc))
            else:
                form = TokenForm()
    tokens = access.restrict(request.user, ApiToken).order_by("revoked_at", "-created_at")
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "created": created, "tokens": tokens},
    )
    if created:
        response.headers["Cache-Control"] = "no-store"  # the clear token is shown only once
    return response
