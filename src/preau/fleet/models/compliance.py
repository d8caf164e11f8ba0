"""Compliance: the municipality's rules for devices, and each device's last verdict.

Verdicts are stored (``DeviceCompliance``) so that the dashboard counts them in SQL; they
are refreshed after each inventory, when a rule changes, and once a day (an inventory
grows old without any new event).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from preau.core.models import TimeStampedModel
from preau.directory.models import Municipality
from preau.fleet.models.inventory import Device


class ComplianceRule(TimeStampedModel):
    class Kind(models.TextChoices):
        OS_VERSION = "os_version", _("operating system at least at version")
        INVENTORY_AGE = "inventory_age", _("inventory younger than (days)")
        ANTIVIRUS = "antivirus", _("antivirus present")
        FREE_DISK = "free_disk", _("free disk space above (%)")
        WARRANTY = "warranty", _("warranty not expired")
        SOFTWARE = "software", _("software installed")

    class Severity(models.TextChoices):
        WARNING = "warning", _("warning")
        CRITICAL = "critical", _("critical")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    # os_version: the minimum version; inventory_age: days; free_disk: percent;
    # antivirus / software: name patterns (comma-separated); warranty: unused.
    value = models.CharField(_("threshold"), max_length=200, blank=True)
    # os_version: only operating systems whose name contains this (e.g. "Debian").
    os_name = models.CharField(_("operating system"), max_length=100, blank=True)
    # Asset kinds the rule applies to (AssetKind values); empty means every device.
    asset_kinds = models.JSONField(_("asset kinds"), default=list, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("compliance rule")
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class ComplianceStatus(models.TextChoices):
    OK = "ok", _("compliant")
    WARNING = "warning", _("needs attention")
    CRITICAL = "critical", _("critical")


class DeviceCompliance(models.Model):
    """A device's verdict against every enabled rule, as last evaluated."""

    device = models.OneToOneField(Device, on_delete=models.CASCADE, related_name="compliance")
    status = models.CharField(
        _("compliance"), max_length=10, choices=ComplianceStatus.choices, db_index=True
    )
    # [{"rule": id, "name": ..., "severity": ..., "detail": ...}] for each rule failed.
    failures = models.JSONField(default=list, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated"))

    class Meta:
        verbose_name = _("device compliance")

    def __str__(self) -> str:
        return f"{self.device_id} {self.status}"
