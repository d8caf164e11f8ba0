"""In Debian's Chromium, on a phone-sized screen: the officer records an order whose VAT
and amount incl. VAT are shown as they type (integer cents in the page's script), then
sees it with its history — nothing loaded from another host, no error in the console."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from preau.programme.models import Order
from preau.programme.tests.edit_helpers import invoice_of, supplier, switches, with_spending
from preau.testing.browser import PHONE, open_as, scroll_width

pytestmark = pytest.mark.browser


def test_the_officer_records_an_order_and_sees_the_vat_as_they_type(
    transactional_db: Any, live_server: Any, world: Any, officer: Any, seed: Any, browser: Any
) -> None:
    programme = with_spending(seed)
    # htmx (in the shell, base.html) inserted its indicator <style>, which the CSP blocks;
    # the browser's own /favicon.ico request is left out by the shared helper.
    session = open_as(browser, live_server, officer, PHONE, locale="fr-FR")
    page = session.page

    page.goto(live_server.url + reverse("programme:order_create", args=[programme.pk]))
    page.fill("#id_number", "BC-2024-0001")
    page.select_option("#id_supplier", str(supplier("Armor Réseaux").pk))
    page.select_option("#id_budget_line", str(switches(programme).pk))
    page.fill("#id_order_date", "2023-05-02")
    page.check(f"input[name=sites][value='{world.a.school.site.pk}']")
    page.fill("#id_line-0-label", "Switch 48 ports")
    page.fill("#id_line-0-amount_ht", "1 234,56")
    page.fill("#id_line-0-vat_rate", "5,5")
    assert page.get_attribute("#id_line-0-vat_amount", "placeholder") == "67,90"
    assert page.get_attribute("#id_line-0-amount_ttc", "placeholder") == "1302,46"
    session.shot("order_form")
    assert scroll_width(page) <= PHONE["width"]
    with page.expect_navigation():
        page.locator("main form.programme-form button[type=submit]").click()

    session.shot("after_submit")
    order = Order.objects.get(number="BC-2024-0001")
    assert page.url == live_server.url + reverse("programme:order_detail", args=[order.pk])
    line = order.lines.get()
    assert (str(line.amount_ht), str(line.vat_amount), str(line.amount_ttc)) == (
        "1234.56",
        "67.90",
        "1302.46",
    )
    main = page.locator("main").inner_text()
    assert "BC-2024-0001" in main
    assert "Site A" in main
    session.shot("order_detail")
    # Nothing wider than the phone but the tables, which scroll in their own box.
    assert scroll_width(page) <= PHONE["width"]
    assert session.elsewhere == []
    # The other pages fit the phone too (their tables scroll in their own box).
    for name, url in (
        ("structure", reverse("programme:structure", args=[programme.pk])),
        ("invoices", reverse("programme:invoices", args=[programme.pk])),
        ("invoice", reverse("programme:invoice_detail", args=[invoice_of("SC-23-0412").pk])),
        ("invoice_edit", reverse("programme:invoice_edit", args=[invoice_of("SC-23-0412").pk])),
    ):
        page.goto(live_server.url + url)
        session.shot(name)
        assert scroll_width(page) <= PHONE["width"], name
    assert session.failed == []
    assert session.errors == []
    session.context.close()
