"""Invoices edited on screen: create (with the Chorus Pro number), edit, record the
payment, delete.

An invoice in a submitted claim is frozen: every change is refused. An invoice in any
claim, draft or not, cannot be deleted ("remove it from claim N first"). Dates outside
the eligibility window are accepted and flagged (``services.eligibility_flags``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from preau.programme.history import diff, snapshot
from preau.programme.models import Invoice, InvoiceLine, Order
from preau.programme.services import (
    LineInput,
    ProgrammeError,
    clean_lines,
    eligibility_flags,
    record,
)
from preau.programme.services_chain import but, invoiced_of, lines_text, sums

INVOICE_FIELDS = (
    "order",
    "number",
    "chorus_id",
    "invoice_date",
    "payment_date",
    "mandate_number",
)


def refuse_if_locked(invoice: Invoice) -> None:
    """Refuse any change to an invoice of a submitted (or received) claim."""
    claim = invoice.claim
    if claim is not None and claim.locked:
        raise ProgrammeError(
            _("Invoice %(number)s is in submitted claim %(claim)s: it can no longer change.")
            % {"number": invoice.number, "claim": claim.number}
        )


def _lock(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("order__programme", "supplier", "claim")
        .get(pk=invoice.pk)
    )


def _check(
    order: Order,
    number: str,
    chorus_id: str,
    invoice_date: dt.date,
    payment_date: dt.date | None,
    lines: Sequence[LineInput],
    exclude: int | None,
) -> tuple[str, list[dict[str, Any]]]:
    """The rules of ``services.create_invoice``, for a new invoice or an edited one."""
    number = number.strip()
    if not number:
        raise ProgrammeError(_("An invoice needs a number."))
    if but(Invoice.objects.filter(supplier=order.supplier, number=number), exclude).exists():
        raise ProgrammeError(
            _("%(supplier)s already has an invoice numbered %(number)s.")
            % {"supplier": order.supplier.name, "number": number}
        )
    chorus_id = chorus_id.strip()
    if chorus_id and (
        but(
            Invoice.objects.filter(
                order__programme__municipality_id=order.programme.municipality_id,
                chorus_id=chorus_id,
            ),
            exclude,
        ).exists()
    ):
        raise ProgrammeError(
            _("Chorus Pro number %(id)s is already recorded on another invoice.")
            % {"id": chorus_id}
        )
    if payment_date is not None and payment_date < invoice_date:
        raise ProgrammeError(_("The payment date is before the invoice date."))
    cleaned = clean_lines(lines)
    ordered = sums(list(order.lines.values("amount_ht", "amount_ttc")))
    already = invoiced_of(order, exclude_invoice=exclude)
    new = sums(cleaned)
    invoiced_ht, invoiced_ttc = already[0] + new[0], already[1] + new[1]
    if invoiced_ht > ordered[0] or invoiced_ttc > ordered[1]:
        raise ProgrammeError(
            _(
                "The invoices of order %(order)s would exceed it: %(invoiced)s € excl. VAT "
                "invoiced for %(ordered)s € ordered."
            )
            % {"order": order.number, "invoiced": invoiced_ht, "ordered": ordered[0]}
        )
    return number, cleaned


@transaction.atomic
def create_invoice(
    *,
    actor: Any,
    order: Order,
    number: str,
    invoice_date: dt.date,
    lines: Sequence[LineInput],
    payment_date: dt.date | None = None,
    mandate_number: str = "",
    chorus_id: str = "",
) -> Invoice:
    """``services.create_invoice`` with the Chorus Pro number (unique in the municipality)."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("supplier", "programme")
        .get(pk=order.pk)
    )
    number, cleaned = _check(order, number, chorus_id, invoice_date, payment_date, lines, None)
    invoice = Invoice.objects.create(
        order=order,
        supplier=order.supplier,
        number=number,
        chorus_id=chorus_id.strip(),
        invoice_date=invoice_date,
        payment_date=payment_date,
        mandate_number=mandate_number.strip(),
    )
    InvoiceLine.objects.bulk_create([InvoiceLine(invoice=invoice, **line) for line in cleaned])
    record(
        "programme.invoice_created",
        actor,
        invoice,
        order.programme.municipality_id,
        amount_ht=str(sums(cleaned)[0]),
        flags=eligibility_flags(invoice, order.programme),
    )
    return invoice


@transaction.atomic
def update_invoice(
    *,
    actor: Any,
    invoice: Invoice,
    order: Order,
    number: str,
    invoice_date: dt.date,
    lines: Sequence[LineInput],
    payment_date: dt.date | None = None,
    mandate_number: str = "",
    chorus_id: str = "",
) -> Invoice:
    """Change an invoice and replace its lines, with the creation's rules. Refused too:
    an invoice of a submitted claim, an order of another programme, and taking the
    payment off an invoice in a (draft) claim."""
    invoice = _lock(invoice)
    refuse_if_locked(invoice)
    programme = invoice.order.programme
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("supplier", "programme")
        .get(pk=order.pk)
    )
    if order.programme_id != programme.pk:
        raise ProgrammeError(_("Unknown order for this programme."))
    if invoice.claim is not None and payment_date is None:
        raise ProgrammeError(
            _("Invoice %(number)s is in claim %(claim)s: it must stay paid.")
            % {"number": invoice.number, "claim": invoice.claim.number}
        )
    number, cleaned = _check(
        order, number, chorus_id, invoice_date, payment_date, lines, invoice.pk
    )
    before = snapshot(invoice, INVOICE_FIELDS) | {"lines": lines_text(invoice.lines.all())}
    invoice.order, invoice.supplier = order, order.supplier
    invoice.number, invoice.chorus_id = number, chorus_id.strip()
    invoice.invoice_date, invoice.payment_date = invoice_date, payment_date
    invoice.mandate_number = mandate_number.strip()
    changes = diff(before, snapshot(invoice, INVOICE_FIELDS) | {"lines": lines_text(cleaned)})
    if not changes:
        return invoice
    invoice.save()
    if "lines" in changes:
        invoice.lines.all().delete()
        InvoiceLine.objects.bulk_create([InvoiceLine(invoice=invoice, **line) for line in cleaned])
    record(
        "programme.invoice_updated",
        actor,
        invoice,
        programme.municipality_id,
        changes=changes,
        flags=eligibility_flags(invoice, programme),
    )
    return invoice


@transaction.atomic
def pay_invoice(
    *, actor: Any, invoice: Invoice, payment_date: dt.date, mandate_number: str = ""
) -> Invoice:
    """Record (or correct) the payment date and mandate number of an invoice."""
    invoice = _lock(invoice)
    refuse_if_locked(invoice)
    if payment_date < invoice.invoice_date:
        raise ProgrammeError(_("The payment date is before the invoice date."))
    fields = ("payment_date", "mandate_number")
    before = snapshot(invoice, fields)
    invoice.payment_date, invoice.mandate_number = payment_date, mandate_number.strip()
    changes = diff(before, snapshot(invoice, fields))
    if changes:
        invoice.save(update_fields=[*changes, "updated_at"])
        programme = invoice.order.programme
        record(
            "programme.invoice_paid",
            actor,
            invoice,
            programme.municipality_id,
            payment_date=payment_date.isoformat(),
            changes=changes,
            flags=eligibility_flags(invoice, programme),
        )
    return invoice


@transaction.atomic
def delete_invoice(*, actor: Any, invoice: Invoice) -> None:
    """Delete an invoice that no claim includes and that has no document left."""
    invoice = _lock(invoice)
    if invoice.claim is not None:
        raise ProgrammeError(
            _("Invoice %(number)s is in claim %(claim)s: remove it from claim %(claim)s first.")
            % {"number": invoice.number, "claim": invoice.claim.number}
        )
    if invoice.claim_lines.exists():
        raise ProgrammeError(
            _("Invoice %(number)s was declared in a submitted claim: it cannot be deleted.")
            % {"number": invoice.number}
        )
    files = invoice.attachments.filter(trashed_at__isnull=True).count()
    if files:
        raise ProgrammeError(
            _("%(count)s document(s) are attached: move them to the trash first.")
            % {"count": files}
        )
    record(
        "programme.invoice_deleted",
        actor,
        invoice,
        invoice.order.programme.municipality_id,
        deleted=snapshot(invoice, INVOICE_FIELDS) | {"lines": lines_text(invoice.lines.all())},
    )
    invoice.delete()
