"""The asset lifecycle: which status may follow which (pure; enforced in services)."""

from __future__ import annotations

from preau.fleet.models import AssetStatus

S = AssetStatus
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.ORDERED: (S.IN_STOCK,),
    S.IN_STOCK: (S.DEPLOYED, S.ON_LOAN, S.IN_REPAIR, S.RETIRED),
    S.DEPLOYED: (S.IN_STOCK, S.ON_LOAN, S.IN_REPAIR, S.RETIRED),
    S.ON_LOAN: (S.IN_STOCK, S.DEPLOYED, S.IN_REPAIR),
    S.IN_REPAIR: (S.IN_STOCK, S.DEPLOYED, S.RETIRED),
    S.RETIRED: (S.RECYCLED, S.IN_STOCK),
    S.RECYCLED: (),
}


def allowed(current: str) -> tuple[str, ...]:
    return TRANSITIONS.get(current, ())


def can_move(current: str, target: str) -> bool:
    return target in allowed(current)
