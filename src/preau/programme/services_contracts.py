"""Public contracts (marchés publics), edited on screen: create, edit, delete.

A contract's holder cannot change once orders were placed under it; its maximum cannot
fall below those orders; a delete is refused while orders or documents depend on it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from preau.programme import money
from preau.programme.history import snapshot
from preau.programme.models import Contract, OrderLine, Programme, Supplier
from preau.programme.services import ProgrammeError, record, save_changes, valid_amount
from preau.programme.services_chain import but, files_block, has_files

CONTRACT_FIELDS = ("reference", "title", "supplier", "procedure", "notified_on", "max_amount_ht")


def _check_contract(
    programme: Programme,
    supplier: Supplier,
    reference: str,
    title: str,
    procedure: str,
    max_amount_ht: Decimal | str | None,
    exclude: int | None,
) -> tuple[str, Decimal | None]:
    reference = reference.strip()
    if not reference:
        raise ProgrammeError(_("A contract needs a reference."))
    if not title.strip():
        raise ProgrammeError(_("A contract needs a subject."))
    if supplier.municipality_id != programme.municipality_id:
        raise ProgrammeError(_("Unknown supplier for this programme."))
    if procedure not in Contract.Procedure.values:
        raise ProgrammeError(_("Unknown procedure."))
    others = Contract.objects.filter(programme=programme, reference=reference)
    if but(others, exclude).exists():
        raise ProgrammeError(
            _("Contract %(ref)s already exists in this programme.") % {"ref": reference}
        )
    if max_amount_ht is None or max_amount_ht == "":
        return reference, None
    cap = money.to_money(valid_amount(max_amount_ht))
    return reference, cap


@transaction.atomic
def create_contract(
    *,
    actor: Any,
    programme: Programme,
    supplier: Supplier,
    reference: str,
    title: str,
    notified_on: dt.date,
    procedure: str = Contract.Procedure.MAPA,
    max_amount_ht: Decimal | str | None = None,
) -> Contract:
    reference, cap = _check_contract(
        programme, supplier, reference, title, procedure, max_amount_ht, None
    )
    contract = Contract.objects.create(
        programme=programme,
        supplier=supplier,
        reference=reference,
        title=title.strip(),
        procedure=procedure,
        notified_on=notified_on,
        max_amount_ht=cap,
    )
    record(
        "programme.contract_created",
        actor,
        contract,
        programme.municipality_id,
        max_amount_ht=str(cap or ""),
    )
    return contract


@transaction.atomic
def update_contract(
    *,
    actor: Any,
    contract: Contract,
    supplier: Supplier,
    reference: str,
    title: str,
    notified_on: dt.date,
    procedure: str,
    max_amount_ht: Decimal | str | None = None,
) -> Contract:
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=contract.pk)
    )
    reference, cap = _check_contract(
        contract.programme, supplier, reference, title, procedure, max_amount_ht, contract.pk
    )
    if supplier.pk != contract.supplier_id and contract.orders.exists():
        raise ProgrammeError(_("Orders were placed under this contract: its holder cannot change."))
    ordered = money.to_money(
        OrderLine.objects.filter(order__contract=contract).aggregate(s=Sum("amount_ht"))["s"] or 0
    )
    if cap is not None and ordered > cap:
        raise ProgrammeError(
            _("The orders under this contract already reach %(ordered)s € excl. VAT.")
            % {"ordered": ordered}
        )
    before = snapshot(contract, CONTRACT_FIELDS)
    contract.supplier, contract.reference, contract.title = supplier, reference, title.strip()
    contract.procedure, contract.notified_on, contract.max_amount_ht = procedure, notified_on, cap
    action, municipality_id = "programme.contract_updated", contract.programme.municipality_id
    save_changes(contract, before, CONTRACT_FIELDS, action, actor, municipality_id)
    return contract


@transaction.atomic
def delete_contract(*, actor: Any, contract: Contract) -> None:
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=contract.pk)
    )
    orders = contract.orders.count()
    if orders:
        raise ProgrammeError(
            _("%(count)s order(s) were placed under this contract: it cannot be deleted.")
            % {"count": orders}
        )
    files_block(has_files(contract))
    record(
        "programme.contract_deleted",
        actor,
        contract,
        contract.programme.municipality_id,
        deleted=snapshot(contract, CONTRACT_FIELDS),
    )
    contract.delete()
