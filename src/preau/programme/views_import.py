"""The accounting import pages: upload the export, preview what it will change, apply it.

Officers and city admins of the programme's municipality only; anyone else gets a 404.
A pending upload is reached by the person who uploaded it, for that programme only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404
from preau.programme import accounting_uploads as uploads
from preau.programme.accounting_csv import FIELDS, REQUIRED
from preau.programme.accounting_import import (
    AccountingPlan,
    AccountingRejected,
    apply_import,
    build_plan,
)
from preau.programme.models import Programme

SHOWN = 500  # rows of each table on the preview; the counts cover them all


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Accounting export (CSV)"),
        help_text=gettext_lazy(
            "Semicolon-separated, UTF-8 or Windows-1252, one line per engagement or invoice "
            "line, columns as documented."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > settings.PREAU_MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.PREAU_MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        return upload


def _programme(request: HttpRequest, pk: int) -> Programme:
    return get_or_404(request.user, Programme.objects.select_related("municipality"), CHANGE, pk=pk)


def _columns() -> list[tuple[str, bool, bool, str]]:
    """Each documented column: its name, required for engagements, for invoices, aliases."""
    return [
        (aliases[0], name in REQUIRED["order"], name in REQUIRED["invoice"], ", ".join(aliases[1:]))
        for name, aliases in FIELDS.items()
    ]


def _preview(
    request: HttpRequest,
    programme: Programme,
    plan: AccountingPlan,
    *,
    filename: str,
    token: str = "",
    applied_refused: bool = False,
) -> HttpResponse:
    context = {
        "programme": programme,
        "plan": plan,
        "counts": plan.counts(),
        "issues": plan.all_issues(),
        "orders": plan.orders[:SHOWN],
        "invoices": plan.invoices[:SHOWN],
        "more_orders": max(len(plan.orders) - SHOWN, 0),
        "more_invoices": max(len(plan.invoices) - SHOWN, 0),
        "filename": filename,
        "token": token,
        "can_apply": bool(token) and plan.is_valid,
        "refused_at_apply": applied_refused,
    }
    return render(request, "programme/import_preview.html", context)


@login_required
def import_accounting(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = b"".join(upload.chunks())
        filename = upload.name or ""
        plan = build_plan(programme, data)
        if not plan.is_valid:
            return _preview(request, programme, plan, filename=filename)
        token = uploads.keep(programme=programme, user=request.user, data=data, filename=filename)
        return redirect("programme:import_accounting_preview", pk=programme.pk, token=token)
    return render(
        request,
        "programme/import.html",
        {"programme": programme, "form": form, "columns": _columns()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def import_preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    programme = _programme(request, pk)
    pending = uploads.load(programme=programme, user=request.user, token=token)
    if pending is None:
        raise Http404
    plan = build_plan(programme, pending.data)
    return _preview(request, programme, plan, filename=pending.filename, token=token)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    programme = _programme(request, pk)
    pending = uploads.load(programme=programme, user=request.user, token=token)
    if pending is None:
        messages.warning(
            request,
            _("This upload was already imported, refused or has expired: upload the file again."),
        )
        return redirect("programme:import_accounting", pk=programme.pk)
    try:
        plan = apply_import(
            programme=programme,
            data=pending.data,
            actor=request.user,
            filename=pending.filename,
            request=request,
        )
    except AccountingRejected as rejected:
        messages.error(request, _("The import was refused and nothing was changed."))
        return _preview(
            request, programme, rejected.plan, filename=pending.filename, applied_refused=True
        )
    finally:
        uploads.erase(programme=programme, user=request.user, token=token)
    counts = plan.counts()
    messages.success(
        request,
        _(
            "Accounting export imported: %(orders)s engagements created, %(orders_updated)s "
            "updated; %(invoices)s invoices created, %(invoices_updated)s updated; "
            "%(unchanged)s records unchanged."
        )
        % {
            "orders": counts["orders_created"],
            "orders_updated": counts["orders_updated"],
            "invoices": counts["invoices_created"],
            "invoices_updated": counts["invoices_updated"],
            "unchanged": counts["orders_unchanged"] + counts["invoices_unchanged"],
        },
    )
    return redirect("programme:detail", pk=programme.pk)
