"""Access rules for accounts' models and the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.accounts.models import ActivationCode, ApiToken
from preau.core import access
from preau.core.models import AuditEvent
from preau.directory.models import Guardian, Role
from preau.directory.scope import scope_of


def _audit_rule(user: Any, qs: QuerySet[AuditEvent], action: str) -> QuerySet[AuditEvent]:
    if action != access.VIEW:
        return qs.none()  # the log is append-only
    return qs.filter(municipality_id__in=scope_of(user).municipalities_with(Role.CITY_ADMIN))


def _code_rule(user: Any, qs: QuerySet[ActivationCode], action: str) -> QuerySet[ActivationCode]:
    # Whoever may change a guardian (city admin, the school's director) manages their codes.
    guardians = access.restrict(user, Guardian, access.CHANGE).values("pk")
    return qs.filter(guardian__in=guardians)


def _token_rule(user: Any, qs: QuerySet[ApiToken], action: str) -> QuerySet[ApiToken]:
    return qs.filter(Q(user=user))


access.register(AuditEvent, _audit_rule)
access.register(ActivationCode, _code_rule)
access.register(ApiToken, _token_rule)
