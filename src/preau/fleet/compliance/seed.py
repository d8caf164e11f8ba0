"""The demo's compliance rules: the five of the issue, with values that suit Lorient.

Windows 11 23H2 (build 22631) at least on laptops and PCs — Windows 10 left support in
October 2025; an inventory less than a week old (agents report daily, a week covers
holidays' long weekends); an antivirus (Defender on Windows, ClamAV on Linux); 10 % of
free disk; the warranty running. Call after the demo fleet is loaded: the verdicts are
computed at once.
"""

from __future__ import annotations

from preau.directory.models import Municipality
from preau.fleet.compliance import services
from preau.fleet.compliance.rules import Kind
from preau.fleet.models import AssetKind, ComplianceRule

_COMPUTERS = [AssetKind.DESKTOP, AssetKind.LAPTOP]
_AGENTS = [AssetKind.DESKTOP, AssetKind.LAPTOP, AssetKind.THIN_CLIENT]
Severity = ComplianceRule.Severity
RULES = [
    {"kind": Kind.OS_VERSION, "name": "Windows 11 23H2 ou plus récent", "value": "10.0.22631",
     "os_name": "Windows", "asset_kinds": _COMPUTERS, "severity": Severity.CRITICAL},
    {"kind": Kind.INVENTORY_AGE, "name": "Inventaire de moins de 7 jours", "value": "7",
     "asset_kinds": _AGENTS, "severity": Severity.WARNING},
    {"kind": Kind.ANTIVIRUS, "name": "Antivirus présent",
     "value": "defender, clamav, eset, sophos, bitdefender, kaspersky, trend micro",
     "asset_kinds": _COMPUTERS, "severity": Severity.CRITICAL},
    {"kind": Kind.FREE_DISK, "name": "Plus de 10 % d'espace disque libre", "value": "10",
     "asset_kinds": _AGENTS, "severity": Severity.WARNING},
    {"kind": Kind.WARRANTY, "name": "Garantie en cours", "value": "", "asset_kinds": [],
     "severity": Severity.WARNING},
]  # fmt: skip


def seed_rules(municipality: Municipality) -> int:
    """Create the demo rules of ``municipality`` and evaluate its devices; returns the rules
    created (0 if it has rules already)."""
    if ComplianceRule.objects.filter(municipality=municipality).exists():
        return 0
    ComplianceRule.objects.bulk_create(
        ComplianceRule(municipality=municipality, **services.clean_rule(fields)) for fields in RULES
    )
    services.evaluate_municipality(municipality)
    return len(RULES)
