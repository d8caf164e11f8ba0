"""In Debian's Chromium, on a phone-sized screen: a guardian reads the week and the
month, and makes their private feed link — nothing loaded from another host."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from preau.agenda.tests.conftest import MONDAY
from preau.conftest import PASSWORD, World

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _shot(page: Any, name: str) -> None:
    if os.environ.get("PREAU_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['PREAU_SCREENSHOTS']}/{name}.png", full_page=True)


def test_a_guardian_reads_the_agenda_on_a_phone(
    transactional_db: Any, live_server: Any, world: World, browser: Any, events: Any
) -> None:
    elsewhere: list[str] = []
    complaints: list[str] = []
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url)
    )
    page.on("console", lambda m: complaints.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill("parent")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home:index"))
    complaints.clear()  # only this app's pages are judged here

    page.goto(f"{live_server.url}{reverse('agenda:index')}?week={MONDAY}")
    main = page.locator("main").inner_text()
    assert events.class_a0.title in main
    assert events.class_b0.title not in main
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "agenda-week")

    page.locator("nav.ag-tabs a", has_text="Month").click()
    assert events.class_a0.title in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "agenda-month")
    page.set_viewport_size({"width": 1200, "height": 900})
    _shot(page, "agenda-month-wide")
    page.set_viewport_size(PHONE)

    page.locator("a", has_text=events.class_a0.title).first.click()
    assert "Musée de la Compagnie des Indes" in page.locator("main").inner_text()

    page.goto(live_server.url + reverse("agenda:feed"))
    page.locator("button", has_text="Make my private link").click()
    url = page.locator("#feed-url").input_value()
    assert url.startswith(live_server.url + "/agenda/ical/")
    _shot(page, "agenda-feed")
    assert elsewhere == []
    # htmx (in the shell) injects its indicator <style> on every page, which the CSP
    # blocks; that one is the shell's to fix (htmx-config includeIndicatorStyles=false).
    assert [c for c in complaints if "inline style" not in c] == []
    context.close()
