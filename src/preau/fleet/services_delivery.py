"""Applying a delivery CSV: all rows or none, idempotent by serial number; rows whose
order reference names a programme order are linked to it (``delivery.plan``)."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Municipality
from preau.fleet import delivery
from preau.fleet.models import Asset, AssetEvent, AssetKind
from preau.fleet.services import FleetError, new_code


@transaction.atomic
def import_delivery(
    municipality: Municipality,
    data: bytes,
    sites: list[Any],
    *,
    actor: Any,
    filename: str = "",
    request: HttpRequest | None = None,
) -> delivery.Plan:
    plan = delivery.plan(data, municipality, sites)  # re-read under the transaction
    if plan.errors:
        raise FleetError(_("The file has errors; nothing was imported."))
    rng = secrets.SystemRandom()
    assets = []
    for entry in plan.new:
        fields = {k: v for k, v in entry.items() if k != "case_serial"}
        assets.append(Asset(municipality=municipality, code=new_code(rng), **fields))
    Asset.objects.bulk_create(assets)
    cases = {
        a.serial: a
        for a in Asset.objects.filter(municipality=municipality, kind=AssetKind.TABLET_CASE)
    }
    children = []
    for asset, entry in zip(assets, plan.new, strict=True):
        if entry["case_serial"]:
            asset.parent = cases[entry["case_serial"]]
            children.append(asset)
    Asset.objects.bulk_update(children, ["parent"])
    AssetEvent.objects.bulk_create(
        AssetEvent(asset=a, actor=actor, kind=AssetEvent.Kind.IMPORTED, note=filename[:300])
        for a in assets
    )
    audit.record(
        "fleet.delivery_imported",
        actor=actor,
        request=request,
        municipality_id=municipality.pk,
        filename=filename,
        created=len(assets),
        skipped=len(plan.existing),
        orders=sorted(plan.linked),
    )
    return plan
