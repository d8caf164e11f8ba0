"""Labels of the audit actions of the structure and chain editing and of the files
(the lead imports this module from ``apps.py`` or merges it into ``audit_labels.py``)."""

from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "programme.updated": _("Programme dates and deadlines changed"),
        "programme.axis_updated": _("Programme axis changed"),
        "programme.axis_deleted": _("Programme axis deleted"),
        "programme.objective_updated": _("Programme objective changed"),
        "programme.objective_deleted": _("Programme objective deleted"),
        "programme.line_updated": _("Budget line changed"),
        "programme.line_deleted": _("Budget line deleted"),
        "programme.supplier_updated": _("Supplier changed"),
        "programme.supplier_deleted": _("Supplier deleted"),
        "programme.contract_created": _("Public contract recorded"),
        "programme.contract_updated": _("Public contract changed"),
        "programme.contract_deleted": _("Public contract deleted"),
        "programme.order_updated": _("Order changed"),
        "programme.order_deleted": _("Order deleted"),
        "programme.delivery_created": _("Delivery recorded"),
        "programme.delivery_updated": _("Delivery changed"),
        "programme.delivery_deleted": _("Delivery deleted"),
        "programme.invoice_updated": _("Invoice changed"),
        "programme.invoice_deleted": _("Invoice deleted"),
        "programme.attachment_added": _("Document added"),
        "programme.attachment_trashed": _("Document moved to the trash"),
    }
)
