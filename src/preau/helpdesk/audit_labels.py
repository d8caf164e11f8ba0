from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "helpdesk.ticket_reported": _("Helpdesk ticket reported"),
        "helpdesk.ticket_handled": _("Helpdesk ticket handled (status, assignee, comment, time)"),
        "helpdesk.ticket_commented": _("Helpdesk ticket commented"),
        "helpdesk.ticket_reopened": _("Helpdesk ticket reopened"),
        "helpdesk.targets_changed": _("Helpdesk service targets changed"),
    }
)
