"""Messaging through the API (/api/v1/messages/…), with personal tokens, as each persona."""

import pytest
from django.test import Client

from preau.accounts import token_services
from preau.core.models import AuditEvent
from preau.messaging.models import Conversation, Message

from .helpers import start

pytestmark = pytest.mark.urls("preau.messaging.tests.urls_api")

API = "/api/v1/messages"


def bearer(user) -> Client:
    _token, clear = token_services.create_token(user, "tests")
    return Client(headers={"Authorization": f"Bearer {clear}"}, HTTP_ACCEPT_LANGUAGE="en")


def test_anonymous_gets_401(world):
    for path in ("/", "/unread", "/recipients", "/1"):
        assert Client().get(API + path).status_code == 401
    assert Client().post(API + "/", {}, content_type="application/json").status_code == 401


def test_guardian_writes_reads_and_the_teacher_replies(world, people):
    guardian, teacher = bearer(people["guardian_a00"]), bearer(people["teacher_a0"])
    response = guardian.post(
        API + "/",
        {"recipients": [people["teacher_a0"].pk], "subject": "Cantine", "body": "Bonjour"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    [conversation_id] = response.json()["conversations"]
    assert response.json()["held"] is False

    assert teacher.get(API + "/unread").json() == {"count": 1}
    inbox = teacher.get(API + "/").json()
    assert inbox["count"] == 1
    row = inbox["items"][0]
    assert row["id"] == conversation_id
    assert row["unread"] is True
    assert row["others"] == [people["guardian_a00"].display_name]

    detail = teacher.get(f"{API}/{conversation_id}").json()
    assert detail["can_reply"] is True
    assert [m["body"] for m in detail["messages"]] == ["Bonjour"]
    assert detail["unread"] is True  # reading through the API does not mark it read…
    assert teacher.post(f"{API}/{conversation_id}/read").json() == {"changed": True}
    assert teacher.get(API + "/unread").json() == {"count": 0}  # …a client says so

    reply = teacher.post(
        f"{API}/{conversation_id}/messages", {"body": "Bien noté"}, content_type="application/json"
    )
    assert reply.status_code == 201
    assert reply.json()["message"]["mine"] is True
    mine = guardian.get(f"{API}/{conversation_id}").json()["messages"][0]
    assert (mine["mine"], mine["read_by"], mine["read_of"]) == (True, 1, 1)


def test_matrix_refusal_is_403_and_audited(world, people):
    guardian = bearer(people["guardian_a00"])
    response = guardian.post(
        API + "/",
        {"recipients": [people["teacher_a1"].pk], "body": "Bonjour"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "only to teachers of the same class" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="messaging.refused").count() == 1
    assert not Conversation.objects.exists()


def test_someone_elses_conversation_is_a_json_404(world, people):
    conversation = start(people["guardian_a00"], people["teacher_a0"])
    for name in ("guardian_a01", "teacher_a1", "director_b", "vannes_admin"):
        client = bearer(people[name])
        assert client.get(f"{API}/{conversation.pk}").status_code == 404
        reply = client.post(
            f"{API}/{conversation.pk}/messages", {"body": "x"}, content_type="application/json"
        )
        assert reply.status_code == 404
        assert client.post(f"{API}/{conversation.pk}/read").status_code == 404
        assert client.get(API + "/").json()["count"] == 0
    assert Message.objects.count() == 1


def test_bad_input_is_400_or_422(world, people):
    guardian = bearer(people["guardian_a00"])
    blank = guardian.post(
        API + "/",
        {"recipients": [people["teacher_a0"].pk], "body": "   \x00 "},
        content_type="application/json",
    )
    assert blank.status_code == 400
    assert "Write a message" in blank.json()["detail"]
    none = guardian.post(
        API + "/", {"recipients": [], "body": "x"}, content_type="application/json"
    )
    assert none.status_code == 422


def test_recipients_pupil_held_and_archive(world, people):
    names = {r["id"] for r in bearer(people["guardian_a00"]).get(API + "/recipients").json()}
    assert names == {people["teacher_a0"].pk, people["director_a"].pk}

    pupil = bearer(people["pupil"])
    sent = pupil.post(
        API + "/",
        {"recipients": [people["teacher_a0"].pk], "body": "Bonjour maîtresse"},
        content_type="application/json",
    )
    assert sent.status_code == 201
    assert sent.json()["held"] is True
    [cid] = sent.json()["conversations"]
    assert bearer(people["teacher_a0"]).get(f"{API}/{cid}").status_code == 404  # not yet

    conversation = start(people["teacher_a0"], people["guardian_a00"])
    guardian = bearer(people["guardian_a00"])
    archived = guardian.post(
        f"{API}/{conversation.pk}/archive", {"archived": True}, content_type="application/json"
    )
    assert archived.status_code == 200
    assert guardian.get(API + "/").json()["count"] == 0
    assert guardian.get(API + "/", {"archived": True}).json()["count"] == 1


def test_openapi_describes_the_messages_tag(world):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/messages")]
    assert "/api/v1/messages/{id}" in paths or any("{id}" in p for p in paths)
