"""The payment claims pages: a programme's claims, one claim (its invoices by expense
heading, the invoices it may take, submission, receipt), and its downloads.

Claims and programmes come only through the access kernel with the CHANGE action:
programme officers and city admins of the programme's municipality; everyone else, and
another municipality's claim, is a 404.
"""

from __future__ import annotations

import io
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404
from preau.programme import claims, money
from preau.programme.claim_figures import ClaimRow, claim_rows
from preau.programme.claim_forms import ClaimForm, InvoiceSelection, ReceiptForm, problems_of
from preau.programme.exports.pdf import render_pdf
from preau.programme.exports.publicity import language
from preau.programme.exports.scans import safe_part, write_zip
from preau.programme.exports.statement import HeadingGroup, build_statement
from preau.programme.exports.xlsx import render_xlsx
from preau.programme.models import Claim, Programme
from preau.programme.services import ProgrammeError


def _programme(request: HttpRequest, pk: int) -> Programme:
    return get_or_404(request.user, Programme.objects.select_related("municipality"), CHANGE, pk=pk)


def _claim(request: HttpRequest, pk: int) -> Claim:
    return get_or_404(
        request.user, Claim.objects.select_related("programme__municipality"), CHANGE, pk=pk
    )


def _groups(rows: list[ClaimRow]) -> list[HeadingGroup]:
    return [HeadingGroup(h, list(g)) for h, g in groupby(rows, key=lambda r: r.heading)]


def _cents(row: ClaimRow) -> int:
    return int(row.amount_ht * 100)


@login_required
def claim_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    summary = claims.claims_summary(programme)
    rows = list(programme.claims.order_by("number"))
    counts = dict(
        Claim.objects.filter(programme=programme).values_list("pk").annotate(n=Count("invoices"))
    )
    context = {
        "programme": programme,
        "summary": summary,
        "cap_bar": min(summary.cap_used_percent, money.HUNDRED),
        "claims": [(c, counts.get(c.pk, 0)) for c in rows],
    }
    return render(request, "programme/claim_list.html", context)


@login_required
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = claims.create_claim(
                actor=request.user,
                programme=programme,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ProgrammeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Claim %(n)s created.") % {"n": claim.number})
            return redirect("programme:claim", pk=claim.pk)
    return render(request, "programme/claim_form.html", {"programme": programme, "form": form})


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    rows = claim_rows(claim)
    total_ht = claim.total_ht if claim.locked else money.total(r.amount_ht for r in rows)
    context: dict[str, Any] = {
        "claim": claim,
        "programme": claim.programme,
        "groups": _groups(rows),
        "total_ht": total_ht,
        "total_ttc": claim.total_ttc if claim.locked else money.total(r.amount_ttc for r in rows),
        "count": len(rows),
        "removable": not claim.locked,
    }
    if claim.locked:
        summary = claims.claims_summary(claim.programme)
        context["capped"] = claim in summary.capped
        if claim.status == Claim.Status.SUBMITTED:
            context["receipt_form"] = ReceiptForm(initial={"amount": claim.requested})
    else:
        found = claims.candidates(claim.programme)
        context["candidates"] = [(row, _cents(row)) for row in found.claimable]
        context["flagged"] = found.flagged
        context["unpaid"] = found.unpaid
        context["preview"] = claims.preview_request(claim, total_ht or money.ZERO)
        context["edit_form"] = ClaimForm(initial={"kind": claim.kind, "title": claim.title})
    return render(request, "programme/claim_detail.html", context)


def _done(request: HttpRequest, claim: Claim) -> HttpResponse:
    return redirect("programme:claim", pk=claim.pk)


@login_required
@require_POST
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(problems)s") % {"problems": problems_of(form)})
        return _done(request, claim)
    try:
        claims.update_claim(actor=request.user, claim=claim, **form.cleaned_data)
    except ProgrammeError as error:
        messages.error(request, _("Not saved: %(problems)s") % {"problems": error})
    else:
        messages.success(request, _("Claim %(n)s saved.") % {"n": claim.number})
    return _done(request, claim)


def _selection(request: HttpRequest, claim: Claim, add: bool) -> HttpResponse:
    form = InvoiceSelection(request.POST)
    if not form.is_valid():
        messages.error(request, problems_of(form))
        return _done(request, claim)
    service = claims.add_invoices if add else claims.remove_invoices
    try:
        count = service(actor=request.user, claim=claim, invoice_ids=form.cleaned_data["invoice"])
    except ProgrammeError as error:
        messages.error(request, _("Nothing changed: %(problems)s") % {"problems": error})
    else:
        done = (
            _("%(count)s invoice(s) added to claim %(n)s.")
            if add
            else _("%(count)s invoice(s) removed from claim %(n)s.")
        )
        messages.success(request, done % {"count": count, "n": claim.number})
    return _done(request, claim)


@login_required
@require_POST
def claim_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _selection(request, _claim(request, pk), add=True)


@login_required
@require_POST
def claim_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _selection(request, _claim(request, pk), add=False)


@login_required
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    if request.method == "POST":
        try:
            claims.submit_claim(actor=request.user, claim=claim)
        except ProgrammeError as error:
            messages.error(request, _("Not submitted: %(problems)s") % {"problems": error})
        else:
            messages.success(
                request, _("Claim %(n)s submitted: it is now locked.") % {"n": claim.number}
            )
        return _done(request, claim)
    if claim.locked:
        return _done(request, claim)
    rows = claim_rows(claim)
    total_ht = money.total(r.amount_ht for r in rows)
    context = {
        "claim": claim,
        "programme": claim.programme,
        "count": len(rows),
        "total_ht": total_ht,
        "total_ttc": money.total(r.amount_ttc for r in rows),
        "preview": claims.preview_request(claim, total_ht),
    }
    return render(request, "programme/claim_submit.html", context)


@login_required
@require_POST
def claim_receive(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(problems)s") % {"problems": problems_of(form)})
        return _done(request, claim)
    try:
        claims.record_receipt(actor=request.user, claim=claim, **form.cleaned_data)
    except ProgrammeError as error:
        messages.error(request, _("Not saved: %(problems)s") % {"problems": error})
    else:
        messages.success(request, _("Payment of claim %(n)s recorded.") % {"n": claim.number})
    return _done(request, claim)


@login_required
def claim_delete(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    if request.method == "POST":
        try:
            claims.delete_claim(actor=request.user, claim=claim)
        except ProgrammeError as error:
            messages.error(request, _("Not deleted: %(problems)s") % {"problems": error})
            return _done(request, claim)
        messages.success(request, _("Claim %(n)s deleted.") % {"n": claim.number})
        return redirect("programme:claims", pk=claim.programme_id)
    if claim.locked:
        return _done(request, claim)
    context = {"claim": claim, "programme": claim.programme, "count": claim.invoices.count()}
    return render(request, "programme/claim_delete.html", context)


def _filename(claim: Claim, suffix: str) -> str:
    draft = "" if claim.locked else ("-draft" if language() == "en" else "-brouillon")
    return f"demande-{claim.number}{draft}-{safe_part(claim.programme.name, 40)}.{suffix}"


@login_required
def claim_pdf(request: HttpRequest, pk: int) -> FileResponse:
    claim = _claim(request, pk)
    data = render_pdf(build_statement(claim))
    claims.record_export(actor=request.user, claim=claim, kind="pdf", request=request)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=_filename(claim, "pdf"),
        content_type="application/pdf",
    )


@login_required
def claim_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    claim = _claim(request, pk)
    data = render_xlsx(build_statement(claim))
    claims.record_export(actor=request.user, claim=claim, kind="xlsx", request=request)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=_filename(claim, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def claim_scans(request: HttpRequest, pk: int) -> FileResponse:
    claim = _claim(request, pk)
    archive, _count, _missing = write_zip(claim_rows(claim))
    claims.record_export(actor=request.user, claim=claim, kind="zip", request=request)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=_filename(claim, "zip"),
        content_type="application/zip",
    )
