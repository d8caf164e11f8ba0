"""Editing the structure on screen: programme dates, axes, objectives, budget lines,
funding plan, suppliers — who may, what is refused (nothing written), what is kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from preau.core.models import AuditEvent
from preau.programme.models import Axis, BudgetLine, FundingSource, Objective, Programme, Supplier
from preau.programme.tests.edit_helpers import (
    OUTSIDERS,
    STAFF,
    en_client,
    persona,
    supplier,
    switches,
    with_spending,
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, their source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def spending(seed):
    return with_spending(seed)


def _urls(programme: Programme) -> list[str]:
    axis = programme.axes.get(number=1)
    objective = axis.objectives.order_by("pk")[0]
    line = switches(programme)
    armor = supplier("Armor Réseaux")
    p = programme.pk
    return [
        reverse("programme:structure", args=[p]),
        reverse("programme:programme_edit", args=[p]),
        reverse("programme:funding_edit", args=[p]),
        reverse("programme:axis_create", args=[p]),
        reverse("programme:axis_edit", args=[axis.pk]),
        reverse("programme:axis_delete", args=[axis.pk]),
        reverse("programme:objective_create", args=[axis.pk]),
        reverse("programme:objective_edit", args=[objective.pk]),
        reverse("programme:objective_delete", args=[objective.pk]),
        reverse("programme:line_create", args=[objective.pk]),
        reverse("programme:line_edit", args=[line.pk]),
        reverse("programme:line_delete", args=[line.pk]),
        reverse("programme:supplier_create", args=[p]),
        reverse("programme:supplier_edit", args=[p, armor.pk]),
        reverse("programme:supplier_delete", args=[p, armor.pk]),
    ]


@pytest.mark.parametrize("who", STAFF)
def test_staff_open_every_structure_page(world, officer, technician, vannes_officer, spending, who):
    client = en_client(world, persona(world, who, officer, technician, vannes_officer))
    for url in _urls(spending):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'style="' not in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_everyone_else_gets_404_and_writes_nothing(
    world, officer, technician, vannes_officer, spending, who
):
    client = en_client(world, persona(world, who, officer, technician, vannes_officer))
    events = AuditEvent.objects.filter(action__startswith="programme.").count()
    for url in _urls(spending):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x", "title": "x", "number": "9"}).status_code == 404
    assert AuditEvent.objects.filter(action__startswith="programme.").count() == events
    assert Axis.objects.count() == 2


def _programme_form(programme: Programme, **changes: str) -> dict[str, str]:
    return {
        "name": programme.name,
        "eligibility_start": "2020-02-01",
        "eligibility_end": "2023-12-31",
        "planned_start": "2021-09-01",
        "planned_end": "2023-12-31",
        "last_payment_date": "2023-12-31",
        "final_claim_date": "2024-06-30",
        "interim_cap_percent": "80",
    } | changes


def test_the_officer_changes_the_deadlines_and_the_history_says_so(world, officer, spending):
    client = en_client(world, officer)
    url = reverse("programme:programme_edit", args=[spending.pk])
    response = client.post(
        url, _programme_form(spending, final_claim_date="2024-09-30", interim_cap_percent="85,5")
    )
    assert response.status_code == 302
    spending.refresh_from_db()
    assert str(spending.final_claim_date) == "2024-09-30"
    assert spending.interim_cap_percent == Decimal("85.50")
    event = AuditEvent.objects.get(action="programme.updated")
    assert event.data["changes"] == {
        "final_claim_date": ["2024-06-30", "2024-09-30"],
        "interim_cap_percent": ["80.00", "85.50"],
    }
    html = client.get(url).content.decode()
    assert "History" in html
    assert "final claim date" in html.lower()
    assert "officer" in html or "Paula" in html


def test_a_window_ending_before_it_starts_is_refused_next_to_the_field(world, officer, spending):
    client = en_client(world, officer)
    url = reverse("programme:programme_edit", args=[spending.pk])
    response = client.post(url, _programme_form(spending, eligibility_end="2019-01-01"))
    assert response.status_code == 200
    assert "The eligibility window ends before it starts." in response.content.decode()
    assert not AuditEvent.objects.filter(action="programme.updated").exists()
    spending.refresh_from_db()
    assert str(spending.eligibility_end) == "2023-12-31"


def test_axes_objectives_lines_created_and_edited(world, officer, spending):
    client = en_client(world, officer)
    response = client.post(
        reverse("programme:axis_create", args=[spending.pk]), {"number": "3", "title": "Usages"}
    )
    assert response.status_code == 302
    axis = Axis.objects.get(programme=spending, number=3)
    client.post(
        reverse("programme:objective_create", args=[axis.pk]),
        {"axis": axis.pk, "title": "Former les enseignants", "position": "0"},
    )
    objective = Objective.objects.get(axis=axis)
    response = client.post(
        reverse("programme:line_create", args=[objective.pk]),
        {
            "objective": objective.pk,
            "label": "Formations",
            "amount_ht": "12 345,67",
            "vat_rate": "20",
            "eligible": "on",
            "heading": "Prestations intellectuelles",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(objective=objective)
    assert line.amount_ht == Decimal("12345.67")
    assert line.ttc == Decimal("14814.80")
    assert line.eligible
    assert not line.fctva_recoverable
    assert line.heading == "Prestations intellectuelles"
    response = client.post(
        reverse("programme:line_edit", args=[line.pk]),
        {
            "objective": objective.pk,
            "label": "Formations",
            "amount_ht": "15000.00",
            "vat_rate": "5,5",
            "eligible": "on",
            "fctva_recoverable": "on",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.amount_ht, line.vat_rate, line.fctva_recoverable) == (
        Decimal("15000.00"),
        Decimal("5.50"),
        True,
    )
    changes = AuditEvent.objects.get(action="programme.line_updated").data["changes"]
    assert changes["amount_ht"] == ["12345.67", "15000.00"]
    assert changes["heading"] == ["Prestations intellectuelles", ""]
    structure = client.get(reverse("programme:structure", args=[spending.pk])).content.decode()
    assert "Formations" in structure
    assert "15,825.00" in structure


@pytest.mark.parametrize(
    ("amount", "rate", "message"),
    [
        ("0", "20", "Enter an amount greater than zero."),
        ("-100", "20", "Enter an amount greater than zero."),
        ("12,345", "20", "At most 2 decimals."),
        ("douze", "20", "Enter a number such as 1 234,56."),
        ("100", "120", "A VAT rate lies between 0 and 100 %."),
    ],
)
def test_bad_budget_line_amounts_are_refused(world, officer, spending, amount, rate, message):
    line = switches(spending)
    before = (line.amount_ht, line.vat_rate)
    response = en_client(world, officer).post(
        reverse("programme:line_edit", args=[line.pk]),
        {
            "objective": line.objective_id,
            "label": line.label,
            "amount_ht": amount,
            "vat_rate": rate,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    line.refresh_from_db()
    assert (line.amount_ht, line.vat_rate) == before
    assert not AuditEvent.objects.filter(action="programme.line_updated").exists()


def test_deletes_are_refused_while_something_depends(world, officer, spending):
    client = en_client(world, officer)
    axis = spending.axes.get(number=1)
    line = switches(spending)
    armor = supplier("Armor Réseaux")
    cases = [
        (reverse("programme:axis_delete", args=[axis.pk]), "still has 3 objective(s)"),
        (
            reverse("programme:objective_delete", args=[line.objective_id]),
            "still has 5 budget line(s)",
        ),
        (reverse("programme:line_delete", args=[line.pk]), "1 order(s) are charged to this line"),
        (
            reverse("programme:supplier_delete", args=[spending.pk, armor.pk]),
            "has 2 order(s) and 0 contract(s)",
        ),
    ]
    counts = [m.objects.count() for m in (Axis, Objective, BudgetLine, Supplier)]
    for url, message in cases:
        response = client.post(url)
        assert response.status_code == 400, url
        assert message in response.content.decode(), url
    assert [m.objects.count() for m in (Axis, Objective, BudgetLine, Supplier)] == counts
    assert not AuditEvent.objects.filter(action__endswith="_deleted").exists()


def test_what_nothing_depends_on_is_deleted_and_the_log_keeps_it(world, officer, spending):
    client = en_client(world, officer)
    line = BudgetLine.objects.get(
        objective__axis__programme=spending, label__startswith="Travaux de câblage électrique"
    )
    assert client.get(reverse("programme:line_delete", args=[line.pk])).status_code == 200
    response = client.post(reverse("programme:line_delete", args=[line.pk]))
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    event = AuditEvent.objects.get(action="programme.line_deleted")
    assert event.data["deleted"]["amount_ht"] == "10000.00"
    axis = Axis.objects.create(programme=spending, number=7, title="Vide")
    assert client.post(reverse("programme:axis_delete", args=[axis.pk])).status_code == 302
    assert not Axis.objects.filter(pk=axis.pk).exists()


def _funding(*rows: tuple[str, str]) -> dict[str, str]:
    data = {
        "source-TOTAL_FORMS": str(len(rows)),
        "source-INITIAL_FORMS": "2",  # as the page shows the seed's two sources
        "source-MIN_NUM_FORMS": "0",
        "source-MAX_NUM_FORMS": "1000",
    }
    for i, (name, share) in enumerate(rows):
        data |= {f"source-{i}-name": name, f"source-{i}-share_percent": share}
    return data


def test_funding_shares_must_add_up_to_100(world, officer, spending):
    client = en_client(world, officer)
    url = reverse("programme:funding_edit", args=[spending.pk])
    response = client.post(url, _funding(("REACT-EU", "60"), ("Ville de Lorient", "39,99")))
    assert response.status_code == 200
    assert "The shares add up to 99.99 %, not 100 %." in response.content.decode()
    shares = dict(FundingSource.objects.values_list("name", "share_percent"))
    assert shares == {"REACT-EU": Decimal("60.00"), "Ville de Lorient": Decimal("40.00")}
    response = client.post(
        url, _funding(("REACT-EU", "55"), ("Ville de Lorient", "35"), ("Région", "10"))
    )
    assert response.status_code == 302
    assert FundingSource.objects.filter(programme=spending).count() == 3
    changes = AuditEvent.objects.filter(action="programme.funding_plan_set")[0].data["changes"]
    assert changes == {
        "REACT-EU": ["60.00", "55.00"],
        "Ville de Lorient": ["40.00", "35.00"],
        "Région": ["", "10.00"],
    }


def test_suppliers_checked_and_edited(world, officer, spending):
    client = en_client(world, officer)
    url = reverse("programme:supplier_create", args=[spending.pk])
    response = client.post(url, {"name": "Armor réseaux", "siret": ""})
    assert "This supplier already exists." in response.content.decode()
    response = client.post(url, {"name": "Nouveau", "siret": "1234"})
    assert "A SIRET number has 14 digits." in response.content.decode()
    assert not Supplier.objects.filter(name="Nouveau").exists()
    response = client.post(url, {"name": "Nouveau", "siret": "123 456 789 00012"})
    assert response.status_code == 302
    new = Supplier.objects.get(name="Nouveau")
    assert new.siret == "12345678900012"
    response = client.post(
        reverse("programme:supplier_edit", args=[spending.pk, new.pk]),
        {"name": "Nouveau SAS", "siret": "12345678900012"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="programme.supplier_updated").data["changes"] == {
        "name": ["Nouveau", "Nouveau SAS"]
    }


def test_another_municipalitys_supplier_is_404(world, officer, spending, vannes_officer):
    vannes = Supplier.objects.create(municipality=world.vannes, name="Vannes Info")
    url = reverse("programme:supplier_edit", args=[spending.pk, vannes.pk])
    assert en_client(world, officer).get(url).status_code == 404


def test_a_funding_source_is_removed_by_ticking_delete(world, officer, spending):
    data = _funding(("REACT-EU", "60,00"), ("Ville de Lorient", "40,00"), ("", "")) | {
        "source-INITIAL_FORMS": "2",
        "source-1-DELETE": "on",
        "source-0-share_percent": "100",
    }
    response = en_client(world, officer).post(
        reverse("programme:funding_edit", args=[spending.pk]), data
    )
    assert response.status_code == 302
    assert list(FundingSource.objects.values_list("name", "share_percent")) == [
        ("REACT-EU", Decimal("100.00"))
    ]


def test_funding_rows_left_as_shown_are_kept(world, officer, spending):
    data = _funding(("REACT-EU", "60,00"), ("Ville de Lorient", "40,00")) | {
        "source-INITIAL_FORMS": "2"
    }
    response = en_client(world, officer).post(
        reverse("programme:funding_edit", args=[spending.pk]), data
    )
    assert response.status_code == 302
    assert FundingSource.objects.filter(programme=spending).count() == 2
    assert not AuditEvent.objects.filter(
        action="programme.funding_plan_set", data__has_key="changes"
    ).exists()
