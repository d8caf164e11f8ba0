"""Bad input to the structure services: a clear message and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from preau.core.models import AuditEvent
from preau.programme import services
from preau.programme.models import Axis, BudgetLine, FundingSource, Objective, Programme
from preau.programme.services import ProgrammeError


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def _programme(world, officer, **kw):
    args = {
        "actor": officer,
        "municipality": world.lorient,
        "name": "Plan écoles",
        "eligibility_start": dt.date(2020, 2, 1),
        "eligibility_end": dt.date(2023, 12, 31),
        "last_payment_date": dt.date(2023, 12, 31),
        "final_claim_date": dt.date(2024, 6, 30),
    } | kw
    return services.create_programme(**args)


@pytest.fixture
def objective(world, officer):
    programme = _programme(world, officer)
    axis = services.add_axis(actor=officer, programme=programme, number=1, title="Réseau")
    return services.add_objective(actor=officer, axis=axis, title="Raccorder")


def test_create_programme_is_audited_with_its_actor(world, officer):
    programme = _programme(world, officer)
    event = AuditEvent.objects.get(action="programme.created")
    assert (event.actor, event.target_id, event.municipality_id) == (
        officer,
        str(programme.pk),
        world.lorient.pk,
    )


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"name": "  "}, "needs a name"),
        ({"eligibility_end": dt.date(2019, 1, 1)}, "ends before it starts"),
        (
            {"planned_start": dt.date(2022, 1, 1), "planned_end": dt.date(2021, 1, 1)},
            "planned end",
        ),
        ({"interim_cap_percent": "0"}, "interim cap"),
        ({"interim_cap_percent": "120"}, "interim cap"),
    ],
)
def test_create_programme_refuses_bad_input(world, officer, kw, message):
    with pytest.raises(ProgrammeError, match=message):
        _programme(world, officer, **kw)
    assert not Programme.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="programme.").exists()


def test_axis_numbers_are_unique_per_programme(world, officer):
    programme = _programme(world, officer)
    services.add_axis(actor=officer, programme=programme, number=1, title="A")
    with pytest.raises(ProgrammeError, match="already has an axis 1"):
        services.add_axis(actor=officer, programme=programme, number=1, title="B")
    assert Axis.objects.count() == 1


def test_budget_line_keeps_exact_decimals_and_computes_ttc(objective, officer):
    line = services.add_budget_line(
        actor=officer, objective=objective, label="Onduleurs", amount_ht="10.05", vat_rate="20"
    )
    line.refresh_from_db()
    assert (line.amount_ht, line.vat, line.ttc) == (
        Decimal("10.05"),
        Decimal("2.01"),
        Decimal("12.06"),
    )
    assert AuditEvent.objects.get(action="programme.line_added").data["amount_ht"] == "10.05"


@pytest.mark.parametrize(
    ("amount", "rate", "message"),
    [
        ("0", "20", "greater than zero"),
        ("-5", "20", "greater than zero"),
        ("10.005", "20", "two decimals"),
        ("abc", "20", "not a number"),
        (0.1, "20", "not a float"),
        ("100", "-1", "between 0 and 100"),
        ("100", "101", "between 0 and 100"),
    ],
)
def test_budget_line_refuses_bad_amounts(objective, officer, amount, rate, message):
    with pytest.raises(ProgrammeError, match=message):
        services.add_budget_line(
            actor=officer, objective=objective, label="X", amount_ht=amount, vat_rate=rate
        )
    assert not BudgetLine.objects.exists()


def test_funding_plan_must_add_up_to_100(world, officer):
    programme = _programme(world, officer)
    services.set_funding_plan(
        actor=officer, programme=programme, shares=[("REACT-EU", "60"), ("Ville", "40")]
    )
    for shares, message in [
        ([("REACT-EU", "60"), ("Ville", "30")], "90 %, not 100 %"),
        ([("REACT-EU", "60"), ("Ville", "50")], "110 %, not 100 %"),
        ([("REACT-EU", "60"), ("REACT-EU", "40")], "same name"),
        ([("REACT-EU", "100.5")], "between 0 and 100"),
        ([("REACT-EU", "0"), ("Ville", "100")], "between 0 and 100"),
        ([("", "100")], "needs a name"),
        ([("A", "33.333"), ("B", "66.667")], "two decimals"),
    ]:
        with pytest.raises(ProgrammeError, match=message):
            services.set_funding_plan(actor=officer, programme=programme, shares=shares)
    # The refused plans changed nothing: the first one stands.
    assert list(FundingSource.objects.values_list("name", "share_percent")) == [
        ("REACT-EU", Decimal("60.00")),
        ("Ville", Decimal("40.00")),
    ]
    assert AuditEvent.objects.filter(action="programme.funding_plan_set").count() == 1


def test_objective_needs_a_title(world, officer):
    programme = _programme(world, officer)
    axis = services.add_axis(actor=officer, programme=programme, number=1, title="A")
    with pytest.raises(ProgrammeError):
        services.add_objective(actor=officer, axis=axis, title=" ")
    assert not Objective.objects.exists()
