"""What the structure and chain pages share: the programme reached through the kernel,
the form page (errors next to fields, the service's refusal at the top), the delete
confirmation, and the history shown under each record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from preau.core.access import CHANGE, get_or_404
from preau.programme.history import history_of
from preau.programme.models import Programme
from preau.programme.services import ProgrammeError

Crumbs = Sequence[tuple[str, str]]
PAGE_SIZE = 50


def programme_of(request: HttpRequest, pk: int) -> Programme:
    """The programme ``pk`` if the user may change it (officers, city admins); 404 else."""
    return get_or_404(request.user, Programme.objects.select_related("municipality"), CHANGE, pk=pk)


def crumbs_for(programme: Programme, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(reverse("programme:detail", args=[programme.pk]), programme.name), *more]


def refused(form: forms.Form, error: ProgrammeError) -> None:
    """Show the service's refusal at the top of the form."""
    form.add_error(None, str(error))


def form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    save: Callable[[], models.Model | None],
    title: str,
    programme: Programme,
    crumbs: Crumbs,
    done: Callable[[models.Model | None], str],
    saved: str,
    formset: forms.BaseFormSet[Any] | None = None,
    record: models.Model | None = None,
    delete_url: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render ``form`` (and ``formset``); on a valid POST run ``save``: refused, the
    message goes to the top of the form and nothing is written; saved, redirect."""
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            obj = save()
        except ProgrammeError as error:
            refused(form, error)
        else:
            messages.success(request, saved)
            return redirect(done(obj))
    context = {
        "form": form,
        "formset": formset,
        "title": title,
        "programme": programme,
        "crumbs": crumbs,
        "record": record,
        "delete_url": delete_url,
        "history": history_of(record) if record is not None else None,
    } | (extra or {})
    return render(request, "programme/chain_form.html", context)


def delete_page(
    request: HttpRequest,
    *,
    record: models.Model,
    delete: Callable[[], None],
    programme: Programme,
    crumbs: Crumbs,
    back: str,
    done: str,
) -> HttpResponse:
    """GET asks to confirm; POST deletes, or says why not (nothing deleted)."""
    error = ""
    if request.method == "POST":
        try:
            delete()
        except ProgrammeError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("%(record)s deleted.") % {"record": record})
            return redirect(done)
    context = {
        "record": record,
        "programme": programme,
        "crumbs": crumbs,
        "back": back,
        "error": error,
        "title": _("Delete %(record)s") % {"record": record},
    }
    return render(request, "programme/chain_delete.html", context, status=400 if error else 200)
