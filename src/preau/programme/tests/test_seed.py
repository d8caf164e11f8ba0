"""The seed programme, loaded as the demo loads it: every figure of the project sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

from preau.core.models import AuditEvent
from preau.programme.figures import figures_of, with_structure
from preau.programme.models import BudgetLine, Programme

TODAY = dt.date(2022, 1, 1)
AXIS1 = [
    Decimal(x)
    for x in ["335000", "17000", "10000", "8000", "120000", "30000", "120000", "63000", "17000"]
]
AXIS2 = [
    Decimal(x) for x in ["128000", "86000", "330000", "25000", "90000", "40000", "365000", "42000"]
]


def _figures(programme):
    return figures_of(with_structure(Programme.objects.filter(pk=programme.pk)).get(), TODAY)


def test_seed_axes_lines_and_totals_are_the_sheets(seed):
    fig = _figures(seed)
    assert [a.axis.number for a in fig.axes] == [1, 2]
    axis1, axis2 = fig.axes
    assert [lf.fig.budget.ht for o in axis1.objectives for lf in o.lines] == AXIS1
    assert [lf.fig.budget.ht for o in axis2.objectives for lf in o.lines] == AXIS2
    assert [len(a.objectives) for a in fig.axes] == [3, 2]
    assert str(axis1.fig.budget.ht) == "720000.00"
    assert str(axis1.fig.budget.ttc) == "864000.00"
    assert str(axis2.fig.budget.ht) == "1106000.00"
    assert str(axis2.fig.budget.ttc) == "1327200.00"
    assert str(fig.fig.budget.ht) == "1826000.00"
    assert str(fig.fig.budget.vat) == "365200.00"
    assert str(fig.fig.budget.ttc) == "2191200.00"
    # Each line's TTC column of the sheet: HT × 1.20.
    for axis in fig.axes:
        for objective in axis.objectives:
            for lf in objective.lines:
                assert lf.fig.budget.ttc == lf.fig.budget.ht * Decimal("1.2")
                assert lf.line.ttc == lf.fig.budget.ttc


def test_seed_funding_shares(seed):
    fig = _figures(seed)
    assert [(s.source.name, str(s.source.share_percent)) for s in fig.funding] == [
        ("REACT-EU", "60.00"),
        ("Ville de Lorient", "40.00"),
    ]
    assert [str(s.ht) for s in fig.funding] == ["1095600.00", "730400.00"]
    assert fig.funding_total_percent == Decimal("100")


def test_seed_dates(seed):
    assert (seed.eligibility_start, seed.eligibility_end) == (
        dt.date(2020, 2, 1),
        dt.date(2023, 12, 31),
    )
    assert (seed.planned_start, seed.planned_end) == (dt.date(2021, 9, 1), dt.date(2023, 12, 31))
    fig = _figures(seed)
    with translation.override("en"):
        days = {str(d.label): d.days_left for d in fig.deadlines}
    assert days["Last payment date"] == (dt.date(2023, 12, 31) - TODAY).days == 729


def test_seed_money_is_decimal_and_audited(seed):
    assert BudgetLine.objects.filter(objective__axis__programme=seed).count() == 17
    assert all(
        isinstance(x, Decimal) for x in BudgetLine.objects.values_list("amount_ht", flat=True)
    )
    actions = set(
        AuditEvent.objects.filter(municipality_id=seed.municipality_id).values_list(
            "action", flat=True
        )
    )
    assert {
        "programme.created",
        "programme.axis_added",
        "programme.objective_added",
        "programme.line_added",
        "programme.funding_plan_set",
    } <= actions


def test_demo_spending_fills_every_column_and_one_alert(seed):
    from preau.programme.figures import spending_of
    from preau.programme.seed import load_demo_spending

    assert load_demo_spending(seed) == 8
    programme = with_structure(Programme.objects.filter(pk=seed.pk)).get()
    fig = figures_of(programme, TODAY, spending_of([seed.pk]))
    assert str(fig.fig.committed.ht) == "1057100.00"
    assert str(fig.fig.invoiced.ht) == "1027100.00"
    assert str(fig.fig.paid.ht) == "939100.00"
    assert str(fig.fig.paid.ttc) == "1126920.00"
    assert fig.fig.budget.ht == Decimal("1826000.00")  # spending leaves the budget alone
    assert [f.invoice.number for f in fig.flagged_invoices] == ["SC-23-0412"]
    assert fig.lines_over_budget == []
