"""What the cahier de liaison tells families, through ``preau.notifications``.

Titles name the school and the note's own title, never a child nor another family:
the same text reaches every guardian of the note (see the kinds in
``notification_kinds.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from preau.liaison.models import Note, NoteGuardian
from preau.notifications.services import notify

NEW_NOTE = "liaison.note"
REMINDER = "liaison.reminder"


def note_url(note: Note) -> str:
    return reverse("liaison:note", args=[note.pk])


def _guardian_users(note: Note) -> list[Any]:
    guardians = NoteGuardian.objects.filter(recipient__note=note).values("guardian_id")
    return list(get_user_model().objects.filter(guardian__in=guardians, is_active=True))


def new_note(note: Note, sender: Any) -> int:
    """Tell every guardian with an account that a note reached one of their children."""
    if note.collects:
        title = _("Note to sign from %(school)s: %(title)s")
    else:
        title = _("New note from %(school)s: %(title)s")
    return notify(
        recipients=_guardian_users(note),
        kind=NEW_NOTE,
        title=title % {"school": note.school.name, "title": note.title},
        url=note_url(note),
        actor=sender,
        municipality_id=note.municipality_id,
    )


def reminder(note: Note, users: Sequence[Any], sender: Any) -> int:
    if note.due_on is not None:
        title = _("Reminder, to do by %(date)s: %(title)s") % {
            "date": formats.date_format(note.due_on, "SHORT_DATE_FORMAT"),
            "title": note.title,
        }
    else:
        title = _("Reminder, still to do: %(title)s") % {"title": note.title}
    return notify(
        recipients=users,
        kind=REMINDER,
        title=title,
        url=note_url(note),
        actor=sender,
        municipality_id=note.municipality_id,
    )
