"""Contracts, orders and deliveries on screen: access, the bad-input rules (a clear
message, nothing written), edits recorded with what changed, deletes refused while
something depends on the record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from preau.core.models import AuditEvent
from preau.programme import services_chain, services_contracts
from preau.programme.models import Contract, Delivery, Order, OrderLine, Programme
from preau.programme.services import ProgrammeError
from preau.programme.tests.edit_helpers import (
    OUTSIDERS,
    STAFF,
    en_client,
    line_rows,
    order_of,
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


@pytest.fixture
def contract(spending, officer) -> Contract:
    return services_contracts.create_contract(
        actor=officer,
        programme=spending,
        supplier=supplier("Armor Réseaux"),
        reference="MAPA-2021-07",
        title="Switches et Wi-Fi",
        notified_on=dt.date(2021, 9, 15),
        max_amount_ht="200000",
    )


@pytest.fixture
def delivery(spending, officer) -> Delivery:
    return services_chain.create_delivery(
        actor=officer,
        order=order_of("BC-2021-0455"),
        delivered_on=dt.date(2022, 1, 20),
        accepted_on=dt.date(2022, 1, 25),
        reference="PV-001",
    )


def _urls(programme: Programme, contract: Contract, delivery: Delivery) -> list[str]:
    order = order_of("BC-2021-0455")
    p = programme.pk
    return [
        reverse("programme:contracts", args=[p]),
        reverse("programme:contract_create", args=[p]),
        reverse("programme:contract_detail", args=[contract.pk]),
        reverse("programme:contract_edit", args=[contract.pk]),
        reverse("programme:contract_delete", args=[contract.pk]),
        reverse("programme:orders", args=[p]),
        reverse("programme:order_create", args=[p]),
        reverse("programme:order_detail", args=[order.pk]),
        reverse("programme:order_edit", args=[order.pk]),
        reverse("programme:order_delete", args=[order.pk]),
        reverse("programme:delivery_create", args=[order.pk]),
        reverse("programme:delivery_edit", args=[delivery.pk]),
        reverse("programme:delivery_delete", args=[delivery.pk]),
    ]


@pytest.mark.parametrize("who", STAFF)
def test_staff_open_every_chain_page(
    world, officer, technician, vannes_officer, spending, contract, delivery, who
):
    client = en_client(world, persona(world, who, officer, technician, vannes_officer))
    for url in _urls(spending, contract, delivery):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'style="' not in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_everyone_else_gets_404(
    world, officer, technician, vannes_officer, spending, contract, delivery, who
):
    client = en_client(world, persona(world, who, officer, technician, vannes_officer))
    events = AuditEvent.objects.filter(action__startswith="programme.").count()
    for url in _urls(spending, contract, delivery):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"number": "X"}).status_code == 404, url
    assert AuditEvent.objects.filter(action__startswith="programme.").count() == events
    assert Order.objects.count() == 6
    assert Delivery.objects.count() == 1


def _order_form(programme: Programme, *rows: tuple[str, ...], **fields: str) -> dict[str, Any]:
    return (
        {
            "number": "BC-2023-0999",
            "supplier": str(supplier("Armor Réseaux").pk),
            "budget_line": str(switches(programme).pk),
            "order_date": "2023-03-01",
        }
        | fields
        | line_rows(*(rows or (("Switch 48 ports", "1 000,00"),)))
    )


def test_the_officer_records_an_order_with_its_sites_and_contract(
    world, officer, spending, contract
):
    client = en_client(world, officer)
    sites = [world.a.school.site.pk, world.b.school.site.pk]
    data = _order_form(
        spending,
        ("Switch 48 ports", "1 000,00"),
        ("Pose", "250.50", "20", "50.10", "300.60"),
        contract=str(contract.pk),
    )
    data["sites"] = [str(pk) for pk in sites]
    response = client.post(reverse("programme:order_create", args=[spending.pk]), data)
    assert response.status_code == 302
    order = Order.objects.get(number="BC-2023-0999")
    assert response["Location"] == reverse("programme:order_detail", args=[order.pk])
    assert order.contract == contract
    assert sorted(order.sites.values_list("pk", flat=True)) == sorted(sites)
    assert [(x.amount_ht, x.vat_amount, x.amount_ttc) for x in order.lines.all()] == [
        (Decimal("1000.00"), Decimal("200.00"), Decimal("1200.00")),
        (Decimal("250.50"), Decimal("50.10"), Decimal("300.60")),
    ]
    html = client.get(response["Location"]).content.decode()
    assert "Site A" in html
    assert "MAPA-2021-07" in html
    assert "1,250.50" in html


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("Switch", "0"), "Enter an amount greater than zero."),
        (("Switch", "-10"), "Enter an amount greater than zero."),
        (("Switch", "100", "20", "21.00"), "the VAT 21.00 does not match 100.00 × 20.00 %"),
        (("Switch", "100", "20", "20.00", "121.00"), "the amount incl. VAT 121.00 is not 120.00"),
        (("Switch", "1e3"), "Enter a number such as 1 234,56."),
    ],
)
def test_bad_order_lines_are_refused_and_nothing_is_written(world, officer, spending, row, message):
    counts = (
        Order.objects.count(),
        OrderLine.objects.count(),
        AuditEvent.objects.filter(action__startswith="programme.").count(),
    )
    response = en_client(world, officer).post(
        reverse("programme:order_create", args=[spending.pk]), _order_form(spending, row)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (
        Order.objects.count(),
        OrderLine.objects.count(),
        AuditEvent.objects.filter(action__startswith="programme.").count(),
    ) == counts


def test_duplicate_order_number_and_contract_of_another_holder_are_refused(
    world, officer, spending, contract
):
    client = en_client(world, officer)
    url = reverse("programme:order_create", args=[spending.pk])
    response = client.post(url, _order_form(spending, number="BC-2021-0412"))
    assert "Order BC-2021-0412 already exists in this programme." in response.content.decode()
    response = client.post(
        url,
        _order_form(
            spending, supplier=str(supplier("Parc Logiciel").pk), contract=str(contract.pk)
        ),
    )
    assert "is held by another supplier than Parc Logiciel" in response.content.decode()
    response = client.post(
        url, _order_form(spending, contract=str(contract.pk)) | line_rows(("Gros lot", "250000"))
    )
    assert "above its maximum of 200000.00" in response.content.decode()
    assert Order.objects.count() == 6


def test_a_site_of_another_municipality_cannot_be_chosen(world, officer, spending):
    data = _order_form(spending)
    data["sites"] = [str(world.v.school.site.pk)]
    response = en_client(world, officer).post(
        reverse("programme:order_create", args=[spending.pk]), data
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Order.objects.count() == 6
    with pytest.raises(ProgrammeError, match="Unknown site"):
        services_chain.create_order(
            actor=officer,
            programme=spending,
            supplier=supplier("Armor Réseaux"),
            budget_line=switches(spending),
            number="X-1",
            order_date=dt.date(2022, 1, 1),
            lines=[],
            sites=[world.v.school.site],
        )


def test_editing_an_order_records_what_changed(world, officer, spending):
    order = order_of("BC-2022-0102")  # 29 400 HT ordered and invoiced
    client = en_client(world, officer)
    url = reverse("programme:order_edit", args=[order.pk])
    assert client.get(url).status_code == 200
    data = _order_form(
        spending,
        ("Bornes Wi-Fi", "29400", "20"),
        ("Supplément", "600"),
        number="BC-2022-0102",
        budget_line=str(order.budget_line_id),
        order_date="2022-03-02",
    ) | {"line-INITIAL_FORMS": "1"}
    data["sites"] = [str(world.a.school.site.pk)]
    response = client.post(url, data)
    assert response.status_code == 302
    changes = AuditEvent.objects.get(action="programme.order_updated").data["changes"]
    assert changes["order_date"] == ["2022-03-01", "2022-03-02"]
    assert changes["sites"] == ["", "Site A"]
    assert changes["lines"][1] == (
        "Bornes Wi-Fi: 29400.00 + 20.00 % = 35280.00; Supplément: 600.00 + 20.00 % = 720.00"
    )
    html = client.get(reverse("programme:order_detail", args=[order.pk])).content.decode()
    assert "History" in html
    assert "Order date" in html
    assert "Sites concerned" in html


def test_an_order_cannot_fall_below_its_invoices(world, officer, spending):
    order = order_of("BC-2022-0102")
    data = _order_form(
        spending,
        ("Bornes Wi-Fi", "29399.99"),
        number=order.number,
        budget_line=str(order.budget_line_id),
        order_date="2022-03-01",
    )
    response = en_client(world, officer).post(
        reverse("programme:order_edit", args=[order.pk]), data
    )
    assert "already invoiced for 29400.00 € excl. VAT" in response.content.decode()
    assert order.lines.get().amount_ht == Decimal("29400.00")
    assert not AuditEvent.objects.filter(action="programme.order_updated").exists()


def test_order_delete_refused_with_invoices_allowed_without(world, officer, spending):
    client = en_client(world, officer)
    order = order_of("BC-2022-0102")
    response = client.post(reverse("programme:order_delete", args=[order.pk]))
    assert response.status_code == 400
    assert "has 1 invoice(s) and 0 delivery(ies): it cannot be deleted" in response.content.decode()
    client.post(reverse("programme:order_create", args=[spending.pk]), _order_form(spending))
    new = Order.objects.get(number="BC-2023-0999")
    response = client.post(reverse("programme:order_delete", args=[new.pk]))
    assert response.status_code == 302
    assert not Order.objects.filter(pk=new.pk).exists()
    deleted = AuditEvent.objects.get(action="programme.order_deleted").data["deleted"]
    assert deleted["number"] == "BC-2023-0999"
    assert "Switch 48 ports: 1000.00" in deleted["lines"]


def test_contract_edit_and_delete(world, officer, spending, contract):
    client = en_client(world, officer)
    data = {
        "reference": "MAPA-2021-07",
        "title": "Switches, Wi-Fi et onduleurs",
        "supplier": str(contract.supplier_id),
        "procedure": "open",
        "notified_on": "2021-09-15",
        "max_amount_ht": "250 000",
    }
    response = client.post(reverse("programme:contract_edit", args=[contract.pk]), data)
    assert response.status_code == 302
    changes = AuditEvent.objects.get(action="programme.contract_updated").data["changes"]
    assert changes["procedure"] == ["mapa", "open"]
    assert changes["max_amount_ht"] == ["200000.00", "250000.00"]
    order = order_of("BC-2021-0455")
    Order.objects.filter(pk=order.pk).update(contract=contract)
    response = client.post(
        reverse("programme:contract_edit", args=[contract.pk]), data | {"max_amount_ht": "100000"}
    )
    assert "already reach 118500.00 € excl. VAT" in response.content.decode()
    response = client.post(reverse("programme:contract_delete", args=[contract.pk]))
    assert "1 order(s) were placed under this contract" in response.content.decode()
    Order.objects.filter(pk=order.pk).update(contract=None)
    assert client.post(reverse("programme:contract_delete", args=[contract.pk])).status_code == 302
    assert not Contract.objects.exists()


def test_contract_duplicate_reference_refused(world, officer, spending, contract):
    response = en_client(world, officer).post(
        reverse("programme:contract_create", args=[spending.pk]),
        {
            "reference": "MAPA-2021-07",
            "title": "Autre",
            "supplier": str(contract.supplier_id),
            "procedure": "mapa",
            "notified_on": "2021-10-01",
        },
    )
    assert "Contract MAPA-2021-07 already exists in this programme." in response.content.decode()
    assert Contract.objects.count() == 1


def test_deliveries_recorded_checked_and_edited(world, officer, spending, delivery):
    client = en_client(world, officer)
    order = delivery.order
    url = reverse("programme:delivery_create", args=[order.pk])
    bad = {"delivered_on": "2022-02-01", "accepted_on": "2022-01-31", "outcome": "accepted"}
    response = client.post(url, bad)
    assert "The acceptance report is dated before the delivery." in response.content.decode()
    response = client.post(url, bad | {"delivered_on": "2021-01-01", "accepted_on": ""})
    assert "The delivery is dated before the order." in response.content.decode()
    assert Delivery.objects.count() == 1
    response = client.post(
        reverse("programme:delivery_edit", args=[delivery.pk]),
        {
            "delivered_on": "2022-01-20",
            "accepted_on": "2022-01-26",
            "reference": "PV-001",
            "outcome": "reserved",
            "note": "Une baie à reprendre",
        },
    )
    assert response.status_code == 302
    changes = AuditEvent.objects.get(action="programme.delivery_updated").data["changes"]
    assert changes["outcome"] == ["accepted", "reserved"]
    html = client.get(reverse("programme:order_detail", args=[order.pk])).content.decode()
    assert "Accepted with reservations" in html
    assert "PV-001" in html
    assert "Delivery changed" in html or "programme.delivery_updated" in html
    assert client.post(reverse("programme:delivery_delete", args=[delivery.pk])).status_code == 302
    assert not Delivery.objects.exists()


def test_order_list_filters(world, officer, spending):
    client = en_client(world, officer)
    url = reverse("programme:orders", args=[spending.pk])
    html = client.get(url).content.decode()
    assert all(n in html for n in ("BC-2021-0412", "BC-2023-0140"))
    html = client.get(url, {"supplier": supplier("Armor Réseaux").pk}).content.decode()
    assert "BC-2021-0455" in html
    assert "BC-2022-0102" in html
    assert "BC-2021-0412" not in html
    html = client.get(url, {"budget_line": switches(spending).pk}).content.decode()
    assert "BC-2021-0455" in html
    assert "BC-2022-0102" not in html
    order_of("BC-2023-0077").sites.add(world.b.school.site)
    html = client.get(url, {"site": world.b.school.site.pk}).content.decode()
    assert "BC-2023-0077" in html
    assert "BC-2021-0455" not in html
    assert client.get(url, {"site": world.v.school.site.pk}).status_code == 200


def test_saving_an_order_with_its_lines_untouched_keeps_them(world, officer, spending):
    order = order_of("BC-2022-0102")
    client = en_client(world, officer)
    data = _order_form(
        spending,
        ("Mise en place d'un réseau WiFi écoles", "29400.00", "20.00", "5880.00", "35280.00"),
        ("", "", "20,00"),  # the blank extra row, as the page sends it
        number=order.number,
        budget_line=str(order.budget_line_id),
        order_date="2022-03-03",
    ) | {"line-INITIAL_FORMS": "1"}
    assert order.lines.get().label == "Mise en place d'un réseau WiFi écoles"
    response = client.post(reverse("programme:order_edit", args=[order.pk]), data)
    assert response.status_code == 302
    assert order.lines.count() == 1
    changes = AuditEvent.objects.get(action="programme.order_updated").data["changes"]
    assert set(changes) == {"order_date"}
    # Ticking "Delete" on the only line leaves none: refused, nothing written.
    response = client.post(
        reverse("programme:order_edit", args=[order.pk]), data | {"line-0-DELETE": "on"}
    )
    assert "At least one line is needed." in response.content.decode()
    assert order.lines.count() == 1
