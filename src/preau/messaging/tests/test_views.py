"""The messaging pages as each persona, through HTTP: inbox, conversation, reply, read
receipts, archive, search, and someone else's conversation (404)."""

import pytest
from django.urls import reverse

from preau.core.models import AuditEvent
from preau.messaging.models import Conversation, Message, Participant
from preau.notifications.models import Notification

from .conftest import client_for
from .helpers import start


def url(conversation: Conversation) -> str:
    return reverse("messaging:conversation", args=[conversation.pk])


def test_anonymous_is_sent_to_login(world):
    from django.test import Client

    for name in ("inbox", "archive", "compose", "moderation", "matrix"):
        response = Client().get(reverse(f"messaging:{name}"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_guardian_writes_to_their_childs_teacher_who_reads_and_replies(world, people):
    guardian, teacher = people["guardian_a00"], people["teacher_a0"]
    g, t = client_for(world, guardian), client_for(world, teacher)
    response = g.post(
        reverse("messaging:compose"),
        {"to": [teacher.pk], "subject": "Absence", "body": "Léa sera absente <b>demain</b>."},
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(conversation)
    assert conversation.school_id == world.a.school.pk

    inbox = t.get(reverse("messaging:inbox")).content.decode()
    assert "Absence" in inbox
    assert "msg-unread" in inbox
    assert Notification.objects.filter(recipient=teacher, kind="messaging.message").count() == 1
    assert not Notification.objects.filter(recipient=guardian).exists()

    page = t.get(url(conversation)).content.decode()
    assert "Léa sera absente &lt;b&gt;demain&lt;/b&gt;." in page  # inert, shown as typed
    assert "<b>demain</b>" not in page
    assert "msg-unread" not in t.get(reverse("messaging:inbox")).content.decode()
    # opening the conversation also read its notification
    assert not Notification.objects.filter(recipient=teacher, read_at__isnull=True).exists()

    response = t.post(
        reverse("messaging:reply", args=[conversation.pk]),
        {"body": "Merci, voir https://example.org/devoirs"},
    )
    assert response.status_code == 302
    page = g.get(url(conversation)).content.decode()
    assert 'href="https://example.org/devoirs"' in page  # links are made clickable
    assert "Read by 1/1" in page  # the guardian's own first message was read by the teacher
    assert AuditEvent.objects.filter(action="messaging.sent", actor=guardian).exists()
    assert AuditEvent.objects.filter(action="messaging.replied", actor=teacher).exists()


def test_someone_elses_conversation_is_404_everywhere(world, people):
    conversation = start(people["guardian_a00"], people["teacher_a0"])
    message = conversation.messages.get()
    for name in (
        "guardian_a01",
        "teacher_a1",
        "director_a",
        "director_b",
        "city_admin",
        "pupil",
        "outsider",
        "vannes_admin",
    ):
        client = client_for(world, people[name])
        assert client.get(url(conversation)).status_code == 404, name
        assert (
            client.post(
                reverse("messaging:reply", args=[conversation.pk]), {"body": "x"}
            ).status_code
            == 404
        ), name
        assert (
            client.post(
                reverse("messaging:set_archived", args=[conversation.pk]), {"archived": "1"}
            ).status_code
            == 404
        ), name
        assert client.get(reverse("messaging:report", args=[message.pk])).status_code == 404
        assert client.post(reverse("messaging:close", args=[conversation.pk])).status_code == 404
    assert client_for(world, people["guardian_a00"]).get("/messages/999999/").status_code == 404


def test_inbox_lists_only_my_conversations_unread_first(world, people):
    teacher = people["teacher_a0"]
    older = start(people["guardian_a00"], teacher, subject="Ancien sujet")
    start(people["director_a"], people["teacher_a1"], subject="Pas pour vous")
    newer = start(teacher, people["guardian_a01"], subject="Sujet récent")
    client = client_for(world, teacher)
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert "Pas pour vous" not in page
    # the unread one (from the guardian) comes before the newer one the teacher wrote
    assert page.index("Ancien sujet") < page.index("Sujet récent")
    client.get(url(older))
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert page.index("Sujet récent") < page.index("Ancien sujet")
    assert newer.pk


def test_search_ignores_accents_and_case_and_covers_bodies(world, people):
    guardian, teacher = people["guardian_a00"], people["teacher_a0"]
    start(guardian, teacher, subject="Sortie à l'École", body="Rien")
    start(guardian, teacher, subject="Autre", body="La PISCINE reprend jeudi")
    start(guardian, teacher, subject="Troisième", body="Sans rapport")
    client = client_for(world, teacher)
    page = client.get(reverse("messaging:inbox"), {"q": "ecole"}).content.decode()
    assert "Sortie" in page
    assert "Autre" not in page
    page = client.get(reverse("messaging:inbox"), {"q": "piscine jeudi"}).content.decode()
    assert "Autre" in page
    assert "Sortie" not in page
    assert "Troisième" not in page
    other = client_for(world, people["teacher_a1"])
    assert "Autre" not in other.get(reverse("messaging:inbox"), {"q": "piscine"}).content.decode()


def test_group_read_receipts_count_each_reader(world, people):
    director = people["director_a"]
    conversation = start(
        director,
        people["teacher_a0"],
        people["teacher_a1"],
        people["erun"],
        subject="Conseil des maîtres",
    )
    client_for(world, people["teacher_a0"]).get(url(conversation))
    client_for(world, people["teacher_a1"]).get(url(conversation))
    page = client_for(world, director).get(url(conversation)).content.decode()
    assert "Read by 2/3" in page
    assert "Théo EnseignantA0" in page  # who read it, behind the summary


def test_archive_and_a_new_message_brings_it_back(world, people):
    guardian, teacher = people["guardian_a00"], people["teacher_a0"]
    conversation = start(guardian, teacher, subject="À archiver")
    client = client_for(world, teacher)
    response = client.post(
        reverse("messaging:set_archived", args=[conversation.pk]), {"archived": "1"}
    )
    assert response.status_code == 302
    assert "À archiver" not in client.get(reverse("messaging:inbox")).content.decode()
    assert "À archiver" in client.get(reverse("messaging:archive")).content.decode()
    # archiving is personal: the guardian still has it in their inbox
    assert (
        "À archiver" in client_for(world, guardian).get(reverse("messaging:inbox")).content.decode()
    )
    client_for(world, guardian).post(
        reverse("messaging:reply", args=[conversation.pk]), {"body": "Encore une question"}
    )
    assert "À archiver" in client.get(reverse("messaging:inbox")).content.decode()
    assert Participant.objects.get(conversation=conversation, user=teacher).archived_at is None


def test_compose_offers_only_allowed_recipients(world, people):
    page = client_for(world, people["guardian_a00"]).get(reverse("messaging:compose"))
    text = page.content.decode()
    values = {f'value="{people[n].pk}"' for n in ("teacher_a0", "director_a")}
    assert all(v in text for v in values)
    for name in ("teacher_a1", "teacher_b0", "guardian_a01", "director_b", "pupil"):
        assert f'name="to" value="{people[name].pk}"' not in text, name

    teacher = client_for(world, people["teacher_a0"]).get(reverse("messaging:compose"))
    text = teacher.content.decode()
    assert f'name="to" value="{people["guardian_a00"].pk}"' in text
    assert "guardian of Prénom0" in text  # staff see whose guardian it is
    assert f'name="to" value="{people["guardian_a10"].pk}"' not in text  # another class
    found = (
        client_for(world, people["teacher_a0"])
        .get(reverse("messaging:compose"), {"q": "enseignanta1"})
        .content.decode()
    )
    assert f'name="to" value="{people["teacher_a1"].pk}"' in found
    assert f'name="to" value="{people["guardian_a00"].pk}"' not in found


def test_nobody_to_write_to_says_so(world, people):
    page = client_for(world, people["outsider"]).get(reverse("messaging:compose"))
    assert "There is nobody you may write to" in page.content.decode()


def test_forged_recipient_is_refused_and_audited(world, people):
    client = client_for(world, people["guardian_a00"])
    response = client.post(
        reverse("messaging:compose"),
        {"to": [people["teacher_a0"].pk, people["guardian_a01"].pk], "body": "Bonjour"},
    )
    assert response.status_code == 400
    assert "guardians may not write to guardians" in response.content.decode()
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()
    event = AuditEvent.objects.get(action="messaging.refused")
    assert event.actor == people["guardian_a00"]
    assert event.data["recipients"] == [people["guardian_a01"].pk]
    assert event.municipality_id == world.lorient.pk


def test_families_written_to_together_get_separate_copies(world, people):
    teacher = client_for(world, people["teacher_a0"])
    response = teacher.post(
        reverse("messaging:compose"),
        {
            "to": [people["guardian_a00"].pk, people["guardian_a01"].pk],
            "subject": "Sortie",
            "body": "Départ à 9h.",
        },
    )
    assert response.status_code == 302
    assert Conversation.objects.count() == 2
    for name, other in (("guardian_a00", "guardian_a01"), ("guardian_a01", "guardian_a00")):
        conversation = Conversation.objects.get(participants__user=people[name])
        page = client_for(world, people[name]).get(url(conversation)).content.decode()
        assert people[other].last_name not in page


def test_a_guardian_in_a_group_cannot_reply_to_all_but_privately(world, people):
    conversation = start(
        people["teacher_a0"],
        people["guardian_a00"],
        people["guardian_a01"],
        subject="Réunion",
        separately=False,
    )
    client = client_for(world, people["guardian_a00"])
    page = client.get(url(conversation)).content.decode()
    assert "You cannot reply to everyone" in page
    assert f"?to={people['teacher_a0'].pk}" in page  # write privately to the teacher
    response = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "Moi"})
    assert response.status_code == 400
    assert conversation.messages.count() == 1
    assert AuditEvent.objects.filter(action="messaging.refused", target_id=str(conversation.pk))


def test_bad_input_is_refused_clearly(world, people):
    client = client_for(world, people["guardian_a00"])
    empty = client.post(reverse("messaging:compose"), {"to": [people["teacher_a0"].pk]})
    assert empty.status_code == 400
    assert "Write a message or attach a file" in empty.content.decode()
    nobody = client.post(reverse("messaging:compose"), {"body": "x"})
    assert nobody.status_code == 400
    assert "Choose at least one recipient" in nobody.content.decode()
    junk = client.post(reverse("messaging:compose"), {"to": ["abc"], "body": "x"})
    assert junk.status_code == 400
    long = client.post(
        reverse("messaging:compose"), {"to": [people["teacher_a0"].pk], "body": "x" * 10_001}
    )
    assert long.status_code == 400
    assert not Conversation.objects.exists()


def test_nul_and_direction_characters_are_dropped(world, people):
    conversation = start(
        people["guardian_a00"],
        people["teacher_a0"],
        subject="A\u202eB",
        body="un\x00deux\u200btrois",
    )
    assert conversation.subject == "AB"
    assert conversation.messages.get().body == "undeuxtrois"


@pytest.mark.parametrize("name", ["guardian_a00", "teacher_a0"])
def test_pages_render_for_each_persona(world, people, name):
    conversation = start(people["guardian_a00"], people["teacher_a0"])
    client = client_for(world, people[name])
    for path in (
        reverse("messaging:inbox"),
        reverse("messaging:archive"),
        reverse("messaging:compose"),
        url(conversation),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "style=" not in response.content.decode()


def test_sending_is_throttled(world, people, monkeypatch):
    from preau.core.ratelimit import RateLimit
    from preau.messaging import services

    monkeypatch.setattr(services, "SENDING", RateLimit("messaging.send.test", 2, 600))
    services.SENDING.reset(str(people["guardian_a00"].pk))
    client = client_for(world, people["guardian_a00"])
    for _ in range(2):
        ok = client.post(
            reverse("messaging:compose"), {"to": [people["teacher_a0"].pk], "body": "x"}
        )
        assert ok.status_code == 302
    third = client.post(
        reverse("messaging:compose"), {"to": [people["teacher_a0"].pk], "body": "x"}
    )
    assert third.status_code == 400
    assert "wait a little" in third.content.decode()
    assert Conversation.objects.count() == 2
    services.SENDING.reset(str(people["guardian_a00"].pk))


def test_a_child_moving_class_moves_the_familys_reach(world, people):
    """Messaging follows the directory as it is today: after a change of class, the old
    teacher can no longer be written to (nor answered in an old conversation)."""
    import datetime as dt

    from preau.directory.models import Enrolment

    conversation = start(people["guardian_a00"], people["teacher_a0"], subject="Avant")
    pupil = world.a.pupils[0]
    Enrolment.objects.filter(pupil=pupil, ended_on__isnull=True).update(
        ended_on=dt.date(2026, 1, 5)
    )
    Enrolment.objects.create(
        pupil=pupil, school_class=world.a.classes[1], started_on=dt.date(2026, 1, 6)
    )
    client = client_for(world, people["guardian_a00"])
    refused = client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "Encore ?"})
    assert refused.status_code == 400
    ok = client.post(
        reverse("messaging:compose"), {"to": [people["teacher_a1"].pk], "body": "Bonjour"}
    )
    assert ok.status_code == 302


@pytest.mark.parametrize(
    "name", ["guardian_a01", "teacher_a1", "director_b", "vannes_admin", "outsider"]
)
def test_moderation_actions_on_others_are_404(world, people, name):
    from preau.messaging import moderation

    held = start(people["pupil"], people["teacher_a0"]).messages.get()
    sent = start(people["teacher_a0"], people["guardian_a00"])
    report = moderation.report(people["guardian_a00"], sent.messages.get(), "x")
    moderation.close(people["director_a"], sent)
    client = client_for(world, people[name])
    for path in (
        reverse("messaging:approve", args=[held.pk]),
        reverse("messaging:reject", args=[held.pk]),
        reverse("messaging:resolve", args=[report.pk]),
        reverse("messaging:reopen", args=[sent.pk]),
        reverse("messaging:close", args=[sent.pk]),
    ):
        assert client.post(path).status_code == 404, path
    held.refresh_from_db()
    assert held.status == held.Status.HELD


def test_refusals_of_a_new_message_do_not_name_the_person(world, people):
    """Trying ids one by one must not reveal whose they are (another family, a city)."""
    client = client_for(world, people["guardian_a00"])
    for name in ("guardian_a01", "teacher_v0", "outsider"):
        response = client.post(reverse("messaging:compose"), {"to": [people[name].pk], "body": "x"})
        assert response.status_code == 400
        assert people[name].last_name not in response.content.decode()
        assert "one of the people you chose" in response.content.decode()
    unknown = client.post(reverse("messaging:compose"), {"to": [987654], "body": "x"})
    assert unknown.status_code == 400


def test_one_conversation_for_families_only_when_asked_and_staff_together(world, people):
    teacher = client_for(world, people["teacher_a0"])
    response = teacher.post(
        reverse("messaging:compose"),
        {
            "to": [people["guardian_a00"].pk, people["guardian_a01"].pk],
            "body": "Réunion de classe",
            "together": "on",
        },
    )
    assert response.status_code == 302
    assert Conversation.objects.get().participants.count() == 3
    Conversation.objects.all().delete()
    director = client_for(world, people["director_a"])
    director.post(
        reverse("messaging:compose"),
        {"to": [people["teacher_a0"].pk, people["teacher_a1"].pk], "body": "Conseil"},
    )
    assert Conversation.objects.get().participants.count() == 3  # staff: one thread
