"""What changed, and the history of a record read back from the audit log.

The edit services write ``changes = {field: [old, new]}`` (both strings) into their
audit record; ``history_of`` reads the records of one object (and of the files attached
to it), newest first, with each field's translated name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from preau.core.models import AuditEvent

Changes = dict[str, list[str]]

# Keys of ``changes`` that are not a model field, with their names.
EXTRA_LABELS: dict[str, str | Promise] = {
    "lines": _("lines"),
    "sites": _("sites concerned"),
    "supplier": _("supplier"),
    "order": _("order"),
    "contract": _("public contract"),
    "budget_line": _("budget line"),
    "objective": _("objective"),
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
AMOUNT = re.compile(r"-?\d+\.\d{2}")
# How many records a history shows; the full log is on the audit page.
LIMIT = 50


def as_text(value: Any) -> str:
    """A value as the audit log keeps it: a plain, language-neutral string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: as_text(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, str], after: Mapping[str, str]) -> Changes:
    """``{field: [old, new]}`` for every field whose text changed."""
    return {
        name: [before.get(name, ""), value]
        for name, value in after.items()
        if before.get(name, "") != value
    }


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    who: str
    action: str
    target: str
    changes: list[Change]


def parent_key(obj: models.Model) -> str:
    """How the audit records of a record's files and deliveries name it."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(EXTRA_LABELS.get(name, name))
    return str(getattr(field, "verbose_name", name))


def _model_of(label: str, default: type[models.Model]) -> type[models.Model]:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return default


def _display(value: str) -> str:
    """A recorded value for the reader: yes/no, dates and amounts in their language."""
    if value == "true":
        return str(_("yes"))
    if value == "false":
        return str(_("no"))
    if ISO_DATE.fullmatch(value):
        try:
            return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if AMOUNT.fullmatch(value):
        return formats.number_format(Decimal(value), 2, force_grouping=True)
    return value or "—"


def history_of(obj: models.Model, limit: int = LIMIT) -> list[Entry]:
    """The audit records of ``obj`` and of what is attached to it, newest first."""
    model = type(obj)
    events = (
        AuditEvent.objects.filter(
            Q(target_type=model._meta.label_lower, target_id=str(obj.pk))
            | Q(data__parent=parent_key(obj))
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    entries = []
    for event in events:
        raw = event.data.get("changes") if isinstance(event.data, dict) else None
        own = event.target_type == model._meta.label_lower
        changes = [
            Change(_label(_model_of(event.target_type, model), name), _display(old), _display(new))
            for name, (old, new) in (raw or {}).items()
        ]
        who = event.actor.display_name if event.actor is not None else event.actor_label
        entries.append(
            Entry(
                event.at,
                str(who or "—"),
                event.action_label,
                "" if own else event.target_label,
                changes,
            )
        )
    return entries
