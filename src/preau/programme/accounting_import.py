"""Import engagements (orders) and invoices from the accounting software's CSV export.

``build_plan`` reads the file (``accounting_rows``), matches it against the records and
says what would be created, updated or left unchanged — and every problem, by line,
column and reason. It never writes. ``apply_import`` plans again inside one transaction
(the programme's row locked) and, only if nothing is wrong, writes through the services
(``services.create_supplier``; ``services_chain.create_order``/``update_order``;
``services_invoices.create_invoice``/``update_invoice``/``pay_invoice``): all or nothing,
audited by each of them as on screen. Matching makes a re-import idempotent:

- a supplier by SIRET, else by name (accents and case aside); unknown → created;
- an engagement by its number in the programme: one already recorded must agree (supplier,
  date, budget line, lines); its sites and contract may change (updated);
- an invoice by its supplier and number: one already recorded must agree (engagement,
  date, lines); a new payment date or mandate number, a Chorus Pro number are updated —
  an empty payment date never erases a recorded one.

The column mapping and the rules are in docs/programme-import.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.core import audit
from preau.programme import services, services_chain, services_invoices
from preau.programme.accounting_csv import Issue
from preau.programme.accounting_match import build_plan
from preau.programme.accounting_plan import (
    CREATE,
    UPDATE,
    AccountingPlan,
    PlannedInvoice,
    PlannedOrder,
    key,
)
from preau.programme.accounting_rows import LineRecord
from preau.programme.models import MoneyLine, Order, Programme, Supplier

__all__ = ["AccountingPlan", "AccountingRejected", "apply_import", "build_plan"]


class AccountingRejected(Exception):
    """The file cannot be imported; ``plan`` says why, and nothing was written."""

    def __init__(self, plan: AccountingPlan) -> None:
        super().__init__(_("The accounting export was refused."))
        self.plan = plan


# ---- Writing ---------------------------------------------------------------------------


def _inputs(lines: list[LineRecord]) -> list[services.LineInput]:
    return [line.as_input() for line in lines]


def _recorded(lines: Iterable[MoneyLine]) -> list[services.LineInput]:
    return [
        services.LineInput(line.label, line.amount_ht, line.vat_rate, line.vat_amount,
                           line.amount_ttc)
        for line in lines
    ]  # fmt: skip


class _Writer:
    def __init__(self, programme: Programme, actor: Any) -> None:
        self.programme, self.actor = programme, actor
        self.suppliers: dict[str, Supplier] = {}
        self.orders: dict[str, Order] = {}
        self.line = 0  # of the record being written, for an error's message

    def write(self, plan: AccountingPlan) -> None:
        for new in plan.new_suppliers.values():
            self.line = new.line
            self.suppliers[key(new.name)] = services.create_supplier(
                actor=self.actor,
                municipality=self.programme.municipality,
                name=new.name,
                siret=new.siret,
            )
        for planned in plan.orders:
            self.write_order(planned)
        for invoice in plan.invoices:
            self.write_invoice(invoice)

    def write_order(self, planned: PlannedOrder) -> None:
        record = planned.record
        self.line = record.line
        if planned.action == CREATE:
            assert planned.budget_line is not None
            supplier = planned.supplier or self.suppliers[key(planned.supplier_name)]
            order = services_chain.create_order(
                actor=self.actor,
                programme=self.programme,
                supplier=supplier,
                budget_line=planned.budget_line,
                number=record.number,
                order_date=record.order_date,
                lines=_inputs(record.lines),
                contract=planned.contract,
                sites=planned.sites,
            )
        else:
            assert planned.existing is not None
            order = planned.existing
            if planned.action == UPDATE:
                # Only its sites and contract change: the rest as recorded.
                order = services_chain.update_order(
                    actor=self.actor,
                    order=order,
                    supplier=order.supplier,
                    budget_line=order.budget_line,
                    number=order.number,
                    order_date=order.order_date,
                    lines=_recorded(order.lines.all()),
                    contract=planned.contract or order.contract,
                    sites=planned.sites if record.sites else list(order.sites.all()),
                )
        self.orders[record.number] = order

    def write_invoice(self, planned: PlannedInvoice) -> None:
        record = planned.record
        self.line = record.line
        if planned.action == CREATE:
            order = self.orders.get(record.order_number) or planned.order
            assert order is not None  # the plan found it, recorded or in the file
            services_invoices.create_invoice(
                actor=self.actor,
                order=order,
                number=record.number,
                invoice_date=record.invoice_date,
                lines=_inputs(record.lines),
                payment_date=record.payment_date,
                mandate_number=record.mandate_number,
                chorus_id=record.chorus_id,
            )
            return
        invoice = planned.existing
        assert invoice is not None
        paid_on = record.payment_date if planned.pay else invoice.payment_date
        mandate = (record.mandate_number or invoice.mandate_number) if planned.pay else None
        if planned.chorus:
            # Only its Chorus Pro number (and payment) change: the rest as recorded.
            services_invoices.update_invoice(
                actor=self.actor,
                invoice=invoice,
                order=invoice.order,
                number=invoice.number,
                invoice_date=invoice.invoice_date,
                lines=_recorded(invoice.lines.all()),
                payment_date=paid_on,
                mandate_number=invoice.mandate_number if mandate is None else mandate,
                chorus_id=record.chorus_id,
            )
        elif planned.pay:
            assert paid_on is not None
            assert mandate is not None
            services_invoices.pay_invoice(
                actor=self.actor, invoice=invoice, payment_date=paid_on, mandate_number=mandate
            )


def apply_import(
    *,
    programme: Programme,
    data: bytes,
    actor: Any,
    filename: str = "",
    request: HttpRequest | None = None,
) -> AccountingPlan:
    """Import ``data`` all or nothing; raise :class:`AccountingRejected` if anything is
    wrong (nothing is written then). The plan is made again inside the transaction, with
    the programme's row locked, so that two imports never interleave."""
    label = "" if actor is not None else services.SYSTEM_LABEL
    try:
        with transaction.atomic():
            Programme.objects.select_for_update().filter(pk=programme.pk).first()
            plan = build_plan(programme, data)
            if not plan.is_valid:
                raise AccountingRejected(plan)
            writer = _Writer(programme, actor)
            try:
                writer.write(plan)
            except services.ProgrammeError as error:
                plan.issues.append(Issue(writer.line, "", str(error)))
                raise AccountingRejected(plan) from None
            audit.record(
                "programme.accounting_imported",
                actor=actor,
                request=request,
                target=programme,
                actor_label=label,
                file=filename[:200],
                **plan.counts(),
            )
    except AccountingRejected as rejected:
        audit.record(
            "programme.accounting_import_rejected",
            actor=actor,
            request=request,
            target=programme,
            actor_label=label,
            file=filename[:200],
            **rejected.plan.counts(),
        )
        raise
    return plan
