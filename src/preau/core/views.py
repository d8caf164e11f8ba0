from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe; also the 'floor' view the benchmarks compare pages with."""
    return HttpResponse("ok", content_type="text/plain")
