"""The programme pages: who reaches them, what they show, and how many queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core.access import CHANGE, VIEW, restrict
from preau.programme import services
from preau.programme.models import (
    Axis,
    BudgetLine,
    Claim,
    ClaimLine,
    FundingSource,
    Invoice,
    Objective,
    Programme,
)
from preau.programme.seed import load_demo_spending, load_seed_programme

# Session, user, the user's scope (3), programmes, axes, objectives, lines, funding sources,
# committed and invoiced sums per line and month, invoices outside the eligibility window,
# claims, claims' lines per claim and line, the shell's unread notifications: the same
# for one programme or several, whatever the number of lines, invoices and claims.
QUERIES_DETAIL = 16
QUERIES_DASHBOARD = 16

MODELS = (Programme, Axis, Objective, BudgetLine, FundingSource)


def _get(world, user, url):
    return world.client_for(user).get(url)


@pytest.mark.parametrize("who", ["officer", "city_admin"])
def test_officer_and_city_admin_see_dashboard_and_detail(world, seed, officer, who):
    user = officer if who == "officer" else world.city_admin
    dash = _get(world, user, reverse("programme:dashboard"))
    assert dash.status_code == 200
    html = dash.content.decode()
    assert seed.name in html
    assert reverse("programme:detail", args=[seed.pk]) in html
    detail = _get(world, user, reverse("programme:detail", args=[seed.pk]))
    assert detail.status_code == 200


@pytest.mark.parametrize("who", ["director", "teacher", "guardian", "pupil", "erun", "outsider"])
def test_others_get_404_everywhere(world, seed, technician, who):
    user = {
        "director": world.a.director,
        "teacher": world.a.teachers[0],
        "guardian": world.parent,
        "pupil": world.pupil_user,
        "erun": world.erun,
        "outsider": world.outsider,
    }[who]
    assert _get(world, user, reverse("programme:dashboard")).status_code == 404
    assert _get(world, user, reverse("programme:detail", args=[seed.pk])).status_code == 404


def test_vannes_admin_has_an_empty_dashboard_and_404_on_lorients_programme(world, seed):
    dash = _get(world, world.vannes_admin, reverse("programme:dashboard"))
    assert dash.status_code == 200
    assert seed.name not in dash.content.decode()
    url = reverse("programme:detail", args=[seed.pk])
    assert _get(world, world.vannes_admin, url).status_code == 404


def test_technician_gets_404(world, seed, technician):
    assert _get(world, technician, reverse("programme:dashboard")).status_code == 404
    url = reverse("programme:detail", args=[seed.pk])
    assert _get(world, technician, url).status_code == 404


def test_another_municipalitys_programme_is_404(world, seed, officer, vannes_officer):
    vannes_programme = load_seed_programme(world.vannes)
    url = reverse("programme:detail", args=[vannes_programme.pk])
    assert _get(world, officer, url).status_code == 404
    assert _get(world, world.city_admin, url).status_code == 404
    assert _get(world, vannes_officer, url).status_code == 200
    # Lorient's officer's dashboard lists only Lorient's programme.
    html = _get(world, vannes_officer, reverse("programme:dashboard")).content.decode()
    assert html.count(reverse("programme:detail", args=[vannes_programme.pk])) >= 1
    assert reverse("programme:detail", args=[seed.pk]) not in html


def test_missing_programme_is_404(world, officer):
    assert _get(world, officer, reverse("programme:detail", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, world, seed):
    response = client.get(reverse("programme:dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_rules_registered_for_every_model(world, seed, officer, technician):
    for model in MODELS:
        total = model.objects.count()
        assert total > 0
        for action in (VIEW, CHANGE):
            assert restrict(officer, model, action).count() == total
            assert restrict(world.city_admin, model, action).count() == total
            for user in (technician, world.a.director, world.erun, world.vannes_admin):
                assert restrict(user, model, action).count() == 0
        assert restrict(officer, model, "delete-everything").count() == 0


def _money_cells(html):
    return re.findall(r'class="money[^"]*">([^<]+)<', html)


def test_detail_shows_the_seed_figures(world, seed, officer):
    html = _get(world, officer, reverse("programme:detail", args=[seed.pk])).content.decode()
    # French formatting: grouped thousands (narrow no-break or plain space), comma decimals.
    flat = re.sub(r"[\s\u00a0\u202f]", "", html)
    for figure in ("720000,00", "864000,00", "1106000,00", "1327200,00", "1826000,00"):
        assert figure in flat, figure
    assert "2191200,00" in flat
    assert "1095600,00" in flat
    assert "730400,00" in flat
    assert "REACT-EU" in html
    assert html.count("<meter") == 6
    assert "chart-spending" in html
    assert "chart-axes" in html
    assert 'style="' not in html
    assert "<script>" not in html


def test_nav_entry_only_for_programme_staff(world, seed, officer, technician):
    url = reverse("programme:dashboard")
    link = f'href="{url}"'
    for user in (officer, world.city_admin):
        assert link in _get(world, user, reverse("home:index")).content.decode()
    for user in (technician, world.a.director, world.a.teachers[0], world.parent):
        assert link not in _get(world, user, reverse("home:index")).content.decode()


def test_query_count_is_pinned_and_does_not_grow(world, seed, officer, django_assert_num_queries):
    client = world.client_for(officer)
    url = reverse("programme:detail", args=[seed.pk])
    dash = reverse("programme:dashboard")
    client.get(url)  # the session's MFA check is made once
    with django_assert_num_queries(QUERIES_DETAIL):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(QUERIES_DASHBOARD):
        assert client.get(dash).status_code == 200
    load_seed_programme(world.vannes)  # rows the officer may not see change nothing
    services.create_programme(
        actor=officer,
        municipality=world.lorient,
        name="Second",
        eligibility_start=seed.eligibility_start,
        eligibility_end=seed.eligibility_end,
        last_payment_date=seed.last_payment_date,
        final_claim_date=seed.final_claim_date,
    )
    load_demo_spending(seed)  # 8 invoices, one of them outside the window
    invoice = Invoice.objects.filter(payment_date__isnull=False).order_by("pk")[0]
    assert invoice.payment_date is not None
    claim = Claim.objects.create(
        programme=seed,
        number=1,
        status=Claim.Status.RECEIVED,
        submitted_at=timezone.now(),
        total_ht=Decimal("150000.00"),
        total_ttc=Decimal("180000.00"),
        requested=Decimal("90000.00"),
        received_amount=Decimal("90000.00"),
        received_on=timezone.localdate(),
    )
    ClaimLine.objects.create(
        claim=claim,
        invoice=invoice,
        position=0,
        heading="Axe 1",
        supplier=invoice.supplier.name,
        invoice_number=invoice.number,
        invoice_date=invoice.invoice_date,
        payment_date=invoice.payment_date,
        amount_ht=Decimal("150000.00"),
        amount_ttc=Decimal("180000.00"),
    )
    with django_assert_num_queries(QUERIES_DETAIL):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(QUERIES_DASHBOARD):
        assert client.get(dash).status_code == 200


@pytest.mark.parametrize(("days", "alert"), [(-1, False), (0, True), (90, True), (91, False)])
def test_deadline_alert_within_90_days(world, officer, days, alert):
    today = timezone.localdate()
    programme = services.create_programme(
        actor=officer,
        municipality=world.lorient,
        name="Cour numérique",
        eligibility_start=today - dt.timedelta(days=1000),
        eligibility_end=today - dt.timedelta(days=500),
        last_payment_date=today - dt.timedelta(days=500),
        final_claim_date=today + dt.timedelta(days=days),
    )
    html = _get(world, officer, reverse("programme:detail", args=[programme.pk])).text
    assert ("programme-alerts" in html) is alert
    if alert:
        assert f"Date limite de la demande de solde dans {days} jour" in html


def _my_views(seed):
    """Every page and action of the dashboard, indicators, import and rollout helpers
    (method, URL), with a programme of Lorient."""
    return [
        ("get", reverse("programme:detail", args=[seed.pk])),
        ("get", reverse("programme:indicators", args=[seed.pk])),
        ("post", reverse("programme:indicator_set", args=[seed.pk, "outlets"])),
        ("post", reverse("programme:indicator_clear", args=[seed.pk, "outlets"])),
        ("get", reverse("programme:import_accounting", args=[seed.pk])),
        ("post", reverse("programme:import_accounting", args=[seed.pk])),
        ("get", reverse("programme:import_accounting_preview", args=[seed.pk, "0" * 32])),
        ("post", reverse("programme:plan_rollout", args=[seed.pk])),
    ]


@pytest.mark.parametrize("who", ["officer", "city_admin"])
def test_every_page_answers_officers_and_city_admins(world, seed, officer, who):
    client = world.client_for(officer if who == "officer" else world.city_admin)
    for method, url in _my_views(seed):
        status = getattr(client, method)(url).status_code
        # A missing upload token is a 404 for everyone; an empty upload form a 400.
        assert status in (200, 302, 400) or url.endswith("0" * 32 + "/"), (url, status)


@pytest.mark.parametrize("who", ["vannes_officer", "technician", "teacher", "parent", "director"])
def test_every_page_is_404_for_others(world, seed, vannes_officer, technician, who):
    user = {
        "vannes_officer": vannes_officer,
        "technician": technician,
        "teacher": world.a.teachers[0],
        "parent": world.parent,
        "director": world.a.director,
    }[who]
    client = world.client_for(user)
    for method, url in _my_views(seed):
        assert getattr(client, method)(url).status_code == 404, url
    assert seed.site_milestones.count() == 0  # the refused "create the checklists"
