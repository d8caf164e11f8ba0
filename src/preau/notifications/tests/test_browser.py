"""In Debian's Chromium, on a phone-sized screen: the unread badge, the timeline, opening
one notification, and the preferences page — nothing loaded from another host."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from preau.conftest import PASSWORD, World
from preau.notifications.services import notify
from preau.notifications.tests.conftest import NEWS, NOTE
from preau.testing.browser import PHONE, log_in, open_page

pytestmark = pytest.mark.browser


def test_a_guardian_reads_a_notification_and_the_badge_goes_down(
    transactional_db: Any, live_server: Any, world: World, browser: Any
) -> None:
    notify(recipients=[world.parent], kind=NEWS, title="CP A : photos de la semaine", url="/")
    notify(
        recipients=[world.parent],
        kind=NOTE,
        title="Nouveau mot de l'école A : Sortie au musée",
        url=reverse("notifications:preferences"),
        actor=world.a.teachers[0],
    )
    session = open_page(browser, live_server, PHONE)
    page = session.page
    log_in(page, live_server, "parent", PASSWORD)

    link = page.locator("nav.main-nav a", has_text="Notifications")
    assert "(2 unread)" in link.inner_text()  # what a screen reader says
    assert link.locator(".badge").inner_text() == "2"
    link.click()
    page.wait_for_url(live_server.url + reverse("notifications:timeline"))
    items = page.locator("li.notif")
    assert items.count() == 2
    assert "Sortie au musée" in items.nth(0).inner_text()  # newest first
    assert page.locator("li.notif-unread").count() == 2
    session.shot("notifications-timeline")

    items.nth(0).locator("a").click()
    page.wait_for_url(live_server.url + reverse("notifications:preferences"))
    link = page.locator("nav.main-nav a", has_text="Notifications")
    assert "(1 unread)" in link.inner_text()
    session.shot("notifications-preferences")
    page.locator("main form button[type=submit]").click()  # save as is
    page.wait_for_load_state()
    assert page.locator("main").is_visible()

    page.goto(live_server.url + reverse("notifications:timeline"))
    page.locator("form[action$='/read/'] button").click()
    page.wait_for_url(live_server.url + reverse("notifications:timeline"))
    assert page.locator("li.notif-unread").count() == 0
    assert page.locator("nav.main-nav a .badge").filter(has_text="1").count() == 0
    assert session.elsewhere == []
    session.context.close()
