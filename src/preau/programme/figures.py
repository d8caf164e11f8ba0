"""The dashboard's figures, computed from the records in a fixed number of queries.

Per line, per objective, per axis and in total: budgeted HT, VAT and TTC (each line
rounded to the cent, totals summed from rounded lines), committed (orders), invoiced,
paid (invoices with a payment date), claimed (the invoices of submitted claims, as
declared: their ``ClaimLine`` rows) and received (each received claim's amount
apportioned to its lines, see :func:`apportion`); the funding plan's amounts per
source; the dates and the days left before each deadline; the month-by-month sums the
charts draw (``charts.py``); alerts: lines over budget, invoices dated or paid outside
the eligibility window, deadlines approaching, the interim claims cap reached.

The queries (``spending_of``): order lines and invoice lines summed per budget line and
month, the invoices outside the window, the claims, and the claims' lines summed per
claim and budget line — five, whatever the number of programmes, orders or invoices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DateField, F, Func, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from preau.programme import money
from preau.programme.charts import Monthly, ProgrammeCharts, charts_of
from preau.programme.models import (
    Axis,
    BudgetLine,
    Claim,
    ClaimLine,
    FundingSource,
    Invoice,
    InvoiceLine,
    Objective,
    OrderLine,
    Programme,
)

ALERT_DAYS = 90  # a deadline this close is an alert
LOCKED = (Claim.Status.SUBMITTED, Claim.Status.RECEIVED)


class MonthStart(Func):
    """The first day of a date's month, computed by the database itself: ``TruncMonth``
    calls a Python function per row on SQLite, the dashboard's main cost there with
    thousands of invoices."""

    output_field = DateField()
    template = "CAST(DATE_TRUNC('month', %(expressions)s) AS date)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s, 'start of month')", **extra
        )


@dataclass
class Amounts:
    ht: Decimal = money.ZERO
    vat: Decimal = money.ZERO
    ttc: Decimal = money.ZERO

    def add(self, other: Amounts) -> None:
        self.ht += other.ht
        self.vat += other.vat
        self.ttc += other.ttc


@dataclass
class Figures:
    """Budgeted, committed, invoiced, paid, claimed (HT, VAT, TTC) and received amounts
    of a line, objective, axis or total."""

    budget: Amounts = field(default_factory=Amounts)
    committed: Amounts = field(default_factory=Amounts)
    invoiced: Amounts = field(default_factory=Amounts)
    paid: Amounts = field(default_factory=Amounts)
    claimed: Amounts = field(default_factory=Amounts)
    received: Decimal = money.ZERO  # paid by the funder: no VAT in it

    def add(self, other: Figures) -> None:
        self.budget.add(other.budget)
        self.committed.add(other.committed)
        self.invoiced.add(other.invoiced)
        self.paid.add(other.paid)
        self.claimed.add(other.claimed)
        self.received += other.received

    @property
    def over_budget(self) -> bool:
        return self.committed.ht > self.budget.ht or self.invoiced.ht > self.budget.ht

    def _percent(self, amount: Decimal) -> Decimal:
        if not self.budget.ht:
            return money.ZERO
        return money.to_money(amount * money.HUNDRED / self.budget.ht)

    @property
    def paid_percent(self) -> Decimal:
        """Paid HT as a percentage of the budget HT (for the bars)."""
        return self._percent(self.paid.ht)

    @property
    def committed_percent(self) -> Decimal:
        return self._percent(self.committed.ht)

    @property
    def claimed_percent(self) -> Decimal:
        return self._percent(self.claimed.ht)


@dataclass
class LineFigures:
    line: BudgetLine
    fig: Figures
    code: str = ""  # "1.2.3": axis, objective, line, as the structure lists them


@dataclass
class ObjectiveFigures:
    objective: Objective
    lines: list[LineFigures] = field(default_factory=list)
    fig: Figures = field(default_factory=Figures)


@dataclass
class AxisFigures:
    axis: Axis
    objectives: list[ObjectiveFigures] = field(default_factory=list)
    fig: Figures = field(default_factory=Figures)
    share_percent: Decimal = money.ZERO  # of the programme's HT budget, for the chart


@dataclass
class SourceFigures:
    source: FundingSource
    ht: Decimal  # its share of the eligible HT base declared to the funders


@dataclass
class Deadline:
    label: str | Promise
    date: dt.date
    days_left: int

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    @property
    def days_ago(self) -> int:
        return -self.days_left

    @property
    def approaching(self) -> bool:
        """Within :data:`ALERT_DAYS` days, and not passed: shown as an alert."""
        return 0 <= self.days_left <= ALERT_DAYS


@dataclass
class FlaggedInvoice:
    invoice: Invoice
    reasons: list[str | Promise]


@dataclass
class InterimCap:
    """Interim claims together may request at most ``cap_percent`` of the grant (the
    funder's share of the eligible budget HT; the funder is the funding plan's first
    source, as for the claims)."""

    grant: Decimal = money.ZERO
    cap_percent: Decimal = money.ZERO
    cap: Decimal = money.ZERO
    requested: Decimal = money.ZERO  # by submitted and received interim claims

    @property
    def reached(self) -> bool:
        return self.cap > 0 and self.requested >= self.cap

    @property
    def used_percent(self) -> Decimal:
        return money.to_money(self.requested * money.HUNDRED / self.cap) if self.cap else money.ZERO


@dataclass
class ProgrammeFigures:
    programme: Programme
    axes: list[AxisFigures]
    fig: Figures
    eligible_ht: Decimal
    lines_over_budget: list[BudgetLine]
    flagged_invoices: list[FlaggedInvoice]
    funding: list[SourceFigures]
    funding_total_percent: Decimal
    deadlines: list[Deadline]
    interim: InterimCap
    charts: ProgrammeCharts

    @property
    def approaching_deadlines(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.approaching]

    @property
    def has_alerts(self) -> bool:
        return bool(
            self.lines_over_budget
            or self.flagged_invoices
            or self.approaching_deadlines
            or self.interim.reached
        )


def with_structure(qs: QuerySet[Programme]) -> QuerySet[Programme]:
    """``qs`` with axes, objectives, lines and funding sources prefetched (4 queries)."""
    return qs.prefetch_related(
        Prefetch(
            "axes",
            queryset=Axis.objects.prefetch_related(
                Prefetch(
                    "objectives",
                    queryset=Objective.objects.prefetch_related(
                        Prefetch("lines", queryset=BudgetLine.objects.all())
                    ),
                )
            ),
        ),
        Prefetch("funding_sources", queryset=FundingSource.objects.all()),
    )


def line_codes(programme: Programme) -> dict[int, str]:
    """Each budget line's code "axis.objective.line" (1-based, in the structure's order),
    from a programme fetched through :func:`with_structure`. Accounting imports name
    lines by it; it changes only if a line or objective before it is removed."""
    return {
        line.pk: f"{axis.number}.{o}.{n}"
        for axis in programme.axes.all()
        for o, objective in enumerate(axis.objectives.all(), start=1)
        for n, line in enumerate(objective.lines.all(), start=1)
    }


def line_amounts(line: BudgetLine) -> Amounts:
    ht = money.to_money(line.amount_ht)
    vat = money.vat(ht, line.vat_rate)
    return Amounts(ht=ht, vat=vat, ttc=ht + vat)


@dataclass
class Spending:
    """What was committed, invoiced, paid, claimed and received per budget line id, the
    same month by month (HT, for the charts), for a set of programmes."""

    committed: dict[int, Amounts] = field(default_factory=dict)
    invoiced: dict[int, Amounts] = field(default_factory=dict)
    paid: dict[int, Amounts] = field(default_factory=dict)
    claimed: dict[int, Amounts] = field(default_factory=dict)
    received: dict[int, Decimal] = field(default_factory=dict)
    monthly: Monthly = field(default_factory=Monthly)
    flagged: dict[int, list[FlaggedInvoice]] = field(default_factory=dict)  # per programme
    interim_requested: dict[int, Decimal] = field(default_factory=dict)  # per programme


def _amounts(row: dict[str, Decimal | None], prefix: str = "") -> Amounts:
    # Sums of stored cents, brought back to two decimals (SQLite drops trailing zeros).
    return Amounts(
        ht=money.to_money(row[f"{prefix}ht"] or 0),
        vat=money.to_money(row[f"{prefix}vat"] or 0),
        ttc=money.to_money(row[f"{prefix}ttc"] or 0),
    )


def _add(target: dict[int, Amounts], key: int, amounts: Amounts) -> None:
    target.setdefault(key, Amounts()).add(amounts)


def _month(day: dt.date | dt.datetime | None) -> dt.date | None:
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day.replace(day=1)


def spending_of(programme_ids: list[int]) -> Spending:
    spending = Spending()
    for row in (
        OrderLine.objects.filter(order__programme_id__in=programme_ids)
        .values("order__budget_line_id", month=MonthStart("order__order_date"))
        .annotate(ht=Sum("amount_ht"), vat=Sum("vat_amount"), ttc=Sum("amount_ttc"))
        .order_by()
    ):
        line_id, amounts = row["order__budget_line_id"], _amounts(row)
        _add(spending.committed, line_id, amounts)
        spending.monthly.add("committed", line_id, _month(row["month"]), amounts.ht)
    for row in (
        InvoiceLine.objects.filter(invoice__order__programme_id__in=programme_ids)
        .values(
            "invoice__order__budget_line_id",
            invoiced_on=MonthStart("invoice__invoice_date"),
            paid_on=MonthStart("invoice__payment_date"),
        )
        .annotate(ht=Sum("amount_ht"), vat=Sum("vat_amount"), ttc=Sum("amount_ttc"))
        .order_by()
    ):
        line_id, amounts = row["invoice__order__budget_line_id"], _amounts(row)
        _add(spending.invoiced, line_id, amounts)
        spending.monthly.add("invoiced", line_id, _month(row["invoiced_on"]), amounts.ht)
        if row["paid_on"] is not None:
            _add(spending.paid, line_id, amounts)
            spending.monthly.add("paid", line_id, _month(row["paid_on"]), amounts.ht)
    spending.flagged = _flagged(programme_ids)
    _claims(spending, programme_ids)
    return spending


def _flagged(programme_ids: list[int]) -> dict[int, list[FlaggedInvoice]]:
    start, end = F("order__programme__eligibility_start"), F("order__programme__eligibility_end")
    outside = (
        Q(invoice_date__lt=start)
        | Q(invoice_date__gt=end)
        | Q(payment_date__lt=start)
        | Q(payment_date__gt=end)
    )
    flagged: dict[int, list[FlaggedInvoice]] = {}
    for invoice in (
        Invoice.objects.filter(order__programme_id__in=programme_ids)
        .filter(outside)
        .select_related("supplier", "order__programme")
    ):
        programme = invoice.order.programme
        reasons: list[str | Promise] = []
        if not programme.eligibility_start <= invoice.invoice_date <= programme.eligibility_end:
            reasons.append(_("invoice dated outside the eligibility window"))
        if invoice.payment_date is not None and not (
            programme.eligibility_start <= invoice.payment_date <= programme.eligibility_end
        ):
            reasons.append(_("paid outside the eligibility window"))
        flagged.setdefault(programme.pk, []).append(FlaggedInvoice(invoice, reasons))
    return flagged


def _claims(spending: Spending, programme_ids: list[int]) -> None:
    """Claimed and received per line, claimed per month, interim requests (2 queries)."""
    claims = {
        c.pk: c for c in Claim.objects.filter(programme_id__in=programme_ids, status__in=LOCKED)
    }
    for claim in claims.values():
        if claim.kind == Claim.Kind.INTERIM:
            spending.interim_requested[claim.programme_id] = spending.interim_requested.get(
                claim.programme_id, money.ZERO
            ) + (claim.requested or money.ZERO)
    per_claim: dict[int, dict[int, Decimal]] = {}
    for row in (
        ClaimLine.objects.filter(claim__programme_id__in=programme_ids, claim__status__in=LOCKED)
        .values("claim_id", "invoice__order__budget_line_id")
        .annotate(ht=Sum("amount_ht"), ttc=Sum("amount_ttc"))
        .order_by()
    ):
        found = claims.get(row["claim_id"])
        if found is None:  # submitted between the two queries: next time
            continue
        claim = found
        line_id = row["invoice__order__budget_line_id"]
        ht, ttc = money.to_money(row["ht"] or 0), money.to_money(row["ttc"] or 0)
        _add(spending.claimed, line_id, Amounts(ht=ht, vat=ttc - ht, ttc=ttc))
        spending.monthly.add("claimed", line_id, _month(claim.submitted_at), ht)
        per_claim.setdefault(claim.pk, {})[line_id] = ht
    for claim_id, lines in per_claim.items():
        claim = claims[claim_id]
        if claim.status != Claim.Status.RECEIVED or claim.received_amount is None:
            continue
        for line_id, share in apportion(claim.received_amount, lines).items():
            spending.received[line_id] = spending.received.get(line_id, money.ZERO) + share


def apportion(amount: Decimal, weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """``amount`` shared between the keys pro rata of their weights (a claim's HT per
    budget line), each share rounded half-up to the cent; the cents rounding leaves over
    go to the largest share, so that the shares add up to ``amount`` exactly."""
    total = sum(weights.values(), money.ZERO)
    if not total or not weights:
        return {}
    shares = {key: money.to_money(amount * weight / total) for key, weight in weights.items()}
    largest = max(weights, key=lambda key: (weights[key], -key))
    shares[largest] += money.to_money(amount) - sum(shares.values(), money.ZERO)
    return shares


def figures_of(
    programme: Programme, today: dt.date, spending: Spending | None = None
) -> ProgrammeFigures:
    """Figures of a programme fetched through :func:`with_structure`, with the spending
    of :func:`spending_of` (no further query; without it, nothing is spent)."""
    spending = spending or Spending()
    total = Figures()
    eligible_ht = money.ZERO
    over: list[BudgetLine] = []
    axes: list[AxisFigures] = []
    codes = line_codes(programme)
    for axis in programme.axes.all():
        axis_figures = AxisFigures(axis=axis)
        for objective in axis.objectives.all():
            objective_figures = ObjectiveFigures(objective=objective)
            for line in objective.lines.all():
                fig = Figures(
                    budget=line_amounts(line),
                    committed=spending.committed.get(line.pk, Amounts()),
                    invoiced=spending.invoiced.get(line.pk, Amounts()),
                    paid=spending.paid.get(line.pk, Amounts()),
                    claimed=spending.claimed.get(line.pk, Amounts()),
                    received=spending.received.get(line.pk, money.ZERO),
                )
                if fig.over_budget:
                    over.append(line)
                objective_figures.lines.append(LineFigures(line, fig, codes[line.pk]))
                objective_figures.fig.add(fig)
                if line.eligible:
                    eligible_ht += fig.budget.ht
            axis_figures.objectives.append(objective_figures)
            axis_figures.fig.add(objective_figures.fig)
        axes.append(axis_figures)
        total.add(axis_figures.fig)
    for axis_figures in axes:
        if total.budget.ht:
            axis_figures.share_percent = money.to_money(
                axis_figures.fig.budget.ht * money.HUNDRED / total.budget.ht
            )
    sources = sorted(programme.funding_sources.all(), key=lambda s: (s.position, s.pk))
    return ProgrammeFigures(
        programme=programme,
        axes=axes,
        fig=total,
        eligible_ht=eligible_ht,
        lines_over_budget=over,
        flagged_invoices=spending.flagged.get(programme.pk, []),
        funding=[SourceFigures(s, money.percent_of(eligible_ht, s.share_percent)) for s in sources],
        funding_total_percent=sum((s.share_percent for s in sources), money.ZERO),
        deadlines=deadlines_of(programme, today),
        interim=_interim(programme, sources, eligible_ht, spending),
        charts=charts_of(programme, axes_budget(axes), total.budget.ht, spending.monthly, today),
    )


def axes_budget(axes: list[AxisFigures]) -> list[tuple[Axis, list[int], Decimal]]:
    """Each axis with its budget lines' ids and its budget HT, for the charts."""
    return [
        (a.axis, [lf.line.pk for o in a.objectives for lf in o.lines], a.fig.budget.ht)
        for a in axes
    ]


def _interim(
    programme: Programme, sources: list[FundingSource], eligible_ht: Decimal, spending: Spending
) -> InterimCap:
    grant = money.percent_of(eligible_ht, sources[0].share_percent) if sources else money.ZERO
    return InterimCap(
        grant=grant,
        cap_percent=programme.interim_cap_percent,
        cap=money.percent_of(grant, programme.interim_cap_percent),
        requested=spending.interim_requested.get(programme.pk, money.ZERO),
    )


def deadlines_of(programme: Programme, today: dt.date) -> list[Deadline]:
    dates = [
        (_("End of the eligibility window"), programme.eligibility_end),
        (_("Last payment date"), programme.last_payment_date),
        (_("Final claim date"), programme.final_claim_date),
    ]
    if programme.planned_end:
        dates.append((_("Planned end of works"), programme.planned_end))
    return sorted(
        (Deadline(label, date, (date - today).days) for label, date in dates),
        key=lambda d: d.date,
    )
