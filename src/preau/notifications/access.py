"""Access rules: a person reaches their own notifications and preferences, nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from preau.core import access
from preau.notifications.models import DeliverySettings, Notification, NotificationPreference


def _own(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    field = "recipient" if qs.model is Notification else "user"
    return qs.filter(**{field: user.pk})


access.register(Notification, _own)
access.register(NotificationPreference, _own)
access.register(DeliverySettings, _own)
