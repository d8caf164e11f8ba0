"""Every write of compliance: rules (validated, audited) and the devices' verdicts.

A rule change re-evaluates its municipality after commit (a task); verdicts are written
in bulk, one upsert per 500 devices, so that the daily pass stays cheap.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Municipality
from preau.fleet.compliance import rules as pure
from preau.fleet.compliance.facts import read_facts
from preau.fleet.compliance.values import RuleValueError, clean_value
from preau.fleet.compliance.wording import describe
from preau.fleet.models import AssetKind, ComplianceRule, Device, DeviceCompliance

RULE_FIELDS = ("name", "kind", "value", "os_name", "asset_kinds", "severity", "enabled")
_BATCH = 500


class ComplianceError(ValueError):
    """A rule the service refuses; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def clean_rule(fields: dict[str, Any]) -> dict[str, Any]:
    """The rule's fields as stored, or ``ComplianceError`` naming the field and why."""
    kind, severity = fields.get("kind"), fields.get("severity", ComplianceRule.Severity.WARNING)
    if kind not in ComplianceRule.Kind.values:
        raise ComplianceError(_("Choose one of the rules offered."), "kind")
    if severity not in ComplianceRule.Severity.values:
        raise ComplianceError(_("Choose a severity: warning or critical."), "severity")
    name = " ".join(str(fields.get("name") or "").split())
    if not name or len(name) > 150:
        raise ComplianceError(_("The name is required (150 characters at most)."), "name")
    kinds = list(dict.fromkeys(fields.get("asset_kinds") or []))
    if any(k not in AssetKind.values for k in kinds):
        raise ComplianceError(_("Choose asset kinds among those offered."), "asset_kinds")
    try:
        value = clean_value(kind, str(fields.get("value") or ""))
    except RuleValueError as exc:
        raise ComplianceError(str(exc), "value") from None
    os_name = " ".join(str(fields.get("os_name") or "").split())
    if len(os_name) > 100:
        raise ComplianceError(_("The operating system is 100 characters at most."), "os_name")
    return {
        "name": name,
        "kind": kind,
        "value": value,
        "os_name": os_name if kind == ComplianceRule.Kind.OS_VERSION else "",
        "asset_kinds": sorted(kinds),
        "severity": severity,
        "enabled": bool(fields.get("enabled", True)),
    }


def _reevaluate_after_commit(municipality_id: int) -> None:
    from preau.fleet.compliance import tasks  # the task module imports this one

    transaction.on_commit(lambda: tasks.evaluate_municipality_task(municipality_id))


@transaction.atomic
def create_rule(
    municipality: Municipality,
    fields: dict[str, Any],
    *,
    actor: Any,
    request: HttpRequest | None = None,
) -> ComplianceRule:
    rule = ComplianceRule.objects.create(municipality=municipality, **clean_rule(fields))
    audit.record(
        "fleet.compliance_rule_created",
        actor=actor,
        request=request,
        target=rule,
        kind=rule.kind,
        value=rule.value,
        severity=rule.severity,
    )
    _reevaluate_after_commit(municipality.pk)
    return rule


@transaction.atomic
def update_rule(
    rule: ComplianceRule, fields: dict[str, Any], *, actor: Any, request: HttpRequest | None = None
) -> ComplianceRule:
    locked = ComplianceRule.objects.select_for_update().get(pk=rule.pk)
    cleaned = clean_rule({name: fields.get(name, getattr(locked, name)) for name in RULE_FIELDS})
    changes = {
        name: [getattr(locked, name), value]
        for name, value in cleaned.items()
        if getattr(locked, name) != value
    }
    if not changes:
        return locked
    for name, (_before, after) in changes.items():
        setattr(locked, name, after)
    locked.save()
    audit.record(
        "fleet.compliance_rule_changed",
        actor=actor,
        request=request,
        target=locked,
        changes=changes,
    )
    _reevaluate_after_commit(locked.municipality_id)
    return locked


def set_rule_enabled(
    rule: ComplianceRule, enabled: bool, *, actor: Any, request: HttpRequest | None = None
) -> ComplianceRule:
    return update_rule(rule, {"enabled": enabled}, actor=actor, request=request)


@transaction.atomic
def delete_rule(rule: ComplianceRule, *, actor: Any, request: HttpRequest | None = None) -> None:
    audit.record(
        "fleet.compliance_rule_deleted",
        actor=actor,
        request=request,
        target=rule,
        kind=rule.kind,
        value=rule.value,
        severity=rule.severity,
    )
    municipality_id = rule.municipality_id
    rule.delete()
    _reevaluate_after_commit(municipality_id)


# Verdicts -------------------------------------------------------------------------------


def _evaluate(devices: QuerySet[Device]) -> Counter[str]:
    """Evaluate ``devices`` (of municipalities with rules or not) and store the verdicts."""
    now = timezone.now()
    today = timezone.localdate(now)
    devices = devices.filter(municipality__isnull=False)
    municipalities = devices.values("municipality_id")
    enabled = list(ComplianceRule.objects.filter(municipality_id__in=municipalities, enabled=True))
    by_municipality: dict[int, list[ComplianceRule]] = {}
    for rule in enabled:
        by_municipality.setdefault(rule.municipality_id, []).append(rule)
    verdicts, counts = [], Counter[str]()
    for device, facts in read_facts(devices, enabled):
        failures = [
            failure
            for rule in by_municipality.get(device.municipality_id or 0, [])
            if (failure := pure.evaluate(rule, facts, today)) is not None
        ]
        status = pure.status_of(failures)
        counts[status] += 1
        stored = [f.as_json("") for f in failures]
        for item in stored:
            item["detail"] = describe(item)
        verdicts.append(
            DeviceCompliance(device=device, status=status, failures=stored, evaluated_at=now)
        )
    DeviceCompliance.objects.bulk_create(
        verdicts,
        batch_size=_BATCH,
        update_conflicts=True,
        unique_fields=["device"],
        update_fields=["status", "failures", "evaluated_at"],
    )
    return counts


def evaluate_device(device: Device) -> DeviceCompliance | None:
    """Refresh one device's verdict (after its inventory); None if it has no municipality."""
    _evaluate(Device.objects.filter(pk=device.pk))
    return DeviceCompliance.objects.filter(device_id=device.pk).first()


def evaluate_municipality(municipality: Municipality | int) -> Counter[str]:
    """Refresh the verdict of every device of ``municipality``: counts per status."""
    pk = municipality if isinstance(municipality, int) else municipality.pk
    return _evaluate(Device.objects.filter(municipality_id=pk))


@transaction.atomic
def reevaluate_now(
    municipalities: list[Municipality], *, actor: Any, request: HttpRequest | None = None
) -> Counter[str]:
    """A fleet manager's "re-evaluate now": at once, audited."""
    total = Counter[str]()
    for municipality in municipalities:
        counts = evaluate_municipality(municipality)
        audit.record(
            "fleet.compliance_evaluated",
            actor=actor,
            request=request,
            municipality_id=municipality.pk,
            counts=dict(counts),
        )
        total.update(counts)
    return total
