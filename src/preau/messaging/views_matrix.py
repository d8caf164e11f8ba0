"""The communication matrix page: a city admin sets who may write to whom, for the whole
municipality or for one school (which then overrides the municipality's choice)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from preau.core.access import CHANGE, restrict
from preau.directory.models import Municipality, School
from preau.messaging.errors import MessagingError
from preau.messaging.forms import MatrixForm, cell_field, moderated_field
from preau.messaging.matrix import load_matrix, save_matrix, stored_cells
from preau.messaging.roles import ALL_PAIRS, PLURAL, Cell, Pair, Party, default_cell


def _pick(request: HttpRequest) -> tuple[Municipality, list[School], School | None]:
    municipalities = list(restrict(request.user, Municipality, CHANGE).order_by("name"))
    if not municipalities:
        raise Http404
    wanted = request.GET.get("municipality")
    muni = next((m for m in municipalities if str(m.pk) == wanted), municipalities[0])
    schools = list(restrict(request.user, School, CHANGE).filter(municipality=muni))
    school = None
    if request.GET.get("school"):
        school = next((s for s in schools if str(s.pk) == request.GET["school"]), None)
        if school is None:
            raise Http404
    return muni, schools, school


def _inherited(muni: Municipality, school: School | None) -> dict[Pair, Cell]:
    if school is None:
        return {pair: default_cell(pair) for pair in ALL_PAIRS}
    matrix = load_matrix([muni.pk])
    return {pair: matrix.cell(muni.pk, None, pair) for pair in ALL_PAIRS}


def _rows(form: MatrixForm) -> list[dict[str, Any]]:
    rows = []
    for sender in Party.values:
        cells = []
        for recipient in Party.values:
            pair = (sender, recipient)
            moderated = moderated_field(pair)
            cells.append(
                {
                    "custom": bool(form[cell_field(pair)].value()),
                    "field": form[cell_field(pair)],
                    "moderated": form[moderated] if moderated in form.fields else None,
                }
            )
        rows.append({"sender": PLURAL[sender], "cells": cells})
    return rows


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    muni, schools, school = _pick(request)
    form = MatrixForm(
        request.POST if request.method == "POST" else None,
        inherited=_inherited(muni, school),
        stored=stored_cells(muni, school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = save_matrix(request.user, muni, school, form.cells(), request=request)
        except MessagingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(count)d rule(s) changed; they apply now.") % {"count": changed}
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "messaging/matrix.html",
        {
            "form": form,
            "municipality": muni,
            "schools": schools,
            "school": school,
            "recipients": [PLURAL[p] for p in Party.values],
            "rows": _rows(form),
        },
        status=400 if form.errors else 200,
    )
