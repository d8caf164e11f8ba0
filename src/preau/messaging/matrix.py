"""The communication matrix as stored: read it (one query), and a city admin's changes.

A ``MatrixRule`` without a school is the municipality's default for a pair of parties;
with a school, it overrides that default there. Pairs with no row follow the built-in
default (``roles.DEFAULT_CELLS``). Saving writes only the cells that changed, in one
transaction, and audits the list of changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.core import audit
from preau.directory.models import Municipality, School
from preau.messaging.errors import MessagingError
from preau.messaging.models import MatrixRule
from preau.messaging.roles import ALL_PAIRS, Cell, Pair, Party, Reach, can_be_moderated
from preau.messaging.rules import Matrix


def load_matrix(municipality_ids: Iterable[int]) -> Matrix:
    municipal: dict[tuple[int, Pair], Cell] = {}
    schools: dict[tuple[int, Pair], Cell] = {}
    rows = MatrixRule.objects.filter(municipality_id__in=set(municipality_ids)).values_list(
        "municipality_id", "school_id", "sender_role", "recipient_role", "reach", "moderated"
    )
    for muni, school, sender, recipient, reach, moderated in rows:
        cell = Cell(reach, moderated)
        if school is None:
            municipal[(muni, (sender, recipient))] = cell
        else:
            schools[(school, (sender, recipient))] = cell
    return Matrix(municipal=municipal, schools=schools)


def stored_cells(municipality: Municipality, school: School | None) -> dict[Pair, Cell]:
    """The cells a city admin set at this level (none: the level inherits)."""
    rows = MatrixRule.objects.filter(municipality=municipality, school=school)
    return {(r.sender_role, r.recipient_role): Cell(r.reach, r.moderated) for r in rows}


def _check(pair: Pair, cell: Cell | None) -> None:
    if pair not in ALL_PAIRS:
        raise MessagingError(_("“%(pair)s” is not a pair of roles.") % {"pair": "→".join(pair)})
    if cell is None:
        return
    if cell.reach not in Reach.values:
        raise MessagingError(
            _("“%(reach)s” is not a reach for %(sender)s → %(recipient)s.")
            % {"reach": cell.reach, "sender": Party(pair[0]).label, "recipient": pair[1]}
        )
    if cell.moderated and not can_be_moderated(pair[0]):
        raise MessagingError(
            _("Only pupils' messages can be held for moderation, not those of %(sender)s.")
            % {"sender": Party(pair[0]).label}
        )


@transaction.atomic
def save_matrix(
    actor: Any,
    municipality: Municipality,
    school: School | None,
    cells: Mapping[Pair, Cell | None],
    request: HttpRequest | None = None,
) -> int:
    """Set the given cells at this level (``None``: back to the inherited value).

    Returns how many cells changed. The caller has checked that ``actor`` is a city
    admin of ``municipality`` (and that ``school`` is one of its schools).
    """
    if school is not None and school.municipality_id != municipality.pk:
        raise MessagingError(_("This school is not in this municipality."))
    for pair, cell in cells.items():
        _check(pair, cell)
    current = stored_cells(municipality, school)
    changes: list[dict[str, Any]] = []
    for pair, cell in sorted(cells.items()):
        if current.get(pair) == cell:
            continue
        rows = MatrixRule.objects.filter(
            municipality=municipality, school=school, sender_role=pair[0], recipient_role=pair[1]
        )
        if cell is None:
            rows.delete()
        elif not rows.update(reach=cell.reach, moderated=cell.moderated):
            MatrixRule.objects.create(
                municipality=municipality,
                school=school,
                sender_role=pair[0],
                recipient_role=pair[1],
                reach=cell.reach,
                moderated=cell.moderated,
            )
        changes.append(
            {
                "pair": f"{pair[0]}→{pair[1]}",
                "before": _describe(current.get(pair)),
                "after": _describe(cell),
            }
        )
    if changes:
        audit.record(
            "messaging.matrix_changed",
            actor=actor,
            request=request,
            target=school or municipality,
            municipality_id=municipality.pk,
            level="school" if school else "municipality",
            changes=changes,
        )
    return len(changes)


def _describe(cell: Cell | None) -> str:
    if cell is None:
        return "inherited"
    return f"{cell.reach}{' (moderated)' if cell.moderated else ''}"
