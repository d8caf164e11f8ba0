"""In Debian's Chromium: a teacher sends a note both guardians must sign, each guardian
signs on their own phone, and the teacher's table shows 2/2 for that child."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD
from preau.liaison.models import Note

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


def _logged_in(browser, live_server, username, elsewhere):
    """A fresh browser context (its own cookies: another person's phone), logged in."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url),
    )
    page.goto(live_server.url + reverse("account_login"))
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home:index"))
    return context, page


def _sign_as(browser, live_server, username, child, elsewhere):
    context, page = _logged_in(browser, live_server, username, elsewhere)
    page.goto(live_server.url + reverse("liaison:index"))
    page.locator(f"#child-{child.pk}").wait_for()
    page.locator("a.liaison-cta").first.click()
    form = page.locator(f"#child-{child.pk} form.liaison-form")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(f"#child-{child.pk} .liaison-signed").count() >= 1
    context.close()


def test_two_guardians_sign_and_the_teacher_sees_2_of_2(
    transactional_db, live_server, world, second_parent, browser
):
    elsewhere: list[str] = []
    child = world.a.pupils[0]
    teacher_context, teacher = _logged_in(browser, live_server, "teacher_A0", elsewhere)
    teacher.goto(live_server.url + reverse("liaison:compose"))
    # The teacher's only class is ticked already.
    assert teacher.locator(f"input[name=classes][value='{world.a.classes[0].pk}']").is_checked()
    teacher.locator("input[name=title]").fill("Sortie à la plage")
    teacher.locator("textarea[name=body]").fill(
        "Mardi, la classe va à la plage.\nPrévoir un goûter."
    )
    teacher.locator("input[name=acknowledgement][value=all]").check()
    teacher.locator("form.liaison-compose button[type=submit]").click()
    teacher.wait_for_url("**/tracking/")
    note = Note.objects.get()
    row = teacher.locator("tbody.liaison-pupil", has_text=str(child))
    assert "0/2" in row.inner_text()

    _sign_as(browser, live_server, "parent", child, elsewhere)
    _sign_as(browser, live_server, second_parent.username, child, elsewhere)

    teacher.reload()
    row = teacher.locator("tbody.liaison-pupil", has_text=str(child))
    assert "2/2" in row.inner_text()
    assert "1/2" in teacher.locator(".figures").inner_text()  # one child of two complete
    teacher_context.close()
    assert note.recipients.get(pupil=child).completed_at is not None
    assert elsewhere == []
