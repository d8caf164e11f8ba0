from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def upload(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def preview(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def apply(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)
