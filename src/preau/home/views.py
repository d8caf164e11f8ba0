from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from preau.home.sections import sections_for


@login_required
def index(request: HttpRequest) -> HttpResponse:
    sections = sections_for(request)
    if not sections:
        return render(request, "home/no_access.html")
    return render(request, "home/index.html", {"sections": sections})
