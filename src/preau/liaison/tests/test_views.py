"""Every page through HTTP, as each persona, including someone else's note or child."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.conftest import make_user
from preau.core.models import AuditEvent
from preau.directory.models import GuardianLink
from preau.liaison.models import YES, Acknowledgement, Note, NoteGuardian, Question

from .conftest import PDF_BYTES, english, pdf_upload, send

STRANGERS = ["outsider", "city_admin", "vannes_admin", "erun", "teacher_b0", "director_b"]


def _last_message(resp):
    return str(list(resp.context["messages"])[-1])


def _client(world, name):
    return english(world.client_for(world.persona(name)))


def test_guardian_index_shows_notes_per_child_with_the_ones_to_sign_first(world):
    info = send(world, title="Information")
    to_sign = send(world, title="À signer", acknowledgement=Acknowledgement.ONE)
    other = send(
        world,
        world.a.teachers[1],
        title="Piscine CM2",
        acknowledgement=Acknowledgement.ALL,
        class_ids=[world.a.classes[1].pk],
    )
    resp = _client(world, "parent").get(reverse("liaison:index"))
    assert resp.status_code == 200
    children = resp.context["children"]
    # The eldest first: a.pupils[2] (CM2) was born before a.pupils[0] (CP).
    assert [c.pupil.pk for c in children] == [world.a.pupils[2].pk, world.a.pupils[0].pk]
    by_pupil = {c.pupil.pk: c for c in children}
    cp = by_pupil[world.a.pupils[0].pk]
    assert [n.note.pk for n in cp.notes] == [to_sign.pk, info.pk]
    assert cp.to_do == 1
    assert [n.note.pk for n in by_pupil[world.a.pupils[2].pk].notes] == [other.pk]
    assert b"Read and sign" in resp.content


def test_a_note_to_both_classes_appears_once_per_child(world):
    classes = [c.pk for c in world.a.classes]
    note = send(world, world.a.director, class_ids=classes, acknowledgement=Acknowledgement.ONE)
    children = _client(world, "parent").get(reverse("liaison:index")).context["children"]
    assert [[n.note.pk for n in c.notes] for c in children] == [[note.pk], [note.pk]]
    page = _client(world, "parent").get(reverse("liaison:note", args=[note.pk]))
    assert len(page.context["children"]) == 2


def test_pupil_reads_their_class_notes_without_signing(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    client = _client(world, "pupil")
    [child] = client.get(reverse("liaison:index")).context["children"]
    assert [n.state for n in child.notes] == ["info"]
    page = client.get(reverse("liaison:note", args=[note.pk]))
    assert page.status_code == 200
    assert b'name="answer"' not in page.content
    assert b"Seen and signed" not in page.content
    url = reverse("liaison:respond", args=[note.pk, world.a.pupils[0].pk])
    assert client.post(url).status_code == 404


def test_staff_index_lists_their_notes_with_completion(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    for name, seen in [("teacher_a0", True), ("director_a", True), ("teacher_a1", False)]:
        resp = _client(world, name).get(reverse("liaison:index"))
        assert resp.status_code == 200
        assert (note in list(resp.context["sent_page"])) is seen
    [row] = list(_client(world, "teacher_a0").get(reverse("liaison:index")).context["sent_page"])
    assert (row.done, row.total) == (0, 2)


@pytest.mark.parametrize("name", STRANGERS)
def test_strangers_get_an_empty_index(world, name):
    send(world)
    resp = _client(world, name).get(reverse("liaison:index"))
    assert resp.status_code == 200
    assert resp.context["children"] == []
    assert not resp.context["sent_page"] or not list(resp.context["sent_page"])


def test_opening_a_note_marks_it_read_for_my_rows_only(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    resp = _client(world, "parent").get(reverse("liaison:note", args=[note.pk]))
    assert resp.status_code == 200
    assert b"Seen and signed" in resp.content
    read = NoteGuardian.objects.filter(recipient__note=note, first_read_at__isnull=False)
    assert list(read.values_list("guardian_id", flat=True)) == [world.parent_guardian.pk]


@pytest.mark.parametrize("name", [*STRANGERS, "teacher_a1"])
def test_someone_elses_note_is_404(world, name):
    note = send(world, acknowledgement=Acknowledgement.ONE, attachment=pdf_upload())
    client = _client(world, name)
    for url in (
        reverse("liaison:note", args=[note.pk]),
        reverse("liaison:attachment", args=[note.pk]),
        reverse("liaison:tracking", args=[note.pk]),
        reverse("liaison:export_csv", args=[note.pk]),
        reverse("liaison:export_pdf", args=[note.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("liaison:respond", args=[note.pk, world.a.pupils[0].pk]),
        reverse("liaison:remind", args=[note.pk]),
        reverse("liaison:deadline", args=[note.pk]),
    ):
        assert client.post(url).status_code == 404, url


def test_a_guardian_of_another_child_of_the_class_cannot_open_a_one_pupil_note(world):
    other = make_user("parent01", "Alex", "PARENTA01")
    world.a.guardians[1].user = other
    world.a.guardians[1].save(update_fields=["user"])
    note = send(world, class_ids=[], pupil_ids=[world.a.pupils[0].pk], acknowledgement="one")
    client = english(world.client_for(other))
    assert client.get(reverse("liaison:note", args=[note.pk])).status_code == 404
    url = reverse("liaison:respond", args=[note.pk, world.a.pupils[0].pk])
    assert client.post(url).status_code == 404
    assert not NoteGuardian.objects.filter(signed_at__isnull=False).exists()


def test_guardian_signs_for_their_child_and_a_replay_says_already_signed(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    client = _client(world, "parent")
    url = reverse("liaison:respond", args=[note.pk, world.a.pupils[0].pk])
    resp = client.post(url, follow=True)
    assert resp.redirect_chain[-1][0].endswith(f"/notes/{note.pk}/#child-{world.a.pupils[0].pk}")
    assert "Signed for" in _last_message(resp)
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "Already signed" in _last_message(again)
    assert AuditEvent.objects.filter(action="liaison.note_signed").count() == 1


def test_signing_for_someone_elses_child_is_404(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    url = reverse("liaison:respond", args=[note.pk, world.a.pupils[1].pk])
    assert _client(world, "parent").post(url).status_code == 404
    missing = reverse("liaison:respond", args=[note.pk + 1000, world.a.pupils[0].pk])
    assert _client(world, "parent").post(missing).status_code == 404


def test_after_the_deadline_the_page_says_so_and_nothing_is_signed(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    Note.objects.filter(pk=note.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    client = _client(world, "parent")
    page = client.get(reverse("liaison:note", args=[note.pk]))
    assert b"signatures and answers are closed" in page.content
    assert b"Seen and signed" not in page.content
    resp = client.post(
        reverse("liaison:respond", args=[note.pk, world.a.pupils[0].pk]), follow=True
    )
    assert "closed" in _last_message(resp)
    assert not NoteGuardian.objects.filter(signed_at__isnull=False).exists()


def test_answer_a_question_then_change_it(world):
    note = send(world, question=Question.YES_NO, acknowledgement=Acknowledgement.ONE)
    client = _client(world, "parent")
    url = reverse("liaison:respond", args=[note.pk, world.a.pupils[0].pk])
    client.post(url, {"answer": YES})
    resp = client.post(url, {"answer": "no"}, follow=True)
    assert "Your answer for" in _last_message(resp)
    page = client.get(reverse("liaison:note", args=[note.pk]))
    assert b"Change my answer" in page.content
    assert b"Your answers so far" in page.content


def test_the_attachment_is_served_to_families_of_the_note(world):
    note = send(world, attachment=pdf_upload())
    resp = _client(world, "parent").get(reverse("liaison:attachment", args=[note.pk]))
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == PDF_BYTES
    assert "attachment" in resp["Content-Disposition"]


@pytest.mark.parametrize("name", ["teacher_a0", "director_a"])
def test_sender_and_director_see_the_tracking_table(world, name):
    note = send(world, acknowledgement=Acknowledgement.ALL)
    resp = _client(world, name).get(reverse("liaison:tracking", args=[note.pk]))
    assert resp.status_code == 200
    assert resp.context["summary"].total == 2
    assert b"no account yet" in resp.content
    assert resp.context["can_change"] is True


def test_a_teacher_sees_only_their_class_in_a_school_wide_note(world):
    note = send(world, world.a.director, class_ids=[c.pk for c in world.a.classes])
    resp = _client(world, "teacher_a1").get(reverse("liaison:tracking", args=[note.pk]))
    assert resp.status_code == 200
    assert {line.class_label for line in resp.context["table"].lines} == {world.a.classes[1].label}
    assert resp.context["can_change"] is False
    assert (
        _client(world, "teacher_a1").post(reverse("liaison:remind", args=[note.pk])).status_code
        == 404
    )


def test_director_is_redirected_from_the_reading_page_to_the_table(world):
    note = send(world)
    resp = _client(world, "director_a").get(reverse("liaison:note", args=[note.pk]))
    assert resp.status_code == 302
    assert resp["Location"] == reverse("liaison:tracking", args=[note.pk])


def test_reminders_through_the_page_are_rate_limited(world):
    note = send(world, acknowledgement=Acknowledgement.ALL)
    client = _client(world, "teacher_a0")
    url = reverse("liaison:remind", args=[note.pk])
    first = client.post(url, follow=True)
    assert "Reminder sent to 1 guardian" in _last_message(first)
    second = client.post(url, follow=True)
    assert "the next one can be sent" in _last_message(second)
    assert AuditEvent.objects.filter(action="liaison.reminders_sent").count() == 1


def test_the_sender_moves_the_deadline(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    client = _client(world, "teacher_a0")
    day = timezone.localdate() + dt.timedelta(days=3)
    client.post(reverse("liaison:deadline", args=[note.pk]), {"due_on": day.isoformat()})
    assert Note.objects.get(pk=note.pk).due_on == day
    resp = client.post(
        reverse("liaison:deadline", args=[note.pk]), {"due_on": "2001-01-01"}, follow=True
    )
    assert "in the past" in _last_message(resp)
    assert Note.objects.get(pk=note.pk).due_on == day


def test_compose_and_send_through_the_form(world):
    client = _client(world, "teacher_a0")
    page = client.get(reverse("liaison:compose"))
    assert page.status_code == 200
    assert page.context["selected_classes"] == {world.a.classes[0].pk}
    upload = pdf_upload()
    resp = client.post(
        reverse("liaison:compose"),
        {
            "title": "Sortie",
            "body": "Texte",
            "acknowledgement": "all",
            "question": "yes_no",
            "options": "",
            "due_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "classes": [world.a.classes[0].pk],
            "attachment": upload,
        },
    )
    note = Note.objects.get()
    assert resp.status_code == 302
    assert resp["Location"] == reverse("liaison:tracking", args=[note.pk])
    assert note.recipients.count() == 2
    assert note.attachment_name == "autorisation.pdf"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"classes": [], "pupils": []}, b"at least one class"),
        ({"attachment": pdf_upload("x.pdf", b"MZ\x90\x00 not a pdf")}, b"is not a PDF document"),
        ({"attachment": pdf_upload("x.pdf", b"")}, b"empty"),
        ({"question": "choice", "options": "Seule option"}, b"between 2 and"),
    ],
)
def test_compose_refuses_bad_input_with_a_clear_message(world, extra, message):
    data = {
        "title": "Sortie",
        "body": "Texte",
        "acknowledgement": "none",
        "question": "none",
        "classes": [world.a.classes[0].pk],
    } | extra
    resp = _client(world, "teacher_a0").post(reverse("liaison:compose"), data)
    assert resp.status_code == 400
    assert message in resp.content
    assert not Note.objects.exists()


def test_compose_does_not_offer_other_classes_and_refuses_them(world):
    client = _client(world, "teacher_a0")
    page = client.get(reverse("liaison:compose"))
    offered = [cls.pk for cls, _pupils in page.context["groups"]]
    assert offered == [world.a.classes[0].pk]
    resp = client.post(
        reverse("liaison:compose"),
        {"title": "T", "body": "B", "acknowledgement": "none", "question": "none",
         "classes": [world.b.classes[0].pk]},
    )  # fmt: skip
    assert resp.status_code == 400
    assert not Note.objects.exists()


@pytest.mark.parametrize("name", ["parent", "pupil", "outsider", "city_admin", "erun"])
def test_compose_is_404_for_who_cannot_send(world, name):
    assert _client(world, name).get(reverse("liaison:compose")).status_code == 404


def test_guardian_added_after_sending_does_not_see_the_note(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    late = make_user("late", "Late", "Guardian")
    world.a.guardians[1].user = late
    world.a.guardians[1].save(update_fields=["user"])
    GuardianLink.objects.create(guardian=world.a.guardians[1], pupil=world.a.pupils[0])
    assert (
        english(world.client_for(late)).get(reverse("liaison:note", args=[note.pk])).status_code
        == 200
    )
    # …for a.pupils[1], whose guardian they were at sending; not for a.pupils[0].
    page = english(world.client_for(late)).get(reverse("liaison:note", args=[note.pk]))
    assert [c.pupil.pk for c in page.context["children"]] == [world.a.pupils[1].pk]


def test_a_pupil_without_guardian_is_shown_as_such(world):
    GuardianLink.objects.filter(pupil=world.a.pupils[1]).delete()
    note = send(world, acknowledgement=Acknowledgement.ALL)
    resp = _client(world, "teacher_a0").get(reverse("liaison:tracking", args=[note.pk]))
    assert b"No legal guardian on file" in resp.content
    assert b"nobody to sign" in resp.content
    assert resp.context["summary"].complete == 0


def test_a_director_note_to_many_classes_names_no_child(world):
    note = send(world, world.a.director, class_ids=[c.pk for c in world.a.classes])
    assert note.audience_label == ", ".join(c.label for c in world.a.classes)
    one = send(world, class_ids=[], pupil_ids=[world.a.pupils[1].pk])
    resp = _client(world, "teacher_a0").get(reverse("liaison:index"))
    assert str(world.a.pupils[1]) not in [n.audience_label for n in resp.context["sent_page"]]
    assert one.audience_label == f"One pupil of {world.a.classes[0].label}"
