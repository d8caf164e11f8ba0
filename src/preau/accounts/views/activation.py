from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


def activate(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


def activate_choose(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def class_activation(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def letters_pdf(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def reissue_code(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)
