"""In Debian's Chromium, on a phone-sized screen: a guardian reads the week and the
month, and makes their private feed link — nothing loaded from another host."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from preau.agenda.tests.conftest import MONDAY
from preau.conftest import PASSWORD, World
from preau.testing.browser import PHONE, log_in, open_page, scroll_width

pytestmark = pytest.mark.browser


def test_a_guardian_reads_the_agenda_on_a_phone(
    transactional_db: Any, live_server: Any, world: World, browser: Any, events: Any
) -> None:
    # htmx (in the shell) injected its indicator <style> on every page, which the CSP
    # blocks; that one is the shell's to fix (htmx-config includeIndicatorStyles=false).
    session = open_page(browser, live_server, PHONE)
    page = session.page
    log_in(page, live_server, "parent", PASSWORD)
    session.errors.clear()  # only this app's pages are judged here

    page.goto(f"{live_server.url}{reverse('agenda:index')}?week={MONDAY}")
    main = page.locator("main").inner_text()
    assert events.class_a0.title in main
    assert events.class_b0.title not in main
    assert scroll_width(page) <= PHONE["width"]
    session.shot("agenda-week")

    page.locator("nav.ag-tabs a", has_text="Month").click()
    assert events.class_a0.title in page.locator("main").inner_text()
    assert scroll_width(page) <= PHONE["width"]
    session.shot("agenda-month")
    page.set_viewport_size({"width": 1200, "height": 900})
    session.shot("agenda-month-wide")
    page.set_viewport_size(PHONE)

    page.locator("a", has_text=events.class_a0.title).first.click()
    assert "Musée de la Compagnie des Indes" in page.locator("main").inner_text()

    page.goto(live_server.url + reverse("agenda:feed"))
    page.locator("button", has_text="Make my private link").click()
    url = page.locator("#feed-url").input_value()
    assert url.startswith(live_server.url + "/agenda/ical/")
    session.shot("agenda-feed")
    assert session.elsewhere == []
    assert session.errors == []
    session.context.close()
