"""Labels of the payment claims' audit actions (``claims.py``); imported by
``audit_labels`` (wired by the lead)."""

from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "programme.claim_created": _("Payment claim created"),
        "programme.claim_updated": _("Payment claim draft changed"),
        "programme.claim_invoices_added": _("Invoices added to a payment claim"),
        "programme.claim_invoices_removed": _("Invoices removed from a payment claim"),
        "programme.claim_submitted": _("Payment claim submitted and locked"),
        "programme.claim_received": _("Payment claim: payment received recorded"),
        "programme.claim_deleted": _("Payment claim draft deleted"),
        "programme.claim_exported": _("Payment claim downloaded (PDF, spreadsheet or scans)"),
    }
)
