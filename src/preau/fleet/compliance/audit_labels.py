"""Human labels of the compliance actions in the audit log (registered from the fleet's
``AppConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "fleet.compliance_rule_created": _("Compliance rule added"),
        "fleet.compliance_rule_changed": _("Compliance rule changed"),
        "fleet.compliance_rule_deleted": _("Compliance rule deleted"),
        "fleet.compliance_evaluated": _("Devices' compliance re-evaluated"),
    }
)
