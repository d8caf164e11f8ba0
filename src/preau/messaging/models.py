"""Messaging: conversations between people of a municipality, under a communication matrix.

A conversation has participants (each with their own read marker and archive flag) and
messages. A message is *sent* (visible to every participant), *held* (a pupil's message
waiting for a teacher of their class to approve it) or *rejected*. The conversation
keeps the time and a short excerpt of its last visible message, so that the inbox is one
query whatever its length. Attachments live in Django's default storage and are served
only through a view that asks the access kernel. Who may write to whom is the matrix
(``rules.py``); a city admin's changes to it are ``MatrixRule`` rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Municipality, School, SchoolClass
from preau.messaging.roles import Party, Reach

SUBJECT_MAX = 150
EXCERPT_MAX = 140


class Conversation(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    # The school the conversation belongs to, for moderation (its director); none when
    # only city staff take part.
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    last_excerpt = models.CharField(max_length=EXCERPT_MAX, blank=True)
    last_sender_label = models.CharField(max_length=150, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("conversation")
        indexes = [models.Index(fields=["school", "closed_at"], name="msg_conv_school_closed")]

    def __str__(self) -> str:
        # Neutral on purpose: the audit log shows this, and a subject may be personal.
        return f"conversation #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="msg_one_participant")
        ]
        indexes = [models.Index(fields=["user", "archived_at"], name="msg_part_user_archived")]

    def __str__(self) -> str:
        return f"user #{self.user_id} in conversation #{self.conversation_id}"


class Message(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        HELD = "held", _("awaiting a teacher's approval")
        REJECTED = "rejected", _("not delivered")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_label = models.CharField(max_length=150)
    body = models.TextField(_("message"), help_text="Plain text; shown escaped, links made.")
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    # When the participants could first see it: at sending, or at a teacher's approval.
    visible_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    # A pupil's held message waits for a teacher of this class (or the director).
    held_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="msg_msg_conv_created"),
            models.Index(fields=["held_class"], name="msg_msg_held", condition=Q(status="held")),
        ]

    def __str__(self) -> str:
        return f"message #{self.pk} in conversation #{self.conversation_id}"

    @property
    def municipality_id(self) -> int:
        return self.conversation.municipality_id


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    # Stored under a random name (the service chooses it); the original name is a field.
    file = models.FileField(upload_to="messaging/%Y/%m/", max_length=200)
    thumbnail = models.FileField(upload_to="messaging/%Y/%m/", max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AbuseReport(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_label = models.CharField(max_length=150)
    reason = models.TextField(_("what is wrong"), blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("handled"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(_("what was done"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("abuse report")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="msg_one_open_report",
            )
        ]

    def __str__(self) -> str:
        return f"report #{self.pk} on message #{self.message_id}"


class MatrixRule(models.Model):
    """A city admin's choice for one pair of roles, for a school or (without a school)
    as the municipality's default. Pairs without a row follow the built-in default."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sender_role = models.CharField(max_length=12, choices=Party.choices)
    recipient_role = models.CharField(max_length=12, choices=Party.choices)
    reach = models.CharField(max_length=12, choices=Reach.choices)
    moderated = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("communication rule")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "school", "sender_role", "recipient_role"],
                condition=Q(school__isnull=False),
                name="msg_rule_school_pair",
            ),
            models.UniqueConstraint(
                fields=["municipality", "sender_role", "recipient_role"],
                condition=Q(school__isnull=True),
                name="msg_rule_municipality_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_role} → {self.recipient_role}: {self.reach}"
