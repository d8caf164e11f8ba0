"""The chain of an expense, edited on screen: orders (with their contract and the sites
concerned) and deliveries. Contracts: ``services_contracts``; invoices:
``services_invoices``.

The create and edit services check the same rules (``services.clean_lines`` for the
lines: amounts above zero, VAT = HT × rate, TTC = HT + VAT); each edit is audited with
``changes = {field: [old, new]}``; a delete is refused while anything depends on the
record, and its audit record keeps what was deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.directory.models import Site
from preau.programme import money
from preau.programme.history import diff, parent_key, snapshot
from preau.programme.models import (
    BudgetLine,
    Contract,
    Delivery,
    InvoiceLine,
    MoneyLine,
    Order,
    OrderLine,
    Programme,
    Supplier,
)
from preau.programme.services import (
    LineInput,
    ProgrammeError,
    clean_lines,
    record,
    save_changes,
)

M = TypeVar("M", bound=Model)

ORDER_FIELDS = ("number", "supplier", "budget_line", "contract", "order_date")
DELIVERY_FIELDS = ("delivered_on", "accepted_on", "reference", "outcome", "note")


def lines_text(lines: Iterable[MoneyLine | dict[str, Any]]) -> str:
    """Lines as the audit log keeps them: "label: HT + rate % = TTC; …"."""

    def one(line: MoneyLine | dict[str, Any]) -> str:
        def get(name: str) -> Any:
            return line[name] if isinstance(line, dict) else getattr(line, name)

        ht, rate, ttc = (money.to_money(get(k)) for k in ("amount_ht", "vat_rate", "amount_ttc"))
        return f"{get('label')}: {ht} + {rate} % = {ttc}"

    return "; ".join(one(line) for line in lines)


def sums(lines: Iterable[Mapping[str, Any]]) -> tuple[Decimal, Decimal]:
    cleaned = list(lines)
    return (
        money.total(line["amount_ht"] for line in cleaned),
        money.total(line["amount_ttc"] for line in cleaned),
    )


def but(queryset: QuerySet[M], pk: int | None) -> QuerySet[M]:
    """``queryset`` without the row being edited (``pk``), if any."""
    return queryset if pk is None else queryset.exclude(pk=pk)


def invoiced_of(order: Order, exclude_invoice: int | None = None) -> tuple[Decimal, Decimal]:
    """What the order's invoices (but one) add up to, HT and TTC."""
    lines = InvoiceLine.objects.filter(invoice__order=order)
    if exclude_invoice is not None:
        lines = lines.exclude(invoice_id=exclude_invoice)
    found = lines.aggregate(ht=Sum("amount_ht"), ttc=Sum("amount_ttc"))
    # SQLite returns sums without their trailing zeros: bring every figure to the cent.
    return money.to_money(found["ht"] or 0), money.to_money(found["ttc"] or 0)


def has_files(record: Contract | Order | Delivery) -> int:
    return record.attachments.filter(trashed_at__isnull=True).count()


def files_block(count: int) -> None:
    if count:
        raise ProgrammeError(
            _("%(count)s document(s) are attached: move them to the trash first.")
            % {"count": count}
        )


# ---- Orders ------------------------------------------------------------------------------


def _check_order(
    programme: Programme,
    supplier: Supplier,
    budget_line: BudgetLine,
    contract: Contract | None,
    number: str,
    sites: Sequence[Site],
    exclude: int | None,
) -> str:
    number = number.strip()
    if not number:
        raise ProgrammeError(_("An order needs a number."))
    if supplier.municipality_id != programme.municipality_id:
        raise ProgrammeError(_("Unknown supplier for this programme."))
    if not BudgetLine.objects.filter(
        pk=budget_line.pk, objective__axis__programme=programme
    ).exists():
        raise ProgrammeError(_("Unknown budget line for this programme."))
    if contract is not None:
        if contract.programme_id != programme.pk:
            raise ProgrammeError(_("Unknown contract for this programme."))
        if contract.supplier_id != supplier.pk:
            raise ProgrammeError(
                _("Contract %(ref)s is held by another supplier than %(supplier)s.")
                % {"ref": contract.reference, "supplier": supplier.name}
            )
    if any(site.municipality_id != programme.municipality_id for site in sites):
        raise ProgrammeError(_("Unknown site for this programme."))
    if but(Order.objects.filter(programme=programme, number=number), exclude).exists():
        raise ProgrammeError(
            _("Order %(number)s already exists in this programme.") % {"number": number}
        )
    return number


def _check_contract_cap(contract: Contract | None, new_ht: Decimal, exclude: int | None) -> None:
    if contract is None or contract.max_amount_ht is None:
        return
    others = OrderLine.objects.filter(order__contract=contract)
    if exclude is not None:
        others = others.exclude(order_id=exclude)
    total = money.to_money(others.aggregate(s=Sum("amount_ht"))["s"] or 0) + new_ht
    if total > contract.max_amount_ht:
        raise ProgrammeError(
            _(
                "The orders under contract %(ref)s would reach %(total)s € excl. VAT, above "
                "its maximum of %(cap)s €."
            )
            % {"ref": contract.reference, "total": total, "cap": contract.max_amount_ht}
        )


def _sites_text(sites: Iterable[Site]) -> str:
    return ", ".join(sorted(site.name for site in sites))


@transaction.atomic
def create_order(
    *,
    actor: Any,
    programme: Programme,
    supplier: Supplier,
    budget_line: BudgetLine,
    number: str,
    order_date: dt.date,
    lines: Sequence[LineInput],
    contract: Contract | None = None,
    sites: Sequence[Site] = (),
) -> Order:
    """An order with its contract and sites (``services.create_order``'s rules, and more:
    the contract's holder and maximum, sites of the programme's municipality)."""
    number = _check_order(programme, supplier, budget_line, contract, number, sites, None)
    cleaned = clean_lines(lines)
    ht, _ttc = sums(cleaned)
    _check_contract_cap(contract, ht, None)
    order = Order.objects.create(
        programme=programme,
        supplier=supplier,
        budget_line=budget_line,
        contract=contract,
        number=number,
        order_date=order_date,
    )
    OrderLine.objects.bulk_create([OrderLine(order=order, **line) for line in cleaned])
    order.sites.set(sites)
    record(
        "programme.order_created",
        actor,
        order,
        programme.municipality_id,
        amount_ht=str(ht),
        contract=contract.reference if contract else "",
        sites=_sites_text(sites),
    )
    return order


@transaction.atomic
def update_order(
    *,
    actor: Any,
    order: Order,
    supplier: Supplier,
    budget_line: BudgetLine,
    number: str,
    order_date: dt.date,
    lines: Sequence[LineInput],
    contract: Contract | None = None,
    sites: Sequence[Site] = (),
) -> Order:
    """Change an order and replace its lines. Refused besides the creation's rules: a
    new supplier once invoiced, lines adding up to less than what is already invoiced."""
    order = (
        Order.objects.select_for_update(of=("self",)).select_related("programme").get(pk=order.pk)
    )
    programme = order.programme
    number = _check_order(programme, supplier, budget_line, contract, number, sites, order.pk)
    cleaned = clean_lines(lines)
    ht, ttc = sums(cleaned)
    if supplier.pk != order.supplier_id and order.invoices.exists():
        raise ProgrammeError(_("This order has invoices: its supplier cannot change."))
    invoiced_ht, invoiced_ttc = invoiced_of(order)
    if ht < invoiced_ht or ttc < invoiced_ttc:
        raise ProgrammeError(
            _(
                "Order %(order)s is already invoiced for %(invoiced)s € excl. VAT; its lines "
                "cannot add up to less (%(ordered)s €)."
            )
            % {"order": number, "invoiced": invoiced_ht, "ordered": ht}
        )
    _check_contract_cap(contract, ht, order.pk)
    old_lines = list(order.lines.all())
    old_sites = list(order.sites.all())
    before = snapshot(order, ORDER_FIELDS) | {
        "lines": lines_text(old_lines),
        "sites": _sites_text(old_sites),
    }
    order.supplier, order.budget_line, order.contract = supplier, budget_line, contract
    order.number, order.order_date = number, order_date
    changes = diff(
        before,
        snapshot(order, ORDER_FIELDS) | {"lines": lines_text(cleaned), "sites": _sites_text(sites)},
    )
    if not changes:
        return order
    order.save()
    if "lines" in changes:
        order.lines.all().delete()
        OrderLine.objects.bulk_create([OrderLine(order=order, **line) for line in cleaned])
    if "sites" in changes:
        order.sites.set(sites)
    record("programme.order_updated", actor, order, programme.municipality_id, changes=changes)
    return order


@transaction.atomic
def delete_order(*, actor: Any, order: Order) -> None:
    order = (
        Order.objects.select_for_update(of=("self",)).select_related("programme").get(pk=order.pk)
    )
    invoices, deliveries = order.invoices.count(), order.deliveries.count()
    if invoices or deliveries:
        raise ProgrammeError(
            _(
                "Order %(number)s has %(invoices)s invoice(s) and %(deliveries)s delivery(ies): "
                "it cannot be deleted."
            )
            % {"number": order.number, "invoices": invoices, "deliveries": deliveries}
        )
    files_block(has_files(order))
    record(
        "programme.order_deleted",
        actor,
        order,
        order.programme.municipality_id,
        deleted=snapshot(order, ORDER_FIELDS) | {"lines": lines_text(order.lines.all())},
    )
    order.delete()


# ---- Deliveries and acceptance reports ------------------------------------------------------


def _check_delivery(
    order: Order, delivered_on: dt.date, accepted_on: dt.date | None, outcome: str
) -> None:
    if outcome not in Delivery.Outcome.values:
        raise ProgrammeError(_("Unknown outcome."))
    if delivered_on < order.order_date:
        raise ProgrammeError(_("The delivery is dated before the order."))
    if delivered_on > timezone.localdate():
        raise ProgrammeError(_("A delivery cannot be recorded at a future date."))
    if accepted_on is not None and accepted_on < delivered_on:
        raise ProgrammeError(_("The acceptance report is dated before the delivery."))


@transaction.atomic
def create_delivery(
    *,
    actor: Any,
    order: Order,
    delivered_on: dt.date,
    accepted_on: dt.date | None = None,
    reference: str = "",
    outcome: str = Delivery.Outcome.ACCEPTED,
    note: str = "",
) -> Delivery:
    order = Order.objects.select_related("programme").get(pk=order.pk)
    _check_delivery(order, delivered_on, accepted_on, outcome)
    delivery = Delivery.objects.create(
        order=order,
        delivered_on=delivered_on,
        accepted_on=accepted_on,
        reference=reference.strip(),
        outcome=outcome,
        note=note.strip(),
    )
    record(
        "programme.delivery_created",
        actor,
        delivery,
        order.programme.municipality_id,
        parent=parent_key(order),
        outcome=outcome,
    )
    return delivery


@transaction.atomic
def update_delivery(
    *,
    actor: Any,
    delivery: Delivery,
    delivered_on: dt.date,
    accepted_on: dt.date | None,
    reference: str,
    outcome: str,
    note: str = "",
) -> Delivery:
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("order__programme")
        .get(pk=delivery.pk)
    )
    _check_delivery(delivery.order, delivered_on, accepted_on, outcome)
    before = snapshot(delivery, DELIVERY_FIELDS)
    delivery.delivered_on, delivery.accepted_on = delivered_on, accepted_on
    delivery.reference, delivery.outcome, delivery.note = reference.strip(), outcome, note.strip()
    save_changes(
        delivery,
        before,
        DELIVERY_FIELDS,
        "programme.delivery_updated",
        actor,
        delivery.order.programme.municipality_id,
        parent=parent_key(delivery.order),
    )
    return delivery


@transaction.atomic
def delete_delivery(*, actor: Any, delivery: Delivery) -> None:
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("order__programme")
        .get(pk=delivery.pk)
    )
    files_block(has_files(delivery))
    record(
        "programme.delivery_deleted",
        actor,
        delivery,
        delivery.order.programme.municipality_id,
        parent=parent_key(delivery.order),
        deleted=snapshot(delivery, DELIVERY_FIELDS),
    )
    delivery.delete()
