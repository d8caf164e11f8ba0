"""The helpdesk: tickets reported by school staff, handled by the city's technicians."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import Municipality, School, Site
from preau.fleet.models import Asset


class Category(models.TextChoices):
    NETWORK = "network", _("network")
    PRINTER = "printer", _("printer")
    LAPTOP = "laptop", _("laptop")
    TABLET = "tablet", _("tablet")
    DISPLAY = "display", _("interactive display")
    SOFTWARE = "software", _("software")
    ACCOUNT = "account", _("account")
    OTHER = "other", _("other")


class Urgency(models.TextChoices):
    LOW = "low", _("low: it can wait")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high: a class is disturbed")
    BLOCKING = "blocking", _("blocking: a class cannot work")


class Status(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING)


class Ticket(TimeStampedModel):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="tickets")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="tickets")
    asset = models.ForeignKey(
        Asset,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name=_("equipment"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        verbose_name=_("assigned to"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    title = models.CharField(_("summary"), max_length=150)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    # The first thing a technician did that the reporter can see (assign, answer, status).
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    minutes_spent = models.PositiveIntegerField(_("time spent (minutes)"), default=0)

    class Meta:
        verbose_name = _("ticket")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "status", "created_at"]),
            models.Index(fields=["school", "status"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Comment(models.Model):
    """One step of a ticket: an answer, a status change, time spent — or all three.

    An internal comment is for the technicians: the reporter and the school never see it.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    body = models.TextField(_("comment"), blank=True)
    internal = models.BooleanField(_("internal (technicians only)"), default=False)
    status_before = models.CharField(max_length=12, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=12, choices=Status.choices, blank=True)
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.at:%Y-%m-%d %H:%M}"


class Photo(models.Model):
    """A photo of the problem, re-encoded as a JPEG without metadata, kept in the row."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="photos")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(max_length=150)
    data = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """How soon a category's tickets should get a first response and a resolution."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    first_response_hours = models.PositiveIntegerField(_("first response within (hours)"))
    resolution_hours = models.PositiveIntegerField(_("resolution within (hours)"))

    class Meta:
        verbose_name = _("service target")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "category"], name="helpdesk_sla_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.first_response_hours} h / {self.resolution_hours} h"
