"""Deployment pages: launch a package (with a preview of the devices it reaches), the
deployments, each one's status per device, its controls, and each job's output."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404, restrict
from preau.fleet.deploy import progress, services_deployments
from preau.fleet.forms import PAGE_SIZE
from preau.fleet.forms_deploy import DeploymentForm, StatusFilter
from preau.fleet.models import AssetKind, Deployment, DeploymentJob, Device, JobStatus, Package
from preau.fleet.views_deploy import manager, package_or_404, refusal

PREVIEW_NAMES = 20
REFRESH_SECONDS = 15


@login_required
def deployment_create(request: HttpRequest, pk: int) -> HttpResponse:
    package = package_or_404(request, pk, Package.objects.select_related("municipality"))
    form = DeploymentForm(request.POST or None, package=package, user=request.user)
    context: dict[str, Any] = {"package": package, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            if "launch" not in request.POST:
                target = services_deployments.check_target(package, **form.target())
                matched = services_deployments.matching_devices(target).select_related("site")
                context["matched_count"] = matched.count()
                context["matched"] = list(matched.order_by("hostname", "pk")[:PREVIEW_NAMES])
            else:
                deployment = services_deployments.create_deployment(
                    request.user, package, **form.target(), request=request
                )
                messages.success(request, _("Deployment launched."))
                return redirect("fleet:deployment_detail", deployment.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "fleet/deploy/deployment_form.html", context)


@login_required
def deployment_list(request: HttpRequest) -> HttpResponse:
    manager(request)
    counts = {
        f"{status}_count": Count("jobs", filter=Q(jobs__status=status))
        for status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
    }
    counts["active_count"] = Count("jobs", filter=Q(jobs__status__in=progress.IN_FLIGHT))
    deployments = (
        restrict(request.user, Deployment, CHANGE)
        .select_related("package", "created_by")
        .annotate(**counts)
        .order_by("-created_at", "-pk")
    )
    page = Paginator(deployments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "fleet/deploy/deployment_list.html", {"page_obj": page})


@login_required
def deployment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = get_or_404(
        request.user,
        Deployment.objects.select_related("package", "created_by"),
        CHANGE,
        pk=pk,
    )
    devices = progress.devices_of(deployment, restrict(request.user, Device))
    summary = progress.progress_of(devices)
    form = StatusFilter(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    shown = progress.filter_status(devices, status) if status else devices
    page = Paginator(shown.select_related("site").order_by("hostname", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    jobs = progress.jobs_by_device(deployment, list(page.object_list))
    rows = [(device, jobs.get(device.pk)) for device in page.object_list]
    refresh = (
        deployment.state == Deployment.State.ACTIVE
        and summary.in_flight > 0
        and request.GET.get("refresh") != "off"
    )
    context = {
        "deployment": deployment,
        "target": _target(deployment),
        "progress": summary,
        "form": form,
        "page_obj": page,
        "rows": rows,
        "refresh": REFRESH_SECONDS if refresh else 0,
        "can_refresh": deployment.state == Deployment.State.ACTIVE and summary.in_flight > 0,
    }
    return render(request, "fleet/deploy/deployment_detail.html", context)


def _target(deployment: Deployment) -> dict[str, Any]:
    kinds = dict(AssetKind.choices)
    return {
        "sites": list(deployment.sites.order_by("name")),
        "rooms": list(deployment.rooms.select_related("site").order_by("site__name", "name")),
        "kinds": [kinds.get(k, k) for k in deployment.kinds],
        "devices": list(deployment.devices.order_by("hostname", "pk")),
    }


_CONTROLS: dict[str, Any] = {
    "pause": services_deployments.pause,
    "resume": services_deployments.resume,
    "cancel": services_deployments.cancel,
    "retry": services_deployments.retry_failed,
}


@login_required
@require_POST
def deployment_control(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    deployment = get_or_404(request.user, Deployment, CHANGE, pk=pk)
    try:
        result = _CONTROLS[op](deployment, actor=request.user, request=request)
    except ValidationError as exc:
        refusal(request, exc)
    else:
        messages.success(request, _done_message(op, result))
    return redirect("fleet:deployment_detail", pk)


def _done_message(op: str, result: Any) -> str:
    if op == "pause":
        return _("Deployment paused: no device gets it until you resume it.")
    if op == "resume":
        return _("Deployment resumed.")
    if op == "cancel":
        return ngettext(
            "Deployment cancelled: %(count)d unfinished job stopped.",
            "Deployment cancelled: %(count)d unfinished jobs stopped.",
            result,
        ) % {"count": result}
    if not result:
        return _("No failed device to retry.")
    return ngettext(
        "%(count)d failed device will run the package again.",
        "%(count)d failed devices will run the package again.",
        result,
    ) % {"count": result}


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_or_404(
        request.user,
        DeploymentJob.objects.select_related("device__site", "deployment__package"),
        CHANGE,
        pk=pk,
    )
    events = list(job.events.all()[:500])
    return render(request, "fleet/deploy/job_detail.html", {"job": job, "events": events})
