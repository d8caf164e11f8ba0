"""The equipment bought with an order, as the fleet registered it (reads only).

The programme does not import the fleet (the fleet builds on the programme): it reaches
the assets through the ORM's reverse relation ``order.assets`` and reads their kinds and
statuses from the model's own choices. Counts are part of the order's story and go to
whoever may read the order; the link to the assets themselves shows only to those the
access kernel lets see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from preau.core.access import restrict
from preau.programme.models import Order


@dataclass
class Equipment:
    statuses: list[tuple[str, str]] = field(default_factory=list)  # (value, label) in use
    # (kind label, [count per status above], total)
    rows: list[tuple[str, list[int], int]] = field(default_factory=list)
    total: int = 0
    totals: list[int] = field(default_factory=list)  # per status
    fleet_visible: bool = False  # the user may open these assets in the fleet


def _labels(model: Any, name: str) -> dict[str, str]:
    return {str(value): str(label) for value, label in model._meta.get_field(name).flatchoices}


def equipment_of(user: Any, order: Order) -> Equipment:
    """Counts per kind and status (one query), and whether the fleet shows them to
    ``user`` (one more, when there is any)."""
    assets = order.assets.all()
    counted = assets.values_list("kind", "status").annotate(n=Count("pk")).order_by()
    cells = {(kind, status): n for kind, status, n in counted}
    if not cells:
        return Equipment()
    kinds, statuses = _labels(assets.model, "kind"), _labels(assets.model, "status")
    used = [s for s in statuses if any(s == status for _kind, status in cells)]
    rows = []
    for kind, kind_label in kinds.items():
        counts = [cells.get((kind, status), 0) for status in used]
        if any(counts):
            rows.append((kind_label, counts, sum(counts)))
    return Equipment(
        statuses=[(s, statuses[s]) for s in used],
        rows=rows,
        total=sum(cells.values()),
        totals=[sum(cells.get((k, s), 0) for k in kinds) for s in used],
        fleet_visible=restrict(user, assets).exists(),
    )
