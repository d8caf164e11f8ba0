"""The kinds of notification loans send (see ``preau.notifications``)."""

from django.utils.translation import gettext_lazy as _

from preau.notifications.registry import IMMEDIATE, register_kind

KIND_OVERDUE = "loans.overdue"
KIND_PROBLEM = "loans.problem"

register_kind(KIND_OVERDUE, _("A borrowed case not returned in time"), default_email=IMMEDIATE)
register_kind(KIND_PROBLEM, _("Equipment returned damaged or incomplete"), default_email=IMMEDIATE)
