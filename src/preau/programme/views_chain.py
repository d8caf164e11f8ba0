"""Orders and their deliveries: the list (filtered by supplier, budget line, site), one
order (lines, sites, deliveries and acceptance reports, invoices, documents, history),
create, edit, delete; deliveries are recorded on the order's page. Officers and city
admins only; everything comes through the access kernel."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preau.core.access import CHANGE, VIEW, get_or_404, restrict
from preau.directory.models import Site
from preau.programme import money
from preau.programme import services_chain as chain
from preau.programme.equipment import equipment_of
from preau.programme.forms_chain import (
    DeliveryForm,
    LineFormSet,
    OrderFilter,
    OrderForm,
    line_initial,
    line_inputs,
)
from preau.programme.history import history_of
from preau.programme.models import (
    BudgetLine,
    Contract,
    Delivery,
    Invoice,
    Order,
    Programme,
    Supplier,
)
from preau.programme.services import eligibility_flags
from preau.programme.sums import with_invoice_sums, with_order_sums
from preau.programme.views_edit import PAGE_SIZE, crumbs_for, programme_of
from preau.programme.views_files import files_context
from preau.programme.views_forms import Section, initial_of


def _list_url(programme: Programme) -> str:
    return reverse("programme:orders", args=[programme.pk])


def _crumbs(programme: Programme, order: Order | None = None) -> list[tuple[str, str]]:
    more = [(_list_url(programme), _("Orders"))]
    if order is not None:
        more.append((_detail_url(order), order.number))
    return crumbs_for(programme, *more)


def _detail_url(order: Any) -> str:
    return reverse("programme:order_detail", args=[order.pk])


def _section(programme: Programme, order: Order | None = None) -> Section:
    """The orders' pages (one order's, with ``order``): a save shows the order, a delete
    returns to the list."""
    return Section(programme, _crumbs(programme, order), _list_url(programme), _detail_url)


def _deliveries(order: Order) -> Section:
    """The pages of an order's deliveries, which return to the order."""
    return Section(order.programme, _crumbs(order.programme, order), _detail_url(order))


def choices(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    """What the order forms and filters offer, from the kernel."""
    user = request.user
    return {
        "suppliers": restrict(user, Supplier).filter(municipality_id=programme.municipality_id),
        "lines": restrict(user, BudgetLine)
        .filter(objective__axis__programme=programme)
        .order_by("objective__axis__number", "objective__position", "position", "pk"),
        "sites": restrict(user, Site).filter(municipality_id=programme.municipality_id),
    }


@login_required
def orders(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    offered = choices(request, programme)
    form = OrderFilter(request.GET or None, **offered)
    rows = restrict(request.user, Order).filter(programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        if data["supplier"]:
            rows = rows.filter(supplier=data["supplier"])
        if data["budget_line"]:
            rows = rows.filter(budget_line=data["budget_line"])
        if data["site"]:
            rows = rows.filter(sites=data["site"])
    rows = with_order_sums(
        rows.select_related("supplier", "budget_line", "contract").order_by("order_date", "number")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"programme": programme, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "programme/order_list.html", context)


def _order(request: HttpRequest, pk: int, action: str = CHANGE) -> Order:
    return get_or_404(
        request.user,
        Order.objects.select_related("programme", "supplier", "budget_line", "contract"),
        action,
        pk=pk,
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk, VIEW)
    lines = list(order.lines.all())
    invoices = with_invoice_sums(
        restrict(request.user, Invoice).filter(order=order)
    ).select_related("claim")
    deliveries = [
        (delivery, files_context("delivery", delivery))
        for delivery in restrict(request.user, Delivery)
        .filter(order=order)
        .order_by("delivered_on")
    ]
    context = {
        "programme": order.programme,
        "order": order,
        "lines": lines,
        "total_ht": money.total(line.amount_ht for line in lines),
        "total_vat": money.total(line.vat_amount for line in lines),
        "total_ttc": money.total(line.amount_ttc for line in lines),
        "sites": order.sites.order_by("name"),
        "deliveries": deliveries,
        "invoices": [(i, eligibility_flags(i, order.programme)) for i in invoices],
        "history": history_of(order),
        "equipment": equipment_of(request.user, order),
    } | files_context("order", order)
    return render(request, "programme/order_detail.html", context)


def _order_form(
    request: HttpRequest, programme: Programme, initial: dict[str, Any] | None = None
) -> OrderForm:
    offered = choices(request, programme)
    return OrderForm(
        request.POST or None,
        suppliers=offered["suppliers"],
        lines=offered["lines"],
        sites=offered["sites"],
        contracts=restrict(request.user, Contract).filter(programme=programme),
        initial=initial,
    )


def _order_values(form: OrderForm, formset: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["sites"] = list(data["sites"])
    data["lines"] = line_inputs(formset)
    return data


LINES_HELP = gettext_lazy(
    "Leave VAT and incl. VAT blank to have them computed; typed, they must match. "
    "Tick “Delete” to remove a line."
)


@login_required
def order_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    form = _order_form(request, programme)
    formset = LineFormSet(request.POST or None, prefix="line")
    return _section(programme).form(
        request,
        form,
        formset=formset,
        save=lambda: chain.create_order(
            actor=request.user, programme=programme, **_order_values(form, formset)
        ),
        title=_("New order"),
        saved=_("Order recorded."),
        extra={"formset_help": LINES_HELP},
    )


@login_required
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    programme = order.programme
    initial = initial_of(order, chain.ORDER_FIELDS) | {"sites": list(order.sites.all())}
    form = _order_form(request, programme, initial)
    formset = LineFormSet(
        request.POST or None, prefix="line", initial=line_initial(order.lines.all())
    )
    return _section(programme, order).form(
        request,
        form,
        formset=formset,
        save=lambda: chain.update_order(
            actor=request.user, order=order, **_order_values(form, formset)
        ),
        title=_("Order %(number)s") % {"number": order.number},
        saved=_("Order saved."),
        record=order,
        delete_url=reverse("programme:order_delete", args=[order.pk]),
        extra={"formset_help": LINES_HELP},
    )


@login_required
def order_delete(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    return _section(order.programme, order).delete(
        request,
        order,
        delete=lambda: chain.delete_order(actor=request.user, order=order),
        back=_detail_url(order),
    )


# ---- Deliveries ------------------------------------------------------------------------------


@login_required
def delivery_create(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    form = DeliveryForm(request.POST or None)
    return _deliveries(order).form(
        request,
        form,
        save=lambda: chain.create_delivery(actor=request.user, order=order, **form.cleaned_data),
        title=_("New delivery of order %(number)s") % {"number": order.number},
        saved=_("Delivery recorded."),
    )


def _delivery(request: HttpRequest, pk: int) -> Delivery:
    return get_or_404(
        request.user, Delivery.objects.select_related("order__programme"), CHANGE, pk=pk
    )


@login_required
def delivery_edit(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk)
    order = delivery.order
    form = DeliveryForm(request.POST or None, initial=initial_of(delivery, chain.DELIVERY_FIELDS))
    return _deliveries(order).form(
        request,
        form,
        save=lambda: chain.update_delivery(
            actor=request.user, delivery=delivery, **form.cleaned_data
        ),
        title=_("Delivery of order %(number)s") % {"number": order.number},
        saved=_("Delivery saved."),
        record=delivery,
        delete_url=reverse("programme:delivery_delete", args=[delivery.pk]),
    )


@login_required
def delivery_delete(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk)
    return _deliveries(delivery.order).delete(
        request,
        delivery,
        delete=lambda: chain.delete_delivery(actor=request.user, delivery=delivery),
        back=reverse("programme:delivery_edit", args=[delivery.pk]),
    )
