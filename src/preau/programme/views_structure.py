"""The structure pages: the programme's dates and deadlines, its axes, objectives and
budget lines, its funding plan and the municipality's suppliers — shown, created,
edited, and deleted when nothing depends on them. Officers and city admins only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.core.access import CHANGE, get_or_404, restrict
from preau.programme import services
from preau.programme import services_structure as edit
from preau.programme.forms_structure import (
    AxisForm,
    BudgetLineForm,
    ObjectiveForm,
    ProgrammeForm,
)
from preau.programme.history import history_of
from preau.programme.models import Axis, BudgetLine, Objective, Programme, Supplier
from preau.programme.services_structure import PROGRAMME_FIELDS
from preau.programme.views_edit import crumbs_for, programme_of
from preau.programme.views_forms import Section, initial_of


def structure_section(programme: Programme) -> Section:
    """The structure's pages: breadcrumbs and where to go back after a save."""
    structure_url = reverse("programme:structure", args=[programme.pk])
    return Section(programme, crumbs_for(programme, (structure_url, _("Structure"))), structure_url)


def suppliers_of(user: Any, programme: Programme) -> Any:
    """The suppliers of the programme's municipality that ``user`` may see."""
    return restrict(user, Supplier).filter(municipality_id=programme.municipality_id)


@login_required
def structure(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    lines = BudgetLine.objects.order_by("position", "pk")
    objectives = Objective.objects.order_by("position", "pk").prefetch_related(
        Prefetch("lines", queryset=lines)
    )
    axes = programme.axes.order_by("number").prefetch_related(
        Prefetch("objectives", queryset=objectives)
    )
    suppliers = suppliers_of(request.user, programme).annotate(
        order_count=Count("orders", distinct=True), contract_count=Count("contracts", distinct=True)
    )
    context = {
        "programme": programme,
        "axes": axes,
        "funding": programme.funding_sources.order_by("position", "pk"),
        "suppliers": suppliers,
        "history": history_of(programme),
    }
    return render(request, "programme/structure.html", context)


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    form = ProgrammeForm(request.POST or None, initial=initial_of(programme, PROGRAMME_FIELDS))
    return structure_section(programme).form(
        request,
        form,
        save=lambda: edit.update_programme(
            actor=request.user, programme=programme, **form.cleaned_data
        ),
        title=_("Dates and deadlines"),
        saved=_("Programme saved."),
        record=programme,
    )


# ---- Axes -------------------------------------------------------------------------------------


@login_required
def axis_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_of(request, pk)
    following = (
        programme.axes.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    form = AxisForm(request.POST or None, initial={"number": following})
    return structure_section(programme).form(
        request,
        form,
        save=lambda: edit.create_axis(actor=request.user, programme=programme, **form.cleaned_data),
        title=_("New axis"),
        saved=_("Axis added."),
    )


def _axis(request: HttpRequest, pk: int) -> Axis:
    return get_or_404(request.user, Axis.objects.select_related("programme"), CHANGE, pk=pk)


@login_required
def axis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    axis = _axis(request, pk)
    form = AxisForm(request.POST or None, initial=initial_of(axis, ("number", "title")))
    return structure_section(axis.programme).form(
        request,
        form,
        save=lambda: edit.update_axis(actor=request.user, axis=axis, **form.cleaned_data),
        title=_("Axis %(n)s") % {"n": axis.number},
        saved=_("Axis saved."),
        record=axis,
        delete_url=reverse("programme:axis_delete", args=[axis.pk]),
    )


@login_required
def axis_delete(request: HttpRequest, pk: int) -> HttpResponse:
    axis = _axis(request, pk)
    return structure_section(axis.programme).delete(
        request,
        axis,
        delete=lambda: edit.delete_axis(actor=request.user, axis=axis),
        back=reverse("programme:axis_edit", args=[axis.pk]),
    )


# ---- Objectives ----------------------------------------------------------------------------


def _objective_form(request: HttpRequest, programme: Programme, **initial: Any) -> ObjectiveForm:
    return ObjectiveForm(
        request.POST or None, axes=programme.axes.order_by("number"), initial=initial
    )


def _position(form: ObjectiveForm | BudgetLineForm) -> int:
    return int(form.cleaned_data.get("position") or 0)


@login_required
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    axis = _axis(request, pk)
    form = _objective_form(request, axis.programme, axis=axis)
    return structure_section(axis.programme).form(
        request,
        form,
        save=lambda: services.add_objective(
            actor=request.user, axis=form.cleaned_data["axis"], title=form.cleaned_data["title"]
        ),
        title=_("New objective"),
        saved=_("Objective added."),
    )


def _objective(request: HttpRequest, pk: int) -> Objective:
    return get_or_404(
        request.user, Objective.objects.select_related("axis__programme"), CHANGE, pk=pk
    )


@login_required
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _objective(request, pk)
    programme = objective.axis.programme
    form = _objective_form(
        request, programme, **initial_of(objective, ("axis", "title", "position"))
    )
    return structure_section(programme).form(
        request,
        form,
        save=lambda: edit.update_objective(
            actor=request.user,
            objective=objective,
            axis=form.cleaned_data["axis"],
            title=form.cleaned_data["title"],
            position=_position(form),
        ),
        title=_("Objective"),
        saved=_("Objective saved."),
        record=objective,
        delete_url=reverse("programme:objective_delete", args=[objective.pk]),
    )


@login_required
def objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _objective(request, pk)
    return structure_section(objective.axis.programme).delete(
        request,
        objective,
        delete=lambda: edit.delete_objective(actor=request.user, objective=objective),
        back=reverse("programme:objective_edit", args=[objective.pk]),
    )


# ---- Budget lines ----------------------------------------------------------------------------


def _line_form(request: HttpRequest, programme: Programme, **initial: Any) -> BudgetLineForm:
    objectives = Objective.objects.filter(axis__programme=programme).select_related("axis")
    return BudgetLineForm(
        request.POST or None,
        objectives=objectives.order_by("axis__number", "position", "pk"),
        initial=initial,
    )


@login_required
def line_create(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _objective(request, pk)
    programme = objective.axis.programme
    form = _line_form(request, programme, objective=objective)
    return structure_section(programme).form(
        request,
        form,
        save=lambda: edit.create_budget_line(actor=request.user, **form.cleaned_data),
        title=_("New budget line"),
        saved=_("Budget line added."),
    )


def _line(request: HttpRequest, pk: int) -> BudgetLine:
    return get_or_404(
        request.user,
        BudgetLine.objects.select_related("objective__axis__programme"),
        CHANGE,
        pk=pk,
    )


@login_required
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    programme = line.objective.axis.programme
    form = _line_form(request, programme, **initial_of(line, edit.LINE_FIELDS))
    return structure_section(programme).form(
        request,
        form,
        save=lambda: edit.update_budget_line(actor=request.user, line=line, **form.cleaned_data),
        title=_("Budget line"),
        saved=_("Budget line saved."),
        record=line,
        delete_url=reverse("programme:line_delete", args=[line.pk]),
    )


@login_required
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    return structure_section(line.objective.axis.programme).delete(
        request,
        line,
        delete=lambda: edit.delete_budget_line(actor=request.user, line=line),
        back=reverse("programme:line_edit", args=[line.pk]),
    )
