"""What a payment claim holds and may hold, and what the claims add up to; no writes.

- The **funder** a claim is made to is the programme's first funding source (position
  0 of the funding plan: "REACT-EU" in the seed); the other sources co-finance. A
  programme whose funder is not listed first must reorder its plan.
- The **grant** is the funder's share of the eligible budget excluding VAT (60 % of
  1,826,000.00 = 1,095,600.00 € for the seed); interim claims together may ask at most
  ``interim_cap_percent`` of it, and all claims together at most the grant.
- A claim's **rows** are its invoices in a stable order — expense heading, supplier,
  invoice date, number — with HT and TTC summed from their (rounded) lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from preau.programme import money
from preau.programme.models import (
    BudgetLine,
    Claim,
    ClaimLine,
    FundingSource,
    Invoice,
    Programme,
)

SUBMITTED = (Claim.Status.SUBMITTED, Claim.Status.RECEIVED)


@dataclass(frozen=True)
class ClaimRow:
    """One invoice as a claim's statement of expenditure shows it."""

    invoice_id: int
    heading: str
    supplier: str
    invoice_number: str
    invoice_date: dt.date
    payment_date: dt.date | None
    mandate_number: str
    amount_ht: Decimal
    amount_ttc: Decimal
    budget_line: str = ""
    line_eligible: bool = True

    @property
    def sort_key(self) -> tuple[str, str, dt.date, str, int]:
        return (
            self.heading.casefold(),
            self.supplier.casefold(),
            self.invoice_date,
            self.invoice_number,
            self.invoice_id,
        )


@dataclass(frozen=True)
class FlaggedRow:
    row: ClaimRow
    reasons: list[str | Promise]


@dataclass
class Candidates:
    """The invoices a draft may take, and those it may not, with why."""

    claimable: list[ClaimRow]
    flagged: list[FlaggedRow]
    unpaid: int

    @property
    def claimable_ht(self) -> Decimal:
        return money.total(r.amount_ht for r in self.claimable)


def heading_of(heading: str, axis_number: int, axis_title: str) -> str:
    """The expense heading a budget line's invoices are grouped under: the line's own,
    or its axis ("1. Infrastructures…")."""
    return heading.strip() or f"{axis_number}. {axis_title}"


ROW_FIELDS = {
    "supplier_name": F("supplier__name"),
    "line_heading": F("order__budget_line__heading"),
    "line_label": F("order__budget_line__label"),
    "line_eligible": F("order__budget_line__eligible"),
    "axis_number": F("order__budget_line__objective__axis__number"),
    "axis_title": F("order__budget_line__objective__axis__title"),
}
ROW_COLUMNS = ("pk", "number", "invoice_date", "payment_date", "mandate_number", *ROW_FIELDS)


def _row_values(invoices: QuerySet[Invoice]) -> QuerySet[Invoice, dict[str, Any]]:
    """Plain values, not models: a claim may hold thousands of invoices."""
    return (
        invoices.annotate(**ROW_FIELDS)
        .values(*ROW_COLUMNS)
        .annotate(sum_ht=Sum("lines__amount_ht"), sum_ttc=Sum("lines__amount_ttc"))
        .order_by()
    )


def row_of(values: dict[str, Any]) -> ClaimRow:
    """One row of :func:`_row_values` as a statement row."""
    return ClaimRow(
        invoice_id=values["pk"],
        heading=heading_of(values["line_heading"], values["axis_number"], values["axis_title"]),
        supplier=values["supplier_name"],
        invoice_number=values["number"],
        invoice_date=values["invoice_date"],
        payment_date=values["payment_date"],
        mandate_number=values["mandate_number"],
        # Sums of stored cents; SQLite drops trailing zeros, so back to two decimals.
        amount_ht=money.to_money(values["sum_ht"] or 0),
        amount_ttc=money.to_money(values["sum_ttc"] or 0),
        budget_line=values["line_label"],
        line_eligible=values["line_eligible"],
    )


def sorted_rows(rows: Iterable[ClaimRow]) -> list[ClaimRow]:
    return sorted(rows, key=lambda r: r.sort_key)


def rows_of(invoices: QuerySet[Invoice]) -> list[ClaimRow]:
    """The rows of ``invoices`` in the statement's order (one query)."""
    return sorted_rows(row_of(v) for v in _row_values(invoices))


def draft_rows(claim: Claim) -> list[ClaimRow]:
    return rows_of(Invoice.objects.filter(claim=claim))


def frozen_rows(claim: Claim) -> list[ClaimRow]:
    """A submitted claim's rows as they were declared (its ``ClaimLine`` rows)."""
    return [
        ClaimRow(
            invoice_id=line.invoice_id,
            heading=line.heading,
            supplier=line.supplier,
            invoice_number=line.invoice_number,
            invoice_date=line.invoice_date,
            payment_date=line.payment_date,
            mandate_number=line.mandate_number,
            amount_ht=line.amount_ht,
            amount_ttc=line.amount_ttc,
        )
        for line in ClaimLine.objects.filter(claim=claim).order_by("position")
    ]


def claim_rows(claim: Claim) -> list[ClaimRow]:
    return frozen_rows(claim) if claim.locked else draft_rows(claim)


# ---- Eligibility of one invoice for a claim -----------------------------------------


def window_reasons(
    invoice_date: dt.date, payment_date: dt.date | None, programme: Programme
) -> list[str | Promise]:
    """Why an invoice falls outside the eligibility window (empty if it does not)."""
    start, end = programme.eligibility_start, programme.eligibility_end
    reasons: list[str | Promise] = []
    if not start <= invoice_date <= end:
        reasons.append(_("invoice dated outside the eligibility window"))
    if payment_date is not None and not start <= payment_date <= end:
        reasons.append(_("paid outside the eligibility window"))
    return reasons


def refusal_reasons(invoice: Invoice, programme: Programme) -> list[str | Promise]:
    """Why a paid, unclaimed invoice may not be claimed: window, ineligible line."""
    reasons = window_reasons(invoice.invoice_date, invoice.payment_date, programme)
    if not invoice.order.budget_line.eligible:
        reasons.append(_("its budget line is not eligible"))
    return reasons


def row_reasons(row: ClaimRow, programme: Programme) -> list[str | Promise]:
    """:func:`refusal_reasons` of a row."""
    reasons = window_reasons(row.invoice_date, row.payment_date, programme)
    if not row.line_eligible:
        reasons.append(_("its budget line is not eligible"))
    return reasons


def candidates(programme: Programme) -> Candidates:
    """Paid invoices of ``programme`` in no claim: those a claim may take, and apart the
    flagged ones (outside the eligibility window, ineligible line) with their reasons."""
    free = Invoice.objects.filter(order__programme=programme, claim__isnull=True)
    claimable: list[ClaimRow] = []
    flagged: list[FlaggedRow] = []
    for values in _row_values(free.filter(payment_date__isnull=False)):
        row = row_of(values)
        if reasons := row_reasons(row, programme):
            flagged.append(FlaggedRow(row, reasons))
        else:
            claimable.append(row)
    return Candidates(
        claimable=sorted_rows(claimable),
        flagged=sorted(flagged, key=lambda f: f.row.sort_key),
        unpaid=free.filter(payment_date__isnull=True).count(),
    )


# ---- Funder, grant, cap -------------------------------------------------------------


def funder_of(sources: Sequence[FundingSource]) -> FundingSource | None:
    """The funder claims are made to: the first source of the funding plan."""
    return min(sources, key=lambda s: (s.position, s.pk)) if sources else None


def eligible_budget_ht(programme_ids: Sequence[int]) -> dict[int, Decimal]:
    rows = (
        BudgetLine.objects.filter(objective__axis__programme_id__in=programme_ids, eligible=True)
        .values("objective__axis__programme_id")
        .annotate(ht=Sum("amount_ht"))
        .order_by()
    )
    return {r["objective__axis__programme_id"]: money.to_money(r["ht"] or 0) for r in rows}


def grant(eligible_ht: Decimal, funder: FundingSource | None) -> Decimal:
    return money.percent_of(eligible_ht, funder.share_percent) if funder else money.ZERO


@dataclass(frozen=True)
class Request:
    """What a claim asks of the funder: its share of the HT, capped if need be."""

    share: Decimal  # the funder's share of the claim's HT
    requested: Decimal  # after the cap
    room: Decimal  # what the cap left before this claim

    @property
    def capped(self) -> bool:
        return self.requested < self.share


def request_for(
    *,
    kind: str,
    total_ht: Decimal,
    funder: FundingSource | None,
    grant_amount: Decimal,
    cap_percent: Decimal,
    others: Iterable[Claim],
) -> Request:
    """The amount a claim of ``kind`` and ``total_ht`` may request, given the other
    submitted claims ``others``: interim claims together stay within ``cap_percent`` of
    the grant; all claims together within the grant."""
    share = money.percent_of(total_ht, funder.share_percent) if funder else money.ZERO
    others = list(others)
    if kind == Claim.Kind.INTERIM:
        limit = money.percent_of(grant_amount, cap_percent)
        used = money.total(
            c.requested or money.ZERO for c in others if c.kind == Claim.Kind.INTERIM
        )
    else:
        limit = grant_amount
        used = money.total(c.requested or money.ZERO for c in others)
    room = max(limit - used, money.ZERO)
    return Request(share=share, requested=min(share, room), room=room)


# ---- The summary the dashboard shows ------------------------------------------------


def _money(value: Decimal) -> str:
    return number_format(value, 2, force_grouping=True)


@dataclass
class ClaimsSummary:
    """A programme's claims in figures, and the alerts they raise."""

    programme: Programme
    funder: FundingSource | None
    eligible_ht: Decimal
    grant: Decimal
    interim_cap: Decimal
    interim_requested: Decimal = money.ZERO
    claimed_ht: Decimal = money.ZERO  # submitted (and received) claims
    claimed_ttc: Decimal = money.ZERO
    requested: Decimal = money.ZERO
    received: Decimal = money.ZERO
    drafts: int = 0
    awaiting_payment: list[Claim] = field(default_factory=list)
    capped: list[Claim] = field(default_factory=list)  # asked less than the share

    @property
    def cap_used_percent(self) -> Decimal:
        """Interim requests as a percentage of the interim cap (for the bar)."""
        if not self.interim_cap:
            return money.ZERO
        return money.to_money(self.interim_requested * money.HUNDRED / self.interim_cap)

    @property
    def cap_reached(self) -> bool:
        return bool(self.interim_cap) and self.interim_requested >= self.interim_cap

    @property
    def cap_room(self) -> Decimal:
        return max(self.interim_cap - self.interim_requested, money.ZERO)

    @property
    def alerts(self) -> list[str]:
        found: list[str] = []
        if self.cap_reached:
            found.append(
                str(_("Interim claims cap reached: %(requested)s € requested of %(cap)s €."))
                % {"requested": _money(self.interim_requested), "cap": _money(self.interim_cap)}
            )
        for claim in self.capped:
            found.append(
                str(_("Claim %(n)s was capped: it requests %(requested)s €."))
                % {"n": claim.number, "requested": _money(claim.requested or money.ZERO)}
            )
        return found


def claims_summaries(programmes: Sequence[Programme]) -> dict[int, ClaimsSummary]:
    """The summary of each programme (three queries whatever their number; two when the
    funding sources are prefetched, as ``figures.with_structure`` does)."""
    ids = [p.pk for p in programmes]
    eligible = eligible_budget_ht(ids)
    summaries: dict[int, ClaimsSummary] = {}
    for programme in programmes:
        funder = funder_of(list(programme.funding_sources.all()))
        eligible_ht = eligible.get(programme.pk, money.ZERO)
        grant_amount = grant(eligible_ht, funder)
        summaries[programme.pk] = ClaimsSummary(
            programme=programme,
            funder=funder,
            eligible_ht=eligible_ht,
            grant=grant_amount,
            interim_cap=money.percent_of(grant_amount, programme.interim_cap_percent),
        )
    for claim in Claim.objects.filter(programme_id__in=ids).order_by("programme_id", "number"):
        summary = summaries[claim.programme_id]
        if not claim.locked:
            summary.drafts += 1
            continue
        summary.claimed_ht += claim.total_ht or money.ZERO
        summary.claimed_ttc += claim.total_ttc or money.ZERO
        summary.requested += claim.requested or money.ZERO
        if claim.kind == Claim.Kind.INTERIM:
            summary.interim_requested += claim.requested or money.ZERO
        if claim.status == Claim.Status.RECEIVED:
            summary.received += claim.received_amount or money.ZERO
        else:
            summary.awaiting_payment.append(claim)
        if summary.funder is not None and (claim.requested or money.ZERO) < money.percent_of(
            claim.total_ht or money.ZERO, summary.funder.share_percent
        ):
            summary.capped.append(claim)
    return summaries


def claims_summary(programme: Programme) -> ClaimsSummary:
    return claims_summaries([programme])[programme.pk]


def claimed_per_line(programme_ids: Sequence[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """HT and TTC declared in submitted claims, per budget line id (one query)."""
    rows = (
        ClaimLine.objects.filter(
            Q(claim__programme_id__in=programme_ids), claim__status__in=SUBMITTED
        )
        .values("invoice__order__budget_line_id")
        .annotate(ht=Sum("amount_ht"), ttc=Sum("amount_ttc"))
        .order_by()
    )
    return {
        r["invoice__order__budget_line_id"]: (
            money.to_money(r["ht"] or 0),
            money.to_money(r["ttc"] or 0),
        )
        for r in rows
    }
