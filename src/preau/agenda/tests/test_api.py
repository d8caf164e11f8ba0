"""The agenda API (/api/v1/agenda/…) as each persona."""

from __future__ import annotations

import pytest
from django.test import Client

from preau.accounts import token_services
from preau.agenda.tests.conftest import VISIBLE

pytestmark = pytest.mark.urls("preau.agenda.tests.api_urls")
API = "/api/v1/agenda"


def bearer(user) -> Client:
    _token, clear = token_services.create_token(user, "tests")
    return Client(headers={"Authorization": f"Bearer {clear}"})


@pytest.mark.parametrize("who", ["parent", "pupil", "teacher_a1", "director_b", "erun",
                                 "vannes_admin", "outsider"])  # fmt: skip
def test_events_between_dates_and_404_for_the_rest(world, events, who):
    client = bearer(world.persona(who))
    body = client.get(f"{API}/events", {"start": "2025-10-01", "end": "2025-11-30"}).json()
    names = {name for name, e in events.__dict__.items() if e.pk in {i["id"] for i in body}}
    assert names == VISIBLE[who]
    for name, event in events.__dict__.items():
        response = client.get(f"{API}/events/{event.pk}")
        assert response.status_code == (200 if name in VISIBLE[who] else 404), (who, name)
        assert response["Content-Type"].startswith("application/json")


def test_event_fields(world, events):
    body = bearer(world.parent).get(f"{API}/events/{events.class_a0.pk}").json()
    assert body["starts_at"] == "2025-10-09T09:00:00+02:00"
    assert body["class_id"] == world.a.classes[0].pk
    assert body["audience_label"] == world.a.classes[0].label
    assert body["uid"] == events.class_a0.uid
    holidays = bearer(world.parent).get(f"{API}/events/{events.holidays.pk}").json()
    assert (holidays["all_day"], holidays["starts_on"], holidays["ends_on"]) == (
        True,
        "2025-10-18",
        "2025-11-02",
    )


def test_bad_ranges_are_422(world, events):
    client = bearer(world.parent)
    assert (
        client.get(f"{API}/events", {"start": "2025-10-10", "end": "2025-10-01"}).status_code == 422
    )
    assert (
        client.get(f"{API}/events", {"start": "2025-01-01", "end": "2026-12-31"}).status_code == 422
    )
    assert client.get(f"{API}/events", {"start": "nope"}).status_code == 422


def test_anonymous_is_401(world, events):
    assert Client().get(f"{API}/events").status_code == 401
    assert Client().get(f"{API}/events/{events.holidays.pk}").status_code == 401
