from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def index(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def school_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def school_detail(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def site_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def site_detail(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def class_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def class_detail(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def pupil_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def pupil_detail(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def guardian_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)


@login_required
def guardian_detail(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponse("not built yet", status=501)
