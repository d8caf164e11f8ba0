"""The dashboard's figures, computed from the records in a fixed number of queries.

Per line, per objective, per axis and in total: budgeted HT, VAT and TTC (each line
rounded to the cent, totals summed from rounded lines), committed (orders), invoiced and
paid (invoices with a payment date); the funding plan's amounts per source; the dates
and the days left before each deadline; alerts (lines over budget, invoices dated or
paid outside the eligibility window). Claims do not exist yet: nothing is "claimed".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from preau.programme import money
from preau.programme.models import (
    Axis,
    BudgetLine,
    FundingSource,
    Invoice,
    InvoiceLine,
    Objective,
    OrderLine,
    Programme,
)

ALERT_DAYS = 90  # a deadline this close is an alert


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
    """Budgeted, committed, invoiced and paid amounts of a line, objective, axis or total."""

    budget: Amounts = field(default_factory=Amounts)
    committed: Amounts = field(default_factory=Amounts)
    invoiced: Amounts = field(default_factory=Amounts)
    paid: Amounts = field(default_factory=Amounts)

    def add(self, other: Figures) -> None:
        self.budget.add(other.budget)
        self.committed.add(other.committed)
        self.invoiced.add(other.invoiced)
        self.paid.add(other.paid)

    @property
    def over_budget(self) -> bool:
        return self.committed.ht > self.budget.ht or self.invoiced.ht > self.budget.ht

    @property
    def paid_percent(self) -> Decimal:
        """Paid HT as a percentage of the budget HT (for the bars)."""
        if not self.budget.ht:
            return money.ZERO
        return money.to_money(self.paid.ht * money.HUNDRED / self.budget.ht)

    @property
    def committed_percent(self) -> Decimal:
        if not self.budget.ht:
            return money.ZERO
        return money.to_money(self.committed.ht * money.HUNDRED / self.budget.ht)


@dataclass
class LineFigures:
    line: BudgetLine
    fig: Figures


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

    @property
    def approaching_deadlines(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.approaching]


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


def line_amounts(line: BudgetLine) -> Amounts:
    ht = money.to_money(line.amount_ht)
    vat = money.vat(ht, line.vat_rate)
    return Amounts(ht=ht, vat=vat, ttc=ht + vat)


@dataclass
class Spending:
    """Committed, invoiced and paid amounts per budget line id, for a set of programmes."""

    committed: dict[int, Amounts] = field(default_factory=dict)
    invoiced: dict[int, Amounts] = field(default_factory=dict)
    paid: dict[int, Amounts] = field(default_factory=dict)
    flagged: dict[int, list[FlaggedInvoice]] = field(default_factory=dict)  # per programme


def _amounts(row: dict[str, Decimal | None], prefix: str = "") -> Amounts:
    # Sums of stored cents, brought back to two decimals (SQLite drops trailing zeros).
    return Amounts(
        ht=money.to_money(row[f"{prefix}ht"] or 0),
        vat=money.to_money(row[f"{prefix}vat"] or 0),
        ttc=money.to_money(row[f"{prefix}ttc"] or 0),
    )


def spending_of(programme_ids: list[int]) -> Spending:
    """Sums of the stored (already rounded) order and invoice lines: three queries."""
    spending = Spending()
    for row in (
        OrderLine.objects.filter(order__programme_id__in=programme_ids)
        .values("order__budget_line_id")
        .annotate(ht=Sum("amount_ht"), vat=Sum("vat_amount"), ttc=Sum("amount_ttc"))
        .order_by()
    ):
        spending.committed[row["order__budget_line_id"]] = _amounts(row)
    paid = Q(invoice__payment_date__isnull=False)
    for row in (
        InvoiceLine.objects.filter(invoice__order__programme_id__in=programme_ids)
        .values("invoice__order__budget_line_id")
        .annotate(
            ht=Sum("amount_ht"),
            vat=Sum("vat_amount"),
            ttc=Sum("amount_ttc"),
            paid_ht=Sum("amount_ht", filter=paid),
            paid_vat=Sum("vat_amount", filter=paid),
            paid_ttc=Sum("amount_ttc", filter=paid),
        )
        .order_by()
    ):
        line_id = row["invoice__order__budget_line_id"]
        spending.invoiced[line_id] = _amounts(row)
        spending.paid[line_id] = _amounts(row, "paid_")
    start, end = F("order__programme__eligibility_start"), F("order__programme__eligibility_end")
    outside = (
        Q(invoice_date__lt=start)
        | Q(invoice_date__gt=end)
        | Q(payment_date__lt=start)
        | Q(payment_date__gt=end)
    )
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
        spending.flagged.setdefault(programme.pk, []).append(FlaggedInvoice(invoice, reasons))
    return spending


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
                )
                if fig.over_budget:
                    over.append(line)
                objective_figures.lines.append(LineFigures(line=line, fig=fig))
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
    sources = list(programme.funding_sources.all())
    funding = [
        SourceFigures(
            source=s,
            ht=money.percent_of(eligible_ht, s.share_percent),
        )
        for s in sources
    ]
    return ProgrammeFigures(
        programme=programme,
        axes=axes,
        fig=total,
        eligible_ht=eligible_ht,
        lines_over_budget=over,
        flagged_invoices=spending.flagged.get(programme.pk, []),
        funding=funding,
        funding_total_percent=sum((s.share_percent for s in sources), money.ZERO),
        deadlines=deadlines_of(programme, today),
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
