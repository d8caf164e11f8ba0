"""Importing an .ics file into a class's agenda: upload, preview, apply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.agenda import ics_import, imports
from preau.agenda.access import agenda_classes
from preau.agenda.forms import ImportForm
from preau.agenda.models import IcsImport
from preau.agenda.services import AgendaError
from preau.core import access


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    classes = agenda_classes(request.user).select_related("school")
    school_class = access.get_or_404(request.user, classes, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            row = imports.upload(
                request.user, school_class, upload.read(), upload.name or "", request=request
            )
        except AgendaError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("agenda:import_preview", row.pk)
    return render(request, "agenda/import_upload.html", {"cls": school_class, "form": form})


def _import(request: HttpRequest, pk: int) -> IcsImport:
    rows = IcsImport.objects.select_related("school_class__school")
    return access.get_or_404(request.user, rows, access.CHANGE, pk=pk)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    row = _import(request, pk)
    plan = None
    error = None
    if row.status == IcsImport.Status.PREVIEWED:
        try:
            plan = imports.preview(row)
        except ics_import.IcsError as exc:
            error = str(exc)
    context = {"row": row, "cls": row.school_class, "plan": plan, "error": error}
    return render(request, "agenda/import_preview.html", context)


@require_POST
@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    row = _import(request, pk)
    try:
        plan = imports.apply(request.user, row, request=request)
    except AgendaError as exc:
        messages.error(request, str(exc))
        return redirect("agenda:import_preview", row.pk)
    counts = plan.counts
    messages.success(
        request,
        _("Import done: %(new)d new, %(changed)d updated, %(unchanged)d unchanged.") % counts,
    )
    return redirect("agenda:index")
