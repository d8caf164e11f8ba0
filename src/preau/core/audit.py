"""Write the audit log. The only way anything records a sensitive action."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from preau.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    municipality_id: int | None = None,
    actor_label: str = "",
    **data: Any,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if municipality_id is None and target is not None:
        municipality_id = getattr(target, "municipality_id", None)
    if municipality_id is None and actor is not None:
        municipality_id = getattr(actor, "home_municipality_id", None)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor is not None else ""),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        municipality_id=municipality_id,
        ip_address=client_ip(request),
        data=data,
    )
