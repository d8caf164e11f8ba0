"""Every helpdesk page as each persona: who sees which ticket, never internal comments."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from preau.conftest import World
from preau.helpdesk import services
from preau.helpdesk.models import Category, Status, Ticket
from preau.helpdesk.tests.conftest import client_for, jpeg_with_exif, report

SECRET = "Mot de passe du routeur: hunter2"


@pytest.fixture
def ticket(world: World, tech: Any) -> Ticket:
    made = report(world)
    services.handle(tech, made, services.Handling(body=SECRET, internal=True))
    services.handle(tech, made, services.Handling(body="On passe demain", assignee=tech))
    return made


# who → sees school A's ticket (page 200) or 404
READERS = {
    "teacher_a0": 200,  # the reporter
    "teacher_a1": 200,  # a colleague of the same school
    "director_a": 200,
    "city_admin": 200,
    "teacher_b0": 404,
    "director_b": 404,
    # ERUN (digital referent of school A) follows the school's tickets like its director
    # (DESIGN: "help to schools"); never the internal comments.
    "erun": 200,
    "parent": 404,
    "pupil": 404,
    "outsider": 404,
    "vannes_admin": 404,
}


@pytest.mark.parametrize(("who", "status"), READERS.items())
def test_who_reads_a_ticket(world: World, ticket: Ticket, who: str, status: int) -> None:
    client = client_for(world, world.persona(who))
    response = client.get(reverse("helpdesk:detail", args=[ticket.pk]))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "On passe demain" in text
        assert (SECRET in text) == (who == "city_admin")


def test_the_technician_sees_internal_comments_the_other_town_does_not(
    world: World, ticket: Ticket, tech: Any, vannes_tech: Any
) -> None:
    page = client_for(world, tech).get(reverse("helpdesk:detail", args=[ticket.pk]))
    assert SECRET in page.content.decode()
    assert (
        client_for(world, vannes_tech).get(reverse("helpdesk:detail", args=[ticket.pk])).status_code
        == 404
    )
    assert (
        client_for(world, vannes_tech)
        .get(reverse("helpdesk:index"))
        .content.decode()
        .count(ticket.title)
        == 0
    )


@pytest.mark.parametrize(
    ("who", "listed"),
    [("teacher_a1", True), ("director_a", True), ("teacher_b0", False), ("city_admin", True)],
)
def test_the_list_shows_ones_school_only(
    world: World, ticket: Ticket, who: str, listed: bool
) -> None:
    text = client_for(world, world.persona(who)).get(reverse("helpdesk:index")).content.decode()
    assert (f"#{ticket.pk} " in text) == listed


@pytest.mark.parametrize("who", ["parent", "pupil", "outsider"])
def test_families_and_strangers_have_no_helpdesk(world: World, who: str) -> None:
    client = client_for(world, world.persona(who))
    for name in ("index", "new", "dashboard", "targets"):
        assert client.get(reverse(f"helpdesk:{name}")).status_code == 404, name


def test_the_erun_reports_and_follows_like_a_director(world: World, ticket: Ticket) -> None:
    """ERUN reports for their schools and reads their tickets; the technicians' pages
    (dashboard, targets, handling) stay closed, as for a director."""
    client = client_for(world, world.erun)
    assert f"#{ticket.pk} " in client.get(reverse("helpdesk:index")).content.decode()
    assert client.get(reverse("helpdesk:new")).status_code == 200
    for name in ("dashboard", "targets"):
        assert client.get(reverse(f"helpdesk:{name}")).status_code == 404, name
    handle = reverse("helpdesk:handle", args=[ticket.pk])
    assert client.post(handle, {"status": Status.RESOLVED}).status_code == 404
    made = report(world, who=world.erun)
    assert made.reporter == world.erun
    assert made.school == world.a.school
    # School B is not theirs: neither its tickets nor reporting for it.
    other = report(world, who=world.b.director, school=world.b.school)
    assert client.get(reverse("helpdesk:detail", args=[other.pk])).status_code == 404
    with pytest.raises(services.HelpdeskError):
        report(world, who=world.erun, school=world.b.school)


def test_only_technicians_handle(world: World, ticket: Ticket) -> None:
    url = reverse("helpdesk:handle", args=[ticket.pk])
    for who in ("teacher_a0", "director_a", "teacher_b0", "vannes_admin"):
        response = client_for(world, world.persona(who)).post(url, {"status": Status.RESOLVED})
        assert response.status_code == 404, who
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED


def test_a_teacher_reports_from_an_asset_page_link(world: World, projector: Any) -> None:
    client = client_for(world, world.a.teachers[0])
    url = reverse("helpdesk:new") + f"?asset={projector.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert str(projector) in page.content.decode()
    response = client.post(
        url,
        {
            "school": world.a.school.pk,
            "category": Category.DISPLAY,
            "urgency": "high",
            "title": "Écran noir",
            "description": "Plus d'image",
            "photos": [_upload()],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.asset == projector
    assert ticket.photos.count() == 1
    photo_url = reverse("helpdesk:photo", args=[ticket.photos.get().pk])
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"
    assert client_for(world, world.b.teachers[0]).get(photo_url).status_code == 404
    # another school's teacher cannot see (nor report on) school A's projector
    assert client_for(world, world.b.teachers[0]).get(url).status_code == 404


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("tbi.jpg", jpeg_with_exif(), content_type="image/jpeg")


def test_comment_and_reopen_pages(world: World, ticket: Ticket, tech: Any) -> None:
    teacher = client_for(world, world.a.teachers[0])
    response = teacher.post(reverse("helpdesk:comment", args=[ticket.pk]), {"body": "Merci"})
    assert response.status_code == 302
    assert (
        client_for(world, world.b.teachers[0])
        .post(reverse("helpdesk:comment", args=[ticket.pk]), {"body": "x"})
        .status_code
        == 404
    )
    services.handle(tech, ticket, services.Handling(status=Status.RESOLVED))
    page = teacher.get(reverse("helpdesk:detail", args=[ticket.pk])).content.decode()
    assert "reopen-form" in page
    colleague = client_for(world, world.a.teachers[1])
    assert (
        colleague.post(reverse("helpdesk:reopen", args=[ticket.pk]), {"reason": "x"}).status_code
        == 400
    )
    assert (
        teacher.post(reverse("helpdesk:reopen", args=[ticket.pk]), {"reason": "Encore"}).status_code
        == 302
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED


def test_the_queue_filters(world: World, ticket: Ticket, tech: Any) -> None:
    other = report(
        world,
        who=world.b.director,
        school=world.b.school,
        category=Category.PRINTER,
        title="Imprimante",
    )
    client = client_for(world, tech)
    base = reverse("helpdesk:index")
    text = client.get(base + "?category=printer").content.decode()
    mine, theirs = f"#{ticket.pk} ", f"#{other.pk} "
    assert theirs in text
    assert mine not in text
    text = client.get(base + f"?site={world.a.school.site_id}").content.decode()
    assert mine in text
    assert theirs not in text
    text = client.get(base + "?assignee=none").content.decode()
    assert theirs in text
    assert mine not in text
    text = client.get(base + f"?assignee={tech.pk}").content.decode()
    assert mine in text
    assert theirs not in text
    text = client.get(base + "?age=older").content.decode()
    assert "No ticket here" in text
    text = client.get(base + "?status=resolved").content.decode()
    assert "No ticket here" in text


def test_dashboard_and_targets(world: World, ticket: Ticket, tech: Any) -> None:
    page = client_for(world, tech).get(reverse("helpdesk:dashboard")).content.decode()
    assert "<svg" in page
    assert "Site A" in page
    assert "<caption>" in page
    assert client_for(world, world.a.director).get(reverse("helpdesk:dashboard")).status_code == 404
    url = reverse("helpdesk:targets")
    assert client_for(world, tech).get(url).status_code == 200
    assert client_for(world, tech).post(url, {}).status_code == 404
    data = {f"{c}_response": 2 for c in Category.values} | {
        f"{c}_resolution": 30 for c in Category.values
    }
    assert client_for(world, world.city_admin).post(url, data).status_code == 302
    assert (
        client_for(world, world.vannes_admin)
        .get(url + f"?municipality={world.lorient.pk}")
        .status_code
        == 404
    )
