"""The agenda: municipality, school and class events; private iCal feeds; .ics imports.

An event concerns one audience: a whole municipality (the school holidays, set by a
city admin), one school (the director) or one class (its teachers). Each person's
agenda merges the events of their audiences. Dates are stored twice on purpose: an
all-day event has only dates, a timed event has aware datetimes too, and both carry
``starts_on``/``ends_on`` (inclusive, in Europe/Paris) so that "what happens between
these two days" is one indexed range query for either kind.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import Municipality, School, SchoolClass


def new_uid() -> str:
    return f"{uuid.uuid4()}@preau"


class Event(TimeStampedModel):
    class Audience(models.TextChoices):
        MUNICIPALITY = "municipality", _("all schools of the municipality")
        SCHOOL = "school", _("a school")
        CLASS = "class", _("a class")

    class Category(models.TextChoices):
        HOLIDAY = "holiday", _("Holidays")
        OUTING = "outing", _("Outing")
        MEETING = "meeting", _("Meeting")
        CELEBRATION = "celebration", _("School event")
        OTHER = "other", _("Other")

    audience = models.CharField(_("for"), max_length=12, choices=Audience.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="agenda_events"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_events"
    )
    school_class = models.ForeignKey(
        SchoolClass,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_events",
        verbose_name=_("class"),
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("kind"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    all_day = models.BooleanField(_("all day"), default=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    uid = models.CharField(max_length=255, unique=True, default=new_uid, editable=False)
    source_uid = models.CharField(_("UID in the imported file"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "starts_at", "title", "pk"]
        verbose_name = _("agenda event")
        indexes = [
            models.Index(fields=["municipality", "starts_on"], name="agenda_muni_start"),
            models.Index(fields=["school", "starts_on"], name="agenda_school_start"),
            models.Index(fields=["school_class", "starts_on"], name="agenda_class_start"),
        ]
        constraints = [
            models.CheckConstraint(
                name="agenda_audience_matches",
                condition=Q(audience="municipality", school__isnull=True, school_class__isnull=True)
                | Q(audience="school", school__isnull=False, school_class__isnull=True)
                | Q(audience="class", school__isnull=False, school_class__isnull=False),
            ),
            models.CheckConstraint(
                name="agenda_ends_after_start", condition=Q(ends_on__gte=F("starts_on"))
            ),
            models.CheckConstraint(
                name="agenda_times_match_all_day",
                condition=Q(all_day=True, starts_at__isnull=True, ends_at__isnull=True)
                | Q(all_day=False, starts_at__isnull=False, ends_at__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["school_class", "source_uid"],
                condition=~Q(source_uid=""),
                name="agenda_one_import_per_uid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_label(self) -> str:
        if self.audience == self.Audience.CLASS and self.school_class is not None:
            return self.school_class.label
        if self.audience == self.Audience.SCHOOL and self.school is not None:
            return self.school.name
        return self.municipality.name

    @property
    def spans_days(self) -> bool:
        return self.ends_on > self.starts_on


class FeedToken(models.Model):
    """The secret of a person's private iCal feed URL. Only its SHA-256 digest is kept;
    the clear token is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed link")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="agenda_one_live_feed"
            )
        ]

    def __str__(self) -> str:
        return f"calendar feed of user #{self.user_id}"


class IcsImport(models.Model):
    """An uploaded .ics file between its preview and its application.

    The file is kept in the row (it is small: uploads are capped) so that the preview
    and the apply read the same bytes; it is erased once applied.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed")
        APPLIED = "applied", _("applied")

    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="agenda_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=150)
    content = models.BinaryField(blank=True)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar import")

    def __str__(self) -> str:
        return self.file_name
