"""Indicators: each computed figure against the records, manual completion, sources, pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from preau.core.models import AuditEvent
from preau.directory.models import Enrolment
from preau.programme import services
from preau.programme.indicators import (
    INDICATORS,
    clear_indicator_value,
    indicator_rows,
    set_indicator_value,
)
from preau.programme.models import BudgetLine, IndicatorValue, Milestone, SiteMilestone
from preau.programme.services import LineInput, ProgrammeError

D = dt.date
DONE_ON = D(2022, 5, 2)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def planned(seed, officer):
    services.plan_site_milestones(seed, officer)
    return seed


def _done(programme, site, kind, quantity=None, on=DONE_ON):
    milestone = SiteMilestone.objects.get(programme=programme, site=site, kind=kind)
    services.update_site_milestone(milestone, None, status="done", done_on=on, quantity=quantity)


def _rows(programme):
    return {row.code: row for row in indicator_rows(programme)}


def test_every_indicator_has_a_row_in_order(planned):
    rows = indicator_rows(planned)
    assert [r.code for r in rows] == [i.code for i in INDICATORS]
    assert all(r.value == 0 and r.manual is None and r.target is None for r in rows)


def test_rollout_figures_are_counted_from_done_milestones(world, planned):
    site_a, site_b = world.a.school.site, world.b.school.site
    _done(planned, site_a, Milestone.FIBRE)
    _done(planned, site_b, Milestone.FIBRE)
    _done(planned, site_a, Milestone.CABLING, 24)
    _done(planned, site_b, Milestone.CABLING, 30)
    _done(planned, site_a, Milestone.SWITCH, 2)
    _done(planned, site_a, Milestone.WIFI, 6)
    _done(planned, site_b, Milestone.UPS)  # done without a quantity
    _done(planned, site_a, Milestone.THIN_CLIENTS, 12)
    _done(planned, site_a, Milestone.TEACHER_LAPTOPS, 8)
    _done(planned, site_b, Milestone.DISPLAYS, 5)
    _done(planned, site_b, Milestone.TABLETS, 27)
    # Planned or in progress: not counted.
    milestone = SiteMilestone.objects.get(programme=planned, site=site_b, kind=Milestone.SWITCH)
    services.update_site_milestone(milestone, None, status="in_progress", quantity=4)
    rows = _rows(planned)
    assert rows["sites_fibre"].value == 2
    assert rows["sites_fibre"].source == "2 milestones “Fibre / MAN connection” done (rollout)"
    assert rows["outlets"].value == 54
    assert rows["outlets"].source == (
        "sum of the quantities of 2 milestones “Cabling” done (rollout)"
    )
    assert rows["switches"].source == (
        "sum of the quantities of 1 milestone “Managed switch” done (rollout)"
    )
    assert rows["switches"].value == 2
    assert rows["wifi_aps"].value == 6
    assert rows["ups"].value == 0
    assert "1 of them without a quantity" in rows["ups"].source
    assert (rows["thin_clients"].value, rows["teacher_laptops"].value) == (12, 8)
    assert (rows["displays"].value, rows["tablets"].value) == (5, 27)


def test_classes_and_pupils_come_from_the_directory(world, planned):
    assert _rows(planned)["pupils"].value == 0
    _done(planned, world.a.school.site, Milestone.CABLING, 10)
    rows = _rows(planned)
    # School A: 2 classes of 2 pupils each; school B's site has nothing done.
    assert rows["classes"].value == 2
    assert rows["pupils"].value == 4
    assert rows["pupils"].source == (
        "from the directory: 2 classes, 4 pupils (this school year) in 1 school on 1 site "
        "with a milestone done"
    )
    # A pupil who left, an ended enrolment: not covered.
    pupil = world.a.pupils[0]
    pupil.left_on = D(2025, 10, 1)
    pupil.save(update_fields=["left_on"])
    Enrolment.objects.filter(pupil=world.a.pupils[1]).update(ended_on=D(2025, 11, 1))
    assert _rows(planned)["pupils"].value == 2
    _done(planned, world.b.school.site, Milestone.FIBRE)
    _done(planned, world.b.school.site, Milestone.WIFI, 3)  # one site counts once
    rows = _rows(planned)
    assert (rows["classes"].value, rows["pupils"].value) == (4, 6)
    assert "in 2 schools on 2 sites" in rows["classes"].source


def _invoice(seed, officer, label_start, number, ht, invoice_date, paid_on):
    line = BudgetLine.objects.get(objective__axis__programme=seed, label__startswith=label_start)
    supplier, _ = seed.municipality.suppliers.get_or_create(name="Fournisseur fictif")
    vat = (Decimal(ht) * line.vat_rate / 100).quantize(Decimal("0.01"))
    order = services.create_order(
        actor=officer,
        programme=seed,
        supplier=supplier,
        budget_line=line,
        number=f"BC-{number}",
        order_date=invoice_date,
        lines=[LineInput("x", Decimal(ht), line.vat_rate, vat, Decimal(ht) + vat)],
    )
    services.create_invoice(
        actor=officer,
        order=order,
        number=number,
        invoice_date=invoice_date,
        payment_date=paid_on,
        lines=[LineInput("x", Decimal(ht), line.vat_rate, vat, Decimal(ht) + vat)],
    )


def test_eligible_spent_is_the_paid_eligible_ht_within_the_window(seed, officer):
    BudgetLine.objects.filter(label__startswith="Logiciel UEM").update(eligible=False)
    _invoice(seed, officer, "Raccordement", "F1", "1000.00", D(2022, 1, 5), D(2022, 2, 1))
    _invoice(seed, officer, "Achat et déploiement d'onduleurs", "F2", "250.50", D(2023, 3, 1),
             D(2023, 12, 31))  # fmt: skip
    _invoice(seed, officer, "Raccordement", "F3", "700.00", D(2022, 1, 5), None)  # unpaid
    _invoice(seed, officer, "Logiciel UEM", "F4", "900.00", D(2022, 1, 5), D(2022, 2, 1))
    _invoice(seed, officer, "Raccordement", "F5", "300.00", D(2023, 12, 1), D(2024, 1, 2))
    row = _rows(seed)["eligible_spent"]
    assert row.value == Decimal("1250.50")
    assert "eligible budget lines" in row.source


def test_a_value_typed_by_hand_fills_in_until_the_records_say_something(world, planned, officer):
    set_indicator_value(
        actor=officer,
        programme=planned,
        code="tablets",
        value="180",
        target="200",
        source="Bon de livraison UGAP n° 42",
    )
    row = _rows(planned)["tablets"]
    assert (row.value, row.target, row.uses_manual) == (Decimal("180"), Decimal("200"), True)
    assert row.source.startswith("typed by Paula Programme on ")
    assert row.source.endswith(": Bon de livraison UGAP n° 42")
    assert row.computed == 0
    _done(planned, world.a.school.site, Milestone.TABLETS, 30)
    row = _rows(planned)["tablets"]
    assert (row.value, row.uses_manual, row.target) == (Decimal(30), False, Decimal("200"))
    assert row.manual.value == Decimal("180")  # kept, shown beside
    assert "Bon de livraison" in row.manual_source
    event = AuditEvent.objects.get(action="programme.indicator_value_set")
    assert event.data["code"] == "tablets"
    assert clear_indicator_value(actor=officer, programme=planned, code="tablets")
    assert not IndicatorValue.objects.exists()
    assert AuditEvent.objects.filter(action="programme.indicator_value_cleared").count() == 1
    assert not clear_indicator_value(actor=officer, programme=planned, code="tablets")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "unicorns"}, "Unknown indicator"),
        ({"value": "-1"}, "cannot be negative"),
        ({"value": "1.234"}, "two decimals"),
        ({"value": "beaucoup"}, "not a number"),
        ({"target": "-5"}, "cannot be negative"),
        ({"source": "  "}, "source"),
    ],
)
def test_bad_manual_values_are_refused(planned, officer, changes, message):
    given = {"code": "outlets", "value": "10", "target": None, "source": "Rapport"} | changes
    with pytest.raises(ProgrammeError, match=message):
        set_indicator_value(actor=officer, programme=planned, **given)
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.filter(action="programme.indicator_value_set").exists()


def test_query_count_does_not_grow(world, planned, django_assert_num_queries):
    indicator_rows(planned)
    _done(planned, world.a.school.site, Milestone.CABLING, 10)
    _done(planned, world.b.school.site, Milestone.FIBRE)
    with django_assert_num_queries(7):
        indicator_rows(planned)


# ---- The page ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "city_admin"])
def test_officer_reads_types_and_clears(world, planned, officer, who):
    user = officer if who == "officer" else world.city_admin
    client = world.client_for(user)
    url = reverse("programme:indicators", args=[planned.pk])
    page = client.get(url, headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Pupils covered (CO35" in page.text
    assert 'style="' not in page.text
    set_url = reverse("programme:indicator_set", args=[planned.pk, "outlets"])
    response = client.post(set_url, {"value": "80", "target": "80", "source": "Plan de câblage"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(code="outlets")
    assert (value.value, value.updated_by) == (Decimal("80"), user)
    page = client.get(url).text
    assert "Plan de câblage" in page
    refused = client.post(set_url, {"value": "80", "source": ""}, follow=True)
    assert "message-error" in refused.text
    clear = reverse("programme:indicator_clear", args=[planned.pk, "outlets"])
    assert client.post(clear).status_code == 302
    assert not IndicatorValue.objects.exists()
    unknown = reverse("programme:indicator_set", args=[planned.pk, "unicorns"])
    assert client.post(unknown, {"value": "1", "source": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["vannes_officer", "technician", "teacher", "parent", "director"])
def test_others_get_404(world, planned, vannes_officer, technician, who):
    user = {
        "vannes_officer": vannes_officer,
        "technician": technician,
        "teacher": world.a.teachers[0],
        "parent": world.parent,
        "director": world.a.director,
    }[who]
    client = world.client_for(user)
    assert client.get(reverse("programme:indicators", args=[planned.pk])).status_code == 404
    set_url = reverse("programme:indicator_set", args=[planned.pk, "outlets"])
    assert client.post(set_url, {"value": "1", "source": "x"}).status_code == 404
    clear = reverse("programme:indicator_clear", args=[planned.pk, "outlets"])
    assert client.post(clear).status_code == 404
    assert not IndicatorValue.objects.exists()
