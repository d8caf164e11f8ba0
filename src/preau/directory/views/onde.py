"""The ONDE import pages: upload the exports, preview what will change, apply it.

Only people who may change the school (its director, the city admins) reach them; an
upload is reached through its school by the same people, anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core import access
from preau.directory import services
from preau.directory.forms import OndeUploadForm, read_upload
from preau.directory.models import OndeImport, School


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    school = access.get_or_404(request.user, School, access.CHANGE, pk=pk)
    form = (
        OndeUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else OndeUploadForm()
    )
    if request.method == "POST" and form.is_valid():
        guardians = form.cleaned_data["guardians_file"]
        onde_import = services.upload_onde_files(
            school=school,
            uploaded_by=request.user,
            pupils_csv=read_upload(form.cleaned_data["pupils_file"]),
            pupils_filename=form.cleaned_data["pupils_file"].name or "",
            guardians_csv=read_upload(guardians) if guardians is not None else None,
            guardians_filename=(guardians.name or "") if guardians is not None else "",
            request=request,
        )
        return redirect("directory:onde_preview", pk=onde_import.pk)
    recent = (
        access.restrict(request.user, OndeImport)
        .filter(school=school)
        .select_related("uploaded_by")[:10]
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "directory/onde_upload.html",
        {"school": school, "form": form, "recent": recent},
        status=status,
    )


def _get_import(request: HttpRequest, pk: int) -> OndeImport:
    return access.get_or_404(
        request.user, OndeImport.objects.select_related("school", "uploaded_by"), pk=pk
    )


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    onde_import = _get_import(request, pk)
    pending = onde_import.status == OndeImport.Status.PREVIEWED
    expired = pending and services.is_expired(onde_import)
    plan: dict[str, Any]
    if pending and not expired:
        plan = services.pending_plan(onde_import).as_dict()
    else:
        plan = onde_import.summary
    context = {
        "onde_import": onde_import,
        "school": onde_import.school,
        "plan": plan,
        "counts": plan.get("counts", {}),
        "pending": pending and not expired,
        "expired": expired or onde_import.status == OndeImport.Status.EXPIRED,
        "can_apply": pending and not expired and plan.get("is_valid", False),
    }
    return render(request, "directory/onde_preview.html", context)


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    onde_import = _get_import(request, pk)
    try:
        plan = services.apply_onde_upload(
            onde_import=onde_import, actor=request.user, request=request
        )
    except services.OndeRejected:
        messages.error(
            request,
            _("The import was refused and nothing was changed: see the problems listed below."),
        )
        return redirect("directory:onde_preview", pk=onde_import.pk)
    except services.OndeImportClosed:
        messages.warning(
            request,
            _("This upload was already applied, refused or has expired. Upload the files again."),
        )
        return redirect("directory:onde_preview", pk=onde_import.pk)
    counts = plan.counts()
    messages.success(
        request,
        _(
            "ONDE import applied: %(created)s pupils created, %(updated)s updated, %(moved)s "
            "moved, %(left)s left; %(guardians)s guardians created."
        )
        % {
            "created": counts["pupils_created"],
            "updated": counts["pupils_updated"],
            "moved": counts["pupils_moved"],
            "left": counts["pupils_left"],
            "guardians": counts["guardians_created"],
        },
    )
    return redirect("directory:school_detail", pk=onde_import.school_id)
