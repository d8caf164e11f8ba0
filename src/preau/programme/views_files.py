"""The programme's files: download (access-checked), upload onto a record of the chain,
and trash. Files come only through the access kernel; another's file is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, VIEW, get_or_404
from preau.programme import files
from preau.programme.forms import AttachmentForm
from preau.programme.models import Attachment, Contract, Delivery, Invoice, Order, Programme
from preau.programme.services import ProgrammeError

K = Attachment.Kind
# What each record of the chain is offered to attach, the most likely first.
KINDS: dict[str, list[str]] = {
    "contract": [K.CONTRACT, K.OTHER],
    "order": [K.ORDER, K.OTHER],
    "delivery": [K.ACCEPTANCE, K.PHOTO, K.PUBLICITY, K.OTHER],
    "invoice": [K.INVOICE_SCAN, K.OTHER],
}
TARGETS: dict[str, type[models.Model]] = {
    "contract": Contract,
    "order": Order,
    "delivery": Delivery,
    "invoice": Invoice,
}


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_or_404(request.user, Attachment, VIEW, pk=pk, trashed_at__isnull=True)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def upload_form(target: str, obj: models.Model) -> AttachmentForm:
    """The empty upload form shown on a record's page."""
    return AttachmentForm(kinds=KINDS[target], auto_id=f"attach-{target}-{obj.pk}-%s")


def detail_url(obj: models.Model) -> str:
    """The page that shows a record's files."""
    if isinstance(obj, Contract):
        return reverse("programme:contract_detail", args=[obj.pk])
    if isinstance(obj, Order):
        return reverse("programme:order_detail", args=[obj.pk])
    if isinstance(obj, Delivery):
        return reverse("programme:order_detail", args=[obj.order_id])
    if isinstance(obj, Invoice):
        return reverse("programme:invoice_detail", args=[obj.pk])
    milestone: Any = obj
    return reverse("programme:site_rollout", args=[milestone.programme_id, milestone.site_id])


def _programme_of(obj: models.Model) -> Programme:
    if isinstance(obj, Delivery | Invoice):
        return obj.order.programme
    programme: Programme = obj.programme  # type: ignore[attr-defined]
    return programme


@login_required
@require_POST
def attach(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    model = TARGETS.get(target)
    if model is None:
        raise Http404
    obj = get_or_404(request.user, model, CHANGE, pk=pk)
    form = AttachmentForm(request.POST, request.FILES, kinds=KINDS[target])
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("File not added: %(problems)s") % {"problems": problems})
        return redirect(detail_url(obj))
    try:
        attachment = files.attach(
            actor=request.user,
            programme=_programme_of(obj),
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            **{target: obj},  # type: ignore[arg-type]  # one of the TARGETS
        )
    except ProgrammeError as error:
        messages.error(request, _("File not added: %(problems)s") % {"problems": error})
    else:
        messages.success(request, _("%(name)s added.") % {"name": attachment})
    return redirect(detail_url(obj))


@login_required
@require_POST
def trash(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_or_404(
        request.user,
        Attachment.objects.select_related("milestone", "delivery"),
        CHANGE,
        pk=pk,
        trashed_at__isnull=True,
    )
    parent = files.parent_of(attachment)
    try:
        files.trash(request.user, attachment)
    except ProgrammeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s moved to the trash.") % {"name": attachment})
    if parent is None:
        return redirect("programme:detail", pk=attachment.programme_id)
    return redirect(detail_url(parent))


def files_context(target: str, obj: Any, *, can_change: bool = True) -> dict[str, Any]:
    """What ``programme/files_section.html`` needs to list and add a record's files."""
    return {
        "attachments": list(obj.attachments.filter(trashed_at__isnull=True).order_by("pk")),
        "upload_form": upload_form(target, obj) if can_change else None,
        "attach_url": reverse("programme:attach", args=[target, obj.pk]),
        "files_id": f"{target}-{obj.pk}",
        "can_change": can_change,
    }
