from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "homework.entry_created": _("Homework entry written"),
        "homework.entry_updated": _("Homework entry changed"),
        "homework.entry_deleted": _("Homework entry deleted"),
        "homework.week_copied": _("Homework week copied to another class"),
    }
)
