"""Labels of the audit actions of the accounting import and the indicators (helper P3);
the lead wires this module in (``audit_labels.py`` or ``apps.py``)."""

from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "programme.accounting_imported": _("Accounting export imported"),
        "programme.accounting_import_rejected": _("Accounting export refused"),
        "programme.indicator_value_set": _("Indicator value typed"),
        "programme.indicator_value_cleared": _("Typed indicator value removed"),
    }
)
