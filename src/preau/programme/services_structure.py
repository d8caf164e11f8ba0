"""Editing a programme's structure: its dates, axes, objectives, budget lines, funding
plan and the municipality's suppliers. Creating uses ``services`` where it can.

Each edit is validated, transactional and audited with ``changes = {field: [old, new]}``
(see ``history``); a delete is refused while anything depends on the record, and its
audit record keeps what was deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from preau.directory.models import Municipality
from preau.programme import money, services
from preau.programme.history import as_text, diff, snapshot
from preau.programme.models import (
    Axis,
    BudgetLine,
    FundingSource,
    Objective,
    Programme,
    Supplier,
)
from preau.programme.services import (
    ProgrammeError,
    record,
    save_changes,
    valid_amount,
    valid_decimal,
    valid_rate,
)
from preau.programme.services_chain import but

PROGRAMME_FIELDS = (
    "name",
    "eligibility_start",
    "eligibility_end",
    "planned_start",
    "planned_end",
    "last_payment_date",
    "final_claim_date",
    "interim_cap_percent",
)
LINE_FIELDS = (
    "objective",
    "label",
    "amount_ht",
    "vat_rate",
    "eligible",
    "fctva_recoverable",
    "heading",
)
SIRET = re.compile(r"\d{14}")


def _muni(programme: Programme) -> int:
    return programme.municipality_id


# ---- The programme -----------------------------------------------------------------------


@transaction.atomic
def update_programme(
    *,
    actor: Any,
    programme: Programme,
    name: str,
    eligibility_start: dt.date,
    eligibility_end: dt.date,
    last_payment_date: dt.date,
    final_claim_date: dt.date,
    planned_start: dt.date | None = None,
    planned_end: dt.date | None = None,
    interim_cap_percent: Decimal | str = "80.00",
) -> Programme:
    """Change the programme's name, dates, deadlines and interim cap (the same rules as
    ``services.create_programme``). Invoices are flagged against the new window."""
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    if not name.strip():
        raise ProgrammeError(_("A programme needs a name."))
    if (
        Programme.objects.filter(municipality_id=programme.municipality_id, name=name.strip())
        .exclude(pk=programme.pk)
        .exists()
    ):
        raise ProgrammeError(_("Another programme already has this name."))
    if eligibility_end < eligibility_start:
        raise ProgrammeError(_("The eligibility window ends before it starts."))
    if planned_start and planned_end and planned_end < planned_start:
        raise ProgrammeError(_("The planned end of works is before their start."))
    if final_claim_date < eligibility_start:
        raise ProgrammeError(_("The final claim date is before the eligibility window."))
    cap = valid_decimal(interim_cap_percent, _("The interim cap"))
    if not Decimal(0) < cap <= Decimal(100) or cap != money.to_money(cap):
        raise ProgrammeError(_("The interim cap lies between 0 and 100 %, two decimals at most."))
    before = snapshot(programme, PROGRAMME_FIELDS)
    programme.name = name.strip()
    programme.eligibility_start, programme.eligibility_end = eligibility_start, eligibility_end
    programme.planned_start, programme.planned_end = planned_start, planned_end
    programme.last_payment_date, programme.final_claim_date = last_payment_date, final_claim_date
    programme.interim_cap_percent = money.to_money(cap)
    save_changes(programme, before, PROGRAMME_FIELDS, "programme.updated", actor, _muni(programme))
    return programme


# ---- Axes and objectives -----------------------------------------------------------------


@transaction.atomic
def create_axis(*, actor: Any, programme: Programme, number: int, title: str) -> Axis:
    if not title.strip():
        raise ProgrammeError(_("An axis needs a title."))
    if number < 1:
        raise ProgrammeError(_("An axis number is a whole number from 1."))
    return services.add_axis(actor=actor, programme=programme, number=number, title=title)


@transaction.atomic
def update_axis(*, actor: Any, axis: Axis, number: int, title: str) -> Axis:
    axis = Axis.objects.select_for_update(of=("self",)).select_related("programme").get(pk=axis.pk)
    if not title.strip():
        raise ProgrammeError(_("An axis needs a title."))
    if number < 1:
        raise ProgrammeError(_("An axis number is a whole number from 1."))
    if (
        Axis.objects.filter(programme_id=axis.programme_id, number=number)
        .exclude(pk=axis.pk)
        .exists()
    ):
        raise ProgrammeError(_("This programme already has an axis %(n)s.") % {"n": number})
    before = snapshot(axis, ("number", "title"))
    axis.number, axis.title = number, title.strip()
    fields = ("number", "title")
    save_changes(axis, before, fields, "programme.axis_updated", actor, _muni(axis.programme))
    return axis


@transaction.atomic
def delete_axis(*, actor: Any, axis: Axis) -> None:
    axis = Axis.objects.select_for_update(of=("self",)).select_related("programme").get(pk=axis.pk)
    count = axis.objectives.count()
    if count:
        raise ProgrammeError(
            _("Axis %(n)s still has %(count)s objective(s): delete or move them first.")
            % {"n": axis.number, "count": count}
        )
    record(
        "programme.axis_deleted",
        actor,
        axis,
        _muni(axis.programme),
        deleted=snapshot(axis, ("number", "title")),
    )
    axis.delete()


@transaction.atomic
def update_objective(
    *, actor: Any, objective: Objective, axis: Axis, title: str, position: int
) -> Objective:
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("axis__programme")
        .get(pk=objective.pk)
    )
    programme = objective.axis.programme
    if axis.programme_id != programme.pk:
        raise ProgrammeError(_("Unknown axis for this programme."))
    if not title.strip():
        raise ProgrammeError(_("An objective needs a title."))
    fields = ("axis", "title", "position")
    before = snapshot(objective, fields)
    objective.axis, objective.title, objective.position = axis, title.strip(), max(position, 0)
    action = "programme.objective_updated"
    save_changes(objective, before, fields, action, actor, _muni(programme))
    return objective


@transaction.atomic
def delete_objective(*, actor: Any, objective: Objective) -> None:
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("axis__programme")
        .get(pk=objective.pk)
    )
    count = objective.lines.count()
    if count:
        raise ProgrammeError(
            _("This objective still has %(count)s budget line(s): delete or move them first.")
            % {"count": count}
        )
    record(
        "programme.objective_deleted",
        actor,
        objective,
        _muni(objective.axis.programme),
        deleted=snapshot(objective, ("axis", "title")),
    )
    objective.delete()


# ---- Budget lines --------------------------------------------------------------------------


@transaction.atomic
def create_budget_line(
    *,
    actor: Any,
    objective: Objective,
    label: str,
    amount_ht: Decimal | int | str,
    vat_rate: Decimal | int | str = "20.00",
    eligible: bool = True,
    fctva_recoverable: bool = True,
    heading: str = "",
) -> BudgetLine:
    """``services.add_budget_line``, with the grant agreement's expense heading."""
    line = services.add_budget_line(
        actor=actor,
        objective=objective,
        label=label,
        amount_ht=amount_ht,
        vat_rate=vat_rate,
        eligible=eligible,
        fctva_recoverable=fctva_recoverable,
    )
    if heading.strip():
        line.heading = heading.strip()[:200]
        line.save(update_fields=["heading", "updated_at"])
    return line


@transaction.atomic
def update_budget_line(
    *,
    actor: Any,
    line: BudgetLine,
    objective: Objective,
    label: str,
    amount_ht: Decimal | int | str,
    vat_rate: Decimal | int | str,
    eligible: bool,
    fctva_recoverable: bool,
    heading: str = "",
) -> BudgetLine:
    """Change a budget line; VAT and TTC follow from HT and rate. A line may move to
    another objective of the same programme. Orders above the new amount are not
    refused: the dashboard shows the line over budget."""
    line = (
        BudgetLine.objects.select_for_update(of=("self",))
        .select_related("objective__axis__programme")
        .get(pk=line.pk)
    )
    programme = line.objective.axis.programme
    if objective.axis.programme_id != programme.pk:
        raise ProgrammeError(_("Unknown objective for this programme."))
    if not label.strip():
        raise ProgrammeError(_("A budget line needs a label."))
    before = snapshot(line, LINE_FIELDS)
    line.objective = objective
    line.label = label.strip()
    line.amount_ht = money.to_money(valid_amount(amount_ht))
    line.vat_rate = valid_rate(vat_rate)
    line.eligible, line.fctva_recoverable = eligible, fctva_recoverable
    line.heading = heading.strip()[:200]
    save_changes(line, before, LINE_FIELDS, "programme.line_updated", actor, _muni(programme))
    return line


@transaction.atomic
def delete_budget_line(*, actor: Any, line: BudgetLine) -> None:
    line = (
        BudgetLine.objects.select_for_update(of=("self",))
        .select_related("objective__axis__programme")
        .get(pk=line.pk)
    )
    count = line.orders.count()
    if count:
        raise ProgrammeError(
            _("%(count)s order(s) are charged to this line: it cannot be deleted.")
            % {"count": count}
        )
    record(
        "programme.line_deleted",
        actor,
        line,
        _muni(line.objective.axis.programme),
        deleted=snapshot(line, ("label", "amount_ht", "vat_rate")),
    )
    line.delete()


# ---- The funding plan ---------------------------------------------------------------------


def _clean_shares(shares: Sequence[tuple[str, Decimal | int | str]]) -> list[tuple[str, Decimal]]:
    cleaned: list[tuple[str, Decimal]] = []
    for name, share in shares:
        value = valid_decimal(share, _("A share"))
        if not name.strip():
            raise ProgrammeError(_("Every funding source needs a name."))
        if not Decimal(0) < value <= Decimal(100):
            raise ProgrammeError(
                _("The share of %(name)s lies between 0 and 100 %%.") % {"name": name.strip()}
            )
        if value != money.to_money(value):
            raise ProgrammeError(_("A share has at most two decimals."))
        cleaned.append((name.strip(), money.to_money(value)))
    if not cleaned:
        raise ProgrammeError(_("A funding plan needs at least one source."))
    names = [name.casefold() for name, _share in cleaned]
    if len(set(names)) != len(names):
        raise ProgrammeError(_("Two funding sources have the same name."))
    total = sum((share for _name, share in cleaned), Decimal(0))
    if total != Decimal(100):
        raise ProgrammeError(_("The shares add up to %(total)s %%, not 100 %%.") % {"total": total})
    return cleaned


@transaction.atomic
def edit_funding_plan(
    *, actor: Any, programme: Programme, shares: Sequence[tuple[str, Decimal | int | str]]
) -> list[FundingSource]:
    """Replace the funding plan (sources in order, shares adding up to exactly 100 %);
    the changes name each source: ``{"REACT-EU": ["60.00", "55.00"]}``."""
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    cleaned = _clean_shares(shares)
    before = {s.name: as_text(s.share_percent) for s in programme.funding_sources.all()}
    after = {name: as_text(share) for name, share in cleaned}
    changes = diff(before, after) | {
        name: [old, ""] for name, old in before.items() if name not in after
    }
    programme.funding_sources.all().delete()
    sources = FundingSource.objects.bulk_create(
        FundingSource(programme=programme, position=i, name=name, share_percent=share)
        for i, (name, share) in enumerate(cleaned)
    )
    if changes:
        record(
            "programme.funding_plan_set",
            actor,
            programme,
            _muni(programme),
            shares=after,
            changes=changes,
        )
    return sources


# ---- Suppliers -------------------------------------------------------------------------------


def _clean_supplier(municipality_id: int, name: str, siret: str, exclude: int | None) -> str:
    if not name.strip():
        raise ProgrammeError(_("A supplier needs a name."))
    others = Supplier.objects.filter(municipality_id=municipality_id, name__iexact=name.strip())
    if but(others, exclude).exists():
        raise ProgrammeError(_("This supplier already exists."))
    siret = "".join(siret.split())
    if siret and not SIRET.fullmatch(siret):
        raise ProgrammeError(_("A SIRET number has 14 digits."))
    return siret


@transaction.atomic
def create_supplier(
    *, actor: Any, municipality: Municipality, name: str, siret: str = ""
) -> Supplier:
    siret = _clean_supplier(municipality.pk, name, siret, None)
    return services.create_supplier(actor=actor, municipality=municipality, name=name, siret=siret)


@transaction.atomic
def update_supplier(*, actor: Any, supplier: Supplier, name: str, siret: str = "") -> Supplier:
    supplier = Supplier.objects.select_for_update(of=("self",)).get(pk=supplier.pk)
    siret = _clean_supplier(supplier.municipality_id, name, siret, supplier.pk)
    before = snapshot(supplier, ("name", "siret"))
    supplier.name, supplier.siret = name.strip(), siret
    action = "programme.supplier_updated"
    save_changes(supplier, before, ("name", "siret"), action, actor, supplier.municipality_id)
    return supplier


@transaction.atomic
def delete_supplier(*, actor: Any, supplier: Supplier) -> None:
    supplier = Supplier.objects.select_for_update(of=("self",)).get(pk=supplier.pk)
    orders, contracts = supplier.orders.count(), supplier.contracts.count()
    if orders or contracts:
        raise ProgrammeError(
            _(
                "%(name)s has %(orders)s order(s) and %(contracts)s contract(s): "
                "it cannot be deleted."
            )
            % {"name": supplier.name, "orders": orders, "contracts": contracts}
        )
    record(
        "programme.supplier_deleted",
        actor,
        supplier,
        supplier.municipality_id,
        deleted=snapshot(supplier, ("name", "siret")),
    )
    supplier.delete()
