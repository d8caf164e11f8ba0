"""The agenda pages, as each persona, through HTTP."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest
from django.urls import reverse

from preau.agenda.models import Event
from preau.agenda.tests.conftest import MONDAY, VISIBLE, client_for
from preau.core.models import AuditEvent

WEEK = {"week": MONDAY.isoformat()}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_person_sees_what_concerns_them_and_404_for_the_rest(world, events, who):
    client = client_for(world, world.persona(who))
    visible = VISIBLE[who]
    for name, event in events.__dict__.items():
        status = client.get(reverse("agenda:detail", args=[event.pk])).status_code
        assert status == (200 if name in visible else 404), (who, name, status)
    if not visible:
        assert client.get(reverse("agenda:index")).status_code == 404
        return
    html = client.get(reverse("agenda:index"), WEEK).content.decode()
    html += client.get(reverse("agenda:index"), {"week": "2025-10-20"}).content.decode()
    for name, event in events.__dict__.items():
        assert (escape(event.title) in html) == (name in visible), (who, name)


def test_month_view_lists_the_month(world, events):
    client = client_for(world, world.parent)
    html = client.get(reverse("agenda:month"), {"month": "2025-10"}).content.decode()
    assert events.class_a0.title in html
    assert events.holidays.title in html
    assert events.class_b0.title not in html
    assert "October 2025" in html
    assert client.get(reverse("agenda:month"), {"month": "garbage"}).status_code == 200


def test_today_is_highlighted(world, events, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: MONDAY + dt.timedelta(days=1))
    client = client_for(world, world.parent)
    html = client.get(reverse("agenda:index"), WEEK).content.decode()
    assert html.count('aria-current="date"') == 1
    html = client.get(reverse("agenda:month"), {"month": "2025-10"}).content.decode()
    assert html.count('aria-current="date"') == 1


def test_long_events_are_listed_once_in_the_week(world, events):
    html = client_for(world, world.parent).get(reverse("agenda:index"), {"week": "2025-10-20"})
    assert html.content.decode().count(events.holidays.title) == 1


def _post_event(client, audience, **extra):
    data = {
        "audience": audience,
        "title": "Sortie à la plage",
        "category": "outing",
        "starts_on": "2025-10-09",
        "start_time": "09:00",
        "end_time": "16:00",
        "place": "Plage de Toulhars",
        "description": "Prévoir un goûter.",
    } | extra
    return client.post(reverse("agenda:create"), data)


def test_teacher_adds_a_class_event_and_the_family_sees_it(world):
    client = client_for(world, world.a.teachers[0])
    page = client.get(reverse("agenda:create")).content.decode()
    assert f'value="c:{world.a.classes[0].pk}"' in page
    assert f'value="c:{world.a.classes[1].pk}"' not in page
    assert 'value="s:' not in page
    response = _post_event(client, f"c:{world.a.classes[0].pk}")
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.audience, event.school_class, event.all_day) == (
        "class",
        world.a.classes[0],
        False,
    )
    assert str(event.starts_at) == "2025-10-09 07:00:00+00:00"  # 09:00 in Paris
    assert AuditEvent.objects.filter(action="agenda.event_created").count() == 1
    html = client_for(world, world.parent).get(reverse("agenda:index"), WEEK).content.decode()
    assert "Sortie à la plage" in html


def test_teacher_cannot_add_to_another_class_or_the_school(world):
    client = client_for(world, world.a.teachers[0])
    for audience in (
        f"c:{world.a.classes[1].pk}",
        f"s:{world.a.school.pk}",
        f"m:{world.lorient.pk}",
        f"c:{world.b.classes[0].pk}",
    ):
        response = _post_event(client, audience)
        assert response.status_code == 200
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("who", "audience", "expected"),
    [
        ("director_a", "school", "school"),
        ("director_a", "class1", "class"),
        ("city_admin", "municipality", "municipality"),
    ],
)
def test_directors_and_city_admins_write_their_audiences(world, who, audience, expected):
    key = {
        "school": f"s:{world.a.school.pk}",
        "class1": f"c:{world.a.classes[1].pk}",
        "municipality": f"m:{world.lorient.pk}",
    }[audience]
    response = _post_event(client_for(world, world.persona(who)), key, start_time="", end_time="",
                           all_day="on")  # fmt: skip
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.audience, event.all_day) == (expected, True)


@pytest.mark.parametrize("who", ["parent", "pupil", "outsider", "erun"])
def test_families_and_others_cannot_add_events(world, who):
    client = client_for(world, world.persona(who))
    assert client.get(reverse("agenda:create")).status_code == 404
    assert _post_event(client, f"c:{world.a.classes[0].pk}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "This field is required"),
        ({"ends_on": "2025-10-01"}, "ends before it starts"),
        ({"start_time": "", "end_time": ""}, "give a start and an end time"),
        ({"start_time": "10:00", "end_time": "09:00"}, "ends before it starts"),
        ({"ends_on": "2027-01-01", "all_day": "on"}, "at most a year"),
    ],
)
def test_bad_event_input_is_refused_clearly(world, changes, message):
    client = client_for(world, world.a.teachers[0])
    response = _post_event(client, f"c:{world.a.classes[0].pk}", **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_edit_and_delete(world, events):
    event = events.class_a0
    for who in ("teacher_a1", "parent", "pupil", "director_b", "city_admin"):
        client = client_for(world, world.persona(who))
        assert client.get(reverse("agenda:edit", args=[event.pk])).status_code == 404
        assert client.post(reverse("agenda:delete", args=[event.pk])).status_code == 404
    client = client_for(world, world.a.teachers[0])
    url = reverse("agenda:edit", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Sortie au musée (reportée)",
            "category": "outing",
            "starts_on": "2025-10-16",
            "start_time": "09:00",
            "end_time": "16:00",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.starts_on, event.school_class) == (
        "Sortie au musée (reportée)",
        dt.date(2025, 10, 16),
        world.a.classes[0],
    )
    assert client.post(reverse("agenda:delete", args=[event.pk])).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.get(action="agenda.event_deleted").data["title"].startswith("Sortie")
    # A city admin manages the municipality's events, a director their school's.
    admin = client_for(world, world.city_admin)
    assert admin.get(reverse("agenda:edit", args=[events.holidays.pk])).status_code == 200
    director = client_for(world, world.a.director)
    assert director.get(reverse("agenda:edit", args=[events.school_a.pk])).status_code == 200
    assert director.get(reverse("agenda:edit", args=[events.holidays.pk])).status_code == 404


def test_html_in_event_fields_is_inert(world):
    client = client_for(world, world.a.teachers[0])
    _post_event(
        client,
        f"c:{world.a.classes[0].pk}",
        title="<script>alert(1)</script>",
        description='<img src=x onerror="alert(2)">',
    )
    event = Event.objects.get()
    html = client.get(reverse("agenda:detail", args=[event.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


# Session, user, the user's scope (4), the week's events (one query, audiences and all),
# plus the navigation's badges of other apps (2 when this was pinned).
QUERIES_GUARDIAN_WEEK = 9


def test_guardian_week_query_count_is_pinned(world, events, django_assert_num_queries):
    client = client_for(world, world.parent)
    url = reverse("agenda:index")
    client.get(url, WEEK)  # the first page of a session also writes the session
    with django_assert_num_queries(QUERIES_GUARDIAN_WEEK):
        assert client.get(url, WEEK).status_code == 200
