"""The statement of a claim, built once and rendered by every export.

Submitted claims: their ``ClaimLine`` rows, frozen totals and amount requested. Drafts:
their invoices now, the totals they add up to and what they would request if submitted
now — ``draft`` is true and every rendering says DRAFT.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from preau.programme import money
from preau.programme.claim_figures import (
    SUBMITTED,
    ClaimRow,
    Request,
    claim_rows,
    eligible_budget_ht,
    funder_of,
    grant,
    request_for,
)
from preau.programme.models import Claim, FundingSource, IndicatorValue, Programme


@dataclass(frozen=True)
class HeadingGroup:
    heading: str
    rows: list[ClaimRow]

    @property
    def total_ht(self) -> Decimal:
        return money.total(r.amount_ht for r in self.rows)

    @property
    def total_ttc(self) -> Decimal:
        return money.total(r.amount_ttc for r in self.rows)


@dataclass(frozen=True)
class ResourceRow:
    name: str
    share_percent: Decimal
    on_claim: Decimal  # the source's share of this claim's expenditure excl. VAT
    on_programme: Decimal  # its share of the programme's eligible budget excl. VAT
    funder: bool


@dataclass(frozen=True)
class IndicatorLine:
    label: str
    value: Decimal | int | str
    unit: str = ""
    source: str = ""
    target: Decimal | int | None = None


@dataclass
class Statement:
    programme: Programme
    claim: Claim
    draft: bool
    rows: list[ClaimRow]
    groups: list[HeadingGroup]
    total_ht: Decimal
    total_ttc: Decimal
    request: Request
    requested: Decimal
    eligible_ht: Decimal
    grant: Decimal
    interim_cap: Decimal
    resources: list[ResourceRow]
    indicators: list[IndicatorLine]
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """From the first invoice to the last payment of the statement."""
        if not self.rows:
            return None
        paid = [r.payment_date for r in self.rows if r.payment_date is not None]
        return min(r.invoice_date for r in self.rows), max(paid or [self.rows[-1].invoice_date])

    @property
    def capped(self) -> bool:
        return self.requested < self.request.share

    @property
    def funder(self) -> ResourceRow | None:
        return next((r for r in self.resources if r.funder), None)


def split(amount: Decimal, sources: list[FundingSource]) -> list[Decimal]:
    """``amount`` shared among ``sources``: each its share rounded half-up, the last one
    the remainder, so that the parts add up to the amount to the cent."""
    parts = [money.percent_of(amount, s.share_percent) for s in sources[:-1]]
    return [*parts, amount - money.total(parts)] if sources else []


def resources_of(
    sources: list[FundingSource], total_ht: Decimal, eligible_ht: Decimal
) -> list[ResourceRow]:
    funder = funder_of(sources)
    ordered = sorted(sources, key=lambda s: (s.position, s.pk))
    return [
        ResourceRow(s.name, s.share_percent, on_claim, on_programme, s == funder)
        for s, on_claim, on_programme in zip(
            ordered, split(total_ht, ordered), split(eligible_ht, ordered), strict=True
        )
    ]


def indicator_lines(programme: Programme, rows: list[ClaimRow]) -> list[IndicatorLine]:
    """The programme's indicators (``indicators.indicator_rows`` when it exists), or
    what the records already tell: the expenditure declared and the values typed in."""
    try:
        module: Any = importlib.import_module("preau.programme.indicators")
    except ImportError:
        module = None
    maker = getattr(module, "indicator_rows", None)
    if maker is not None:
        return [_adapt(row) for row in maker(programme)]
    declared = money.total(
        c.total_ht or money.ZERO for c in programme.claims.filter(status__in=SUBMITTED)
    )
    lines = [
        IndicatorLine(
            _("Eligible expenditure in this claim"),
            money.total(r.amount_ht for r in rows),
            "€",
            _("this claim"),
        ),
        IndicatorLine(
            _("Eligible expenditure declared in submitted claims"),
            declared,
            "€",
            _("submitted claims"),
        ),
    ]
    lines += [
        IndicatorLine(v.code, v.value, "", v.source, v.target)
        for v in IndicatorValue.objects.filter(programme=programme)
    ]
    return lines


def _adapt(row: Any) -> IndicatorLine:
    """One row of ``indicators.indicator_rows`` as a line of the table."""
    value = getattr(row, "value", None)
    return IndicatorLine(
        label=str(getattr(row, "label", "")),
        value=value if value is not None else "—",
        unit=str(getattr(row, "unit", "") or ""),
        source=str(getattr(row, "source", "") or ""),
        target=getattr(row, "target", None),
    )


def build_statement(claim: Claim) -> Statement:
    programme = claim.programme
    rows = claim_rows(claim)
    sources = list(programme.funding_sources.all())
    funder = funder_of(sources)
    eligible_ht = eligible_budget_ht([programme.pk]).get(programme.pk, money.ZERO)
    grant_amount = grant(eligible_ht, funder)
    if claim.locked:
        total_ht, total_ttc = claim.total_ht or money.ZERO, claim.total_ttc or money.ZERO
    else:
        total_ht = money.total(r.amount_ht for r in rows)
        total_ttc = money.total(r.amount_ttc for r in rows)
    others = (
        programme.claims.filter(status__in=SUBMITTED, submitted_at__lt=claim.submitted_at)
        if claim.locked
        else programme.claims.filter(status__in=SUBMITTED)
    )
    request = request_for(
        kind=claim.kind,
        total_ht=total_ht,
        funder=funder,
        grant_amount=grant_amount,
        cap_percent=programme.interim_cap_percent,
        others=others.exclude(pk=claim.pk),
    )
    return Statement(
        programme=programme,
        claim=claim,
        draft=not claim.locked,
        rows=rows,
        groups=[HeadingGroup(h, list(g)) for h, g in groupby(rows, key=lambda r: r.heading)],
        total_ht=total_ht,
        total_ttc=total_ttc,
        request=request,
        requested=claim.requested
        if claim.locked and claim.requested is not None
        else request.requested,
        eligible_ht=eligible_ht,
        grant=grant_amount,
        interim_cap=money.percent_of(grant_amount, programme.interim_cap_percent),
        resources=resources_of(sources, total_ht, eligible_ht),
        indicators=indicator_lines(programme, rows),
    )
