"""Inventoried devices, and the agents' page (events and site tags) for fleet managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, get_or_404, restrict
from preau.directory.models import Site
from preau.fleet import services
from preau.fleet.access import fleet_municipalities
from preau.fleet.compliance.wording import described
from preau.fleet.forms import PAGE_SIZE, AgentTagForm
from preau.fleet.models import AgentEvent, AgentTag, ComplianceStatus, DeploymentJob, Device
from preau.fleet.navigation import sees_fleet


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    if not sees_fleet(request.user):
        raise Http404
    devices = (
        restrict(request.user, Device)
        .select_related("site", "asset", "compliance")
        .annotate(software_count=Count("software"))
        .order_by("hostname", "pk")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        devices = devices.filter(hostname__icontains=query)
    compliance = request.GET.get("compliance", "")
    if compliance in ComplianceStatus.values:
        devices = devices.filter(compliance__status=compliance)
    elif compliance == "pending":
        devices = devices.filter(compliance__isnull=True)
    else:
        compliance = ""
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "q": query, "compliance": compliance}
    return render(request, "fleet/device_list.html", context)


JOBS_SHOWN = 20


@login_required
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_or_404(
        request.user,
        Device.objects.select_related("site", "asset", "municipality", "compliance"),
        pk=pk,
    )
    verdict = getattr(device, "compliance", None)  # visible to whoever sees the device
    context = {
        "device": device,
        "interfaces": device.interfaces.all(),
        "aliases": device.aliases.order_by("seen_at"),
        "software": device.software.all(),
        "verdict": verdict,
        "failures": described(verdict.failures) if verdict is not None else [],
        # Staff only (the kernel's rule): the last deployments sent to this device.
        "jobs": restrict(request.user, DeploymentJob)
        .filter(device=device)
        .select_related("deployment__package")
        .order_by("-updated_at")[:JOBS_SHOWN],
    }
    return render(request, "fleet/device_detail.html", context)


def _manager(request: HttpRequest) -> None:
    if not fleet_municipalities(request.user):
        raise Http404


@login_required
def agents(request: HttpRequest) -> HttpResponse:
    """Agent events (refusals, bad payloads) and the tags agents present per site."""
    _manager(request)
    sites = (
        restrict(request.user, Site)
        .filter(municipality_id__in=fleet_municipalities(request.user))
        .order_by("name")
    )
    form = AgentTagForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agent_tag(
                form.cleaned_data["site"],
                form.cleaned_data["tag"],
                actor=request.user,
                request=request,
            )
        except services.FleetError as exc:
            form.add_error("tag", str(exc))
        else:
            messages.success(request, _("Tag added."))
            return redirect("fleet:agents")
    events = restrict(request.user, AgentEvent)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    tags = restrict(request.user, AgentTag).select_related("site")
    context = {"form": form, "page_obj": page, "tags": tags}
    return render(request, "fleet/agents.html", context)


@login_required
@require_POST
def agent_tag_remove(request: HttpRequest, pk: int) -> HttpResponse:
    tag = get_or_404(request.user, AgentTag.objects.select_related("site"), CHANGE, pk=pk)
    services.remove_agent_tag(tag, actor=request.user, request=request)
    messages.success(request, _("Tag removed."))
    return redirect("fleet:agents")
