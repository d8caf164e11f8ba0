"""The indicators page: computed and typed values side by side, and the form to type one
(officers and city admins; anyone else gets a 404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404
from preau.programme import indicators
from preau.programme.models import Programme
from preau.programme.services import ProgrammeError


class IndicatorForm(forms.Form):
    value = forms.DecimalField(
        label=gettext_lazy("Value"), min_value=0, max_digits=14, decimal_places=2, localize=True
    )
    target = forms.DecimalField(
        label=gettext_lazy("Target"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=True,
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=300,
        help_text=gettext_lazy("Where the value comes from: a report, a count, a document…"),
    )


def _form_of(row: indicators.IndicatorRow) -> IndicatorForm:
    initial: dict[str, Any] = {}
    if row.manual is not None:
        initial = {
            "value": row.manual.value,
            "target": row.manual.target,
            "source": row.manual.source,
        }
    return IndicatorForm(initial=initial, auto_id=f"i-{row.code}-%s")


@login_required
def indicator_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_or_404(request.user, Programme.objects.select_related("municipality"), pk=pk)
    rows = indicators.indicator_rows(programme)
    return render(
        request,
        "programme/indicators.html",
        {"programme": programme, "rows": [(row, _form_of(row)) for row in rows]},
    )


@login_required
@require_POST
def indicator_set(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    programme = get_or_404(request.user, Programme, CHANGE, pk=pk)
    if code not in indicators.BY_CODE:
        raise Http404
    form = IndicatorForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label}: {error}"
            for name, errors in form.errors.items()
            for error in errors
        )
        messages.error(request, _("Not saved: %(problems)s") % {"problems": problems})
        return redirect("programme:indicators", pk=programme.pk)
    try:
        indicators.set_indicator_value(actor=request.user, programme=programme, code=code,
                                       **form.cleaned_data)  # fmt: skip
    except ProgrammeError as error:
        messages.error(request, _("Not saved: %(problems)s") % {"problems": error})
    else:
        label = indicators.BY_CODE[code].label
        messages.success(request, _("%(indicator)s saved.") % {"indicator": label})
    return redirect("programme:indicators", pk=programme.pk)


@login_required
@require_POST
def indicator_clear(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    programme = get_or_404(request.user, Programme, CHANGE, pk=pk)
    if code not in indicators.BY_CODE:
        raise Http404
    if indicators.clear_indicator_value(actor=request.user, programme=programme, code=code):
        label = indicators.BY_CODE[code].label
        messages.success(
            request, _("The value typed for %(indicator)s was removed.") % {"indicator": label}
        )
    return redirect("programme:indicators", pk=programme.pk)
