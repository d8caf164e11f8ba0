"""In Debian's Chromium, on a phone-sized screen: the officer records an order whose VAT
and amount incl. VAT are shown as they type (integer cents in the page's script), then
sees it with its history — nothing loaded from another host, no error in the console."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from preau.programme.models import Order
from preau.programme.tests.edit_helpers import invoice_of, supplier, switches, with_spending

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}
# Where to leave screenshots for a person to look at (unset: none).
SHOTS = os.environ.get("PREAU_SCREENSHOTS", "")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_the_officer_records_an_order_and_sees_the_vat_as_they_type(
    transactional_db: Any, live_server: Any, world: Any, officer: Any, seed: Any, browser: Any
) -> None:
    programme = with_spending(seed)
    client = Client()
    client.force_login(officer)  # the second factor is the login page's business, not ours
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )

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
    _shot(page, "order_form")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.locator("main form.programme-form button[type=submit]").click()

    _shot(page, "after_submit")
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
    _shot(page, "order_detail")
    # Nothing wider than the phone but the tables, which scroll in their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert elsewhere == []
    # The other pages fit the phone too (their tables scroll in their own box).
    for name, url in (
        ("structure", reverse("programme:structure", args=[programme.pk])),
        ("invoices", reverse("programme:invoices", args=[programme.pk])),
        ("invoice", reverse("programme:invoice_detail", args=[invoice_of("SC-23-0412").pk])),
        ("invoice_edit", reverse("programme:invoice_edit", args=[invoice_of("SC-23-0412").pk])),
    ):
        page.goto(live_server.url + url)
        _shot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert failed == []
    # htmx (in the shell, base.html) inserts its indicator <style>, which the CSP blocks,
    # and the browser asks for a /favicon.ico that does not exist: not these pages' doing.
    shell = ("inline style", "Failed to load resource")
    assert [e for e in errors if not any(s in e for s in shell)] == []
