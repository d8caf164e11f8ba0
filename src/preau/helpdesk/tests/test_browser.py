"""In Debian's Chromium, on a phone: a teacher reports a broken interactive display from
its asset's link, a technician resolves the ticket, the teacher sees "resolved" — nothing
loaded from another host, no Content-Security-Policy complaint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from preau.conftest import PASSWORD, World
from preau.helpdesk.models import Status, Ticket

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("PREAU_SCREENSHOTS", "")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watch(page: Any, live_server: Any, elsewhere: list[str], errors: list[str]) -> None:
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url)
    )

    def console(message: Any) -> None:
        # Chromium asks for /favicon.ico on its own; the shell has none (not this app's).
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{page.url} {message.location} {message.text[:200]}")

    page.on("console", console)


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"helpdesk-{name}.png"), full_page=True)


def test_a_teacher_reports_and_a_technician_resolves(
    transactional_db: Any, live_server: Any, world: World, tech: Any, projector: Any, browser: Any
) -> None:
    elsewhere: list[str] = []
    errors: list[str] = []
    teacher_context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = teacher_context.new_page()
    _watch(page, live_server, elsewhere, errors)
    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill(world.a.teachers[0].username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home:index"))

    page.goto(f"{live_server.url}{reverse('helpdesk:new')}?asset={projector.pk}")
    assert page.locator("#id_category").input_value() == "display"
    page.select_option("#id_urgency", "blocking")
    page.fill("#id_title", "Le TBI de la classe reste noir")
    page.fill("#id_description", "Il ne s'allume plus depuis lundi.")
    _shot(page, "new")
    page.locator("main form.hd-form button[type=submit]").click()
    ticket = Ticket.objects.get()
    page.wait_for_url(live_server.url + reverse("helpdesk:detail", args=[ticket.pk]))
    assert page.locator("#ticket-status").inner_text() == "new"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    client = Client()
    client.force_login(tech)  # the second factor is the login page's business, not ours
    tech_context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    host = live_server.url.split("//")[1].split(":")[0]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    tech_context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    desk = tech_context.new_page()
    _watch(desk, live_server, elsewhere, errors)
    desk.goto(live_server.url + reverse("helpdesk:index"))
    desk.locator("a", has_text="Le TBI de la classe reste noir").click()
    desk.select_option("#id_assignee", str(tech.pk))
    desk.select_option("#id_status", Status.RESOLVED)
    desk.fill("#id_body", "Câble HDMI remplacé.")
    desk.fill("#id_minutes", "30")
    _shot(desk, "handle")
    desk.locator("#handle-form button[type=submit]").click()
    desk.wait_for_url(live_server.url + reverse("helpdesk:detail", args=[ticket.pk]))
    assert desk.locator("#ticket-status").inner_text() == "resolved"

    page.reload()
    assert page.locator("#ticket-status").inner_text() == "resolved"
    assert "Câble HDMI remplacé." in page.locator("main").inner_text()
    assert page.locator("#reopen-form").count() == 1
    _shot(page, "resolved")
    ticket.refresh_from_db()
    assert ticket.minutes_spent == 30
    assert ticket.assignee == tech
    assert elsewhere == []
    assert errors == []
    teacher_context.close()
    tech_context.close()
