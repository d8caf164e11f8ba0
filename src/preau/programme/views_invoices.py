"""Invoices: the list (paid, not paid, outside the eligibility window, in a claim), one
invoice (lines, flags, claim, payment, documents, history), create, edit, record the
payment, delete. An invoice of a submitted claim is shown, never changed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, VIEW, get_or_404, restrict
from preau.programme import money
from preau.programme import services_invoices as bills
from preau.programme.forms_chain import (
    InvoiceFilter,
    InvoiceForm,
    LineFormSet,
    PaymentForm,
    line_initial,
    line_inputs,
)
from preau.programme.history import history_of
from preau.programme.models import Invoice, Order, Programme, Supplier
from preau.programme.services import ProgrammeError, eligibility_flags
from preau.programme.sums import with_invoice_sums
from preau.programme.views_chain import LINES_HELP
from preau.programme.views_edit import PAGE_SIZE, crumbs_for, programme_of
from preau.programme.views_files import files_context
from preau.programme.views_forms import Section, initial_of

FLAG_LABELS: dict[str, str | Promise] = {
    "invoice_date_outside_window": gettext_lazy("Dated outside the eligibility window"),
    "payment_date_outside_window": gettext_lazy("Paid outside the eligibility window"),
}


def flag_labels(invoice: Invoice, programme: Programme) -> list[str]:
    return [str(FLAG_LABELS[f]) for f in eligibility_flags(invoice, programme)]


def _list_url(programme: Programme) -> str:
    return reverse("programme:invoices", args=[programme.pk])


def _detail_url(invoice: Any) -> str:
    return reverse("programme:invoice_detail", args=[invoice.pk])


def _crumbs(programme: Programme, invoice: Invoice | None = None) -> list[tuple[str, str]]:
    more = [(_list_url(programme), _("Invoices"))]
    if invoice is not None:
        more.append((_detail_url(invoice), invoice.number))
    return crumbs_for(programme, *more)


def _section(programme: Programme, invoice: Invoice | None = None) -> Section:
    """The invoices' pages (one invoice's, with ``invoice``): a save shows the invoice,
    a delete returns to the list."""
    return Section(programme, _crumbs(programme, invoice), _list_url(programme), _detail_url)


def _outside(programme: Programme) -> Q:
    start, end = programme.eligibility_start, programme.eligibility_end
    return (
        Q(invoice_date__lt=start)
        | Q(invoice_date__gt=end)
        | Q(payment_date__lt=start)
        | Q(payment_date__gt=end)
    )


STATUS_FILTERS = {
    "paid": lambda p: Q(payment_date__isnull=False),
    "unpaid": lambda p: Q(payment_date__isnull=True),
    "flagged": _outside,
    "claimed": lambda p: Q(claim__isnull=False),
    "unclaimed": lambda p: Q(claim__isnull=True),
}


@login_required
def invoices(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    suppliers = restrict(request.user, Supplier).filter(municipality_id=programme.municipality_id)
    form = InvoiceFilter(request.GET or None, suppliers=suppliers)
    rows = restrict(request.user, Invoice).filter(order__programme=programme)
    if form.is_valid():
        status = form.cleaned_data["status"]
        if status:
            rows = rows.filter(STATUS_FILTERS[status](programme))
        if form.cleaned_data["supplier"]:
            rows = rows.filter(supplier=form.cleaned_data["supplier"])
    rows = with_invoice_sums(
        rows.select_related("supplier", "order", "claim").order_by("invoice_date", "number")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "form": form,
        "page": page,
        "rows": [(i, flag_labels(i, programme)) for i in page],
        "query": query.urlencode(),
    }
    return render(request, "programme/invoice_list.html", context)


def _invoice(request: HttpRequest, pk: int, action: str = CHANGE) -> Invoice:
    return get_or_404(
        request.user,
        Invoice.objects.select_related("order__programme", "supplier", "claim"),
        action,
        pk=pk,
    )


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk, VIEW)
    programme = invoice.order.programme
    lines = list(invoice.lines.all())
    locked = invoice.claim is not None and invoice.claim.locked
    payment = PaymentForm(
        initial={"payment_date": invoice.payment_date, "mandate_number": invoice.mandate_number},
        auto_id="pay-%s",
    )
    context = {
        "programme": programme,
        "invoice": invoice,
        "lines": lines,
        "total_ht": money.total(line.amount_ht for line in lines),
        "total_vat": money.total(line.vat_amount for line in lines),
        "total_ttc": money.total(line.amount_ttc for line in lines),
        "flags": flag_labels(invoice, programme),
        "locked": locked,
        "payment_form": None if locked else payment,
        "history": history_of(invoice),
    } | files_context("invoice", invoice, can_change=not locked)
    return render(request, "programme/invoice_detail.html", context)


def _invoice_form(
    request: HttpRequest, programme: Programme, initial: dict[str, Any] | None = None
) -> InvoiceForm:
    orders = (
        restrict(request.user, Order)
        .filter(programme=programme)
        .select_related("supplier")
        .order_by("number")
    )
    return InvoiceForm(request.POST or None, orders=orders, initial=initial)


def _flag_warning(request: HttpRequest, invoice: Invoice, programme: Programme) -> Invoice:
    flags = flag_labels(invoice, programme)
    if flags:
        messages.warning(
            request,
            _("Invoice %(number)s is accepted but flagged: %(flags)s.")
            % {"number": invoice.number, "flags": "; ".join(flags).lower()},
        )
    return invoice


def _values(form: InvoiceForm, formset: Any) -> dict[str, Any]:
    return dict(form.cleaned_data) | {"lines": line_inputs(formset)}


@login_required
def invoice_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    form = _invoice_form(request, programme, {"order": request.GET.get("order")})
    formset = LineFormSet(request.POST or None, prefix="line")
    return _section(programme).form(
        request,
        form,
        formset=formset,
        save=lambda: _flag_warning(
            request,
            bills.create_invoice(actor=request.user, **_values(form, formset)),
            programme,
        ),
        title=_("New invoice"),
        saved=_("Invoice recorded."),
        extra={"formset_help": LINES_HELP},
    )


@login_required
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    programme = invoice.order.programme
    try:
        bills.refuse_if_locked(invoice)
    except ProgrammeError as error:
        messages.error(request, str(error))
        return redirect(_detail_url(invoice))
    form = _invoice_form(request, programme, initial_of(invoice, bills.INVOICE_FIELDS))
    formset = LineFormSet(
        request.POST or None, prefix="line", initial=line_initial(invoice.lines.all())
    )
    return _section(programme, invoice).form(
        request,
        form,
        formset=formset,
        save=lambda: _flag_warning(
            request,
            bills.update_invoice(actor=request.user, invoice=invoice, **_values(form, formset)),
            programme,
        ),
        title=_("Invoice %(number)s") % {"number": invoice.number},
        saved=_("Invoice saved."),
        record=invoice,
        delete_url=reverse("programme:invoice_delete", args=[invoice.pk]),
        extra={"formset_help": LINES_HELP},
    )


@login_required
@require_POST
def invoice_pay(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Payment not recorded: %(problems)s") % {"problems": problems})
        return redirect(_detail_url(invoice))
    try:
        paid = bills.pay_invoice(actor=request.user, invoice=invoice, **form.cleaned_data)
    except ProgrammeError as error:
        messages.error(request, _("Payment not recorded: %(problems)s") % {"problems": error})
    else:
        messages.success(request, _("Payment recorded."))
        _flag_warning(request, paid, invoice.order.programme)
    return redirect(_detail_url(invoice))


@login_required
def invoice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    return _section(invoice.order.programme, invoice).delete(
        request,
        invoice,
        delete=lambda: bills.delete_invoice(actor=request.user, invoice=invoice),
        back=_detail_url(invoice),
    )
