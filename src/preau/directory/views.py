from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("todo")


@login_required
def pupil_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("todo")
