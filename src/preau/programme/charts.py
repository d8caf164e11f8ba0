"""The charts over time, laid out here and drawn as SVG by the templates (no script).

Two charts per programme, month by month from the start of the programme (its planned
start of works, else the start of the eligibility window — earlier if something was
recorded before) to the last month with a record, or the current month while works go
on:

- **spending**: cumulative committed, invoiced, paid and claimed amounts excluding VAT,
  beside the budget;
- **axes**: per axis, the cumulative amount paid as a percentage of the axis's budget.

Every point is computed with ``Decimal``; each chart also gives its figures as a table
(the text alternative the page shows under the drawing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from preau.programme import money

if TYPE_CHECKING:
    from preau.programme.models import Axis, Programme

SERIES: tuple[tuple[str, Promise, str, str], ...] = (
    # key, label, colour, dash pattern (the colour is never the only difference)
    ("committed", _("Committed"), "#4338ca", ""),
    ("invoiced", _("Invoiced"), "#0e7490", "8 4"),
    ("paid", _("Paid"), "#15803d", "2 3"),
    ("claimed", _("Claimed"), "#b45309", "12 4 2 4"),
)
AXIS_STYLES = (("#1d4ed8", ""), ("#be123c", "8 4"), ("#047857", "2 3"), ("#7c3aed", "12 4 2 4"))

WIDTH, HEIGHT = Decimal(720), Decimal(300)
LEFT, RIGHT, TOP, BOTTOM = Decimal(104), Decimal(40), Decimal(16), Decimal(40)
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_X_LABELS = 8
TENTH = Decimal("0.1")


@dataclass
class Monthly:
    """HT amounts per series ("committed"…), budget line id and month."""

    data: dict[str, dict[int, dict[dt.date, Decimal]]] = field(default_factory=dict)

    def add(self, series: str, line_id: int, month: dt.date | None, ht: Decimal) -> None:
        if month is None:
            return
        months = self.data.setdefault(series, {}).setdefault(line_id, {})
        months[month] = months.get(month, money.ZERO) + ht

    def per_month(self, series: str, line_ids: Sequence[int]) -> dict[dt.date, Decimal]:
        found: dict[dt.date, Decimal] = {}
        by_line = self.data.get(series, {})
        for line_id in line_ids:
            for month, ht in by_line.get(line_id, {}).items():
                found[month] = found.get(month, money.ZERO) + ht
        return found


@dataclass
class Curve:
    key: str
    label: str | Promise
    colour: str
    dash: str
    values: list[Decimal]  # one per month, cumulative
    points: str = ""

    @property
    def last(self) -> Decimal:
        return self.values[-1] if self.values else money.ZERO


@dataclass
class Tick:
    at: Decimal  # x or y in the drawing
    value: Decimal | None = None
    month: dt.date | None = None


@dataclass
class Chart:
    months: list[dt.date]
    curves: list[Curve]
    unit: str  # "€" or "%"
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    reference: Tick | None = None  # the budget (spending) or 100 % (axes)
    width: Decimal = WIDTH
    height: Decimal = HEIGHT
    left: Decimal = LEFT
    right_edge: Decimal = WIDTH - RIGHT
    top: Decimal = TOP
    bottom_edge: Decimal = HEIGHT - BOTTOM

    @property
    def y_label_x(self) -> Decimal:
        return self.left - 6

    @property
    def x_label_y(self) -> Decimal:
        return self.bottom_edge + 20

    @property
    def x_tick_end(self) -> Decimal:
        return self.bottom_edge + 5

    @property
    def empty(self) -> bool:
        return not any(c.last for c in self.curves)

    @property
    def rows(self) -> list[tuple[dt.date, list[Decimal]]]:
        """The text alternative: each month with each curve's value."""
        return [(m, [c.values[i] for c in self.curves]) for i, m in enumerate(self.months)]


@dataclass
class ProgrammeCharts:
    spending: Chart | None = None
    axes: Chart | None = None


def month_range(programme: Programme, recorded: Sequence[dt.date], today: dt.date) -> list[dt.date]:
    start = (programme.planned_start or programme.eligibility_start).replace(day=1)
    end_of_works = (programme.planned_end or programme.eligibility_end).replace(day=1)
    first = min([start, *recorded])
    last = max([min(today.replace(day=1), end_of_works), *recorded, first])
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def cumulative(per_month: dict[dt.date, Decimal], months: list[dt.date]) -> list[Decimal]:
    values, running = [], money.ZERO
    for month in months:
        running += per_month.get(month, money.ZERO)
        values.append(running)
    return values


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at least ``value`` / 4: the tick step."""
    if value <= 0:
        return Decimal(1)
    rough = value / 4
    power = Decimal(10) ** rough.adjusted()
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if factor * power >= rough:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def _x(index: int, count: int) -> Decimal:
    if count <= 1:
        return (LEFT + PLOT_W / 2).quantize(TENTH)
    return (LEFT + PLOT_W * index / (count - 1)).quantize(TENTH)


def _y(value: Decimal, top: Decimal) -> Decimal:
    return (TOP + PLOT_H * (1 - value / top)).quantize(TENTH)


def layout(chart: Chart, reference: Decimal | None) -> Chart:
    """Place the curves, the ticks and the reference line in the drawing."""
    highest = max([reference or money.ZERO, *(v for c in chart.curves for v in c.values)])
    step = nice_ceiling(highest)
    top = step * (highest / step).to_integral_value(rounding=ROUND_CEILING) or step
    count = len(chart.months)
    for curve in chart.curves:
        curve.points = " ".join(f"{_x(i, count)},{_y(v, top)}" for i, v in enumerate(curve.values))
    ticks, value = [], money.ZERO
    while value <= top:
        ticks.append(Tick(at=_y(value, top), value=value))
        value += step
    chart.y_ticks = ticks
    every = max(1, -(-count // MAX_X_LABELS))
    chart.x_ticks = [Tick(at=_x(i, count), month=m) for i, m in enumerate(chart.months)][::every]
    if reference:
        chart.reference = Tick(at=_y(reference, top), value=reference)
    return chart


def charts_of(
    programme: Programme,
    axes: list[tuple[Axis, list[int], Decimal]],
    budget_ht: Decimal,
    monthly: Monthly,
    today: dt.date,
) -> ProgrammeCharts:
    """The programme's two charts, from the month-by-month sums of its budget lines."""
    line_ids = [line_id for _axis, ids, _budget in axes for line_id in ids]
    per_series = {key: monthly.per_month(key, line_ids) for key, *_rest in SERIES}
    recorded = sorted({m for months in per_series.values() for m in months})
    months = month_range(programme, recorded, today)
    spending = Chart(
        months=months,
        unit="€",
        curves=[
            Curve(key, label, colour, dash, cumulative(per_series[key], months))
            for key, label, colour, dash in SERIES
        ],
    )
    curves = []
    for i, (axis, ids, axis_budget) in enumerate(axes):
        paid = cumulative(monthly.per_month("paid", ids), months)
        colour, dash = AXIS_STYLES[i % len(AXIS_STYLES)]
        percents = [
            money.to_money(v * money.HUNDRED / axis_budget) if axis_budget else money.ZERO
            for v in paid
        ]
        label = _("Axis %(n)s") % {"n": axis.number}
        curves.append(Curve(f"axis-{axis.pk}", label, colour, dash, percents))
    return ProgrammeCharts(
        spending=layout(spending, budget_ht),
        axes=layout(Chart(months=months, unit="%", curves=curves), money.HUNDRED),
    )
