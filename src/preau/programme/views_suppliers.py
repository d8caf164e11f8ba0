"""The programme's funding plan and its suppliers: forms on the structure page's
sections (split from ``views_structure``, which holds the axes, objectives and lines)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.core.access import CHANGE, get_or_404
from preau.programme import services_structure as edit
from preau.programme.forms import kept_forms
from preau.programme.forms_structure import FundingFormSet, NoFieldsForm, SupplierForm
from preau.programme.models import Programme, Supplier
from preau.programme.views_edit import programme_of
from preau.programme.views_forms import initial_of
from preau.programme.views_structure import structure_section, suppliers_of


@login_required
def funding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    initial = [
        initial_of(source, ("name", "share_percent"))
        for source in programme.funding_sources.order_by("position", "pk")
    ]
    form = NoFieldsForm(request.POST or None)
    formset = FundingFormSet(request.POST or None, initial=initial, prefix="source")

    def save() -> Programme:
        shares = [
            (f.cleaned_data["name"], f.cleaned_data["share_percent"]) for f in kept_forms(formset)
        ]
        edit.edit_funding_plan(actor=request.user, programme=programme, shares=shares)
        return programme

    return structure_section(programme).form(
        request,
        form,
        formset=formset,
        save=save,
        title=_("Funding plan"),
        saved=_("Funding plan saved."),
        extra={
            "intro": _("The shares of the eligible expenditure must add up to exactly 100 %."),
            "formset_legend": _("Funding sources"),
        },
    )


@login_required
def supplier_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    form = SupplierForm(request.POST or None)
    return structure_section(programme).form(
        request,
        form,
        save=lambda: edit.create_supplier(
            actor=request.user, municipality=programme.municipality, **form.cleaned_data
        ),
        title=_("New supplier"),
        saved=_("Supplier added."),
    )


def _supplier(request: HttpRequest, programme: Programme, pk: int) -> Supplier:
    return get_or_404(request.user, suppliers_of(request.user, programme), CHANGE, pk=pk)


@login_required
def supplier_edit(request: HttpRequest, pk: int, supplier_pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    supplier = _supplier(request, programme, supplier_pk)
    form = SupplierForm(request.POST or None, initial=initial_of(supplier, ("name", "siret")))
    return structure_section(programme).form(
        request,
        form,
        save=lambda: edit.update_supplier(
            actor=request.user, supplier=supplier, **form.cleaned_data
        ),
        title=supplier.name,
        saved=_("Supplier saved."),
        record=supplier,
        delete_url=reverse("programme:supplier_delete", args=[programme.pk, supplier.pk]),
    )


@login_required
def supplier_delete(request: HttpRequest, pk: int, supplier_pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    supplier = _supplier(request, programme, supplier_pk)
    return structure_section(programme).delete(
        request,
        supplier,
        delete=lambda: edit.delete_supplier(actor=request.user, supplier=supplier),
        back=reverse("programme:supplier_edit", args=[programme.pk, supplier.pk]),
    )
