"""The notifications API as a mobile app uses it: list, unread count, mark read."""

from __future__ import annotations

import pytest
from django.test import Client

from preau.accounts.token_services import create_token
from preau.conftest import World
from preau.notifications.models import Notification
from preau.notifications.services import notify
from preau.notifications.tests.conftest import NOTE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("preau.notifications.tests.api_urls")]
BASE = "/api/test/notifications/"


def _seed(world: World) -> None:
    for i in range(3):
        notify(recipients=[world.parent], kind=NOTE, title=f"Mine {i}", url="/notes/1/")
    notify(recipients=[world.pupil_user], kind=NOTE, title="Not mine", url="/notes/2/")


def test_list_count_and_mark_read_with_a_token(world: World) -> None:
    _seed(world)
    _token, token = create_token(world.parent, "phone")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = client.get(BASE).json()
    assert [n["title"] for n in listed["items"]] == ["Mine 2", "Mine 1", "Mine 0"]
    assert listed["items"][0]["url"] == "/notes/1/"
    assert client.get(f"{BASE}unread").json() == {"unread": 3}
    first = listed["items"][0]["id"]
    theirs = Notification.objects.get(recipient=world.pupil_user).pk
    marked = client.post(f"{BASE}read", {"ids": [first, theirs]}, content_type="application/json")
    assert marked.json() == {"marked": 1}
    assert Notification.objects.get(pk=theirs).read_at is None
    assert [n["title"] for n in client.get(f"{BASE}?unread=true").json()["items"]] == [
        "Mine 1",
        "Mine 0",
    ]
    assert client.post(f"{BASE}read", {"all": True}, content_type="application/json").json() == {
        "marked": 2
    }
    assert client.get(f"{BASE}unread").json() == {"unread": 0}


def test_anonymous_gets_a_json_401(world: World) -> None:
    for response in (Client().get(BASE), Client().get(f"{BASE}unread")):
        assert response.status_code == 401


def test_a_session_reads_only_its_own(world: World) -> None:
    _seed(world)
    items = world.client_for(world.pupil_user).get(BASE).json()["items"]
    assert [n["title"] for n in items] == ["Not mine"]
