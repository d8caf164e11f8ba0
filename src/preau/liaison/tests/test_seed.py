"""The demo's notes: a year of them, part signed, some still open, all consistent."""

from __future__ import annotations

from django.urls import reverse

from preau.liaison import seed
from preau.liaison.models import Note, NoteGuardian, NoteRecipient
from preau.liaison.status import progress


def test_demo_notes_fill_the_year_and_leave_something_to_sign(world):
    count = seed.load_demo_notes(world.lorient)
    assert count == Note.objects.count() > 0
    assert not Note.objects.filter(municipality=world.vannes).exists()
    # Every pupil of Lorient's classes got every note of their class.
    assert NoteRecipient.objects.filter(pupil__municipality=world.vannes).count() == 0
    per_pupil = NoteRecipient.objects.filter(pupil=world.a.pupils[0]).count()
    assert per_pupil == NoteRecipient.objects.filter(pupil=world.b.pupils[3]).count() > 0
    # Only guardians with an account ever read or sign.
    assert not NoteGuardian.objects.filter(
        guardian__user__isnull=True, first_read_at__isnull=False
    ).exists()
    # completed_at agrees with the status rule.
    for recipient in NoteRecipient.objects.select_related("note").prefetch_related("guardians"):
        complete = progress(recipient.note, list(recipient.guardians.all())).complete
        assert complete is (recipient.completed_at is not None)
    open_notes = [n for n in Note.objects.all() if n.collects and not n.is_closed()]
    assert open_notes
    page = world.client_for(world.parent).get(reverse("liaison:index"))
    assert page.status_code == 200
    assert sum(child.to_do for child in page.context["children"]) >= 1


def test_demo_notes_are_deterministic(world):
    seed.load_demo_notes(world.lorient)
    first = list(
        NoteGuardian.objects.order_by("pk").values_list(
            "recipient__note__title", "guardian_id", "signed_at", "answer"
        )
    )
    Note.objects.all().delete()
    seed.load_demo_notes(world.lorient)
    again = list(
        NoteGuardian.objects.order_by("pk").values_list(
            "recipient__note__title", "guardian_id", "signed_at", "answer"
        )
    )
    assert first == again
