"""The notes API as families use it: list, detail, sign and answer; others' → JSON 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from preau.accounts.token_services import create_token
from preau.core.models import AuditEvent
from preau.liaison.models import YES, Acknowledgement, Note, NoteGuardian, Question

from .conftest import english, send

pytestmark = pytest.mark.urls("preau.liaison.tests.api_urls")
BASE = "/api/test/notes/"


def _client(world, name):
    return english(world.client_for(world.persona(name)))


def test_my_notes_per_child(world):
    note = send(world, acknowledgement=Acknowledgement.ONE, title="Photo de classe")
    resp = _client(world, "parent").get(BASE)
    assert resp.status_code == 200
    children = resp.json()
    assert {c["child"]["id"] for c in children} == {world.a.pupils[0].pk, world.a.pupils[2].pk}
    cp = next(c for c in children if c["child"]["id"] == world.a.pupils[0].pk)
    assert cp["to_do"] == 1
    assert cp["notes"][0] | {"sent_at": None} == {
        "id": note.pk,
        "title": "Photo de classe",
        "sender": world.a.teachers[0].display_name,
        "school": world.a.school.name,
        "sent_at": None,
        "due_on": None,
        "signature": "one",
        "question": "none",
        "state": "to_do",
        "signed_at": None,
        "answer": "",
    }
    assert "ine" not in str(children).lower().replace("line", "")


def test_note_detail_marks_read_and_shows_only_my_children(world):
    note = send(world, acknowledgement=Acknowledgement.ALL, question=Question.YES_NO,
                body="<p>Bonjour <script>x()</script></p>")  # fmt: skip
    resp = _client(world, "parent").get(f"{BASE}{note.pk}")
    assert resp.status_code == 200
    data = resp.json()
    assert data["body_text"] == "Bonjour"
    assert "script" not in data["body_html"]
    assert [c["child"]["id"] for c in data["children"]] == [world.a.pupils[0].pk]
    child = data["children"][0]
    assert child["can_respond"] is True
    assert child["required"] == 2
    assert [c["guardian"] for c in child["co_guardians"]] == [str(world.a.guardians[0])]
    assert data["choices"] == [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]
    assert NoteGuardian.objects.get(guardian=world.parent_guardian).first_read_at is not None


def test_sign_answer_replay(world):
    note = send(world, acknowledgement=Acknowledgement.ONE, question=Question.YES_NO)
    url = f"{BASE}{note.pk}/children/{world.a.pupils[0].pk}"
    client = _client(world, "parent")
    missing = client.post(url, {}, content_type="application/json")
    assert missing.status_code == 409
    assert "Choose an answer" in missing.json()["detail"]
    first = client.post(url, {"answer": YES}, content_type="application/json")
    assert first.status_code == 200
    assert first.json()["status"] == "signed"
    again = client.post(url, {"answer": YES}, content_type="application/json")
    assert again.json()["status"] == "unchanged"
    assert "Already signed" in again.json()["message"]
    assert again.json()["signed_at"] == first.json()["signed_at"]
    changed = client.post(url, {"answer": "no"}, content_type="application/json")
    assert changed.json()["status"] == "answered"
    assert AuditEvent.objects.filter(action="liaison.note_signed").count() == 1


def test_past_the_deadline_is_409_with_the_reason(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    Note.objects.filter(pk=note.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    resp = _client(world, "parent").post(
        f"{BASE}{note.pk}/children/{world.a.pupils[0].pk}", {}, content_type="application/json"
    )
    assert resp.status_code == 409
    assert "closed" in resp.json()["detail"]


@pytest.mark.parametrize(
    "name", ["outsider", "teacher_b0", "director_b", "vannes_admin", "city_admin"]
)
def test_someone_elses_note_is_a_json_404(world, name):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    client = _client(world, name)
    resp = client.get(f"{BASE}{note.pk}")
    assert resp.status_code == 404
    assert resp["Content-Type"].startswith("application/json")
    post = client.post(f"{BASE}{note.pk}/children/{world.a.pupils[0].pk}", {},
                       content_type="application/json")  # fmt: skip
    assert post.status_code == 404
    assert client.get(BASE).json() == []


def test_someone_elses_child_is_404(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    resp = _client(world, "parent").post(
        f"{BASE}{note.pk}/children/{world.a.pupils[1].pk}", {}, content_type="application/json"
    )
    assert resp.status_code == 404
    assert not NoteGuardian.objects.filter(signed_at__isnull=False).exists()


def test_token_authentication_and_anonymous_refusal(world, client):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    assert client.get(BASE).status_code == 401
    _token, clear = create_token(world.parent, name="app")
    resp = client.get(f"{BASE}{note.pk}", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert resp.status_code == 200


def test_pupil_reads_through_the_api_without_signing(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    client = _client(world, "pupil")
    [child] = client.get(BASE).json()
    assert child["notes"][0]["state"] == "info"
    detail = client.get(f"{BASE}{note.pk}").json()
    assert detail["children"][0]["can_respond"] is False
    post = client.post(f"{BASE}{note.pk}/children/{world.a.pupils[0].pk}", {},
                       content_type="application/json")  # fmt: skip
    assert post.status_code == 404
