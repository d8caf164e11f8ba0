from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from preau.core.navigation import entries_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"nav_entries": entries_for(user) if user is not None else []}
