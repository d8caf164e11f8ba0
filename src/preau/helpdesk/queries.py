"""Reading the helpdesk: the queue's filters, ages, the dashboard's counts (no writes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.core import access
from preau.directory.models import Role, Site
from preau.helpdesk.access import handles_tickets
from preau.helpdesk.models import OPEN_STATUSES, Ticket

# Age buckets of open tickets: (key, label, at least, less than) in days.
AGES: tuple[tuple[str, Any, int, int | None], ...] = (
    ("day", _("less than a day"), 0, 1),
    ("week", _("1 to 7 days"), 1, 7),
    ("month", _("7 to 30 days"), 7, 30),
    ("older", _("more than 30 days"), 30, None),
)


def age_filter(qs: QuerySet[Ticket], key: str, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    now = now or timezone.now()
    for code, _label, low, high in AGES:
        if code == key:
            qs = qs.filter(created_at__lte=now - dt.timedelta(days=low))
            if high is not None:
                qs = qs.filter(created_at__gt=now - dt.timedelta(days=high))
            return qs
    return qs


def age_key(ticket: Ticket, now: dt.datetime) -> str:
    days = (now - ticket.created_at).total_seconds() / 86400
    for code, _label, low, high in AGES:
        if days >= low and (high is None or days < high):
            return code
    return AGES[-1][0]


def handler_sites(user: Any) -> QuerySet[Site]:
    """The sites a handler's filter offers (from the kernel)."""
    return access.restrict(user, Site).filter(municipality_id__in=handles_tickets(user))


def handlers(user: Any) -> QuerySet[Any]:
    """The people tickets can be assigned to: technicians and city admins of the user's
    municipalities."""
    return (
        get_user_model()
        .objects.filter(
            memberships__municipality_id__in=handles_tickets(user),
            memberships__role__in=(Role.CITY_TECHNICIAN, Role.CITY_ADMIN),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    length: int  # in SVG units, the longest bar being BAR_MAX
    y: int  # the SVG row's top

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= 26 else self.label[:25] + "…"

    @property
    def text_y(self) -> int:
        return self.y + 17

    @property
    def count_x(self) -> int:
        return BAR_X + self.length + 6


@dataclass(frozen=True)
class Chart:
    caption: str
    bars: list[Bar]
    total: int
    height: int


BAR_X = 210  # where bars start, after their labels
BAR_MAX = 340  # the longest bar (the chart is 600 wide)


def _chart(caption: str, rows: list[tuple[str, int]]) -> Chart:
    top = max((count for _label, count in rows), default=0) or 1
    bars = [
        Bar(label, count, round(BAR_MAX * count / top), 28 * i)
        for i, (label, count) in enumerate(rows)
    ]
    return Chart(caption, bars, sum(count for _label, count in rows), max(28 * len(rows), 28))


def dashboard(user: Any, now: dt.datetime | None = None) -> tuple[Chart, Chart]:
    """Open tickets per site and per age bucket, from what the kernel lets ``user`` see."""
    now = now or timezone.now()
    open_qs = access.restrict(user, Ticket).filter(status__in=OPEN_STATUSES)
    per_site = open_qs.values("site__name").annotate(n=Count("pk")).order_by("-n", "site__name")
    sites = [(row["site__name"], row["n"]) for row in per_site]
    ages = [(str(label), age_filter(open_qs, code, now).count()) for code, label, _l, _h in AGES]
    return (
        _chart(str(_("Open tickets per site")), sites),
        _chart(str(_("Open tickets per age")), ages),
    )
