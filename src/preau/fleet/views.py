"""The fleet's asset pages: list, detail with history, create, edit, status, QR codes.

Objects come only from the access kernel: a guardian, a pupil or someone of another
school gets the same 404 as for an asset that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.access import CHANGE, can, get_or_404, restrict
from preau.directory.models import Municipality
from preau.fleet import orders, services
from preau.fleet.access import fleet_municipalities
from preau.fleet.forms import PAGE_SIZE, AssetFilter, AssetForm, TransitionForm
from preau.fleet.models import Asset, Device
from preau.fleet.navigation import sees_fleet


def _fleet_user(request: HttpRequest) -> None:
    if not sees_fleet(request.user):
        raise Http404


def _managed_municipality(request: HttpRequest) -> Municipality:
    """Where a new asset goes: the one municipality the user manages (or ``?m=``)."""
    managed = sorted(fleet_municipalities(request.user))
    wanted = request.GET.get("m", "")
    if wanted.isdigit() and int(wanted) in managed:
        return Municipality.objects.get(pk=int(wanted))
    if not managed:
        raise Http404
    return Municipality.objects.get(pk=managed[0])


@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    _fleet_user(request)
    assets = restrict(request.user, Asset)
    form = AssetFilter(request.GET or None, assets)
    qs = form.apply(assets).select_related("site", "room", "assignee", "order")
    page = Paginator(qs.order_by("site__name", "kind", "serial", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page_obj": page,
        "can_manage": bool(fleet_municipalities(request.user)),
        "query": request.GET.urlencode(),
        "order_links": orders.visible_orders(request.user, (a.order_id for a in page)),
    }
    return render(request, "fleet/asset_list.html", context)


@login_required
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_or_404(
        request.user,
        Asset.objects.select_related("site", "room", "assignee", "parent", "order", "invoice"),
        pk=pk,
    )
    device = restrict(request.user, Device).filter(asset=asset).first()
    editable = can(request.user, asset, CHANGE)
    context: dict[str, Any] = {
        "asset": asset,
        "device": device,
        "events": asset.events.select_related("actor")[:100],
        "contents": restrict(request.user, Asset).filter(parent=asset),
        "can_change": editable,
        "transition_form": TransitionForm(asset=asset) if editable else None,
        "label_url": request.build_absolute_uri(f"/fleet/a/{asset.code}"),
        "order_link": bool(orders.visible_orders(request.user, [asset.order_id])),
        "invoice_link": orders.visible_invoice(request.user, asset.invoice_id),
    }
    return render(request, "fleet/asset_detail.html", context)


@login_required
def asset_create(request: HttpRequest) -> HttpResponse:
    municipality = _managed_municipality(request)
    form = AssetForm(request.POST or None, municipality=municipality, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE}
        try:
            asset = services.create_asset(municipality, fields, actor=request.user, request=request)
        except services.FleetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Asset registered."))
            return redirect("fleet:asset_detail", asset.pk)
    return render(request, "fleet/asset_form.html", {"form": form, "asset": None})


@login_required
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_or_404(request.user, Asset, CHANGE, pk=pk)
    form = AssetForm(
        request.POST or None, instance=asset, municipality=asset.municipality, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE}
        try:
            services.update_asset(
                Asset.objects.get(pk=pk), fields, actor=request.user, request=request
            )
        except services.FleetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Asset saved."))
            return redirect("fleet:asset_detail", pk)
    return render(request, "fleet/asset_form.html", {"form": form, "asset": asset})


@login_required
@require_POST
def asset_transition(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_or_404(request.user, Asset, CHANGE, pk=pk)
    form = TransitionForm(request.POST, asset=asset)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses offered."))
        return redirect("fleet:asset_detail", pk)
    try:
        services.transition(
            asset,
            form.cleaned_data["status"],
            actor=request.user,
            note=form.cleaned_data["note"],
            request=request,
        )
    except services.FleetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Status changed."))
    return redirect("fleet:asset_detail", pk)


@login_required
def asset_by_code(request: HttpRequest, code: str) -> HttpResponse:
    """Where a label's QR code leads: the asset's page, if the reader may see it."""
    asset = get_or_404(request.user, Asset, code=code.upper())
    return redirect("fleet:asset_detail", asset.pk)
