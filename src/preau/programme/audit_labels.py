from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "programme.created": _("Programme created"),
        "programme.axis_added": _("Programme axis added"),
        "programme.objective_added": _("Programme objective added"),
        "programme.line_added": _("Budget line added"),
        "programme.funding_plan_set": _("Funding plan set"),
        "programme.supplier_created": _("Supplier created"),
        "programme.order_created": _("Order recorded"),
        "programme.invoice_created": _("Invoice recorded"),
        "programme.invoice_paid": _("Invoice payment recorded"),
        "programme.rollout_planned": _("Site rollout checklists created"),
        "programme.milestone_updated": _("Site milestone updated"),
    }
)

# The labels of the chain (edits, files), the claims and the data (imports, indicators).
from preau.programme import (  # noqa: E402, F401
    audit_labels_chain,
    audit_labels_claims,
    audit_labels_data,
)
