"""Technicians choose which assets schools may book."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core import access
from preau.fleet.models import Asset, AssetKind
from preau.loans import services
from preau.loans.access import lending_municipalities
from preau.loans.forms import LoanableForm
from preau.loans.models import Loanable


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    if not lending_municipalities(request.user):
        raise Http404
    loanables = access.restrict(request.user, Loanable, access.CHANGE).select_related("asset__site")
    assets = (
        access.restrict(request.user, Asset, access.CHANGE)
        .filter(site__isnull=False)
        .exclude(loanable__active=True)
        .select_related("site")
        .order_by("-kind", "site__name", "serial")
    )
    if request.GET.get("all") != "1":
        assets = assets.filter(kind=AssetKind.TABLET_CASE)
    form = LoanableForm(request.POST or None, assets=assets)
    if request.method == "POST" and form.is_valid():
        try:
            services.make_loanable(
                request.user, form.cleaned_data["asset"], form.cleaned_data["note"], request=request
            )
        except services.LoanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Schools on its site can now book it."))
            return redirect("loans:manage")
    return render(request, "loans/manage.html", {"loanables": loanables, "form": form})


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    loanable = access.get_or_404(request.user, Loanable, access.CHANGE, pk=pk)
    services.withdraw_loanable(request.user, loanable, request=request)
    messages.success(request, _("It can no longer be booked."))
    return redirect("loans:manage")
