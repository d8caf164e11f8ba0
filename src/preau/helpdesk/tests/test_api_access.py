"""Every persona × every helpdesk API endpoint, checked against the pages' answer.

The pages are the reference (``helpdesk.access``): the API must let the same people read,
report, comment, reopen and handle the same tickets. A ticket of school A (Lorient),
reported by teacher A0 with a photo, handled by Lorient's technician.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from preau.conftest import World
from preau.helpdesk import photos, services
from preau.helpdesk.models import Status, Ticket
from preau.helpdesk.tests.conftest import jpeg_with_exif, report

pytestmark = pytest.mark.urls("preau.helpdesk.tests.api_urls")
API = "/api/v1/helpdesk"
JSON = "application/json"
SECRET = "code du coffre: 1234"

# who → reads school A's ticket; handles it; reports for school A (201), for school B
# only (422), or not at all (404).
PERSONAS: dict[str, tuple[bool, bool, int]] = {
    "tech": (True, True, 404),
    "city_admin": (True, True, 404),
    "director_a": (True, False, 201),
    "teacher_a0": (True, False, 201),  # the reporter
    "teacher_a1": (True, False, 201),
    "erun": (True, False, 201),  # ERUN of school A
    "director_b": (False, False, 422),
    "teacher_b0": (False, False, 422),
    "vannes_tech": (False, False, 404),
    "vannes_admin": (False, False, 404),
    "parent": (False, False, 404),
    "pupil": (False, False, 404),
    "outsider": (False, False, 404),
}


def about(world: World, asset: Any, title: str = "Le TBI ne s'allume plus") -> Ticket:
    data = services.TicketInput(category="display", title=title, description="Écran noir")
    return services.report(world.a.teachers[0], world.a.school, data, asset=asset)


def person(world: World, name: str, tech: Any, vannes_tech: Any) -> Any:
    return {"tech": tech, "vannes_tech": vannes_tech}.get(name) or world.persona(name)


@pytest.fixture
def ticket(world: World, tech: Any) -> Ticket:
    made = report(world)
    services.comment(
        world.a.teachers[0], made, "photo", uploads=[photos.Upload("tbi.jpg", jpeg_with_exif())]
    )
    services.handle(tech, made, services.Handling(body=SECRET, internal=True))
    services.handle(tech, made, services.Handling(body="On passe demain", assignee=tech))
    return made  # fmt: skip


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def as_(world: World, tech: Any, vannes_tech: Any) -> Any:
    return lambda name: english(world.client_for(person(world, name, tech, vannes_tech)))


@pytest.mark.parametrize("who", PERSONAS)
def test_reading_matches_the_pages(world: World, ticket: Ticket, as_: Any, who: str) -> None:
    reads, handles, _reports = PERSONAS[who]
    client = as_(who)
    photo = ticket.photos.get()
    page = client.get(reverse("helpdesk:detail", args=[ticket.pk])).status_code
    detail = client.get(f"{API}/tickets/{ticket.pk}")
    assert (page, detail.status_code) == ((200, 200) if reads else (404, 404))
    listed = [row["id"] for row in client.get(f"{API}/tickets").json()["items"]]
    assert listed == ([ticket.pk] if reads else [])
    page_photo = client.get(reverse("helpdesk:photo", args=[photo.pk])).status_code
    api_photo = client.get(f"{API}/photos/{photo.pk}")
    assert (page_photo, api_photo.status_code) == ((200, 200) if reads else (404, 404))
    if reads:
        assert api_photo["Content-Type"] == "image/jpeg"
        body = detail.json()
        assert body["photo_ids"] == [photo.pk]
        comments = [c["body"] for c in body["comments"]]
        assert "On passe demain" in comments
        assert (SECRET in comments) == handles


@pytest.mark.parametrize("who", PERSONAS)
def test_commenting_matches_the_pages(world: World, ticket: Ticket, as_: Any, who: str) -> None:
    reads, _handles, _reports = PERSONAS[who]
    client = as_(who)
    page = client.post(reverse("helpdesk:comment", args=[ticket.pk]), {"body": "vu"})
    api = client.post(f"{API}/tickets/{ticket.pk}/comments", {"body": "vu"}, content_type=JSON)
    assert (page.status_code, api.status_code) == ((302, 201) if reads else (404, 404))
    assert ticket.comments.filter(body="vu").count() == (2 if reads else 0)


@pytest.mark.parametrize("who", PERSONAS)
def test_handling_matches_the_pages(world: World, ticket: Ticket, as_: Any, who: str) -> None:
    _reads, handles, _reports = PERSONAS[who]
    client = as_(who)
    page = client.post(reverse("helpdesk:handle", args=[ticket.pk]), {"status": "in_progress"})
    api = client.patch(f"{API}/tickets/{ticket.pk}", {"status": "waiting"}, content_type=JSON)
    assert (page.status_code, api.status_code) == ((302, 200) if handles else (404, 404))
    ticket.refresh_from_db()
    assert ticket.status == (Status.WAITING if handles else Status.ASSIGNED)


@pytest.mark.parametrize("who", PERSONAS)
def test_reporting_matches_the_pages(world: World, as_: Any, who: str) -> None:
    _reads, _handles, reports = PERSONAS[who]
    client = as_(who)
    page = client.get(reverse("helpdesk:new")).status_code
    assert page == (404 if reports == 404 else 200)
    body = {"school_id": world.a.school.pk, "category": "printer", "title": "Bourrage",
            "description": "Papier coincé"}  # fmt: skip
    made = client.post(f"{API}/tickets", body, content_type=JSON)
    assert made.status_code == reports
    if reports == 422:
        assert made.json()["detail"].startswith("school_id:")
    assert Ticket.objects.count() == (1 if reports == 201 else 0)


@pytest.mark.parametrize("who", PERSONAS)
def test_reopening_matches_the_pages(
    world: World, ticket: Ticket, tech: Any, as_: Any, who: str
) -> None:
    """The reporter and the school's director reopen; other readers are told why not."""
    reads, _handles, _reports = PERSONAS[who]
    services.handle(tech, ticket, services.Handling(status=Status.RESOLVED))
    client = as_(who)
    may = who in ("teacher_a0", "director_a", "erun")
    if reads:
        assert client.get(f"{API}/tickets/{ticket.pk}").json()["may_reopen"] is may
    api = client.post(f"{API}/tickets/{ticket.pk}/reopen", {"reason": "Encore"}, content_type=JSON)
    expected = 200 if may else 422 if reads else 404
    assert api.status_code == expected
    if expected == 422:
        assert "Only the reporter can reopen" in api.json()["detail"]
    if Ticket.objects.get(pk=ticket.pk).status != Status.RESOLVED:  # reopened just now
        services.handle(tech, ticket, services.Handling(status=Status.RESOLVED))
    page = client.post(reverse("helpdesk:reopen", args=[ticket.pk]), {"reason": "Encore"})
    assert page.status_code == (302 if may else 400 if reads else 404)


def test_an_asset_the_reader_may_not_see_is_not_named(
    world: World, projector: Any, tech: Any, as_: Any
) -> None:
    """The display was on site A when reported, then moved to site B."""
    made = about(world, projector)
    projector.site = world.b.school.site
    projector.save(update_fields=["site"])
    school = as_("teacher_a0")
    assert school.get(f"{API}/tickets/{made.pk}").json()["asset_id"] is None
    assert school.get(f"{API}/tickets").json()["items"][0]["asset_id"] is None
    assert as_("tech").get(f"{API}/tickets/{made.pk}").json()["asset_id"] == projector.pk
    page = school.get(reverse("helpdesk:detail", args=[made.pk])).content.decode()
    assert reverse("fleet:asset_detail", args=[projector.pk]) not in page


def test_bad_input_is_422_naming_the_field(world: World, ticket: Ticket, as_: Any) -> None:
    tech = as_("tech")
    cases = [
        (tech.get(f"{API}/tickets", {"status": "lost"}), "status:"),
        (tech.get(f"{API}/tickets", {"assignee": "bob"}), "assignee:"),
        (tech.patch(f"{API}/tickets/{ticket.pk}", {"status": "bogus"}, content_type=JSON),
         "status:"),
        (tech.patch(f"{API}/tickets/{ticket.pk}", {"status": "new"}, content_type=JSON),
         "status: a ticket that is “assigned” can go to"),
        (tech.patch(f"{API}/tickets/{ticket.pk}", {"assignee_id": world.a.director.pk},
                    content_type=JSON), "assignee_id:"),
        (as_("teacher_a0").post(f"{API}/tickets", {"school_id": world.a.school.pk,
         "category": "toaster", "title": "x", "description": "y"}, content_type=JSON),
         "Category:"),
    ]  # fmt: skip
    for response, says in cases:
        assert response.status_code == 422, response.content
        assert response.json()["detail"].startswith(says), response.json()
    bad_category = tech.get(f"{API}/tickets", {"category": "toaster"})
    assert bad_category.json()["detail"][0]["loc"][-1] == "category"
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED


def test_queue_filters(world: World, ticket: Ticket, as_: Any, tech: Any) -> None:
    client = as_("tech")

    def ids(**params: Any) -> list[int]:
        return [row["id"] for row in client.get(f"{API}/tickets", params).json()["items"]]

    assert ids(assignee="me") == [ticket.pk]
    assert ids(assignee="none") == []
    assert ids(assignee=str(tech.pk)) == [ticket.pk]
    assert ids(site=world.a.school.site.pk) == [ticket.pk]
    assert ids(site=world.b.school.site.pk) == []
    assert ids(age="day") == [ticket.pk]
    assert ids(age="older") == []
    assert ids(status="resolved") == []
    assert ids(status="all", category="display") == [ticket.pk]


def test_ticket_list_query_count_is_flat(
    world: World, projector: Any, as_: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_("tech")
    for n in (2, 20):
        for i in range(n):
            about(world, projector if i % 2 else None, f"T{n}-{i}")
        with django_assert_max_num_queries(8):
            items = client.get(f"{API}/tickets", {"page_size": 200}).json()["items"]
        assert len(items) >= n
