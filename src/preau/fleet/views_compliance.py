"""Compliance pages: the dashboard per site and kind, and the rules (to be built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def compliance_dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "fleet/_page.html", {})
