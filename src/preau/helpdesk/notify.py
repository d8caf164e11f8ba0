"""Who hears of a ticket's steps, through ``preau.notifications`` (inside the transaction).

Titles carry the ticket's number, summary and what happened: never an internal comment.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from preau.directory.models import Role
from preau.helpdesk.models import Ticket
from preau.helpdesk.notification_kinds import KIND_NEW, KIND_UPDATE
from preau.notifications.services import notify


def school_side(ticket: Ticket) -> list[Any]:
    """The reporter and the directors of the ticket's school."""
    directors = get_user_model().objects.filter(
        memberships__role=Role.DIRECTOR, memberships__school_id=ticket.school_id
    )
    return [ticket.reporter, *directors]


def technicians(ticket: Ticket) -> list[Any]:
    """The assignee, or else the municipality's technicians (city admins if it has none)."""
    if ticket.assignee is not None:
        return [ticket.assignee]
    users = get_user_model().objects.filter(memberships__municipality_id=ticket.municipality_id)
    techs = list(users.filter(memberships__role=Role.CITY_TECHNICIAN).distinct())
    return techs or list(users.filter(memberships__role=Role.CITY_ADMIN).distinct())


def _send(recipients: list[Any], kind: str, ticket: Ticket, what: str, actor: Any) -> None:
    notify(
        recipients=recipients,
        kind=kind,
        title=f"#{ticket.pk} {ticket.title} — {what}",
        url=reverse("helpdesk:detail", args=[ticket.pk]),
        actor=actor,
        municipality_id=ticket.municipality_id,
    )


def tell_school(ticket: Ticket, what: str, actor: Any) -> None:
    _send(school_side(ticket), KIND_UPDATE, ticket, what, actor)


def tell_technicians(ticket: Ticket, what: str, actor: Any, *, new: bool = False) -> None:
    _send(technicians(ticket), KIND_NEW if new else KIND_UPDATE, ticket, what, actor)
