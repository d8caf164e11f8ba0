"""The loans API as each persona: same rules as the pages, JSON 404 for not-yours."""

from __future__ import annotations

from typing import Any

import pytest

from preau.conftest import World
from preau.loans.tests.conftest import MONDAY, at, book

pytestmark = pytest.mark.urls("preau.helpdesk.tests.api_urls")
API = "/api/v1/loans"


def test_bookings_through_the_api(world: World, case: Any) -> None:
    client = world.client_for(world.a.teachers[0])
    assert [row["id"] for row in client.get(f"{API}/loanables").json()["items"]] == [case.pk]
    body = {
        "loanable_id": case.pk,
        "class_id": world.a.classes[0].pk,
        "starts_at": at(MONDAY, 9).isoformat(),
        "ends_at": at(MONDAY, 10).isoformat(),
    }
    made = client.post(f"{API}/bookings", body, content_type="application/json")
    assert made.status_code == 201
    again = client.post(f"{API}/bookings", body, content_type="application/json")
    assert again.status_code == 409
    assert "Already booked" in again.json()["detail"]
    pk = made.json()["id"]
    assert client.get(f"{API}/bookings/{pk}").status_code == 200
    assert len(client.get(f"{API}/bookings?start={MONDAY}").json()["items"]) == 1
    other = world.client_for(world.b.teachers[0])
    assert other.get(f"{API}/bookings/{pk}").status_code == 404
    assert other.get(f"{API}/loanables").json()["items"] == []
    assert other.post(f"{API}/bookings/{pk}/cancel").status_code == 404
    assert client.post(f"{API}/bookings/{pk}/cancel").json()["status"] == "cancelled"


def test_families_get_nothing(world: World, case: Any) -> None:
    booking = book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    for who in ("parent", "pupil", "outsider"):
        client = world.client_for(world.persona(who))
        assert client.get(f"{API}/bookings/{booking.pk}").status_code == 404
        assert client.get(f"{API}/bookings").json()["items"] == []
