"""In Debian's Chromium: a teacher sends a note both guardians must sign, each guardian
signs on their own phone, and the teacher's table shows 2/2 for that child."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD
from preau.liaison.models import Note
from preau.testing.browser import PHONE, log_in, open_page

pytestmark = pytest.mark.browser


def _logged_in(browser, live_server, username):
    """A fresh browser context (its own cookies: another person's phone), logged in."""
    session = open_page(browser, live_server, PHONE, locale="fr-FR")
    log_in(session.page, live_server, username, PASSWORD)
    return session


def _sign_as(browser, live_server, username, child):
    session = _logged_in(browser, live_server, username)
    page = session.page
    page.goto(live_server.url + reverse("liaison:index"))
    page.locator(f"#child-{child.pk}").wait_for()
    page.locator("a.liaison-cta").first.click()
    form = page.locator(f"#child-{child.pk} form.liaison-form")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(f"#child-{child.pk} .liaison-signed").count() >= 1
    session.context.close()
    return session


def test_two_guardians_sign_and_the_teacher_sees_2_of_2(
    transactional_db, live_server, world, second_parent, browser
):
    child = world.a.pupils[0]
    session = _logged_in(browser, live_server, "teacher_A0")
    teacher = session.page
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

    first = _sign_as(browser, live_server, "parent", child)
    second = _sign_as(browser, live_server, second_parent.username, child)

    teacher.reload()
    row = teacher.locator("tbody.liaison-pupil", has_text=str(child))
    assert "2/2" in row.inner_text()
    assert "1/2" in teacher.locator(".figures").inner_text()  # one child of two complete
    session.context.close()
    assert note.recipients.get(pupil=child).completed_at is not None
    assert session.elsewhere + first.elsewhere + second.elsewhere == []
