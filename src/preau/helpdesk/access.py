"""Access rules for the helpdesk, registered in the kernel (``preau.core.access``).

view:   technicians and city admins of the ticket's municipality; the directors, ERUN
        (digital referents: "help to schools") and teachers of the ticket's school; the
        reporter. Internal comments only ever reach technicians and city admins.
change: technicians and city admins (assign, status, time, internal comments).
Service targets: read by technicians and city admins, changed by city admins.
Directors, ERUN and teachers report problems for their schools.
Programme officers, guardians and pupils reach nothing here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from preau.core import access
from preau.directory.models import Role
from preau.directory.scope import scope_of
from preau.fleet.access import fleet_municipalities
from preau.helpdesk.models import Comment, Photo, SlaTarget, Ticket

NOTHING = Q(pk__in=[])


def handles_tickets(user: Any) -> frozenset[int]:
    """The municipalities whose tickets ``user`` handles (technician or city admin)."""
    return fleet_municipalities(user)


def reporting_schools(user: Any) -> frozenset[int]:
    """The schools ``user`` may report a problem for, and read the tickets of (director,
    ERUN or teacher there)."""
    scope = scope_of(user)
    return scope.director_schools | scope.erun_schools | scope.teacher_schools


def _ticket_q(user: Any, action: str, prefix: str = "") -> Q:
    handled = Q(**{f"{prefix}municipality_id__in": handles_tickets(user)})
    if action == access.CHANGE:
        return handled
    if action != access.VIEW:
        return NOTHING
    schools = reporting_schools(user)
    mine = Q(**{f"{prefix}reporter": user})
    if schools:
        mine |= Q(**{f"{prefix}school_id__in": schools})
    return handled | mine


def _ticket_rule(user: Any, qs: QuerySet[Ticket], action: str) -> QuerySet[Ticket]:
    return qs.filter(_ticket_q(user, action))


def _comment_rule(user: Any, qs: QuerySet[Comment], action: str) -> QuerySet[Comment]:
    handled = Q(ticket__municipality_id__in=handles_tickets(user))
    if action != access.VIEW:
        return qs.filter(handled) if action == access.CHANGE else qs.none()
    public = _ticket_q(user, access.VIEW, "ticket__") & Q(internal=False)
    return qs.filter(handled | public)


def _photo_rule(user: Any, qs: QuerySet[Photo], action: str) -> QuerySet[Photo]:
    return qs.filter(_ticket_q(user, action, "ticket__"))


def _sla_rule(user: Any, qs: QuerySet[SlaTarget], action: str) -> QuerySet[SlaTarget]:
    scope = scope_of(user)
    if action == access.CHANGE:
        return qs.filter(municipality_id__in=scope.municipalities_with(Role.CITY_ADMIN))
    if action == access.VIEW:
        return qs.filter(municipality_id__in=handles_tickets(user))
    return qs.none()


def sla_municipalities(user: Any, action: str = access.VIEW) -> frozenset[int]:
    scope = scope_of(user)
    if action == access.CHANGE:
        return scope.municipalities_with(Role.CITY_ADMIN)
    return handles_tickets(user)


access.register(Ticket, _ticket_rule)
access.register(Comment, _comment_rule)
access.register(Photo, _photo_rule)
access.register(SlaTarget, _sla_rule)
