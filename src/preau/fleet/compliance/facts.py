"""What the rules look at, read for many devices at once (a few queries, whatever the count).

Software lists are long (a thousand packages a machine): only the names matching an
antivirus or software rule's patterns are read, plus whether a device reported any.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from functools import reduce

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from preau.fleet.compliance.rules import Facts, Kind
from preau.fleet.compliance.values import patterns
from preau.fleet.models import ComplianceRule, Device, InstalledSoftware

_FIELDS = (
    "municipality",
    "os_name",
    "os_version",
    "last_inventory_at",
    "disks",
    "antivirus",
    "asset__kind",
    "asset__warranty_end",
)


def software_patterns(rules: list[ComplianceRule]) -> list[str]:
    wanted: set[str] = set()
    for rule in rules:
        if rule.enabled and rule.kind in (Kind.ANTIVIRUS, Kind.SOFTWARE):
            wanted.update(patterns(rule.value))
    return sorted(wanted)


def _matching_software(devices: QuerySet[Device], wanted: list[str]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    if not wanted:
        return names
    matching = reduce(operator.or_, (Q(name__icontains=p) for p in wanted))
    rows = InstalledSoftware.objects.filter(matching, device__in=devices.values("pk"))
    for device_id, name in rows.values_list("device_id", "name").distinct():
        names[device_id].append(name)
    return names


def read_facts(
    devices: QuerySet[Device], rules: list[ComplianceRule]
) -> list[tuple[Device, Facts]]:
    """Each device (with ``municipality_id``) and its facts, in three queries at most."""
    loaded = (
        devices.select_related("asset")
        .only(*_FIELDS)
        .annotate(reported_software=Exists(InstalledSoftware.objects.filter(device=OuterRef("pk"))))
        .order_by("pk")
    )
    software = _matching_software(devices, software_patterns(rules))
    result: list[tuple[Device, Facts]] = []
    for device in loaded:
        asset = device.asset
        seen = device.last_inventory_at
        facts = Facts(
            kind=asset.kind if asset is not None else "",
            has_asset=asset is not None,
            warranty_end=asset.warranty_end if asset is not None else None,
            os_name=device.os_name,
            os_version=device.os_version,
            inventoried_on=timezone.localdate(seen) if seen is not None else None,
            disks=device.disks if isinstance(device.disks, list) else [],
            antivirus=device.antivirus if isinstance(device.antivirus, list) else [],
            software=tuple(software.get(device.pk, ())),
            software_reported=bool(device.reported_software),
        )
        result.append((device, facts))
    return result
