"""The kinds of notification the helpdesk sends (see ``preau.notifications``)."""

from django.utils.translation import gettext_lazy as _

from preau.notifications.registry import DIGEST, IMMEDIATE, register_kind

KIND_NEW = "helpdesk.new"
KIND_UPDATE = "helpdesk.update"

# Technicians hear of a new ticket at once; reporters of each step, as it happens.
register_kind(KIND_NEW, _("New helpdesk tickets"), default_email=IMMEDIATE)
register_kind(KIND_UPDATE, _("News of my helpdesk tickets"), default_email=DIGEST)
