"""Service targets: how long a ticket waited for its first response and its resolution.

Durations are wall-clock time since the ticket was reported (nights and weekends
count): that is what a teacher waiting for a projector experiences, and what the city's
contract with its technicians states. No writes here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from preau.helpdesk.models import Category, SlaTarget, Ticket

# Used for a category a city admin has not set: (first response, resolution) in hours.
DEFAULTS: dict[str, tuple[int, int]] = {
    Category.NETWORK: (4, 24),
    Category.PRINTER: (8, 72),
    Category.LAPTOP: (8, 72),
    Category.TABLET: (8, 72),
    Category.DISPLAY: (4, 48),
    Category.SOFTWARE: (24, 120),
    Category.ACCOUNT: (4, 24),
    Category.OTHER: (24, 120),
}


@dataclass(frozen=True)
class Target:
    category: str
    first_response_hours: int
    resolution_hours: int


@dataclass(frozen=True)
class Timing:
    first_response: dt.timedelta | None  # None: no response yet
    resolution: dt.timedelta | None  # None: not resolved
    response_late: bool
    resolution_late: bool

    @property
    def late(self) -> bool:
        return self.response_late or self.resolution_late

    @property
    def first_response_text(self) -> str:
        return hours(self.first_response)

    @property
    def resolution_text(self) -> str:
        return hours(self.resolution)


def targets(municipality_id: int) -> dict[str, Target]:
    """Every category's target in a municipality, the defaults filling the gaps."""
    found = {
        row.category: Target(row.category, row.first_response_hours, row.resolution_hours)
        for row in SlaTarget.objects.filter(municipality_id=municipality_id)
    }
    return {
        category: found.get(category) or Target(category, *DEFAULTS[category])
        for category in Category.values
    }


def timing(ticket: Ticket, target: Target, now: dt.datetime | None = None) -> Timing:
    """The ticket's durations so far and whether each is (or was) over its target."""
    now = now or timezone.now()
    response = _since(ticket, ticket.first_response_at)
    resolution = _since(ticket, ticket.resolved_at)
    waited = now - ticket.created_at
    response_limit = dt.timedelta(hours=target.first_response_hours)
    resolution_limit = dt.timedelta(hours=target.resolution_hours)
    return Timing(
        first_response=response,
        resolution=resolution,
        response_late=(response if response is not None else waited) > response_limit,
        resolution_late=(resolution if resolution is not None else waited) > resolution_limit,
    )


def _since(ticket: Ticket, moment: dt.datetime | None) -> dt.timedelta | None:
    return None if moment is None else moment - ticket.created_at


def hours(delta: dt.timedelta | None) -> str:
    """A duration as people read it in a table: "3 h 05", "2 d 4 h"."""
    if delta is None:
        return "—"
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    h, m = divmod(minutes, 60)
    return f"{days} d {h} h" if days else f"{h} h {m:02d}"
