"""The private iCal feed: made, read back with icalendar, revoked, rate limited."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from preau.agenda import feeds
from preau.agenda.models import FeedToken
from preau.agenda.tests.conftest import client_for, fresh_ip
from preau.agenda.views_feed import FAILURES_PER_IP
from preau.core.models import AuditEvent

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _make_link(world, user) -> str:
    response = client_for(world, user).post(reverse("agenda:feed"), {"action": "issue"})
    assert response.status_code == 200
    match = re.search(r'value="(http[^"]+\.ics)"', response.content.decode())
    assert match, "the page shows the new link once"
    return match.group(1).split("testserver", 1)[1]


def _read(path: str, ip: str | None = None):
    return Client(REMOTE_ADDR=ip or fresh_ip()).get(path)


def test_guardian_feed_parses_back_with_its_events(world, events):
    path = _make_link(world, world.parent)
    response = _read(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    items = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(items) == {
        events.holidays.uid,
        events.school_a.uid,
        events.class_a0.uid,
        events.class_a1.uid,
    }
    outing = items[events.class_a0.uid]
    assert str(outing["SUMMARY"]) == "Sortie CP A au musée"
    assert str(outing["LOCATION"]) == "Musée de la Compagnie des Indes"
    assert "Prévoir un pique-nique." in str(outing["DESCRIPTION"])
    start = outing.decoded("DTSTART")
    assert start == dt.datetime(2025, 10, 9, 9, 0, tzinfo=PARIS)
    assert outing["DTSTART"].params["TZID"] == "Europe/Paris"
    assert outing.decoded("DTEND") == dt.datetime(2025, 10, 9, 16, 30, tzinfo=PARIS)
    assert "DTSTAMP" in outing
    holidays = items[events.holidays.uid]
    assert holidays.decoded("DTSTART") == dt.date(2025, 10, 18)
    assert holidays.decoded("DTEND") == dt.date(2025, 11, 3)  # exclusive end
    assert holidays["DTSTART"].params.get("VALUE") == "DATE"
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Paris"]
    # The same UID on every read: calendar apps update events instead of duplicating them.
    again = Calendar.from_ical(_read(path).content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(items)


def test_feed_follows_the_person_its_token_belongs_to(world, events):
    teacher_path = _make_link(world, world.a.teachers[1])
    uids = {str(e["UID"]) for e in Calendar.from_ical(_read(teacher_path).content).walk("VEVENT")}
    assert uids == {events.holidays.uid, events.school_a.uid, events.class_a1.uid}


def test_token_is_stored_hashed_and_shown_once(world, events):
    path = _make_link(world, world.parent)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    row = FeedToken.objects.get(user=world.parent)
    assert row.digest == feeds.digest(token)
    assert token not in str(FeedToken.objects.values_list())
    page = client_for(world, world.parent).get(reverse("agenda:feed")).content.decode()
    assert token not in page
    assert "You have a link" in page
    assert AuditEvent.objects.filter(action="agenda.feed_link_created").count() == 1


def test_revoked_unknown_and_replaced_tokens_are_404(world, events):
    client = client_for(world, world.parent)
    old = _make_link(world, world.parent)
    new = _make_link(world, world.parent)  # a new link revokes the old one
    assert _read(old).status_code == 404
    assert _read(new).status_code == 200
    client.post(reverse("agenda:feed"), {"action": "revoke"})
    assert _read(new).status_code == 404
    assert _read("/agenda/ical/not-a-token.ics").status_code == 404
    assert _read(reverse("agenda:ical", args=["x" * 43])).status_code == 404
    assert AuditEvent.objects.filter(action="agenda.feed_link_revoked").count() == 1


def test_inactive_person_has_no_feed(world, events):
    path = _make_link(world, world.parent)
    world.parent.is_active = False
    world.parent.save(update_fields=["is_active"])
    assert _read(path).status_code == 404


def test_guessing_tokens_is_rate_limited(world, events):
    path = _make_link(world, world.parent)
    ip = fresh_ip()
    for i in range(FAILURES_PER_IP.limit):
        assert _read(f"/agenda/ical/guess{i}.ics", ip).status_code == 404
    blocked = _read(f"/agenda/ical/guess{FAILURES_PER_IP.limit}.ics", ip)
    assert blocked.status_code == 429
    assert blocked["Retry-After"]
    assert _read(path, ip).status_code == 429  # even a good token, from that address
    assert _read(path).status_code == 200  # other addresses are not affected


@pytest.mark.parametrize("who", ["outsider"])
def test_people_without_an_agenda_get_404(world, who):
    client = client_for(world, world.persona(who))
    assert client.get(reverse("agenda:feed")).status_code == 404
    assert client.post(reverse("agenda:feed"), {"action": "issue"}).status_code == 404
    assert not FeedToken.objects.exists()


def test_feed_page_needs_login(world):
    response = Client().get(reverse("agenda:feed"))
    assert response.status_code == 302
