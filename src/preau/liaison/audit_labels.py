from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "liaison.note_sent": _("Note sent to families"),
        "liaison.note_signed": _("Note signed by a guardian"),
        "liaison.note_answered": _("Note answered by a guardian"),
        "liaison.answer_changed": _("Answer to a note changed"),
        "liaison.reminders_sent": _("Reminders of a note sent"),
        "liaison.deadline_changed": _("Deadline of a note changed"),
        "liaison.tracking_exported": _("Note tracking exported"),
    }
)
