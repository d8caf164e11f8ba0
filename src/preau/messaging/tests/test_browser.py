"""In Debian's Chromium, on a phone-sized screen: a teacher writes to a guardian, the
guardian replies from their inbox, and the teacher sees the reply and that it was read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD
from preau.messaging.models import Message
from preau.testing.browser import PHONE, log_in, open_page, scroll_width

from .helpers import start

pytestmark = pytest.mark.browser


def _logged_in(browser, live_server, username):
    """A fresh browser context (its own cookies: another person's phone), logged in."""
    session = open_page(browser, live_server, PHONE)
    log_in(session.page, live_server, username, PASSWORD)
    return session


def test_guardian_replies_and_the_teacher_sees_it(
    transactional_db, live_server, world, people, browser
):
    start(
        people["teacher_a0"],
        people["guardian_a00"],
        subject="Sortie à la plage",
        body="Bonjour, pouvez-vous confirmer la présence de Prénom0 mardi ?",
    )

    first = _logged_in(browser, live_server, "guardian_a00")
    guardian = first.page
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
    assert scroll_width(guardian) <= PHONE["width"]

    second = _logged_in(browser, live_server, "teacher_A0")
    teacher = second.page
    teacher.goto(live_server.url + reverse("messaging:inbox"))
    row = teacher.locator(".msg-list li.msg-unread")
    assert "Oui, elle sera là" in row.inner_text()  # the excerpt, in bold as unread
    row.locator("a").click()
    teacher.wait_for_url("**/messages/*/")
    assert "Oui, elle sera là. Merci !" in teacher.locator(".msg-thread").inner_text()
    assert "Read by 1/1" in teacher.locator(".msg-thread li.msg-mine").first.inner_text()

    guardian.reload()  # the guardian now sees the teacher read the reply
    assert "Read by 1/1" in guardian.locator(".msg-thread li.msg-mine").inner_text()
    first.context.close()
    second.context.close()
    assert Message.objects.filter(sender=people["guardian_a00"]).count() == 1
    assert first.elsewhere + second.elsewhere == []
    # Nothing else may go wrong: not one console error, not one failed response.
    assert first.errors + second.errors == []
    assert first.failed + second.failed == []
