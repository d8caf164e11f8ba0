"""Compliance pages: the dashboard per site and kind, the devices' list behind each figure
and its CSV export. Fleet managers see their municipality; directors, ERUN and teachers
their schools' sites (the kernel's rules for devices and assets)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from preau.core.access import restrict
from preau.fleet.access import fleet_municipalities
from preau.fleet.compliance import dashboard, export
from preau.fleet.compliance.wording import described
from preau.fleet.forms import PAGE_SIZE
from preau.fleet.forms_compliance import DeviceFilter
from preau.fleet.models import Asset, ComplianceRule, Device
from preau.fleet.navigation import sees_fleet


def _fleet_user(request: HttpRequest) -> bool:
    """Whether the user manages a fleet (else a school's staff); 404 for anyone else."""
    if not sees_fleet(request.user):
        raise Http404
    return bool(fleet_municipalities(request.user))


@login_required
def compliance_dashboard(request: HttpRequest) -> HttpResponse:
    manager = _fleet_user(request)
    board = dashboard.build(request.user)
    labels = dashboard.column_labels()
    context: dict[str, Any] = {
        "board": board,
        "columns": [(column, labels[column]) for column in dashboard.COLUMNS],
        "figures": [(column, labels[column], count) for column, count in board.cells],
        "manager": manager,
        "has_rules": manager
        and restrict(request.user, ComplianceRule).filter(enabled=True).exists(),
    }
    return render(request, "fleet/compliance/dashboard.html", context)


def _filtered(request: HttpRequest, manager: bool) -> tuple[DeviceFilter, Any, bool]:
    """The filter form, and the devices (or, for "never inventoried", the assets) it keeps."""
    devices = restrict(request.user, Device)
    assets = restrict(request.user, Asset)
    rules = restrict(request.user, ComplianceRule).only("name") if manager else None
    form = DeviceFilter(request.GET or None, devices, assets, rules)
    if form.chosen_status == dashboard.NEVER:
        silent = form.apply_assets(assets).select_related("site").order_by("site__name", "code")
        return form, silent, True
    chosen = (
        form.apply(devices)
        .select_related("site", "asset", "compliance")
        .order_by("site__name", "hostname", "pk")
    )
    return form, chosen, False


@login_required
def compliance_devices(request: HttpRequest) -> HttpResponse:
    manager = _fleet_user(request)
    form, chosen, assets = _filtered(request, manager)
    page = Paginator(chosen, PAGE_SIZE).get_page(request.GET.get("page"))
    if not assets:
        for device in page.object_list:
            verdict = getattr(device, "compliance", None)
            device.failure_list = described(verdict.failures) if verdict else []
    context = {
        "form": form,
        "page_obj": page,
        "assets": assets,
        "labels": dashboard.column_labels(),
        "query": request.GET.urlencode(),
    }
    return render(request, "fleet/compliance/devices.html", context)


@login_required
def compliance_devices_csv(request: HttpRequest) -> StreamingHttpResponse:
    manager = _fleet_user(request)
    _form, chosen, assets = _filtered(request, manager)
    rows = export.asset_rows(chosen) if assets else export.device_rows(chosen)
    response = StreamingHttpResponse(export.stream(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="compliance-{stamp}.csv"'
    return response
