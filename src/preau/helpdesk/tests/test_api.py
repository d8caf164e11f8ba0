"""The helpdesk API as each persona: internal comments never reach the school's side."""

from __future__ import annotations

from typing import Any

import pytest

from preau.conftest import World
from preau.helpdesk import services
from preau.helpdesk.models import Ticket
from preau.helpdesk.tests.conftest import report

pytestmark = pytest.mark.urls("preau.helpdesk.tests.api_urls")
API = "/api/v1/helpdesk"


def test_a_teacher_reports_and_reads_without_internal_notes(world: World, tech: Any) -> None:
    client = world.client_for(world.a.teachers[0])
    body = {
        "school_id": world.a.school.pk,
        "category": "printer",
        "title": "Bourrage",
        "description": "Papier",
    }
    made = client.post(f"{API}/tickets", body, content_type="application/json")
    assert made.status_code == 201
    pk = made.json()["id"]
    ticket = Ticket.objects.get(pk=pk)
    services.handle(tech, ticket, services.Handling(body="interne", internal=True))
    services.handle(tech, ticket, services.Handling(body="public", assignee=tech))
    detail = client.get(f"{API}/tickets/{pk}").json()
    assert [c["body"] for c in detail["comments"]] == ["public"]
    tech_view = world.client_for(tech).get(f"{API}/tickets/{pk}").json()
    assert [c["body"] for c in tech_view["comments"]] == ["interne", "public"]
    assert (
        client.post(
            f"{API}/tickets/{pk}/comments", {"body": "Merci"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert (
        client.patch(
            f"{API}/tickets/{pk}", {"status": "resolved"}, content_type="application/json"
        ).status_code
        == 404
    )
    done = world.client_for(tech).patch(
        f"{API}/tickets/{pk}",
        {"status": "resolved", "minutes": 10},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "resolved"
    bad = world.client_for(tech).patch(
        f"{API}/tickets/{pk}", {"status": "waiting"}, content_type="application/json"
    )
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher_a1", 200),
        ("director_a", 200),
        ("teacher_b0", 404),
        ("parent", 404),
        ("pupil", 404),
        ("vannes_admin", 404),
    ],
)
def test_who_reads_a_ticket(world: World, who: str, status: int) -> None:
    ticket = report(world)
    client = world.client_for(world.persona(who))
    assert client.get(f"{API}/tickets/{ticket.pk}").status_code == status
    listed = [row["id"] for row in client.get(f"{API}/tickets").json()["items"]]
    assert (ticket.pk in listed) == (status == 200)


def test_another_municipalitys_technician_gets_404(world: World, vannes_tech: Any) -> None:
    ticket = report(world)
    client = world.client_for(vannes_tech)
    assert client.get(f"{API}/tickets/{ticket.pk}").status_code == 404
    assert (
        client.patch(
            f"{API}/tickets/{ticket.pk}", {"status": "closed"}, content_type="application/json"
        ).status_code
        == 404
    )
    body = {"school_id": world.a.school.pk, "category": "printer", "title": "x", "description": "y"}
    assert world.client_for(world.b.teachers[0]).post(
        f"{API}/tickets", body, content_type="application/json"
    ).status_code in (404, 422)
