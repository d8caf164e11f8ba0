"""The kinds of notification messaging sends (the notifications app lists them in each
person's preferences, with these default e-mail modes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from preau.messaging.delivery import KIND_MESSAGE, KIND_MODERATION, KIND_REPORT
from preau.notifications.registry import DIGEST, IMMEDIATE, register_kind

register_kind(KIND_MESSAGE, _("New messages"), default_email=IMMEDIATE)
register_kind(KIND_MODERATION, _("Pupils' messages to approve"), default_email=DIGEST)
register_kind(KIND_REPORT, _("Reported messages"), default_email=IMMEDIATE)
