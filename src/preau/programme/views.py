"""The programme's pages: the dashboard (every programme the user may follow) and one
programme's detail (axes, objectives, budget lines, funding plan, deadlines).

Programmes come only through the access kernel; another municipality's programme, or
any programme for a user without a programme role, is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from preau.core.access import restrict
from preau.programme.access import programme_municipalities
from preau.programme.figures import figures_of, spending_of, with_structure
from preau.programme.models import Programme


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not programme_municipalities(request.user):
        raise Http404
    today = timezone.localdate()
    programmes = list(
        with_structure(restrict(request.user, Programme).select_related("municipality"))
    )
    spending = spending_of([p.pk for p in programmes])
    return render(
        request,
        "programme/dashboard.html",
        {"programmes": [figures_of(p, today, spending) for p in programmes], "today": today},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = list(
        with_structure(
            restrict(request.user, Programme).select_related("municipality").filter(pk=pk)
        )
    )
    if not found:
        raise Http404
    today = timezone.localdate()
    figures = figures_of(found[0], today, spending_of([found[0].pk]))
    return render(request, "programme/detail.html", {"p": figures, "today": today})
