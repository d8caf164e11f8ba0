"""The cahier de textes: per class and per day, what was done and what is to do.

An entry belongs to one class and one day (the lesson's day). Its texts are a small safe
subset of HTML, cleaned on the way in (``homework.text``); its attachments are PDFs or
images, checked by content and kept in Django's storage under unguessable names, and
served only through the access kernel.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import SchoolClass


class Subject(models.TextChoices):
    FRENCH = "french", _("French")
    MATHS = "maths", _("Mathematics")
    LANGUAGES = "languages", _("Modern languages")
    WORLD = "world", _("Questioning the world")
    HISTORY_GEOGRAPHY = "history_geography", _("History and geography")
    SCIENCE = "science", _("Science and technology")
    ARTS = "arts", _("Visual arts")
    MUSIC = "music", _("Music")
    SPORT = "sport", _("Physical education")
    CIVICS = "civics", _("Moral and civic education")
    OTHER = "other", _("Other")


class Entry(TimeStampedModel):
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        related_name="homework_entries",
        verbose_name=_("class"),
    )
    date = models.DateField(_("day"))
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    topic = models.CharField(
        _("topic"), max_length=100, blank=True, help_text=_("e.g. Reading, Poetry, Fractions")
    )
    done_text = models.TextField(_("done in class"), blank=True)
    todo_text = models.TextField(_("to do"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "subject", "pk"]
        verbose_name = _("homework entry")
        verbose_name_plural = _("homework entries")
        indexes = [
            models.Index(fields=["school_class", "date"], name="homework_class_date"),
            models.Index(fields=["school_class", "due_on"], name="homework_class_due"),
        ]
        constraints = [
            models.CheckConstraint(
                name="homework_todo_has_due_date",
                condition=Q(todo_text="") | Q(due_on__isnull=False),
            ),
            models.CheckConstraint(
                name="homework_due_after_day",
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class} — {self.date:%Y-%m-%d} — {self.subject_display}"

    @property
    def subject_display(self) -> str:
        label = str(self.get_subject_display())
        if self.subject == Subject.OTHER and self.topic:
            return self.topic
        return f"{label} — {self.topic}" if self.topic else label

    @property
    def municipality_id(self) -> int:
        return self.school_class.school.municipality_id


class Attachment(models.Model):
    """A worksheet or a picture joined to an entry: a PDF, PNG, JPEG or WebP file."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("homework attachment")

    def __str__(self) -> str:
        return self.original_name
