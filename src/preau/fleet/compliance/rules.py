"""Evaluating a rule against what is known of a device: pure functions, no database.

A failure carries a ``code`` and its ``params`` (``wording.describe`` turns them into a
sentence in the reader's language) and the sentence in the language of the evaluation,
for readers of the raw JSON. A device that did not report what a rule needs fails with
an "unknown: …" code: a silent agent must not look compliant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from preau.fleet.compliance.values import (
    Version,
    compare_versions,
    parse_version,
    patterns,
    show_version,
)
from preau.fleet.models import ComplianceRule, ComplianceStatus

Kind = ComplianceRule.Kind

# Disks that say nothing about the machine's own storage.
_SKIPPED_FILESYSTEMS = frozenset(
    ("tmpfs", "devtmpfs", "squashfs", "overlay", "iso9660", "udf", "nfs", "nfs4", "cifs", "smbfs",
     "fuse.sshfs", "ramfs", "efivarfs")
)  # fmt: skip
_SKIPPED_TYPES = ("network", "removable", "cd-rom", "compact disc")


@dataclass(frozen=True)
class Facts:
    """What a rule may look at, read from the device, its asset and its software."""

    kind: str = ""  # the asset's kind; "" when the device is linked to no asset
    has_asset: bool = False
    warranty_end: dt.date | None = None
    os_name: str = ""
    os_version: str = ""
    inventoried_on: dt.date | None = None
    disks: list[dict[str, Any]] = field(default_factory=list)
    antivirus: list[dict[str, Any]] = field(default_factory=list)
    software: tuple[str, ...] = ()  # names (at least those matching the rules' patterns)
    software_reported: bool = False


@dataclass(frozen=True)
class Failure:
    rule: int | None
    name: str
    severity: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self, detail: str) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "code": self.code,
            "params": self.params,
            "detail": detail,
        }


Outcome = tuple[str, dict[str, Any]] | None
Check = Callable[[ComplianceRule, Facts, dt.date], Outcome]


def device_version(facts: Facts) -> Version | None:
    return parse_version(facts.os_version) or parse_version(facts.os_name)


# Checks: each returns None (passed) or a failure's code and params -----------------------


def _os_version(rule: ComplianceRule, facts: Facts, today: dt.date) -> Outcome:
    if not facts.os_name and not facts.os_version:
        return "unknown_os", {}
    found = device_version(facts)
    if found is None:
        return "unknown_os_version", {"os": facts.os_name}
    minimum = parse_version(rule.value) or ()
    if compare_versions(found, minimum) < 0:
        return "os_too_old", {
            "os": facts.os_name,
            "version": show_version(found),
            "minimum": show_version(minimum),
        }
    return None


def _inventory_age(rule: ComplianceRule, facts: Facts, today: dt.date) -> Outcome:
    if facts.inventoried_on is None:
        return "unknown_inventory", {}
    age, limit = (today - facts.inventoried_on).days, int(rule.value or 0)
    return ("inventory_too_old", {"age": age, "days": limit}) if age > limit else None


def _antivirus(rule: ComplianceRule, facts: Facts, today: dt.date) -> Outcome:
    wanted = patterns(rule.value)
    reported = [a for a in facts.antivirus if not wanted or _matches(a.get("name"), wanted)]
    if reported:
        active = [a for a in reported if a.get("enabled") is not False]
        if not active:
            return "antivirus_disabled", {"name": str(reported[0].get("name") or "")}
        if all(a.get("uptodate") is False for a in active):
            return "antivirus_outdated", {"name": str(active[0].get("name") or "")}
        return None
    if wanted and any(_matches(name, wanted) for name in facts.software):
        return None  # Linux agents send no ANTIVIRUS section: the package counts
    if not facts.antivirus and not facts.software_reported:
        return "unknown_antivirus", {}
    return "antivirus_missing", {"names": wanted}


def _free_disk(rule: ComplianceRule, facts: Facts, today: dt.date) -> Outcome:
    minimum = Decimal(rule.value or "0")
    disks = [d for d in facts.disks if _counts(d)]
    if not disks:
        return "unknown_disk", {}
    low = []
    for disk in disks:
        free = Decimal(100) * disk["free_mb"] / disk["total_mb"]
        if free < minimum:
            label = str(disk.get("mount") or disk.get("volume") or "?")
            low.append([label, float(free.quantize(Decimal("0.1")))])
    return ("disk_low", {"disks": low, "minimum": float(minimum)}) if low else None


def _counts(disk: dict[str, Any]) -> bool:
    total, free = disk.get("total_mb"), disk.get("free_mb")
    if not isinstance(total, int) or not isinstance(free, int) or total <= 0:
        return False
    kind = str(disk.get("mount") or "").casefold()
    return str(disk.get("filesystem") or "").casefold() not in _SKIPPED_FILESYSTEMS and not (
        kind.startswith(_SKIPPED_TYPES)
    )


def _warranty(rule: ComplianceRule, facts: Facts, today: dt.date) -> Outcome:
    if not facts.has_asset:
        return "unknown_asset", {}
    if facts.warranty_end is None:
        return "unknown_warranty", {}
    if facts.warranty_end < today:
        return "warranty_expired", {"date": facts.warranty_end.isoformat()}
    return None


def _software(rule: ComplianceRule, facts: Facts, today: dt.date) -> Outcome:
    if not facts.software_reported:
        return "unknown_software", {}
    missing = [p for p in patterns(rule.value) if not any(_matches(s, [p]) for s in facts.software)]
    return ("software_missing", {"names": missing}) if missing else None


def _matches(name: Any, wanted: list[str]) -> bool:
    folded = str(name or "").casefold()
    return any(pattern in folded for pattern in wanted)


CHECKS: dict[str, Check] = {
    Kind.OS_VERSION: _os_version,
    Kind.INVENTORY_AGE: _inventory_age,
    Kind.ANTIVIRUS: _antivirus,
    Kind.FREE_DISK: _free_disk,
    Kind.WARRANTY: _warranty,
    Kind.SOFTWARE: _software,
}


# Evaluation -----------------------------------------------------------------------------


def applies(rule: ComplianceRule, facts: Facts) -> bool:
    """Enabled, for this kind of asset and, for an OS rule naming one, this system."""
    if not rule.enabled or (rule.asset_kinds and facts.kind not in rule.asset_kinds):
        return False
    if rule.kind == Kind.OS_VERSION and rule.os_name and facts.os_name:
        return rule.os_name.casefold() in facts.os_name.casefold()
    return True


def evaluate(rule: ComplianceRule, facts: Facts, today: dt.date) -> Failure | None:
    check = CHECKS.get(rule.kind)
    if check is None or not applies(rule, facts):
        return None
    outcome = check(rule, facts, today)
    if outcome is None:
        return None
    code, params = outcome
    return Failure(rule.pk, rule.name, rule.severity, code, params)


def status_of(failures: list[Failure]) -> str:
    severities = {f.severity for f in failures}
    if ComplianceRule.Severity.CRITICAL in severities:
        return ComplianceStatus.CRITICAL
    return ComplianceStatus.WARNING if severities else ComplianceStatus.OK
