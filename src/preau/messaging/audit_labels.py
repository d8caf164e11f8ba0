from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "messaging.sent": _("Conversation started"),
        "messaging.replied": _("Reply sent"),
        "messaging.refused": _("Message refused by the communication rules"),
        "messaging.approved": _("Pupil's message approved"),
        "messaging.rejected": _("Pupil's message rejected"),
        "messaging.reported": _("Message reported"),
        "messaging.report_resolved": _("Message report handled"),
        "messaging.closed": _("Conversation closed"),
        "messaging.reopened": _("Conversation reopened"),
        "messaging.matrix_changed": _("Communication rules changed"),
    }
)
