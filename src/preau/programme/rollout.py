"""The rollout timeline: sites as rows, months as columns, each milestone placed in the
month of its completion date (done) or of its planned date (otherwise)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from preau.directory.models import Site
from preau.programme.models import Milestone, Programme, SiteMilestone

KIND_ORDER = {kind: i for i, kind in enumerate(Milestone.values)}
STATUS_SYMBOL: dict[str, str] = {
    SiteMilestone.Status.PLANNED: "○",
    SiteMilestone.Status.IN_PROGRESS: "◐",
    SiteMilestone.Status.DONE: "✓",
    SiteMilestone.Status.BLOCKED: "✕",
}


def kind_number(kind: str) -> int:
    """The milestone's number in the checklist (``SiteMilestone.kind_number``)."""
    return KIND_ORDER[kind] + 1


def shown_date(milestone: SiteMilestone) -> dt.date | None:
    if milestone.status == SiteMilestone.Status.DONE and milestone.done_on is not None:
        return milestone.done_on
    return milestone.planned_on or milestone.done_on


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], _month(first)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@dataclass
class SiteRow:
    site: Site
    cells: list[list[SiteMilestone]]
    undated: list[SiteMilestone] = field(default_factory=list)


@dataclass
class Timeline:
    months: list[dt.date]
    rows: list[SiteRow]


def timeline(programme: Programme, milestones: Iterable[SiteMilestone]) -> Timeline:
    """Lay ``milestones`` (with their site loaded) out month by month over the planned
    works, widened to any milestone dated outside them."""
    ordered = sorted(milestones, key=lambda m: (m.site.name, m.site_id, KIND_ORDER[m.kind]))
    dates = [d for d in (shown_date(m) for m in ordered) if d is not None]
    bounds = [d for d in (programme.planned_start, programme.planned_end) if d is not None]
    if not dates and not bounds:
        months: list[dt.date] = []
    else:
        months = months_between(min(dates + bounds), max(dates + bounds))
    column = {month: i for i, month in enumerate(months)}
    rows: dict[int, SiteRow] = {}
    for milestone in ordered:
        row = rows.setdefault(milestone.site_id, SiteRow(milestone.site, [[] for _ in months]))
        day = shown_date(milestone)
        if day is None:
            row.undated.append(milestone)
        else:
            row.cells[column[_month(day)]].append(milestone)
    return Timeline(months, list(rows.values()))
