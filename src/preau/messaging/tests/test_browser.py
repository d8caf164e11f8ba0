"""In Debian's Chromium, on a phone-sized screen: a teacher writes to a guardian, the
guardian replies from their inbox, and the teacher sees the reply and that it was read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD
from preau.messaging.models import Message

from .helpers import start

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # makes around it are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _logged_in(browser, live_server, username, elsewhere, problems):
    """A fresh browser context (its own cookies: another person's phone), logged in."""
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url),
    )
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home:index"))
    return context, page


def test_guardian_replies_and_the_teacher_sees_it(
    transactional_db, live_server, world, people, browser
):
    elsewhere: list[str] = []
    problems: list[str] = []
    start(
        people["teacher_a0"],
        people["guardian_a00"],
        subject="Sortie à la plage",
        body="Bonjour, pouvez-vous confirmer la présence de Prénom0 mardi ?",
    )

    context, guardian = _logged_in(browser, live_server, "guardian_a00", elsewhere, problems)
    guardian.goto(live_server.url + reverse("messaging:inbox"))
    unread = guardian.locator(".msg-list li.msg-unread")
    assert "Sortie à la plage" in unread.inner_text()
    unread.locator("a").click()
    guardian.wait_for_url("**/messages/*/")
    assert "pouvez-vous confirmer" in guardian.locator(".msg-thread").inner_text()
    guardian.locator("textarea[name=body]").fill("Oui, elle sera là. Merci !")
    guardian.locator("form.msg-reply button[type=submit]").click()
    guardian.wait_for_url("**/messages/*/#message-*")
    mine = guardian.locator(".msg-thread li.msg-mine")
    assert "Oui, elle sera là" in mine.inner_text()
    assert "Read by 0/1" in mine.inner_text()
    # nothing overflows a 360 px screen
    assert guardian.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    teacher_context, teacher = _logged_in(browser, live_server, "teacher_A0", elsewhere, problems)
    teacher.goto(live_server.url + reverse("messaging:inbox"))
    row = teacher.locator(".msg-list li.msg-unread")
    assert "Oui, elle sera là" in row.inner_text()  # the excerpt, in bold as unread
    row.locator("a").click()
    teacher.wait_for_url("**/messages/*/")
    assert "Oui, elle sera là. Merci !" in teacher.locator(".msg-thread").inner_text()
    assert "Read by 1/1" in teacher.locator(".msg-thread li.msg-mine").first.inner_text()

    guardian.reload()  # the guardian now sees the teacher read the reply
    assert "Read by 1/1" in guardian.locator(".msg-thread li.msg-mine").inner_text()
    context.close()
    teacher_context.close()
    assert Message.objects.filter(sender=people["guardian_a00"]).count() == 1
    assert elsewhere == []
    # The shell's htmx injects its indicator style, which the CSP blocks (reported to the
    # lead); the browser asks for a favicon there is none of. Nothing else may go wrong.
    shell = ("Applying inline style violates", "favicon", "404 (Not Found)")
    assert [p for p in problems if not any(s in p for s in shell)] == []
