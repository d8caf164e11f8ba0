"""Public contracts: the list of a programme's contracts, one contract (its orders, its
documents, its history), create, edit, delete. Officers and city admins only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.core.access import CHANGE, VIEW, get_or_404, restrict
from preau.programme import services_contracts as chain
from preau.programme.forms_chain import ContractForm
from preau.programme.history import history_of
from preau.programme.models import Contract, Order, Programme, Supplier
from preau.programme.sums import with_order_sums
from preau.programme.views_edit import crumbs_for, programme_of
from preau.programme.views_files import files_context
from preau.programme.views_forms import Section, initial_of


def _list_url(programme: Programme) -> str:
    return reverse("programme:contracts", args=[programme.pk])


def _crumbs(programme: Programme) -> list[tuple[str, str]]:
    return crumbs_for(programme, (_list_url(programme), _("Public contracts")))


def _suppliers(request: HttpRequest, programme: Programme) -> Any:
    return restrict(request.user, Supplier).filter(municipality_id=programme.municipality_id)


@login_required
def contracts(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    rows = (
        restrict(request.user, Contract)
        .filter(programme=programme)
        .select_related("supplier")
        .annotate(order_count=Count("orders"))
        .order_by("notified_on", "reference")
    )
    return render(
        request, "programme/contract_list.html", {"programme": programme, "contracts": rows}
    )


def _contract(request: HttpRequest, pk: int, action: str = CHANGE) -> Contract:
    return get_or_404(
        request.user, Contract.objects.select_related("programme", "supplier"), action, pk=pk
    )


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, VIEW)
    orders = with_order_sums(
        restrict(request.user, Order).filter(contract=contract).select_related("supplier")
    )
    context = {
        "programme": contract.programme,
        "contract": contract,
        "orders": orders,
        "history": history_of(contract),
    } | files_context("contract", contract)
    return render(request, "programme/contract_detail.html", context)


def _done(obj: Any) -> str:
    return reverse("programme:contract_detail", args=[obj.pk])


def _section(programme: Programme, contract: Contract | None = None) -> Section:
    """The contracts' pages (one contract's, with ``contract``): a save shows the
    contract, a delete returns to the list."""
    crumbs = _crumbs(programme)
    if contract is not None:
        crumbs.append((_done(contract), contract.reference))
    return Section(programme, crumbs, _list_url(programme), _done)


@login_required
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    form = ContractForm(request.POST or None, suppliers=_suppliers(request, programme))
    return _section(programme).form(
        request,
        form,
        save=lambda: chain.create_contract(
            actor=request.user, programme=programme, **form.cleaned_data
        ),
        title=_("New public contract"),
        saved=_("Contract recorded."),
    )


@login_required
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    programme = contract.programme
    form = ContractForm(
        request.POST or None,
        suppliers=_suppliers(request, programme),
        initial=initial_of(contract, chain.CONTRACT_FIELDS),
    )
    return _section(programme, contract).form(
        request,
        form,
        save=lambda: chain.update_contract(
            actor=request.user, contract=contract, **form.cleaned_data
        ),
        title=_("Contract %(ref)s") % {"ref": contract.reference},
        saved=_("Contract saved."),
        record=contract,
        delete_url=reverse("programme:contract_delete", args=[contract.pk]),
    )


@login_required
def contract_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    return _section(contract.programme, contract).delete(
        request,
        contract,
        delete=lambda: chain.delete_contract(actor=request.user, contract=contract),
        back=_done(contract),
    )
