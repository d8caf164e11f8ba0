"""Moderation through HTTP: a pupil's held message, abuse reports, closing a conversation,
and the communication matrix a city admin edits."""

import pytest
from django.urls import reverse

from preau.core.models import AuditEvent
from preau.messaging.errors import MessagingError
from preau.messaging.matrix import save_matrix
from preau.messaging.models import AbuseReport, Conversation, MatrixRule, Message
from preau.messaging.roles import Cell
from preau.notifications.models import Notification

from .conftest import client_for
from .helpers import start


def url(conversation: Conversation) -> str:
    return reverse("messaging:conversation", args=[conversation.pk])


def test_pupil_message_is_held_until_their_teacher_approves(world, people):
    pupil, teacher = people["pupil"], people["teacher_a0"]
    client = client_for(world, pupil)
    response = client.post(
        reverse("messaging:compose"),
        {"to": [teacher.pk], "subject": "Mon exposé", "body": "Je peux le présenter ?"},
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    message = conversation.messages.get()
    assert message.status == Message.Status.HELD
    assert message.held_class == world.a.classes[0]
    # the pupil sees it, marked as waiting; the teacher does not see it in their inbox yet
    assert "Awaiting a teacher" in client.get(url(conversation)).content.decode()
    t = client_for(world, teacher)
    assert "Mon exposé" not in t.get(reverse("messaging:inbox")).content.decode()
    assert t.get(url(conversation)).status_code == 404
    assert not Notification.objects.filter(kind="messaging.message").exists()
    assert Notification.objects.filter(recipient=teacher, kind="messaging.moderation").exists()

    # a teacher of another class cannot approve it
    other = client_for(world, people["teacher_a1"])
    assert "Je peux le présenter" not in other.get(reverse("messaging:moderation")).content.decode()
    assert other.post(reverse("messaging:approve", args=[message.pk])).status_code == 404

    page = t.get(reverse("messaging:moderation")).content.decode()
    assert "Je peux le présenter" in page
    assert t.post(reverse("messaging:approve", args=[message.pk])).status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.moderated_by == teacher
    assert "Mon exposé" in t.get(reverse("messaging:inbox")).content.decode()
    assert Notification.objects.filter(recipient=teacher, kind="messaging.message").exists()
    assert AuditEvent.objects.filter(action="messaging.approved", actor=teacher).exists()
    # approving twice says so
    t.post(reverse("messaging:approve", args=[message.pk]))
    assert t.post(reverse("messaging:approve", args=[message.pk])).status_code == 404


def test_rejected_pupil_message_is_never_delivered(world, people):
    conversation = start(people["pupil"], people["teacher_a0"], subject="Hors sujet")
    message = conversation.messages.get()
    director = client_for(world, people["director_a"])  # the director may moderate too
    response = director.post(
        reverse("messaging:reject", args=[message.pk]), {"note": "Parlons-en en classe."}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.REJECTED
    page = client_for(world, people["pupil"]).get(url(conversation)).content.decode()
    assert "Not delivered" in page
    assert "Parlons-en en classe." in page
    teacher = client_for(world, people["teacher_a0"])
    assert teacher.get(url(conversation)).status_code == 404


def test_pupil_replies_are_moderated_too(world, people):
    conversation = start(people["teacher_a0"], people["pupil"], subject="Ton exposé")
    client = client_for(world, people["pupil"])
    client.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "D'accord !"})
    reply = conversation.messages.order_by("-pk")[0]
    assert reply.status == Message.Status.HELD
    # the teacher, who moderates the class, sees it waiting, with the button to deliver it
    page = client_for(world, people["teacher_a0"]).get(url(conversation)).content.decode()
    assert "Awaiting a teacher" in page
    assert reverse("messaging:approve", args=[reply.pk]) in page
    read = conversation.participants.get(user=people["teacher_a0"]).last_read_at
    assert read is not None
    assert read < reply.created_at


def test_report_reaches_the_director_and_city_admins_only(world, people):
    conversation = start(people["teacher_a0"], people["guardian_a00"], body="Message déplacé")
    message = conversation.messages.get()
    guardian = client_for(world, people["guardian_a00"])
    assert guardian.get(reverse("messaging:report", args=[message.pk])).status_code == 200
    response = guardian.post(
        reverse("messaging:report", args=[message.pk]), {"reason": "Ton agressif"}
    )
    assert response.status_code == 302
    report = AbuseReport.objects.get()
    assert report.school == world.a.school
    assert report.reporter == people["guardian_a00"]
    assert AuditEvent.objects.filter(action="messaging.reported").exists()
    for name in ("director_a", "city_admin"):
        assert Notification.objects.filter(recipient=people[name], kind="messaging.report")
        client = client_for(world, people[name])
        assert "Ton agressif" in client.get(reverse("messaging:moderation")).content.decode()
        assert client.get(url(conversation)).status_code == 200  # to judge it
    for name in ("director_b", "vannes_admin", "teacher_a1"):
        client = client_for(world, people[name])
        assert "Ton agressif" not in client.get(reverse("messaging:moderation")).content.decode()
        assert client.get(url(conversation)).status_code == 404
    assert (
        client_for(world, people["guardian_a00"]).get(reverse("messaging:moderation")).status_code
        == 404
    )

    again = guardian.post(reverse("messaging:report", args=[message.pk]), {"reason": "Encore"})
    assert again.status_code == 400
    assert "already reported" in again.content.decode()
    own = client_for(world, people["teacher_a0"]).post(
        reverse("messaging:report", args=[message.pk])
    )
    assert own.status_code == 400
    assert "your own message" in own.content.decode()

    director = client_for(world, people["director_a"])
    assert (
        director.post(reverse("messaging:resolve", args=[report.pk]), {"note": "Vu"}).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.resolved_by == people["director_a"]
    assert report.resolution == "Vu"
    # director_b cannot handle it
    assert (
        client_for(world, people["director_b"])
        .post(reverse("messaging:resolve", args=[report.pk]))
        .status_code
        == 404
    )


def test_director_closes_a_conversation_and_participants_see_it(world, people):
    conversation = start(people["guardian_a00"], people["director_a"], subject="Réclamation")
    director = client_for(world, people["director_a"])
    # a teacher of the school, even a participant, cannot close it
    assert (
        client_for(world, people["teacher_a0"])
        .post(reverse("messaging:close", args=[conversation.pk]))
        .status_code
        == 404
    )
    response = director.post(
        reverse("messaging:close", args=[conversation.pk]), {"note": "Réglé par téléphone."}
    )
    assert response.status_code == 302
    guardian = client_for(world, people["guardian_a00"])
    page = guardian.get(url(conversation)).content.decode()
    assert "was closed" in page
    assert "Réglé par téléphone." in page
    assert f'action="/messages/{conversation.pk}/reply/"' not in page
    refused = guardian.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "Non"})
    assert refused.status_code == 400
    assert "closed" in refused.content.decode()
    assert conversation.messages.count() == 1
    assert "closed" in guardian.get(reverse("messaging:inbox")).content.decode()
    assert AuditEvent.objects.filter(action="messaging.closed", actor=people["director_a"])

    assert director.post(reverse("messaging:reopen", args=[conversation.pk])).status_code == 302
    guardian.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "Merci"})
    assert conversation.messages.count() == 2


def test_director_of_another_school_cannot_close(world, people):
    conversation = start(people["guardian_a00"], people["teacher_a0"])
    for name in ("director_b", "city_admin"):  # not reported: city admins do not see it
        response = client_for(world, people[name]).post(
            reverse("messaging:close", args=[conversation.pk])
        )
        assert response.status_code == 404, name


# The communication matrix page -------------------------------------------------------


def test_matrix_page_is_for_city_admins_of_the_municipality(world, people):
    matrix = reverse("messaging:matrix")
    assert client_for(world, people["city_admin"]).get(matrix).status_code == 200
    for name in ("director_a", "teacher_a0", "guardian_a00", "erun", "outsider"):
        assert client_for(world, people[name]).get(matrix).status_code == 404, name
    vannes = client_for(world, people["vannes_admin"])
    assert vannes.get(matrix, {"school": world.a.school.pk}).status_code == 404
    assert vannes.get(matrix, {"school": world.v.school.pk}).status_code == 200


def test_matrix_change_by_city_admin_takes_effect(world, people):
    admin = client_for(world, people["city_admin"])
    page = admin.get(reverse("messaging:matrix"), {"school": world.a.school.pk})
    form = {k: "" for k in page.context["form"].fields if k.startswith("cell_")}
    form["mod_pupil_teacher"] = "on"  # unchanged: inherited moderation stays
    form["cell_guardian_guardian"] = "class"  # school A: families of a class may talk
    response = admin.post(reverse("messaging:matrix") + f"?school={world.a.school.pk}", form)
    assert response.status_code == 302
    rule = MatrixRule.objects.get()
    assert (rule.school, rule.sender_role, rule.reach) == (world.a.school, "guardian", "class")
    event = AuditEvent.objects.get(action="messaging.matrix_changed")
    assert event.data["changes"] == [
        {"pair": "guardian→guardian", "before": "inherited", "after": "class"}
    ]

    guardian = client_for(world, people["guardian_a00"])
    ok = guardian.post(
        reverse("messaging:compose"), {"to": [people["guardian_a01"].pk], "body": "Covoiturage ?"}
    )
    assert ok.status_code == 302
    # school B keeps the default; another class of A is still too far
    refused = guardian.post(
        reverse("messaging:compose"), {"to": [people["guardian_a10"].pk], "body": "Covoiturage ?"}
    )
    assert refused.status_code == 400

    # the municipality forbids guardians → teachers; school A's own rules still apply
    page = admin.get(reverse("messaging:matrix"))
    form = {k: "" for k in page.context["form"].fields if k.startswith("cell_")}
    form["mod_pupil_teacher"] = "on"
    form["cell_guardian_teacher"] = "none"
    assert admin.post(reverse("messaging:matrix"), form).status_code == 302
    refused = guardian.post(
        reverse("messaging:compose"), {"to": [people["teacher_a0"].pk], "body": "Bonjour"}
    )
    assert refused.status_code == 400
    assert "guardians may not write to teachers" in refused.content.decode()
    b_guardian = client_for(world, people["guardian_b00"])
    assert (
        b_guardian.post(
            reverse("messaging:compose"), {"to": [people["teacher_b0"].pk], "body": "Bonjour"}
        ).status_code
        == 400
    )


def test_matrix_refuses_moderation_for_adults(world, people):
    admin = client_for(world, people["city_admin"])
    page = admin.get(reverse("messaging:matrix"))
    assert "mod_guardian_teacher" not in page.context["form"].fields
    with pytest.raises(MessagingError, match="Only pupils"):
        save_matrix(
            people["city_admin"],
            world.lorient,
            None,
            {("guardian", "teacher"): Cell("class", True)},
        )
    with pytest.raises(MessagingError, match="not in this municipality"):
        save_matrix(people["city_admin"], world.lorient, world.v.school, {})
    assert not MatrixRule.objects.exists()
