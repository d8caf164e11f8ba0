"""In Debian's Chromium, on a phone: a teacher reports a broken interactive display from
its asset's link, a technician resolves the ticket, the teacher sees "resolved" — nothing
loaded from another host, no Content-Security-Policy complaint."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD, World
from preau.helpdesk.models import Status, Ticket
from preau.testing.browser import DESKTOP, PHONE, log_in, open_as, open_page, scroll_width

pytestmark = pytest.mark.browser


def test_a_teacher_reports_and_a_technician_resolves(
    transactional_db: Any, live_server: Any, world: World, tech: Any, projector: Any, browser: Any
) -> None:
    teacher = open_page(browser, live_server, PHONE)
    page = teacher.page
    log_in(page, live_server, world.a.teachers[0].username, PASSWORD)

    page.goto(f"{live_server.url}{reverse('helpdesk:new')}?asset={projector.pk}")
    assert page.locator("#id_category").input_value() == "display"
    page.select_option("#id_urgency", "blocking")
    page.fill("#id_title", "Le TBI de la classe reste noir")
    page.fill("#id_description", "Il ne s'allume plus depuis lundi.")
    teacher.shot("helpdesk-new")
    page.locator("main form.hd-form button[type=submit]").click()
    ticket = Ticket.objects.get()
    page.wait_for_url(live_server.url + reverse("helpdesk:detail", args=[ticket.pk]))
    assert page.locator("#ticket-status").inner_text() == "new"
    assert scroll_width(page) <= PHONE["width"]

    technician = open_as(browser, live_server, tech, DESKTOP)
    desk = technician.page
    desk.goto(live_server.url + reverse("helpdesk:index"))
    desk.locator("a", has_text="Le TBI de la classe reste noir").click()
    desk.select_option("#id_assignee", str(tech.pk))
    desk.select_option("#id_status", Status.RESOLVED)
    desk.fill("#id_body", "Câble HDMI remplacé.")
    desk.fill("#id_minutes", "30")
    technician.shot("helpdesk-handle")
    desk.locator("#handle-form button[type=submit]").click()
    desk.wait_for_url(live_server.url + reverse("helpdesk:detail", args=[ticket.pk]))
    assert desk.locator("#ticket-status").inner_text() == "resolved"

    page.reload()
    assert page.locator("#ticket-status").inner_text() == "resolved"
    assert "Câble HDMI remplacé." in page.locator("main").inner_text()
    assert page.locator("#reopen-form").count() == 1
    teacher.shot("helpdesk-resolved")
    ticket.refresh_from_db()
    assert ticket.minutes_spent == 30
    assert ticket.assignee == tech
    assert teacher.elsewhere + technician.elsewhere == []
    assert teacher.errors + technician.errors == []
    teacher.context.close()
    technician.context.close()
