"""Every write of the programme app: validated, transactional, audited.

Bad input raises ``ProgrammeError`` with a message for the person who typed it, and
nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Municipality, Site
from preau.programme import money
from preau.programme.history import Changes, diff, snapshot
from preau.programme.models import (
    Axis,
    BudgetLine,
    FundingSource,
    Invoice,
    InvoiceLine,
    Milestone,
    Objective,
    Order,
    OrderLine,
    Programme,
    SiteMilestone,
    Supplier,
)


class ProgrammeError(ValueError):
    """Input the programme cannot take; the message says why."""


SYSTEM_LABEL = "system"


def record(action: str, actor: Any, target: Any, municipality_id: int, **data: Any) -> None:
    """The audit record of a write; one made by no person (the demo) says so."""
    audit.record(
        action,
        actor=actor,
        actor_label="" if actor is not None else SYSTEM_LABEL,
        target=target,
        municipality_id=municipality_id,
        **data,
    )


def save_changes(
    obj: Any,
    before: Mapping[str, str],
    fields: Iterable[str],
    action: str,
    actor: Any,
    municipality_id: int,
    **data: Any,
) -> Changes:
    """Save what changed in ``obj`` since ``before`` (its ``snapshot`` of ``fields``) and
    audit it as ``action`` with ``{field: [old, new]}``; nothing when nothing changed."""
    changes = diff(before, snapshot(obj, fields))
    if changes:
        obj.save(update_fields=[*changes, "updated_at"])
        record(action, actor, obj, municipality_id, changes=changes, **data)
    return changes


def valid_decimal(value: Decimal | int | str, what: str) -> Decimal:
    if isinstance(value, float):
        raise ProgrammeError(_("%(what)s must be an exact decimal, not a float.") % {"what": what})
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ProgrammeError(_("%(what)s is not a number.") % {"what": what}) from None


def valid_amount(value: Decimal | int | str) -> Decimal:
    amount = valid_decimal(value, _("The amount"))
    if amount <= 0:
        raise ProgrammeError(_("An amount must be greater than zero."))
    if amount != money.to_money(amount):
        raise ProgrammeError(_("An amount has at most two decimals (cents)."))
    return amount


def valid_rate(value: Decimal | int | str) -> Decimal:
    rate = valid_decimal(value, _("The VAT rate"))
    if not Decimal(0) <= rate <= Decimal(100):
        raise ProgrammeError(_("A VAT rate lies between 0 and 100 %."))
    return money.to_money(rate)


@transaction.atomic
def create_programme(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    eligibility_start: dt.date,
    eligibility_end: dt.date,
    last_payment_date: dt.date,
    final_claim_date: dt.date,
    planned_start: dt.date | None = None,
    planned_end: dt.date | None = None,
    interim_cap_percent: Decimal | str = "80.00",
    actor_label: str = "",
) -> Programme:
    if not name.strip():
        raise ProgrammeError(_("A programme needs a name."))
    if eligibility_end < eligibility_start:
        raise ProgrammeError(_("The eligibility window ends before it starts."))
    if planned_start and planned_end and planned_end < planned_start:
        raise ProgrammeError(_("The planned end of works is before their start."))
    if final_claim_date < eligibility_start:
        raise ProgrammeError(_("The final claim date is before the eligibility window."))
    cap = valid_decimal(interim_cap_percent, _("The interim cap"))
    if not Decimal(0) < cap <= Decimal(100):
        raise ProgrammeError(_("The interim cap lies between 0 and 100 %."))
    programme = Programme.objects.create(
        municipality=municipality,
        name=name.strip(),
        eligibility_start=eligibility_start,
        eligibility_end=eligibility_end,
        planned_start=planned_start,
        planned_end=planned_end,
        last_payment_date=last_payment_date,
        final_claim_date=final_claim_date,
        interim_cap_percent=cap,
    )
    audit.record(
        "programme.created",
        actor=actor,
        actor_label=actor_label or ("" if actor is not None else SYSTEM_LABEL),
        target=programme,
    )
    return programme


@transaction.atomic
def add_axis(*, actor: Any, programme: Programme, number: int, title: str) -> Axis:
    if programme.axes.filter(number=number).exists():
        raise ProgrammeError(_("This programme already has an axis %(n)s.") % {"n": number})
    axis = Axis.objects.create(programme=programme, number=number, title=title.strip())
    record(
        "programme.axis_added",
        actor,
        axis,
        municipality_id=programme.municipality_id,
        number=number,
    )
    return axis


@transaction.atomic
def add_objective(*, actor: Any, axis: Axis, title: str) -> Objective:
    if not title.strip():
        raise ProgrammeError(_("An objective needs a title."))
    position = axis.objectives.count()
    objective = Objective.objects.create(axis=axis, title=title.strip(), position=position)
    record(
        "programme.objective_added",
        actor,
        objective,
        municipality_id=axis.programme.municipality_id,
    )
    return objective


@transaction.atomic
def add_budget_line(
    *,
    actor: Any,
    objective: Objective,
    label: str,
    amount_ht: Decimal | int | str,
    vat_rate: Decimal | int | str = "20.00",
    eligible: bool = True,
    fctva_recoverable: bool = True,
) -> BudgetLine:
    if not label.strip():
        raise ProgrammeError(_("A budget line needs a label."))
    line = BudgetLine.objects.create(
        objective=objective,
        position=objective.lines.count(),
        label=label.strip(),
        amount_ht=valid_amount(amount_ht),
        vat_rate=valid_rate(vat_rate),
        eligible=eligible,
        fctva_recoverable=fctva_recoverable,
    )
    record(
        "programme.line_added",
        actor,
        line,
        municipality_id=objective.axis.programme.municipality_id,
        amount_ht=str(line.amount_ht),
        vat_rate=str(line.vat_rate),
    )
    return line


@transaction.atomic
def set_funding_plan(
    *, actor: Any, programme: Programme, shares: Sequence[tuple[str, Decimal | int | str]]
) -> list[FundingSource]:
    """Replace the programme's funding sources; their shares must add up to 100 %."""
    cleaned: list[tuple[str, Decimal]] = []
    for name, share in shares:
        value = valid_decimal(share, _("A share"))
        if not name.strip():
            raise ProgrammeError(_("Every funding source needs a name."))
        if not Decimal(0) < value <= Decimal(100):
            raise ProgrammeError(_("A share lies between 0 and 100 %."))
        if value != money.to_money(value):
            raise ProgrammeError(_("A share has at most two decimals."))
        cleaned.append((name.strip(), value))
    names = [name for name, _share in cleaned]
    if len(set(names)) != len(names):
        raise ProgrammeError(_("Two funding sources have the same name."))
    total = sum((share for _name, share in cleaned), Decimal(0))
    if total != Decimal(100):
        raise ProgrammeError(_("The shares add up to %(total)s %%, not 100 %%.") % {"total": total})
    programme.funding_sources.all().delete()
    sources = [
        FundingSource.objects.create(
            programme=programme, position=i, name=name, share_percent=share
        )
        for i, (name, share) in enumerate(cleaned)
    ]
    record(
        "programme.funding_plan_set",
        actor,
        programme,
        programme.municipality_id,
        shares={name: str(share) for name, share in cleaned},
    )
    return sources


# ---- The chain: suppliers, orders, invoices ------------------------------------------


@dataclass(frozen=True)
class LineInput:
    """One order or invoice line as typed (or read from the accounting software)."""

    label: str
    amount_ht: Decimal | int | str
    vat_rate: Decimal | int | str
    vat_amount: Decimal | int | str
    amount_ttc: Decimal | int | str


def clean_lines(lines: Sequence[LineInput]) -> list[dict[str, Any]]:
    if not lines:
        raise ProgrammeError(_("At least one line is needed."))
    cleaned = []
    for number, line in enumerate(lines, start=1):
        if not line.label.strip():
            raise ProgrammeError(_("Line %(n)s needs a label.") % {"n": number})
        ht = valid_amount(line.amount_ht)
        rate = valid_rate(line.vat_rate)
        vat = valid_decimal(line.vat_amount, _("The VAT"))
        ttc = valid_decimal(line.amount_ttc, _("The amount incl. VAT"))
        expected_vat = money.vat(ht, rate)
        if vat != expected_vat:
            raise ProgrammeError(
                _(
                    "Line %(n)s: the VAT %(vat)s does not match %(ht)s × %(rate)s %% "
                    "(expected %(expected)s)."
                )
                % {"n": number, "vat": vat, "ht": ht, "rate": rate, "expected": expected_vat}
            )
        if ttc != ht + expected_vat:
            raise ProgrammeError(
                _("Line %(n)s: the amount incl. VAT %(ttc)s is not %(expected)s.")
                % {"n": number, "ttc": ttc, "expected": ht + expected_vat}
            )
        cleaned.append(
            {
                "position": number - 1,
                "label": line.label.strip(),
                "amount_ht": ht,
                "vat_rate": rate,
                "vat_amount": expected_vat,
                "amount_ttc": ht + expected_vat,
            }
        )
    return cleaned


@transaction.atomic
def create_supplier(
    *, actor: Any, municipality: Municipality, name: str, siret: str = ""
) -> Supplier:
    if not name.strip():
        raise ProgrammeError(_("A supplier needs a name."))
    if Supplier.objects.filter(municipality=municipality, name__iexact=name.strip()).exists():
        raise ProgrammeError(_("This supplier already exists."))
    supplier = Supplier.objects.create(
        municipality=municipality, name=name.strip(), siret=siret.strip()
    )
    record("programme.supplier_created", actor, supplier, municipality.pk)
    return supplier


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
) -> Order:
    if not number.strip():
        raise ProgrammeError(_("An order needs a number."))
    if supplier.municipality_id != programme.municipality_id:
        raise ProgrammeError(_("Unknown supplier for this programme."))
    if not BudgetLine.objects.filter(
        pk=budget_line.pk, objective__axis__programme=programme
    ).exists():
        raise ProgrammeError(_("Unknown budget line for this programme."))
    if programme.orders.filter(number=number.strip()).exists():
        raise ProgrammeError(
            _("Order %(number)s already exists in this programme.") % {"number": number}
        )
    cleaned = clean_lines(lines)
    order = Order.objects.create(
        programme=programme,
        supplier=supplier,
        budget_line=budget_line,
        number=number.strip(),
        order_date=order_date,
    )
    OrderLine.objects.bulk_create([OrderLine(order=order, **line) for line in cleaned])
    record(
        "programme.order_created",
        actor,
        order,
        programme.municipality_id,
        amount_ht=str(money.total(line["amount_ht"] for line in cleaned)),
    )
    return order


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
) -> Invoice:
    """Record a supplier's invoice against ``order``.

    Refused: a number the supplier already used, a payment before the invoice, lines that
    do not add up, or invoices of the order exceeding the order (HT or TTC). Dates
    outside the eligibility window are accepted; :func:`eligibility_flags` reports them.
    """
    order = Order.objects.select_for_update().select_related("supplier").get(pk=order.pk)
    if not number.strip():
        raise ProgrammeError(_("An invoice needs a number."))
    if Invoice.objects.filter(supplier=order.supplier, number=number.strip()).exists():
        raise ProgrammeError(
            _("%(supplier)s already has an invoice numbered %(number)s.")
            % {"supplier": order.supplier.name, "number": number.strip()}
        )
    if payment_date is not None and payment_date < invoice_date:
        raise ProgrammeError(_("The payment date is before the invoice date."))
    cleaned = clean_lines(lines)
    ordered = order.lines.aggregate(ht=Sum("amount_ht"), ttc=Sum("amount_ttc"))
    already = InvoiceLine.objects.filter(invoice__order=order).aggregate(
        ht=Sum("amount_ht"), ttc=Sum("amount_ttc")
    )
    # SQLite returns sums without their trailing zeros: bring every figure to the cent.
    ordered_ht, ordered_ttc = (money.to_money(ordered[k] or 0) for k in ("ht", "ttc"))
    invoiced_ht = money.to_money(already["ht"] or 0) + money.total(
        line["amount_ht"] for line in cleaned
    )
    invoiced_ttc = money.to_money(already["ttc"] or 0) + money.total(
        line["amount_ttc"] for line in cleaned
    )
    if invoiced_ht > ordered_ht or invoiced_ttc > ordered_ttc:
        raise ProgrammeError(
            _(
                "The invoices of order %(order)s would exceed it: %(invoiced)s € excl. VAT "
                "invoiced for %(ordered)s € ordered."
            )
            % {"order": order.number, "invoiced": invoiced_ht, "ordered": ordered_ht}
        )
    invoice = Invoice.objects.create(
        order=order,
        supplier=order.supplier,
        number=number.strip(),
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
        amount_ht=str(money.total(line["amount_ht"] for line in cleaned)),
        flags=eligibility_flags(invoice, order.programme),
    )
    return invoice


@transaction.atomic
def record_payment(
    *, actor: Any, invoice: Invoice, payment_date: dt.date, mandate_number: str = ""
) -> Invoice:
    invoice = (
        Invoice.objects.select_for_update().select_related("order__programme").get(pk=invoice.pk)
    )
    if payment_date < invoice.invoice_date:
        raise ProgrammeError(_("The payment date is before the invoice date."))
    invoice.payment_date = payment_date
    invoice.mandate_number = mandate_number.strip()
    invoice.save(update_fields=["payment_date", "mandate_number", "updated_at"])
    record(
        "programme.invoice_paid",
        actor,
        invoice,
        invoice.order.programme.municipality_id,
        payment_date=payment_date.isoformat(),
        flags=eligibility_flags(invoice, invoice.order.programme),
    )
    return invoice


def eligibility_flags(invoice: Invoice, programme: Programme) -> list[str]:
    """Why an invoice falls outside the programme's eligibility window (empty if not)."""
    flags = []
    start, end = programme.eligibility_start, programme.eligibility_end
    if not start <= invoice.invoice_date <= end:
        flags.append("invoice_date_outside_window")
    if invoice.payment_date is not None and not start <= invoice.payment_date <= end:
        flags.append("payment_date_outside_window")
    return flags


def _planned_dates(programme: Programme) -> list[dt.date | None]:
    """A first planned date per milestone, spread in order over the planned works."""
    start, end = programme.planned_start, programme.planned_end
    kinds = len(Milestone.values)
    if start is None or end is None:
        return [None] * kinds
    span = (end - start).days
    return [start + dt.timedelta(days=span * i // kinds) for i in range(kinds)]


@transaction.atomic
def plan_site_milestones(programme: Programme, actor: Any) -> int:
    """Give every site of the programme's municipality the full checklist of milestones.

    Idempotent: milestones that exist are left as they are; returns how many were created.
    """
    existing = set(programme.site_milestones.values_list("site_id", "kind"))
    dates = _planned_dates(programme)
    new = [
        SiteMilestone(programme=programme, site_id=site_id, kind=kind, planned_on=planned)
        for site_id in Site.objects.filter(municipality_id=programme.municipality_id).values_list(
            "pk", flat=True
        )
        for kind, planned in zip(Milestone.values, dates, strict=True)
        if (site_id, kind) not in existing
    ]
    SiteMilestone.objects.bulk_create(new)
    if new:
        record(
            "programme.rollout_planned",
            actor,
            programme,
            programme.municipality_id,
            created=len(new),
        )
    return len(new)


MILESTONE_FIELDS = frozenset({"planned_on", "done_on", "status", "quantity", "evidence"})


@transaction.atomic
def update_site_milestone(milestone: SiteMilestone, actor: Any, **changes: Any) -> SiteMilestone:
    """Change a milestone's dates, status, quantity or evidence; all or nothing.

    Refused: an unknown field or status, a completion date in the future, "done" without
    a completion date, a quantity that is not a positive whole number.
    """
    unknown = set(changes) - MILESTONE_FIELDS
    if unknown:
        raise ProgrammeError(
            _("Unknown milestone field: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    milestone = (
        SiteMilestone.objects.select_for_update()
        .select_related("programme", "site")
        .get(pk=milestone.pk)
    )
    for name, value in changes.items():
        setattr(milestone, name, value)
    if milestone.status not in SiteMilestone.Status.values:
        raise ProgrammeError(_("Unknown milestone status."))
    if milestone.done_on is not None and milestone.done_on > timezone.localdate():
        raise ProgrammeError(_("A milestone cannot be done at a future date."))
    if milestone.status == SiteMilestone.Status.DONE and milestone.done_on is None:
        raise ProgrammeError(_("A milestone marked done needs the date it was done."))
    quantity = milestone.quantity
    if quantity is not None and (
        isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0
    ):
        raise ProgrammeError(_("A quantity is a whole number greater than zero."))
    milestone.evidence = (milestone.evidence or "").strip()
    milestone.save(update_fields=[*sorted(changes), "updated_at"])
    record(
        "programme.milestone_updated",
        actor,
        milestone,
        milestone.programme.municipality_id,
        kind=milestone.kind,
        status=milestone.status,
        changed=sorted(changes),
    )
    return milestone
