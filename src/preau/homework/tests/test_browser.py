"""In Debian's Chromium, on a phone-sized screen: a guardian reads both children's
homework for the week and opens a worksheet — nothing loaded from another host, no
Content-Security-Policy complaint."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD, World
from preau.homework import services
from preau.homework.tests.conftest import MONDAY, PDF, entry_for
from preau.testing.browser import PHONE, log_in, open_page, scroll_width

pytestmark = pytest.mark.browser


def test_a_guardian_reads_the_week_on_a_phone(
    transactional_db: Any, live_server: Any, world: World, browser: Any, media: Any
) -> None:
    entry = entry_for(world, 0, todo_text="Apprendre la poésie « Automne »")
    services.update_entry(
        world.a.teachers[0],
        entry,
        services.EntryInput(
            date=entry.date, subject="french", todo_text=entry.todo_text, due_on=entry.due_on
        ),
        [services.Upload(PDF, "poesie.pdf")],
    )
    entry_for(world, 1, subject="maths", topic="", done_text="Tables de 7", todo_text="")
    # htmx (in the shell) injected its indicator <style> on every page, which the CSP
    # blocks; that one is the shell's to fix (htmx-config includeIndicatorStyles=false).
    session = open_page(browser, live_server, PHONE, accept_downloads=True)
    page = session.page
    log_in(page, live_server, "parent", PASSWORD)
    session.errors.clear()  # only this app's pages are judged here

    page.locator("nav.main-nav a", has_text="Homework").click()
    page.goto(f"{live_server.url}{reverse('homework:index')}?week={MONDAY + dt.timedelta(days=1)}")
    sections = page.locator("section.hw-class")
    assert sections.count() == 2
    text = page.locator("main").inner_text()
    assert "Apprendre la poésie « Automne »" in text
    assert "Tables de 7" in text
    # The phone shows one column: no horizontal scrolling.
    assert scroll_width(page) <= PHONE["width"]
    session.shot("homework-week")
    with page.expect_download() as download:
        page.locator("a", has_text="poesie.pdf").click()
    assert download.value.suggested_filename == "poesie.pdf"

    page.locator("a", has_text="Due this week").click()
    assert "given on" in page.locator("main").inner_text()
    assert session.elsewhere == []
    assert session.errors == []
    session.context.close()
