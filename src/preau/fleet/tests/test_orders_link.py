"""Assets linked to the programme's orders and invoices: the form, the services, the
pages (a link for those the programme lets in, text for the others), the asset list's
order filter, the delivery import and the demo fleet."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.conftest import make_user
from preau.core.models import AuditEvent
from preau.directory.models import Membership, Role, Room
from preau.fleet import services
from preau.fleet.models import Asset, AssetEvent
from preau.fleet.seed import load_demo_fleet
from preau.programme.models import Invoice, Order, Programme
from preau.programme.seed import load_demo_spending, load_seed_programme

pytestmark = pytest.mark.django_db

LAPTOPS = "BC-2022-0230"  # Bureautique de l'Ouest, 16/05/2022, invoice BO-5531
SCREENS = "BC-2023-0077"  # Salles Connectées, invoices SC-23-0190 and SC-23-0412


@pytest.fixture
def programme(world: Any) -> Programme:
    """Lorient's seed programme with the demo's 6 orders and 8 invoices."""
    seed = load_seed_programme(world.lorient)
    load_demo_spending(seed)
    return seed


@pytest.fixture
def officer(world: Any) -> Any:
    user = make_user("officer", "Paula", "Programme")
    Membership.objects.create(user=user, role=Role.PROGRAMME_OFFICER, municipality=world.lorient)
    TOTP.activate(user, generate_totp_secret())
    return user


def order(number: str, municipality: Any = None) -> Order:
    orders = Order.objects.filter(number=number)
    if municipality is not None:
        orders = orders.filter(programme__municipality=municipality)
    return orders.get()


def invoice(number: str) -> Invoice:
    """Lorient's invoice ``number`` (a test may give Vannes the same demo spending)."""
    return Invoice.objects.get(number=number, supplier__municipality__name="Lorient")


def test_the_form_offers_the_municipalitys_orders_with_readable_labels(world, programme, tech):
    page = world.client_for(tech).get(reverse("fleet:asset_create"))
    html = page.text
    assert f"{LAPTOPS} — Bureautique de l&#x27;Ouest — 05/16/2022" in html
    assert "BO-5531 — Bureautique de l&#x27;Ouest — 08/29/2022 (BC-2022-0230)" in html


def test_choosing_an_order_and_invoice_fills_the_references(world, programme, tech):
    response = world.client_for(tech).post(
        reverse("fleet:asset_create"),
        {"kind": "laptop", "serial": "PF-1", "order": order(LAPTOPS).pk,
         "invoice": invoice("BO-5531").pk, "order_ref": "typed by hand"},
    )  # fmt: skip
    assert response.status_code == 302
    asset = Asset.objects.get(serial="PF-1")
    assert (asset.order_ref, asset.invoice_ref) == (LAPTOPS, "BO-5531")
    assert asset.supplier_name == "Bureautique de l'Ouest"
    created = asset.events.get()
    assert created.changes["order"] == [None, LAPTOPS]
    assert created.changes["invoice"] == [None, "BO-5531"]
    audit = AuditEvent.objects.get(action="fleet.asset_created")
    assert audit.data == {"order": LAPTOPS, "invoice": "BO-5531"}


def test_an_invoice_of_another_order_is_refused_naming_the_field(world, programme, tech):
    response = world.client_for(tech).post(
        reverse("fleet:asset_create"),
        {"kind": "laptop", "serial": "PF-2", "order": order(LAPTOPS).pk,
         "invoice": invoice("SC-23-0190").pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["invoice"] == [
        f"Invoice SC-23-0190 is not an invoice of order {LAPTOPS}."
    ]
    assert not Asset.objects.exists()


def test_services_refuse_what_the_form_cannot_see(world, programme, tech):
    made = services.create_asset(world.lorient, {"kind": "display", "serial": "E-1"}, actor=tech)
    with pytest.raises(services.FleetError, match="Programme invoice: SC-23-0190"):
        services.update_asset(
            made, {"order": order(LAPTOPS), "invoice": invoice("SC-23-0190")}, actor=tech
        )
    vannes = load_seed_programme(world.vannes)
    load_demo_spending(vannes)
    with pytest.raises(services.FleetError, match="another municipality's order"):
        services.update_asset(made, {"order": order(SCREENS, world.vannes)}, actor=tech)
    made.refresh_from_db()
    assert made.order is None
    assert made.order_ref == ""
    assert made.events.count() == 1  # the creation only


def test_an_invoice_brings_its_order_and_unlinking_keeps_the_text(world, programme, tech):
    made = services.create_asset(world.lorient, {"kind": "display", "serial": "E-2"}, actor=tech)
    linked = services.update_asset(made, {"invoice": invoice("SC-23-0412")}, actor=tech)
    assert linked.order == order(SCREENS)
    assert (linked.order_ref, linked.invoice_ref) == (SCREENS, "SC-23-0412")
    changed = linked.events.get(kind=AssetEvent.Kind.CHANGED)
    assert set(changed.changes) == {"supplier_name", "order", "order_ref", "invoice", "invoice_ref"}
    assert linked.supplier_name == "Salles Connectées"
    unlinked = services.update_asset(linked, {"order": None, "invoice": None}, actor=tech)
    assert unlinked.order is None
    assert unlinked.order_ref == SCREENS  # an order the programme no longer names
    audits = AuditEvent.objects.filter(action="fleet.asset_changed").order_by("pk")
    assert [a.data.get("order") for a in audits] == [SCREENS, None]


@pytest.fixture
def laptop(world, programme, tech) -> Asset:
    return services.create_asset(
        world.lorient,
        {"kind": "laptop", "serial": "PF-3", "site": world.a.school.site,
         "order": order(LAPTOPS), "invoice": invoice("BO-5531")},
        actor=tech,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "linked"),
    [("city_admin", True), ("tech", False), ("director_a", False), ("erun", False),
     ("officer", None)],
)  # fmt: skip
def test_the_detail_links_the_order_only_for_those_the_programme_lets_in(
    world, laptop, tech, officer, persona, linked
):
    user = {"tech": tech, "officer": officer}.get(persona) or world.persona(persona)
    response = world.client_for(user).get(reverse("fleet:asset_detail", args=[laptop.pk]))
    if linked is None:  # a programme officer reads no fleet
        assert response.status_code == 404
        return
    order_url = reverse("programme:order_detail", args=[laptop.order_id])
    invoice_url = reverse("programme:invoice_detail", args=[laptop.invoice_id])
    assert LAPTOPS in response.text
    assert "BO-5531" in response.text
    assert (order_url in response.text) is linked
    assert (invoice_url in response.text) is linked
    assert f"{reverse('fleet:asset_list')}?order={laptop.order_id}" in response.text


def test_the_list_filters_by_order_and_links_it_for_programme_staff(world, laptop, tech):
    services.create_asset(
        world.lorient, {"kind": "laptop", "serial": "OTHER-1", "site": world.a.school.site},
        actor=tech,
    )  # fmt: skip
    url = reverse("fleet:asset_list")
    order_url = reverse("programme:order_detail", args=[laptop.order_id])
    for user, linked in ((world.city_admin, True), (world.a.director, False), (tech, False)):
        page = world.client_for(user).get(url, {"order": laptop.order_id})
        assert "PF-3" in page.text
        assert "OTHER-1" not in page.text
        assert (order_url in page.text) is linked
    # Another school's director has no asset of this order: not a choice, filter ignored.
    page = world.client_for(world.b.director).get(url, {"order": laptop.order_id})
    assert page.context["form"].errors["order"]
    assert "PF-3" not in page.text


DELIVERY = """\
serial;kind;model;order_ref;invoice_ref;site
TAB01;tablet;iPad;bc-2023-0077;SC-23-0190;Site A
TAB02;tablet;iPad;BC-2023-0077;;Site A
TAB03;tablet;iPad;BC-2099-0001;F-1;Site A
"""


def _upload(client: Any, text: str) -> Any:
    upload = SimpleUploadedFile("livraison.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("fleet:delivery_import"), {"file": upload})


def test_a_delivery_links_known_orders_and_says_which_stay_text(world, programme, tech):
    load_demo_spending(load_seed_programme(world.vannes))  # same numbers, another town
    client = world.client_for(tech)
    preview = _upload(client, DELIVERY)
    plan = preview.context["plan"]
    assert plan.linked == {SCREENS: 2}
    assert plan.unlinked == {"BC-2099-0001": 1}
    assert "kept as text only" in preview.text
    assert "BC-2099-0001 (text only)" in preview.text
    assert client.post(
        reverse("fleet:delivery_import"), {"token": preview.context["token"]}
    ).status_code == 302  # fmt: skip
    rows = {a.serial: a for a in Asset.objects.select_related("order", "invoice")}
    assert rows["TAB01"].order == order(SCREENS, world.lorient)
    assert rows["TAB01"].order_ref == SCREENS  # the programme's spelling
    assert rows["TAB01"].invoice == invoice("SC-23-0190")
    assert rows["TAB01"].supplier_name == "Salles Connectées"
    assert rows["TAB02"].order_id == rows["TAB01"].order_id
    assert rows["TAB02"].invoice is None
    assert (rows["TAB03"].order, rows["TAB03"].order_ref, rows["TAB03"].invoice_ref) == (
        None, "BC-2099-0001", "F-1",
    )  # fmt: skip
    audit = AuditEvent.objects.get(action="fleet.delivery_imported")
    assert audit.data["orders"] == [SCREENS]


def test_a_number_two_programmes_share_is_not_guessed(world, programme, tech):
    other = Programme.objects.create(
        municipality=world.lorient, name="Plan numérique 2", eligibility_start="2024-01-01",
        eligibility_end="2026-12-31", last_payment_date="2027-06-30",
        final_claim_date="2027-09-30",
    )  # fmt: skip
    first = order(SCREENS)
    Order.objects.create(
        programme=other, supplier=first.supplier, budget_line=first.budget_line,
        number=SCREENS, order_date="2024-02-01",
    )  # fmt: skip
    preview = _upload(world.client_for(tech), DELIVERY)
    assert preview.context["plan"].linked == {}
    assert "several programmes have an order with this number" in preview.text


def test_the_demo_fleet_hangs_on_the_demo_programmes_orders(world, programme):
    Room.objects.create(site=world.a.school.site, name="Classe 1")
    load_demo_fleet(world.lorient)
    laptops = Asset.objects.filter(kind="laptop")
    assert (
        laptops.count() == laptops.filter(order__number=LAPTOPS, invoice__number="BO-5531").count()
    )
    assert set(laptops.values_list("supplier_name", flat=True)) == {"Bureautique de l'Ouest"}
    displays = Asset.objects.filter(kind="display")
    assert set(displays.values_list("invoice__number", flat=True)) <= {"SC-23-0190", "SC-23-0412"}
    switches = Asset.objects.filter(kind="switch")
    assert set(switches.values_list("order__number", flat=True)) == {"BC-2021-0455"}
    tablets = Asset.objects.filter(kind="tablet")
    assert not tablets.filter(order__isnull=False).exists()  # no tablet order in the demo
    assert set(tablets.values_list("order_ref", flat=True)) == {"BC-2022-0417"}


def test_the_demo_fleet_without_a_programme_keeps_text_references(world):
    load_demo_fleet(world.lorient)
    assert not Asset.objects.filter(order__isnull=False).exists()
    assert Asset.objects.filter(kind="laptop", order_ref="BC-2022-0417").exists()
