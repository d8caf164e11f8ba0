"""A package's checks (run first) and actions (run in order): add, change, remove, move.

Each write locks the package, refuses when it is trashed or being deployed
(``editing.check_editable``), validates the step for what the agent will be told, and is
audited on the package.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.core import audit
from preau.fleet.deploy import storage
from preau.fleet.deploy.editing import check_editable, lock
from preau.fleet.models import Package, PackageAction, PackageCheck

Step = PackageCheck | PackageAction
CHECK_FIELDS = ("kind", "path", "value", "on_fail")
ACTION_FIELDS = ("kind", "name", "command", "target", "ok_codes")
# Windows installers answer 3010 ("reboot required"); codes are 32-bit either way.
_CODE_RANGE = range(-(2**31), 2**32)


def clean_check(check: PackageCheck) -> None:
    Kind = PackageCheck.Kind
    if check.kind not in Kind.values:
        raise ValidationError({"kind": _("Choose one of the checks offered.")})
    if check.on_fail not in PackageCheck.OnFail.values:
        raise ValidationError({"on_fail": _("Choose what happens when the check fails.")})
    check.path = check.path.strip()
    check.value = check.value.strip()
    if not check.path:
        raise ValidationError({"path": _("Give the path the check looks at.")})
    if len(check.path) > 500:
        raise ValidationError({"path": _("A path is at most 500 characters.")})
    if check.kind == Kind.FILE_SHA512:
        check.value = check.value.lower()
        if not storage.is_sha512(check.value):
            raise ValidationError({"value": _("Give the file's sha512: 128 hexadecimal digits.")})
    elif check.kind == Kind.FREE_SPACE:
        if not check.value.isdigit() or int(check.value) < 1:
            raise ValidationError(
                {"value": _("Give the free space needed in MB, a whole number above 0.")}
            )
        check.value = str(int(check.value))
    else:
        check.value = ""


def _clean_codes(text: str) -> str:
    """ "0, 3010" → "0,3010"; blank stays blank: any exit code means success."""
    codes = [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]
    try:
        numbers = [int(c) for c in codes]
    except ValueError:
        numbers = []
    if len(numbers) != len(codes) or any(n not in _CODE_RANGE for n in numbers):
        raise ValidationError(
            {"ok_codes": _("Exit codes are whole numbers separated by commas, like 0,3010.")}
        )
    return ",".join(str(n) for n in dict.fromkeys(numbers))


def clean_action(action: PackageAction) -> None:
    Kind = PackageAction.Kind
    if action.kind not in Kind.values:
        raise ValidationError({"kind": _("Choose one of the actions offered.")})
    action.name = action.name.strip()
    action.command = action.command.strip()
    action.target = action.target.strip()
    if len(action.name) > 150:
        raise ValidationError({"name": _("A label is at most 150 characters.")})
    if not action.command:
        missing = _("Give the command to run.") if action.kind == Kind.CMD else _("Give the path.")
        raise ValidationError({"command": missing})
    if len(action.command) > 4000:
        raise ValidationError({"command": _("A command is at most 4,000 characters.")})
    if action.kind in (Kind.COPY, Kind.MOVE):
        if not action.target:
            raise ValidationError({"target": _("Give the destination.")})
        if len(action.target) > 500:
            raise ValidationError({"target": _("A destination is at most 500 characters.")})
    else:
        action.target = ""
    action.ok_codes = _clean_codes(action.ok_codes) if action.kind == Kind.CMD else ""


def _fields(step: Step) -> tuple[str, ...]:
    return CHECK_FIELDS if isinstance(step, PackageCheck) else ACTION_FIELDS


def _clean(step: Step) -> None:
    if isinstance(step, PackageCheck):
        clean_check(step)
    else:
        clean_action(step)


def _label(step: Step) -> str:
    return "check" if isinstance(step, PackageCheck) else "action"


def _add(package: Package, step: Step, *, actor: Any, request: HttpRequest | None) -> Step:
    locked = lock(package)
    check_editable(locked)
    _clean(step)
    siblings = type(step)._default_manager.filter(package=locked)
    last = siblings.aggregate(last=Max("position"))["last"]
    step.package = locked
    step.position = 0 if last is None else last + 1
    step.save()
    locked.save(update_fields=["updated_at"])
    audit.record(
        f"fleet.package_{_label(step)}_added",
        actor=actor,
        request=request,
        target=locked,
        kind=step.kind,
        step=str(step),
    )
    return step


@transaction.atomic
def add_check(
    package: Package, fields: dict[str, Any], *, actor: Any, request: HttpRequest | None = None
) -> PackageCheck:
    check = PackageCheck(**{k: fields[k] for k in CHECK_FIELDS if fields.get(k) is not None})
    return _add(package, check, actor=actor, request=request)  # type: ignore[return-value]


@transaction.atomic
def add_action(
    package: Package, fields: dict[str, Any], *, actor: Any, request: HttpRequest | None = None
) -> PackageAction:
    action = PackageAction(**{k: fields[k] for k in ACTION_FIELDS if fields.get(k) is not None})
    return _add(package, action, actor=actor, request=request)  # type: ignore[return-value]


@transaction.atomic
def update_step(
    step: Step, fields: dict[str, Any], *, actor: Any, request: HttpRequest | None = None
) -> Step:
    locked = lock(step.package)
    check_editable(locked)
    current = type(step)._default_manager.get(pk=step.pk)
    changed = []
    for name in _fields(current):
        if name in fields and getattr(current, name) != fields[name]:
            setattr(current, name, fields[name] if fields[name] is not None else "")
            changed.append(name)
    _clean(current)
    if changed:
        current.save()
        locked.save(update_fields=["updated_at"])
        audit.record(
            f"fleet.package_{_label(current)}_changed",
            actor=actor,
            request=request,
            target=locked,
            step=str(current),
            fields=changed,
        )
    return current


@transaction.atomic
def remove_step(step: Step, *, actor: Any, request: HttpRequest | None = None) -> None:
    locked = lock(step.package)
    check_editable(locked)
    audit.record(
        f"fleet.package_{_label(step)}_removed",
        actor=actor,
        request=request,
        target=locked,
        step=str(step),
    )
    step.delete()
    _renumber(type(step)._default_manager.filter(package=locked))
    locked.save(update_fields=["updated_at"])


def _renumber(steps: Any, order: list[Any] | None = None) -> None:
    rows = order if order is not None else list(steps.order_by("position", "pk"))
    for position, row in enumerate(rows):
        row.position = position
    steps.model._default_manager.bulk_update(rows, ["position"])


@transaction.atomic
def move_step(step: Step, *, up: bool, actor: Any, request: HttpRequest | None = None) -> None:
    """Swap the step with the one before it (``up``) or after it; nothing at either end."""
    locked = lock(step.package)
    check_editable(locked)
    steps = type(step)._default_manager.filter(package=locked)
    rows = list(steps.order_by("position", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == step.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    _renumber(steps, rows)
    locked.save(update_fields=["updated_at"])
    audit.record(
        f"fleet.package_{_label(step)}_moved",
        actor=actor,
        request=request,
        target=locked,
        step=str(step),
        position=other + 1,
    )
