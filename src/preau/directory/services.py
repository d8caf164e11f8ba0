"""Writes to the directory. Views, API endpoints and commands call these, nothing else.

Each function is transactional and writes its audit record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from preau.core import audit
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    OndeImport,
    Pupil,
    School,
    SchoolClass,
)
from preau.directory.onde.build import build_plan
from preau.directory.onde.plan import OndePlan, OndeRejected

__all__ = [
    "ONDE_PREVIEW_LIFETIME",
    "OndeImportClosed",
    "OndePlan",
    "OndeRejected",
    "apply_onde_import",
    "apply_onde_upload",
    "expire_onde_uploads",
    "is_expired",
    "pending_plan",
    "plan_onde_import",
    "upload_onde_files",
]

# An upload not applied within this time is expired and its files erased.
ONDE_PREVIEW_LIFETIME = dt.timedelta(hours=24)
COMMAND_LINE = "command line"
_BATCH = 500


def plan_onde_import(*, school: School, pupils_csv: bytes, guardians_csv: bytes | None) -> OndePlan:
    """What importing these exports into ``school`` would change. Reads, never writes."""
    return build_plan(school, pupils_csv, guardians_csv)


def apply_onde_import(
    *,
    school: School,
    pupils_csv: bytes,
    guardians_csv: bytes | None,
    actor: Any,
    request: HttpRequest | None = None,
) -> OndePlan:
    """Import the exports all-or-nothing; raise :class:`OndeRejected` if anything is wrong.

    The plan is computed again inside the transaction, with the school row locked, so
    two imports of one school never interleave and what is applied is what the data
    says now, not what the preview said some minutes ago.
    """
    label = "" if actor is not None or request is not None else COMMAND_LINE
    try:
        with transaction.atomic():
            School.objects.select_for_update().filter(pk=school.pk).first()
            plan = build_plan(school, pupils_csv, guardians_csv)
            if not plan.is_valid:
                raise OndeRejected(plan)
            _write(plan)
            audit.record(
                "onde.import",
                actor=actor,
                request=request,
                target=school,
                actor_label=label,
                **plan.counts(),
            )
    except OndeRejected as exc:
        audit.record(
            "onde.import.rejected",
            actor=actor,
            request=request,
            target=school,
            actor_label=label,
            **exc.plan.counts(),
        )
        raise
    return plan


def _write(plan: OndePlan) -> None:
    ops, now = plan.ops, timezone.now()
    assert ops.today is not None
    SchoolClass.objects.bulk_create(ops.new_classes, batch_size=_BATCH)
    _touch(ops.changed_classes, now)
    SchoolClass.objects.bulk_update(
        ops.changed_classes, ["label", "onde_id", "levels", "updated_at"], batch_size=_BATCH
    )
    Pupil.objects.bulk_create(ops.new_pupils, batch_size=_BATCH)
    _touch(ops.changed_pupils, now)
    Pupil.objects.bulk_update(
        ops.changed_pupils, sorted(ops.changed_pupil_fields | {"updated_at"}), batch_size=200
    )
    if ops.left_pupil_ids:
        Pupil.objects.filter(pk__in=ops.left_pupil_ids).update(left_on=ops.today, updated_at=now)
    # Close before opening: a pupil has at most one open enrolment (a constraint says so).
    if ops.ended_enrolment_ids:
        Enrolment.objects.filter(pk__in=ops.ended_enrolment_ids).update(ended_on=ops.today)
    Enrolment.objects.bulk_create(ops.enrolment_rows(), batch_size=_BATCH)
    Guardian.objects.bulk_create(ops.new_guardians, batch_size=_BATCH)
    _touch(ops.changed_guardians, now)
    Guardian.objects.bulk_update(
        ops.changed_guardians,
        sorted(ops.changed_guardian_fields | {"updated_at"}),
        batch_size=200,
    )
    if ops.removed_link_ids:
        GuardianLink.objects.filter(pk__in=ops.removed_link_ids).delete()
    GuardianLink.objects.bulk_create(ops.link_rows(), batch_size=_BATCH)


def _touch(objs: list[Any], now: dt.datetime) -> None:
    for obj in objs:
        obj.updated_at = now  # bulk_update does not run auto_now


def _audit_data(plan: OndePlan, **extra: Any) -> dict[str, Any]:
    return {**plan.counts(), **extra}


# The web flow: upload, preview, apply ----------------------------------------------------


class OndeImportClosed(Exception):
    """The upload was already applied, rejected or has expired."""


def upload_onde_files(
    *,
    school: School,
    uploaded_by: Any,
    pupils_csv: bytes,
    pupils_filename: str,
    guardians_csv: bytes | None,
    guardians_filename: str = "",
    request: HttpRequest | None = None,
) -> OndeImport:
    """Keep an upload for preview. Earlier pending uploads of the school expire.

    An upload that is refused outright keeps only its summary: no file is stored.
    """
    plan = build_plan(school, pupils_csv, guardians_csv)
    valid = plan.is_valid
    with transaction.atomic():
        _close(
            OndeImport.objects.filter(school=school, status=OndeImport.Status.PREVIEWED),
            OndeImport.Status.EXPIRED,
        )
        onde_import = OndeImport.objects.create(
            school=school,
            uploaded_by=uploaded_by,
            pupils_filename=pupils_filename[:255],
            pupils_file=pupils_csv if valid else b"",
            guardians_filename=guardians_filename[:255],
            guardians_file=guardians_csv if valid else None,
            summary=plan.as_dict(),
            status=OndeImport.Status.PREVIEWED if valid else OndeImport.Status.REJECTED,
        )
        audit.record(
            "onde.upload",
            actor=uploaded_by,
            request=request,
            target=school,
            **_audit_data(plan, onde_import=onde_import.pk),
        )
    return onde_import


def pending_plan(onde_import: OndeImport) -> OndePlan:
    """The plan of a pending upload, computed afresh from its files."""
    return build_plan(
        onde_import.school,
        bytes(onde_import.pupils_file),
        _optional_bytes(onde_import.guardians_file),
    )


def is_expired(onde_import: OndeImport) -> bool:
    return onde_import.created_at < timezone.now() - ONDE_PREVIEW_LIFETIME


def apply_onde_upload(
    *, onde_import: OndeImport, actor: Any, request: HttpRequest | None = None
) -> OndePlan:
    """Apply a pending upload. Raises ``OndeRejected`` (then it is marked rejected) or
    ``OndeImportClosed``. Its files are erased either way: the directory now holds the data.
    """
    rejected: OndeRejected | None = None
    with transaction.atomic():
        locked = (
            OndeImport.objects.select_for_update().select_related("school").get(pk=onde_import.pk)
        )
        if locked.status != OndeImport.Status.PREVIEWED:
            raise OndeImportClosed
        if is_expired(locked):
            _close(OndeImport.objects.filter(pk=locked.pk), OndeImport.Status.EXPIRED)
            closed = True
        else:
            closed = False
            try:
                plan = apply_onde_import(
                    school=locked.school,
                    pupils_csv=bytes(locked.pupils_file),
                    guardians_csv=_optional_bytes(locked.guardians_file),
                    actor=actor,
                    request=request,
                )
            except OndeRejected as exc:
                # Raised after the block, so that the rejected status is committed.
                rejected = exc
                _close(
                    OndeImport.objects.filter(pk=locked.pk),
                    OndeImport.Status.REJECTED,
                    summary=exc.plan.as_dict(),
                )
            else:
                _close(
                    OndeImport.objects.filter(pk=locked.pk),
                    OndeImport.Status.APPLIED,
                    summary={"counts": plan.counts(), "notes": plan.notes},
                    applied_at=timezone.now(),
                )
    if closed:
        raise OndeImportClosed
    if rejected is not None:
        raise rejected
    return plan


def expire_onde_uploads() -> int:
    """Erase the files of uploads left pending too long. Safe to run at any time."""
    stale = OndeImport.objects.filter(
        status=OndeImport.Status.PREVIEWED,
        created_at__lt=timezone.now() - ONDE_PREVIEW_LIFETIME,
    )
    return _close(stale, OndeImport.Status.EXPIRED)


def _close(queryset: Any, status: str, **fields: Any) -> int:
    return int(queryset.update(status=status, pupils_file=b"", guardians_file=None, **fields))


def _optional_bytes(value: Any) -> bytes | None:
    return None if value is None else bytes(value)
