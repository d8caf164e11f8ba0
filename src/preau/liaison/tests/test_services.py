"""Sending, signing, answering, reminding: the services' rules and their bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from preau.core.models import AuditEvent
from preau.liaison import follow_up, services
from preau.liaison.models import (
    YES,
    Acknowledgement,
    AnswerChange,
    Audience,
    Note,
    NoteGuardian,
    NoteRecipient,
    Question,
)
from preau.liaison.services import LiaisonError
from preau.notifications.models import Notification

from .conftest import pdf_upload, send


def _row(note, pupil, guardian):
    return NoteGuardian.objects.select_related("guardian", "recipient__note").get(
        recipient__note=note, recipient__pupil=pupil, guardian=guardian
    )


def test_sending_freezes_pupils_and_every_legal_guardian(world):
    note = send(world, acknowledgement=Acknowledgement.ALL)
    cls = world.a.classes[0]
    recipients = NoteRecipient.objects.filter(note=note)
    assert {r.pupil_id for r in recipients} == {world.a.pupils[0].pk, world.a.pupils[1].pk}
    assert {r.class_label for r in recipients} == {cls.label}
    rows = NoteGuardian.objects.filter(recipient__note=note)
    # a.pupils[0]: PARENTA00 (no account) and Camille; a.pupils[1]: PARENTA01.
    assert rows.count() == 3
    assert note.audience == Audience.CLASSES
    assert note.audience_label == cls.label
    assert note.municipality_id == world.lorient.pk
    event = AuditEvent.objects.get(action="liaison.note_sent")
    assert event.data["recipients"] == 2
    assert event.data["guardians"] == 3


def test_guardians_with_an_account_are_notified_without_other_families_names(world):
    note = send(world, acknowledgement=Acknowledgement.ONE, title="Photo de classe")
    [notice] = Notification.objects.filter(kind="liaison.note")
    assert notice.recipient == world.parent
    assert notice.url == f"/notes/{note.pk}/"
    assert "Photo de classe" in notice.title
    for pupil in world.a.pupils:
        assert pupil.last_name not in notice.title
        assert pupil.first_name not in notice.title


def test_a_group_and_one_pupil(world):
    pupils = [world.a.pupils[0].pk]
    note = send(world, class_ids=[], pupil_ids=pupils)
    assert note.audience == Audience.PUPIL
    assert "ELEVE" not in note.audience_label
    assert list(note.recipients.values_list("pupil_id", flat=True)) == pupils
    both = send(world, class_ids=[], pupil_ids=[world.a.pupils[0].pk, world.a.pupils[1].pk])
    assert both.audience == Audience.GROUP


def test_director_sends_to_two_classes_and_camille_gets_one_row_per_child(world):
    classes = [c.pk for c in world.a.classes]
    note = send(world, world.a.director, class_ids=classes, acknowledgement=Acknowledgement.ONE)
    camille_rows = NoteGuardian.objects.filter(recipient__note=note, guardian=world.parent_guardian)
    assert camille_rows.count() == 2
    assert set(camille_rows.values_list("recipient__class_label", flat=True)) == {
        c.label for c in world.a.classes
    }


@pytest.mark.parametrize(
    ("sender", "classes"),
    [("teacher_a0", "a1"), ("teacher_b0", "a0"), ("director_b", "a0"), ("parent", "a0")],
)
def test_nobody_sends_outside_their_classes(world, sender, classes):
    school_class = world.a.classes[int(classes[1])]
    with pytest.raises(LiaisonError, match="cannot send"):
        send(world, world.persona(sender), class_ids=[school_class.pk])
    assert not Note.objects.exists()


def test_a_pupil_of_another_class_is_refused(world):
    with pytest.raises(LiaisonError, match="not in one of your classes"):
        send(world, class_ids=[], pupil_ids=[world.a.pupils[2].pk])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "title is empty"),
        ({"body": "<script>alert(1)</script>"}, "text is empty"),
        ({"question": Question.CHOICE, "options": ["Oui"]}, "between 2 and"),
        ({"question": Question.CHOICE, "options": ["Oui", "oui"]}, "same"),
        ({"due_on": dt.date(2000, 1, 1)}, "in the past"),
        ({"class_ids": [], "pupil_ids": []}, "at least one"),
        ({"acknowledgement": "twice"}, "Unknown signature"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, fields, message):
    with pytest.raises(LiaisonError, match=message):
        send(world, **fields)
    assert not Note.objects.exists()
    assert not AuditEvent.objects.filter(action="liaison.note_sent").exists()


def test_html_is_cleaned_and_plain_text_keeps_its_lines(world):
    note = send(
        world, body='Bonjour<script>alert(1)</script> <a href="javascript:x" onclick="y">ici</a>'
    )
    assert "script" not in note.body
    assert "javascript" not in note.body
    assert "onclick" not in note.body
    plain = send(world, body="Ligne 1\nLigne 2\n\nParagraphe 2 & <b>gras</b>")
    assert plain.body == "<p>Ligne 1<br>Ligne 2</p><p>Paragraphe 2 &amp; <b>gras</b></p>"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "vide.pdf", "empty"),
        (b"GIF89a....", "photo.pdf", "not a PDF"),
        (b"%PDF-" + b"0" * (services.MAX_ATTACHMENT_BYTES), "gros.pdf", "at most"),
    ],
)
def test_bad_attachments_are_refused(world, settings, content, name, message):
    with pytest.raises(LiaisonError, match=message):
        send(world, attachment=pdf_upload(name, content))
    assert not Note.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(media.rglob("*.pdf")) if media.exists() else True


def test_a_pdf_is_stored_under_a_random_name(world):
    note = send(world, attachment=pdf_upload("Autorisation sortie.pdf"))
    assert note.attachment_name == "Autorisation sortie.pdf"
    assert "Autorisation" not in note.attachment.name
    assert note.attachment.read().startswith(b"%PDF-")


def test_signing_is_idempotent_and_audited_once(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    row = _row(note, world.a.pupils[0], world.parent_guardian)
    first = services.respond(world.parent, row)
    assert first.newly_signed
    again = services.respond(world.parent, _row(note, world.a.pupils[0], world.parent_guardian))
    assert not again.changed
    assert again.signed_at == first.signed_at
    assert AuditEvent.objects.filter(action="liaison.note_signed").count() == 1
    assert NoteRecipient.objects.get(note=note, pupil=world.a.pupils[0]).completed_at is not None


def test_every_guardian_must_sign_when_asked(world, second_parent):
    note = send(world, acknowledgement=Acknowledgement.ALL)
    recipient = NoteRecipient.objects.get(note=note, pupil=world.a.pupils[0])
    services.respond(world.parent, _row(note, world.a.pupils[0], world.parent_guardian))
    recipient.refresh_from_db()
    assert recipient.completed_at is None
    services.respond(second_parent, _row(note, world.a.pupils[0], world.a.guardians[0]))
    recipient.refresh_from_db()
    assert recipient.completed_at is not None


def test_nobody_signs_for_someone_elses_child(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    row = _row(note, world.a.pupils[1], world.a.guardians[1])
    with pytest.raises(LiaisonError, match="your own children"):
        services.respond(world.parent, row)
    assert not NoteGuardian.objects.filter(signed_at__isnull=False).exists()


def test_answers_change_until_the_deadline_with_their_history(world):
    note = send(world, question=Question.YES_NO, acknowledgement=Acknowledgement.ONE)
    row = _row(note, world.a.pupils[0], world.parent_guardian)
    with pytest.raises(LiaisonError, match="Choose an answer"):
        services.respond(world.parent, row)
    with pytest.raises(LiaisonError, match="not one of the answers"):
        services.respond(world.parent, row, answer="maybe")
    services.respond(world.parent, row, answer=YES)
    changed = services.respond(
        world.parent, _row(note, world.a.pupils[0], world.parent_guardian), answer="no"
    )
    assert changed.answer_changed
    assert not changed.newly_signed
    history = list(AnswerChange.objects.filter(row=row).values_list("previous", "answer"))
    assert history == [("", "yes"), ("yes", "no")]
    assert (
        AuditEvent.objects.filter(action="liaison.answer_changed").get().data["previous"] == "yes"
    )
    Note.objects.filter(pk=note.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(LiaisonError, match="closed"):
        services.respond(
            world.parent, _row(note, world.a.pupils[0], world.parent_guardian), answer=YES
        )
    assert NoteGuardian.objects.get(pk=row.pk).answer == "no"


def test_choice_question(world):
    note = send(world, question=Question.CHOICE, options=["Je viens", "Je ne viens pas"])
    row = _row(note, world.a.pupils[0], world.parent_guardian)
    outcome = services.respond(world.parent, row, answer="Je viens")
    assert outcome.answer == "Je viens"
    assert NoteRecipient.objects.get(pk=row.recipient_id).completed_at is not None


def test_information_only_notes_are_complete_once_read(world):
    note = send(world)
    with pytest.raises(LiaisonError, match="no signature"):
        services.respond(world.parent, _row(note, world.a.pupils[0], world.parent_guardian))
    assert services.mark_read(world.parent, note) == 1
    assert services.mark_read(world.parent, note) == 0
    recipient = NoteRecipient.objects.get(note=note, pupil=world.a.pupils[0])
    assert recipient.completed_at is not None


def test_reminders_are_rate_limited_per_note(world):
    note = send(world, acknowledgement=Acknowledgement.ALL)
    Notification.objects.all().delete()
    done = follow_up.send_reminders(world.a.teachers[0], note)
    assert done.notified == 1  # Camille; PARENTA00 and PARENTA01 have no account
    assert done.without_account == 2
    assert Notification.objects.get(kind="liaison.reminder").recipient == world.parent
    with pytest.raises(LiaisonError, match="next one can be sent"):
        follow_up.send_reminders(world.a.teachers[0], note)
    Note.objects.filter(pk=note.pk).update(
        last_reminded_at=timezone.now() - follow_up.REMINDER_INTERVAL
    )
    note.refresh_from_db()
    assert follow_up.send_reminders(world.a.teachers[0], note).notified == 1
    assert Note.objects.get(pk=note.pk).reminders_sent == 2


def test_no_reminder_once_everyone_with_an_account_signed(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    services.respond(world.parent, _row(note, world.a.pupils[0], world.parent_guardian))
    with pytest.raises(LiaisonError, match="no account yet"):
        follow_up.send_reminders(world.a.teachers[0], note)
    assert Note.objects.get(pk=note.pk).last_reminded_at is None


def test_deadline_can_be_moved_and_reopens_signatures(world):
    note = send(world, acknowledgement=Acknowledgement.ONE)
    Note.objects.filter(pk=note.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    note.refresh_from_db()
    with pytest.raises(LiaisonError, match="passed"):
        follow_up.send_reminders(world.a.teachers[0], note)
    follow_up.set_deadline(world.a.teachers[0], note, timezone.localdate())
    outcome = services.respond(world.parent, _row(note, world.a.pupils[0], world.parent_guardian))
    assert outcome.newly_signed
