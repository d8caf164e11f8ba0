"""The cahier de liaison: notes from school that families read, sign and answer.

A note is sent once to a set of pupils; who it reached is frozen at sending: one
``NoteRecipient`` per pupil (with the class they were in) and one ``NoteGuardian`` per
legal guardian of that pupil, whether or not the guardian has an account yet. Guardians
sign and answer *per child*; every change of an answer is kept in ``AnswerChange``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Guardian, Municipality, Pupil, School, SchoolClass

YES = "yes"
NO = "no"


class Acknowledgement(models.TextChoices):
    NONE = "none", _("No signature")
    ONE = "one", _("One guardian per child signs")
    ALL = "all", _("Every guardian of the child signs")


class Question(models.TextChoices):
    NONE = "none", _("No question")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice among options")


class Audience(models.TextChoices):
    CLASSES = "classes", _("Whole class")
    GROUP = "group", _("Group of pupils")
    PUPIL = "pupil", _("One pupil")


def attachment_path(instance: Any, filename: str) -> str:
    # A random name: the file is only ever served through the access check.
    return f"liaison/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class Note(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="liaison_notes")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sender_label = models.CharField(_("from"), max_length=150)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Sanitised HTML"))
    audience = models.CharField(_("sent to"), max_length=10, choices=Audience.choices)
    audience_label = models.CharField(_("sent to"), max_length=300)
    acknowledgement = models.CharField(
        _("signature"), max_length=5, choices=Acknowledgement.choices, default=Acknowledgement.NONE
    )
    question = models.CharField(
        _("question"), max_length=10, choices=Question.choices, default=Question.NONE
    )
    options = models.JSONField(_("options"), default=list, blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=255, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminders_sent = models.PositiveIntegerField(_("reminders sent"), default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("note")
        indexes = [
            models.Index(fields=["school", "-sent_at"], name="liaison_note_school_sent"),
            models.Index(fields=["sender", "-sent_at"], name="liaison_note_sender_sent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def requires_signature(self) -> bool:
        return self.acknowledgement != Acknowledgement.NONE

    @property
    def has_question(self) -> bool:
        return self.question != Question.NONE

    @property
    def collects(self) -> bool:
        """Whether families have something to do: sign, answer, or both."""
        return self.requires_signature or self.has_question

    def is_closed(self, today: dt.date | None = None) -> bool:
        """Past the deadline: signatures and answers are no longer taken."""
        return self.due_on is not None and (today or timezone.localdate()) > self.due_on

    def answer_choices(self) -> list[tuple[str, str]]:
        if self.question == Question.YES_NO:
            return [(YES, str(_("Yes"))), (NO, str(_("No")))]
        if self.question == Question.CHOICE:
            return [(str(option), str(option)) for option in self.options]
        return []

    def answer_label(self, answer: str) -> str:
        return dict(self.answer_choices()).get(answer, answer)


class NoteRecipient(models.Model):
    """One pupil a note was sent to, as they were at sending (class included)."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="recipients")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    class_label = models.CharField(_("class"), max_length=150)
    # Set by the services when the child's family has done what the note asks.
    completed_at = models.DateTimeField(_("complete"), null=True, blank=True)

    class Meta:
        verbose_name = _("note recipient")
        constraints = [
            models.UniqueConstraint(fields=["note", "pupil"], name="liaison_one_row_per_pupil")
        ]
        indexes = [
            models.Index(fields=["pupil", "note"], name="liaison_recipient_pupil"),
            models.Index(fields=["school_class", "note"], name="liaison_recipient_class"),
        ]

    def __str__(self) -> str:
        return f"{self.note} → {self.pupil}"

    @property
    def municipality_id(self) -> int:
        return self.note.municipality_id


class NoteGuardian(models.Model):
    """A legal guardian of a recipient: when they first read, signed, what they answered."""

    recipient = models.ForeignKey(NoteRecipient, on_delete=models.CASCADE, related_name="guardians")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField(_("read"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=100, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardian of a note recipient")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "guardian"], name="liaison_one_row_per_guardian"
            )
        ]
        indexes = [models.Index(fields=["guardian", "recipient"], name="liaison_guardian_rows")]

    def __str__(self) -> str:
        return f"{self.recipient} / {self.guardian}"


class AnswerChange(models.Model):
    """Every answer a guardian gave, in order: the first one and each change."""

    row = models.ForeignKey(NoteGuardian, on_delete=models.CASCADE, related_name="answer_changes")
    answer = models.CharField(_("answer"), max_length=100)
    previous = models.CharField(_("previous answer"), max_length=100, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("answer change")

    def __str__(self) -> str:
        return f"{self.previous or '—'} → {self.answer}"
