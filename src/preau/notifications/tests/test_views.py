"""The notifications pages as each persona sees them, through HTTP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from preau.accounts.models import User
from preau.conftest import World
from preau.core.models import AuditEvent
from preau.core.navigation import entries_for
from preau.notifications.models import DeliverySettings, Notification, NotificationPreference
from preau.notifications.services import notify
from preau.notifications.tests.conftest import NEWS, NOTE

pytestmark = pytest.mark.django_db


def _english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _notify(users: list[User], title: str = "New note: Sortie", url: str = "/notes/1/") -> None:
    notify(recipients=users, kind=NOTE, title=title, url=url)


def test_anonymous_is_sent_to_login(world: World) -> None:
    for url in ("/notifications/", "/notifications/preferences/", "/notifications/1/open"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_timeline_shows_only_my_notifications_newest_first_unread_marked(world: World) -> None:
    _notify([world.parent], title="Older for Camille")
    _notify([world.parent], title="Newer for Camille")
    _notify([world.pupil_user, world.a.teachers[0]], title="Not for Camille")
    Notification.objects.filter(title="Older for Camille").update(read_at="2026-01-01T10:00:00Z")
    html = _english(world.client_for(world.parent)).get("/notifications/").content.decode()
    assert html.index("Newer for Camille") < html.index("Older for Camille")
    assert "Not for Camille" not in html
    assert html.count("notif-unread") == 1
    assert "(1 unread)" in html  # the navigation's badge, said in words
    unread_only = _english(world.client_for(world.parent)).get("/notifications/?unread=1")
    assert "Older for Camille" not in unread_only.content.decode()


@pytest.mark.parametrize(
    "persona", ["parent", "teacher_a0", "director_a", "city_admin", "outsider"]
)
def test_every_persona_has_a_timeline_and_preferences(world: World, persona: str) -> None:
    client = _english(world.client_for(world.persona(persona)))
    assert client.get("/notifications/").status_code == 200
    assert client.get("/notifications/preferences/").status_code == 200


def test_timeline_is_paginated(world: World) -> None:
    for i in range(30):
        _notify([world.parent], title=f"Item {i:02d}")
    client = _english(world.client_for(world.parent))
    first = client.get("/notifications/").content.decode()
    assert "Item 29" in first
    assert "Item 04" not in first
    second = client.get("/notifications/?page=2").content.decode()
    assert "Item 04" in second
    assert "Item 29" not in second
    assert client.get("/notifications/?page=999").status_code == 200  # the last page


def test_opening_marks_read_and_redirects_to_the_thing(world: World) -> None:
    _notify([world.parent, world.pupil_user], url="/notes/42/")
    mine = Notification.objects.get(recipient=world.parent)
    response = _english(world.client_for(world.parent)).get(f"/notifications/{mine.pk}/open")
    assert response.status_code == 302
    assert response["Location"] == "/notes/42/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.get(recipient=world.pupil_user).read_at is None


@pytest.mark.parametrize("persona", ["pupil", "teacher_a0", "city_admin", "outsider"])
def test_someone_elses_notification_is_a_404(world: World, persona: str) -> None:
    _notify([world.parent])
    theirs = Notification.objects.get()
    client = _english(world.client_for(world.persona(persona)))
    assert client.get(f"/notifications/{theirs.pk}/open").status_code == 404
    assert client.get("/notifications/999999/open").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(world: World) -> None:
    _notify([world.parent, world.pupil_user])
    _notify([world.parent])
    client = _english(world.client_for(world.parent))
    assert client.get("/notifications/read/").status_code == 405  # a write is a POST
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world.parent, read_at__isnull=True)
    assert Notification.objects.get(recipient=world.pupil_user).read_at is None
    assert "unread)" not in client.get("/notifications/").content.decode()


def test_preferences_save_per_kind_and_quiet_hours(world: World) -> None:
    teacher = world.a.teachers[0]
    client = _english(world.client_for(teacher))
    page = client.get("/notifications/preferences/").content.decode()
    # A teacher's defaults: quiet hours on, 19:00–07:30, weekends.
    assert re.search(r'name="quiet_hours"[^>]*checked', page)
    assert 'value="19:00"' in page
    assert 'value="07:30"' in page
    response = client.post(
        "/notifications/preferences/",
        {
            f"kind__{NOTE}": "digest",
            f"kind__{NEWS}": "none",
            "emails_enabled": "on",
            "digest_hour": "7",
            "quiet_hours": "on",
            "quiet_start": "20:00",
            "quiet_end": "07:00",
            "language": "en",
        },
    )
    assert response.status_code == 302
    prefs = dict(NotificationPreference.objects.filter(user=teacher).values_list("kind", "email"))
    assert prefs == {NOTE: "digest", NEWS: "none"}
    saved = DeliverySettings.objects.get(user=teacher)
    assert (saved.digest_hour, saved.quiet_weekends, saved.language) == (7, False, "en")
    assert str(saved.quiet_start) == "20:00:00"
    assert AuditEvent.objects.filter(
        action="notifications.preferences_changed", actor=teacher
    ).exists()


def test_preferences_refuse_bad_input_and_change_nothing(world: World) -> None:
    client = _english(world.client_for(world.parent))
    response = client.post(
        "/notifications/preferences/",
        {f"kind__{NOTE}": "hourly", "digest_hour": "25", "quiet_start": "soon", "quiet_end": "7"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="field-error"') >= 3
    assert not NotificationPreference.objects.exists()
    assert not DeliverySettings.objects.exists()


def test_preferences_replan_waiting_mails(world: World) -> None:
    notify(recipients=[world.parent], kind=NEWS, title="Waiting for the digest", url="/news/1/")
    assert Notification.objects.get().email_due_at is not None
    _english(world.client_for(world.parent)).post(
        "/notifications/preferences/",
        {
            f"kind__{NOTE}": "immediate",
            f"kind__{NEWS}": "none",
            "emails_enabled": "on",
            "digest_hour": "17",
            "quiet_start": "19:00",
            "quiet_end": "07:30",
        },
    )
    assert Notification.objects.get().email_due_at is None


def test_unread_badge_costs_one_query_however_often_it_is_read(
    world: World, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        _notify([world.parent])
    user = User.objects.get(pk=world.parent.pk)
    shown = [e for e in entries_for(user) if e.key == "notifications"]
    with django_assert_num_queries(1), translation.override("en"):
        assert [e.badge for e in shown] == [3]
        assert [e.badge for e in entries_for(user) if e.key == "notifications"] == [3]
        assert shown[0].badge_text == "3 unread"


def test_a_page_load_counts_unread_once(world: World) -> None:
    _notify([world.parent])
    client = _english(world.client_for(world.parent))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notifications/preferences/").status_code == 200
    counts = [q["sql"] for q in queries if 'FROM "notifications_notification"' in q["sql"]]
    assert len(counts) == 1, counts


def test_timeline_query_count_is_pinned(world: World) -> None:
    for i in range(30):
        _notify([world.parent], title=f"Item {i}")
    client = _english(world.client_for(world.parent))
    client.get("/notifications/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notifications/").status_code == 200
    # The unread badge, the page count and the page itself: three, however many there
    # are. (The rest of the page's queries belong to the shell and to other apps' badges.)
    ours = [q["sql"] for q in queries if 'FROM "notifications_' in q["sql"]]
    assert len(ours) == 3, ours
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_badge_caps_at_99_plus(world: World) -> None:
    people = [world.parent]
    for i in range(101):
        _notify(people, title=f"n{i}")
    html = (
        _english(world.client_for(world.parent)).get("/notifications/preferences/").content.decode()
    )
    assert ">99+</span>" in html
    assert "(over 99 unread)" in html


def test_markup_in_a_title_is_shown_as_text(world: World) -> None:
    _notify([world.parent], title="<script>alert(1)</script><b>bold</b>")
    html = _english(world.client_for(world.parent)).get("/notifications/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    assert "style=" not in html
