"""Matching an accounting export against the records: the plan of an import.

``build_plan`` reads the file (``accounting_rows``), matches each engagement, invoice and
supplier against what the programme and its municipality hold (``Records``, read once
in a dozen queries whatever the size of the file) and returns an ``AccountingPlan``:
what would be created, updated or left unchanged, every problem by line, column and
reason, and warnings (dates outside the eligibility window: accepted, flagged). It never
writes. The rules are in ``accounting_import``'s docstring and docs/programme-import.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from preau.directory.models import Site
from preau.programme import money
from preau.programme.accounting_csv import AccountingFileError, Columns, Issue
from preau.programme.accounting_plan import (
    CREATE,
    UNCHANGED,
    UPDATE,
    AccountingPlan,
    NewSupplier,
    PlannedInvoice,
    PlannedOrder,
    key,
)
from preau.programme.accounting_records import Records
from preau.programme.accounting_rows import InvoiceRecord, OrderRecord, parse
from preau.programme.models import (
    BudgetLine,
    Contract,
    Invoice,
    Order,
    Programme,
    Supplier,
)

_CODE = re.compile(r"^\s*(\d+\.\d+\.\d+)\b")
_UAI = re.compile(r"^\d{7}[A-Za-z]$")


def _line_keys(lines: Iterable[Any]) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal]]:
    return sorted(
        (
            line.label,
            money.to_money(line.amount_ht),
            money.to_money(line.vat_rate),
            money.to_money(line.vat_amount),
            money.to_money(line.amount_ttc),
        )
        for line in lines
    )


def _sums(lines: Iterable[Any]) -> tuple[Decimal, Decimal]:
    lines = list(lines)
    return (
        money.total(line.amount_ht for line in lines),
        money.total(line.amount_ttc for line in lines),
    )


class _Planner:
    def __init__(
        self, programme: Programme, records: Records, plan: AccountingPlan, columns: Columns
    ) -> None:
        self.programme, self.records, self.plan, self.columns = programme, records, plan, columns
        self.orders: dict[str, PlannedOrder] = {}
        self.failed_orders: set[str] = set()
        self.chorus_lines: dict[str, int] = {}

    def col(self, name: str) -> str:
        """A column's header as the file spells it (the documented name if it has none)."""
        return self.columns.name(name)

    def issue(self, line: int, column: str, reason: str) -> None:
        self.plan.issues.append(Issue(line, column, reason))

    # ---- engagements ----

    def supplier(self, record: OrderRecord) -> tuple[Supplier | None, NewSupplier | None]:
        recorded = self.records.supplier_by_siret.get(record.siret) if record.siret else None
        recorded = recorded or self.records.supplier_by_name.get(key(record.supplier))
        if recorded is not None:
            if record.siret and recorded.siret and recorded.siret != record.siret:
                self.plan.warnings.append(
                    Issue(
                        record.line,
                        self.col("siret"),
                        _("%(name)s is recorded with SIRET %(siret)s")
                        % {"name": recorded.name, "siret": recorded.siret},
                    )
                )
            return recorded, None
        new = self.plan.new_suppliers.setdefault(
            key(record.supplier), NewSupplier(record.supplier, record.siret, record.line)
        )
        if record.siret and new.siret and new.siret != record.siret:
            self.issue(
                record.line,
                self.col("siret"),
                _("%(name)s has another SIRET on line %(n)s")
                % {"name": record.supplier, "n": new.line},
            )
        new.siret = new.siret or record.siret
        return None, new

    def budget_line(self, record: OrderRecord) -> BudgetLine | None:
        raw = record.budget_line
        code = _CODE.match(raw)
        if code:
            line = self.records.line_by_code.get(code.group(1))
            if line is None:
                self.issue(
                    record.line,
                    self.col("budget_line"),
                    _("no budget line has the code %(code)s in this programme")
                    % {"code": code.group(1)},
                )
            return line
        found = self.records.lines_by_label.get(key(raw), [])
        if len(found) == 1:
            return found[0]
        if found:
            codes = ", ".join(self.records.codes[line.pk] for line in found)
            self.issue(
                record.line,
                self.col("budget_line"),
                _("several budget lines are labelled so (%(codes)s): give the code")
                % {"codes": codes},
            )
        else:
            self.issue(
                record.line,
                self.col("budget_line"),
                _(
                    "unknown budget line “%(label)s”: give its code (e.g. 1.2.3, shown on "
                    "the programme's page) or its exact label"
                )
                % {"label": raw},
            )
        return None

    def sites(self, record: OrderRecord) -> list[Site]:
        sites: list[Site] = []
        for token in record.sites:
            if _UAI.match(token):
                site = self.records.site_by_uai.get(token.upper())
                candidates = [site] if site else []
            else:
                candidates = list(
                    {s.pk: s for s in self.records.site_by_name.get(key(token), [])}.values()
                )
            if len(candidates) != 1:
                reason = (
                    _("unknown site “%(site)s” (give a school's UAI or a site's name)")
                    if not candidates
                    else _("“%(site)s” names several sites: give the school's UAI")
                )
                self.issue(record.line, self.col("sites"), reason % {"site": token})
            elif candidates[0] not in sites:
                sites.append(candidates[0])
        return sites

    def contract(self, record: OrderRecord, supplier: Supplier | None) -> Contract | None:
        if not record.contract:
            return None
        contract = self.records.contracts.get(key(record.contract))
        if contract is None:
            self.issue(
                record.line,
                self.col("contract"),
                _("unknown contract “%(ref)s”: record the contract first")
                % {"ref": record.contract},
            )
        elif supplier is None or contract.supplier_id != supplier.pk:
            self.issue(
                record.line,
                self.col("contract"),
                _("contract %(ref)s is with %(supplier)s, not with this supplier")
                % {"ref": contract.reference, "supplier": contract.supplier.name},
            )
        return contract

    def order(self, record: OrderRecord) -> None:
        supplier, new_supplier = self.supplier(record)
        planned = PlannedOrder(record=record, supplier=supplier, new_supplier=new_supplier)
        planned.budget_line = self.budget_line(record)
        if planned.budget_line is not None:
            planned.budget_code = self.records.codes[planned.budget_line.pk]
        planned.sites = self.sites(record)
        planned.contract = self.contract(record, supplier)
        existing = self.records.orders.get(record.number)
        if existing is not None:
            planned.existing = existing
            self.compare_order(planned, existing)
        self.orders[record.number] = planned
        self.plan.orders.append(planned)

    def compare_order(self, planned: PlannedOrder, existing: Order) -> None:
        record = planned.record
        differs = []
        if planned.supplier is None or planned.supplier.pk != existing.supplier_id:
            differs.append((self.col("supplier"), existing.supplier.name))
        if record.order_date != existing.order_date:
            differs.append((self.col("order_date"), existing.order_date.strftime("%d/%m/%Y")))
        if planned.budget_line is not None and planned.budget_line.pk != existing.budget_line_id:
            differs.append(
                (self.col("budget_line"), self.records.codes.get(existing.budget_line_id, ""))
            )
        if _line_keys(record.lines) != _line_keys(existing.lines.all()):
            ht, _ttc = _sums(existing.lines.all())
            differs.append((self.col("amount_ht"), _("%(ht)s € excl. VAT") % {"ht": ht}))
        for column, recorded in differs:
            self.issue(
                record.line,
                column,
                _(
                    "engagement %(number)s is recorded with another value (%(recorded)s); "
                    "an import never changes the amounts, dates or parties of a recorded "
                    "engagement: correct it on screen or in the file"
                )
                % {"number": record.number, "recorded": recorded},
            )
        if record.sites and {s.pk for s in planned.sites} != {s.pk for s in existing.sites.all()}:
            planned.changes.append(_("sites"))
        if planned.contract is not None and planned.contract.pk != existing.contract_id:
            planned.changes.append(_("contract"))
        planned.action = UPDATE if planned.changes else UNCHANGED

    # ---- invoices ----

    def invoice(self, record: InvoiceRecord, seen: dict[tuple[str, str], int]) -> None:
        planned_order = self.orders.get(record.order_number)
        order = self.records.orders.get(record.order_number)
        if planned_order is None and order is None:
            reason = (
                _("engagement %(number)s has errors in this file (see its lines)")
                if record.order_number in self.failed_orders
                else _(
                    "unknown engagement %(number)s: neither recorded in this programme nor "
                    "in this file"
                )
            )
            self.issue(
                record.line, self.col("order_number"), reason % {"number": record.order_number}
            )
            return
        if planned_order is not None:
            supplier, name = planned_order.supplier, planned_order.supplier_name
        else:
            assert order is not None
            supplier, name = order.supplier, order.supplier.name
        planned = PlannedInvoice(record=record, supplier_name=name, order=order)
        if record.supplier and key(record.supplier) != key(name):
            self.issue(
                record.line,
                self.col("supplier"),
                _("engagement %(order)s is with %(name)s")
                % {"order": record.order_number, "name": name},
            )
        twin = (str(supplier.pk) if supplier else "new:" + key(name), record.number)
        if twin in seen:
            self.issue(
                record.line,
                self.col("invoice_number"),
                _(
                    "duplicate: %(name)s's invoice %(number)s is already on line %(n)s, "
                    "for another engagement"
                )
                % {"name": name, "number": record.number, "n": seen[twin]},
            )
        seen.setdefault(twin, record.line)
        existing = self.records.invoices.get((supplier.pk, record.number)) if supplier else None
        self.check_chorus(record, existing)
        if existing is not None:
            self.compare_invoice(planned, existing)
        else:
            self.flag(record, record.invoice_date, record.payment_date)
        self.plan.invoices.append(planned)

    def check_chorus(self, record: InvoiceRecord, existing: Invoice | None) -> None:
        """A Chorus Pro number names one invoice in the municipality."""
        if not record.chorus_id:
            return
        owner = self.records.chorus.get(record.chorus_id)
        first = self.chorus_lines.setdefault(record.chorus_id, record.line)
        if owner is not None and owner != existing:
            other = _("invoice %(number)s") % {"number": owner.number}
        elif first != record.line:
            other = _("line %(n)s") % {"n": first}
        else:
            return
        self.issue(
            record.line,
            self.col("chorus_id"),
            _("duplicate: Chorus Pro number %(id)s is already on %(other)s")
            % {"id": record.chorus_id, "other": other},
        )

    def compare_invoice(self, planned: PlannedInvoice, existing: Invoice) -> None:
        record = planned.record
        planned.existing = existing
        if existing.order.number != record.order_number:
            self.issue(
                record.line,
                self.col("invoice_number"),
                _("duplicate: %(name)s's invoice %(number)s is recorded on engagement %(order)s")
                % {
                    "name": planned.supplier_name,
                    "number": record.number,
                    "order": existing.order.number,
                },
            )
            return
        if existing.invoice_date != record.invoice_date:
            self.issue(
                record.line,
                self.col("invoice_date"),
                _("invoice %(number)s is recorded dated %(date)s")
                % {"number": record.number, "date": existing.invoice_date.strftime("%d/%m/%Y")},
            )
        if _line_keys(record.lines) != _line_keys(existing.lines.all()):
            ht, _ttc = _sums(existing.lines.all())
            self.issue(
                record.line,
                self.col("amount_ht"),
                _(
                    "invoice %(number)s is recorded with other lines (%(ht)s € excl. VAT): "
                    "an import never changes a recorded invoice's amounts"
                )
                % {"number": record.number, "ht": ht},
            )
        if record.payment_date is not None and (
            record.payment_date != existing.payment_date
            or (record.mandate_number and record.mandate_number != existing.mandate_number)
        ):
            planned.pay = True
            planned.changes.append(_("payment"))
            self.flag(record, None, record.payment_date)
        if record.chorus_id and record.chorus_id != existing.chorus_id:
            planned.chorus = True
            planned.changes.append(_("Chorus Pro number"))
        claim = existing.claim
        if planned.changes and claim is not None and claim.locked:
            self.issue(
                record.line,
                self.col("invoice_number"),
                _(
                    "invoice %(number)s belongs to submitted claim %(claim)s: it can no "
                    "longer change"
                )
                % {"number": record.number, "claim": claim.number},
            )
        planned.action = UPDATE if planned.changes else UNCHANGED

    def flag(self, record: InvoiceRecord, invoiced: Any, paid: Any) -> None:
        start, end = self.programme.eligibility_start, self.programme.eligibility_end
        if invoiced is not None and not start <= invoiced <= end:
            self.plan.warnings.append(
                Issue(
                    record.line,
                    self.col("invoice_date"),
                    _("outside the eligibility window: recorded, and flagged"),
                )
            )
        if paid is not None and not start <= paid <= end:
            self.plan.warnings.append(
                Issue(
                    record.line,
                    self.col("payment_date"),
                    _("outside the eligibility window: recorded, and flagged"),
                )
            )

    def check_contracts(self) -> None:
        """Orders under a contract may not take it over its maximum amount (HT)."""
        totals = dict(self.records.under_contract)
        for planned in self.plan.orders:
            contract = planned.contract
            if contract is None or contract.max_amount_ht is None:
                continue
            existing = planned.existing
            if existing is not None and existing.contract_id == contract.pk:
                continue  # already counted
            totals[contract.pk] = totals.get(contract.pk, money.ZERO) + planned.total_ht
            if totals[contract.pk] > contract.max_amount_ht:
                self.issue(
                    planned.record.line,
                    self.col("contract"),
                    _(
                        "the orders under contract %(ref)s would reach %(total)s € excl. VAT, "
                        "above its maximum of %(cap)s €"
                    )
                    % {
                        "ref": contract.reference,
                        "total": totals[contract.pk],
                        "cap": contract.max_amount_ht,
                    },
                )

    def check_totals(self) -> None:
        """New invoices may not take an engagement's invoices over it (HT or TTC)."""
        running: dict[str, tuple[Decimal, Decimal]] = {}
        for planned in self.plan.invoices:
            if planned.action != CREATE:
                continue
            number = planned.record.order_number
            order = planned.order
            if number not in running:
                done = self.records.invoiced.get(order.pk) if order is not None else None
                running[number] = done or (money.ZERO, money.ZERO)
            ht, ttc = _sums(planned.record.lines)
            total_ht, total_ttc = running[number][0] + ht, running[number][1] + ttc
            running[number] = (total_ht, total_ttc)
            source = order.lines.all() if order is not None else self.orders[number].record.lines
            ordered_ht, ordered_ttc = _sums(source)
            if total_ht > ordered_ht or total_ttc > ordered_ttc:
                self.issue(
                    planned.record.line,
                    self.col("amount_ht"),
                    _(
                        "the invoices of engagement %(order)s would exceed it: %(invoiced)s € "
                        "excl. VAT invoiced for %(ordered)s € ordered"
                    )
                    % {"order": number, "invoiced": total_ht, "ordered": ordered_ht},
                )


def build_plan(programme: Programme, data: bytes) -> AccountingPlan:
    """What importing ``data`` into ``programme`` would do. Reads, never writes."""
    try:
        parsed = parse(data)
    except AccountingFileError as error:
        return AccountingPlan(file_error=str(error))
    plan = AccountingPlan(rows=parsed.rows, issues=list(parsed.issues))
    planner = _Planner(programme, Records(programme), plan, parsed.columns)
    planner.failed_orders = parsed.failed_orders
    for order in parsed.orders:
        planner.order(order)
    seen: dict[tuple[str, str], int] = {}
    for invoice in parsed.invoices:
        planner.invoice(invoice, seen)
    planner.check_totals()
    planner.check_contracts()
    plan.issues.sort(key=lambda i: (i.line, i.column))
    plan.warnings.sort(key=lambda i: (i.line, i.column))
    return plan
