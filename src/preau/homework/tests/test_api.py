"""The homework API (/api/v1/homework/…) as each persona."""

from __future__ import annotations

import pytest
from django.test import Client

from preau.accounts import token_services
from preau.homework import services
from preau.homework.models import Attachment
from preau.homework.tests.conftest import MONDAY, PDF, TUESDAY, entry_for

pytestmark = pytest.mark.urls("preau.homework.tests.api_urls")
API = "/api/v1/homework"


def bearer(user) -> Client:
    _token, clear = token_services.create_token(user, "tests")
    return Client(headers={"Authorization": f"Bearer {clear}"})


def test_guardian_week_has_each_childs_class(world):
    entry_for(world, 0, todo_text="<b>Lire</b><script>x</script>")
    entry_for(world, 1, subject="maths", topic="", done_text="Tables", todo_text="")
    body = bearer(world.parent).get(f"{API}/week", {"date": TUESDAY.isoformat()}).json()
    assert body["week_start"] == MONDAY.isoformat()
    classes = {c["class_id"]: c for c in body["classes"]}
    assert set(classes) == {c.pk for c in world.a.classes}
    cp = classes[world.a.classes[0].pk]
    assert cp["children"] == [world.a.pupils[0].first_name]
    assert cp["can_write"] is False
    tuesday = next(d for d in cp["days"] if d["date"] == TUESDAY.isoformat())
    assert tuesday["entries"][0]["todo_html"] == "<b>Lire</b>"
    assert "Tables" not in str(cp)


def test_due_view_and_attachments(world):
    entry = entry_for(world, 0)
    services.update_entry(
        world.a.teachers[0],
        entry,
        services.EntryInput(
            date=entry.date,
            subject=entry.subject,
            todo_text=entry.todo_text,
            due_on=entry.due_on,
        ),
        [services.Upload(PDF, "fiche.pdf")],
    )
    client = bearer(world.pupil_user)
    body = client.get(f"{API}/week", {"date": MONDAY.isoformat(), "view": "due"}).json()
    (only,) = body["classes"]
    due_day = next(d for d in only["days"] if d["entries"])
    assert due_day["date"] == str(entry.due_on)
    file = due_day["entries"][0]["attachments"][0]
    assert file["name"] == "fiche.pdf"
    download = client.get(f"{API}/attachments/{file['id']}")
    assert download.status_code == 200
    assert download.getvalue() == PDF


@pytest.mark.parametrize("who", ["teacher_a1", "director_b", "erun", "outsider", "vannes_admin"])
def test_someone_elses_class_and_file_are_json_404(world, who):
    entry_for(world, 0)
    attachment = Attachment.objects.create(
        entry=entry_for(world, 0, subject="arts"),
        file="homework/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=3,
        sha256="0" * 64,
    )
    client = bearer(world.persona(who))
    for path in (f"/classes/{world.a.classes[0].pk}/week", f"/attachments/{attachment.pk}"):
        response = client.get(API + path)
        assert response.status_code == 404, (who, path)
        assert response["Content-Type"].startswith("application/json")
    mine = client.get(f"{API}/week", {"date": MONDAY.isoformat()}).json()
    assert world.a.classes[0].pk not in {c["class_id"] for c in mine["classes"]}


def test_teacher_gets_own_class_and_can_write_flag(world):
    body = bearer(world.a.teachers[0]).get(f"{API}/classes/{world.a.classes[0].pk}/week").json()
    assert body["classes"][0]["can_write"] is True


def test_anonymous_is_401(world):
    assert Client().get(f"{API}/week").status_code == 401
    assert Client().get(f"{API}/classes/{world.a.classes[0].pk}/week").status_code == 401


def test_bad_date_is_422(world):
    assert bearer(world.parent).get(f"{API}/week", {"date": "yesterday"}).status_code == 422
