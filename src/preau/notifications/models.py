"""What is new for a person, and how they want to hear about it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.notifications.registry import DIGEST, IMMEDIATE, NONE


class EmailMode(models.TextChoices):
    NONE = NONE, _("No e-mail")
    IMMEDIATE = IMMEDIATE, _("An e-mail for each")
    DIGEST = DIGEST, _("A daily digest")


class Notification(models.Model):
    """One thing that happened, for one recipient. Texts are written by the caller.

    ``email_due_at`` is when an e-mail about it should leave (now for an immediate
    e-mail, the next digest, or the end of the recipient's quiet hours); it is cleared
    once the notification is e-mailed or no longer needs to be.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    url = models.CharField(_("link"), max_length=500)
    actor_label = models.CharField(_("from"), max_length=150, blank=True)
    municipality_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_due_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            models.Index(
                fields=["email_due_at"],
                name="notif_email_due",
                condition=Q(email_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A person's choice of e-mail for one kind; without a row, the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=50)
    email = models.CharField(_("e-mail"), max_length=10, choices=EmailMode.choices)

    class Meta:
        verbose_name = _("notification preference")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_user_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.email}"


class DeliverySettings(models.Model):
    """A person's e-mail settings that hold for every kind: digest time, quiet hours.

    Without a row, defaults apply (:func:`preau.notifications.delivery.settings_for`):
    school staff get quiet hours 19:00–07:30 and weekends.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_delivery",
    )
    emails_enabled = models.BooleanField(_("send me e-mails"), default=True)
    digest_hour = models.PositiveSmallIntegerField(_("digest time"), default=17)
    quiet_hours = models.BooleanField(_("quiet hours"), default=False)
    quiet_start = models.TimeField(_("quiet from"), default=dt.time(19, 0))
    quiet_end = models.TimeField(_("quiet until"), default=dt.time(7, 30))
    quiet_weekends = models.BooleanField(_("quiet all weekend"), default=False)
    language = models.CharField(_("e-mail language"), max_length=10, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification delivery settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__lte=23), name="notif_delivery_digest_hour"
            ),
        ]

    def __str__(self) -> str:
        return f"delivery settings of user #{self.user_id}"
