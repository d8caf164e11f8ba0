"""QR label sheets, and the supplier delivery import (upload → preview → apply)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preau.core import audit
from preau.core.access import CHANGE, restrict
from preau.directory.models import Site
from preau.fleet import delivery, labels
from preau.fleet.forms import AssetFilter
from preau.fleet.models import Asset
from preau.fleet.services import FleetError
from preau.fleet.services_delivery import import_delivery
from preau.fleet.views import _managed_municipality

_SALT = "preau.fleet.delivery"


@login_required
def labels_pdf(request: HttpRequest) -> HttpResponse:
    """Labels of the assets the list's filters select (those the user manages)."""
    assets = restrict(request.user, Asset, CHANGE)
    form = AssetFilter(request.GET or None, assets)
    chosen = list(
        form.apply(assets)
        .select_related("site")
        .order_by("site__name", "kind", "serial")[: labels.MAX_LABELS]
    )
    if not chosen:
        raise Http404
    pdf = labels.labels_pdf(chosen, _("Asset labels"))
    audit.record("fleet.labels_printed", request=request, municipality_id=chosen[0].municipality_id,
                 count=len(chosen))  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="labels.pdf"'
    return response


class DeliveryForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Delivery file (CSV)"))


@login_required
def delivery_import(request: HttpRequest) -> HttpResponse:
    municipality = _managed_municipality(request)
    sites = list(restrict(request.user, Site).filter(municipality=municipality))
    if request.method == "POST" and "token" in request.POST:
        try:
            payload = signing.loads(request.POST["token"], salt=_SALT, max_age=3600)
            data, filename = payload["data"].encode("latin-1"), payload["name"]
            plan = import_delivery(municipality, data, sites, actor=request.user,
                                   filename=filename, request=request)  # fmt: skip
        except signing.BadSignature:
            messages.error(request, _("The preview expired; upload the file again."))
        except FleetError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(new)d assets imported, %(old)d already registered.")
                             % {"new": len(plan.new), "old": len(plan.existing)})  # fmt: skip
            return redirect("fleet:asset_list")
        return redirect("fleet:delivery_import")
    form = DeliveryForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "columns": delivery.REQUIRED + delivery.OPTIONAL}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.PREAU_MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            data = upload.read()
            plan = delivery.plan(data, municipality, sites)
            context["plan"] = plan
            if not plan.errors and plan.new:
                context["token"] = signing.dumps(
                    {"data": data.decode("latin-1"), "name": upload.name[:200]}, salt=_SALT,
                    compress=True,
                )  # fmt: skip
    return render(request, "fleet/delivery_import.html", context)
