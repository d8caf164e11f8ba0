"""Deployment pages, packages: the list, the builder (files, checks, actions), the trash.

Only the municipality's technicians and city admins reach them; anyone else, and anyone
asking for another municipality's package, gets a 404. Checks and actions are in
``views_deploy_steps``, deployments and their status in ``views_deploy_runs``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404, restrict
from preau.directory.models import Municipality
from preau.fleet.access import fleet_municipalities
from preau.fleet.deploy import services, services_files
from preau.fleet.deploy.editing import LIVE_STATES
from preau.fleet.forms import PAGE_SIZE
from preau.fleet.forms_deploy import ActionForm, CheckForm, FileForm, PackageFilter, PackageForm
from preau.fleet.models import Deployment, Package, PackageFile


def manager(request: HttpRequest) -> None:
    if not fleet_municipalities(request.user):
        raise Http404


def refusal(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def package_or_404(request: HttpRequest, pk: int, queryset: Any = Package) -> Package:
    return get_or_404(request.user, queryset, CHANGE, pk=pk)


def _municipality(request: HttpRequest) -> Municipality:
    """Where a new package goes: the one municipality the user manages (or ``?m=``)."""
    managed = sorted(fleet_municipalities(request.user))
    wanted = request.GET.get("m", "")
    if wanted.isdigit() and int(wanted) in managed:
        return Municipality.objects.get(pk=int(wanted))
    if not managed:
        raise Http404
    return Municipality.objects.get(pk=managed[0])


def _listed(packages: QuerySet[Package]) -> QuerySet[Package]:
    return packages.annotate(
        file_count=Count("files", distinct=True),
        action_count=Count("actions", distinct=True),
        deployment_count=Count("deployments", distinct=True),
    ).order_by("name", "pk")


@login_required
def package_list(request: HttpRequest) -> HttpResponse:
    manager(request)
    form = PackageFilter(request.GET or None)
    packages = _listed(form.apply(restrict(request.user, Package, CHANGE)))
    page = Paginator(packages, PAGE_SIZE).get_page(request.GET.get("page"))
    trash = form.is_valid() and form.cleaned_data["trash"]
    return render(
        request, "fleet/deploy/package_list.html", {"form": form, "page_obj": page, "trash": trash}
    )


@login_required
def package_create(request: HttpRequest) -> HttpResponse:
    manager(request)
    municipality = _municipality(request)
    form = PackageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            package = services.create_package(
                municipality, **form.cleaned_data, actor=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Package created: add its files, checks and actions."))
            return redirect("fleet:package_detail", package.pk)
    return render(request, "fleet/deploy/package_form.html", {"form": form, "package": None})


@login_required
def package_edit(request: HttpRequest, pk: int) -> HttpResponse:
    package = package_or_404(request, pk)
    form = PackageForm(request.POST or None, instance=Package.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_package(package, **form.cleaned_data, actor=request.user,
                                    request=request)  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Package saved."))
            return redirect("fleet:package_detail", pk)
    return render(request, "fleet/deploy/package_form.html", {"form": form, "package": package})


@login_required
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deployments = Deployment.objects.select_related("created_by").order_by("-created_at", "-pk")
    package = package_or_404(
        request,
        pk,
        Package.objects.select_related("created_by").prefetch_related(
            "files", "checks", "actions", Prefetch("deployments", queryset=deployments)
        ),
    )
    editable = package.trashed_at is None and not any(
        d.state in LIVE_STATES for d in package.deployments.all()
    )
    context = {
        "package": package,
        "editable": editable,
        "file_form": FileForm(),
        # Two forms on one page, both with a "kind": their ids must differ.
        "check_form": CheckForm(auto_id="check_%s"),
        "action_form": ActionForm(auto_id="action_%s"),
        "max_file_bytes": services_files.max_file_bytes(),
    }
    return render(request, "fleet/deploy/package_detail.html", context)


def _package_action(request: HttpRequest, pk: int, write: Any, done: str) -> Package | None:
    package = package_or_404(request, pk)
    try:
        result = write(package, actor=request.user, request=request)
    except ValidationError as exc:
        refusal(request, exc)
        return None
    messages.success(request, done)
    return result if isinstance(result, Package) else package


@login_required
@require_POST
def package_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    copy = _package_action(request, pk, services.duplicate_package, _("Package duplicated."))
    return redirect("fleet:package_detail", copy.pk if copy else pk)


@login_required
@require_POST
def package_trash(request: HttpRequest, pk: int) -> HttpResponse:
    done = _package_action(request, pk, services.trash_package, _("Package put in the trash."))
    return redirect("fleet:package_list") if done else redirect("fleet:package_detail", pk)


@login_required
@require_POST
def package_restore(request: HttpRequest, pk: int) -> HttpResponse:
    _package_action(request, pk, services.restore_package, _("Package restored."))
    return redirect("fleet:package_detail", pk)


@login_required
@require_POST
def package_erase(request: HttpRequest, pk: int) -> HttpResponse:
    done = _package_action(request, pk, services.erase_package, _("Package erased for good."))
    if done is None:
        return redirect("fleet:package_detail", pk)
    return redirect(f"{reverse('fleet:package_list')}?trash=on")


@login_required
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    package = package_or_404(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return redirect("fleet:package_detail", pk)
    upload = form.cleaned_data["file"]
    try:
        services_files.add_file(
            package,
            upload,
            name=upload.name or "",
            size=upload.size or 0,
            uncompress=form.cleaned_data["uncompress"],
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("File added: %(name)s.") % {"name": upload.name})
    return redirect("fleet:package_detail", pk)


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    package_file = get_or_404(
        request.user, PackageFile.objects.select_related("package"), CHANGE, pk=pk
    )
    try:
        services_files.remove_file(package_file, actor=request.user, request=request)
    except ValidationError as exc:
        refusal(request, exc)
    else:
        messages.success(request, _("File removed: %(name)s.") % {"name": package_file.name})
    return redirect("fleet:package_detail", package_file.package_id)
