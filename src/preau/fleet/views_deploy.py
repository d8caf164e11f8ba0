"""Deployment pages: packages, deployments and each device's status (to be built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def package_list(request: HttpRequest) -> HttpResponse:
    return render(request, "fleet/_page.html", {})
