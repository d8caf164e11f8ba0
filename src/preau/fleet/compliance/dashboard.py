"""The dashboard's figures: devices per site × kind × status, in two grouped queries.

Besides the stored verdicts, two columns say what a verdict cannot: devices not yet
evaluated, and assets in service of a kind that runs an agent but that never reported.
No writes here; everything comes from what the access kernel lets the user see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from preau.core.access import restrict
from preau.fleet.models import Asset, AssetKind, AssetStatus, ComplianceStatus, Device

PENDING, NEVER, FAILING = "pending", "never", "failing"
NONE = "none"  # the filters' value for "no site" and "no asset kind"
COLUMNS = (ComplianceStatus.OK, ComplianceStatus.WARNING, ComplianceStatus.CRITICAL, PENDING, NEVER)
# Kinds that carry an inventory agent, and the statuses in which they should report.
AGENT_KINDS = (AssetKind.LAPTOP, AssetKind.DESKTOP, AssetKind.THIN_CLIENT)
IN_SERVICE = (AssetStatus.DEPLOYED, AssetStatus.ON_LOAN)
BAR_X, BAR_MAX, BAR_STEP = 210, 330, 28


def column_labels() -> dict[str, str]:
    return {
        ComplianceStatus.OK: _("Compliant"),
        ComplianceStatus.WARNING: _("Needs attention"),
        ComplianceStatus.CRITICAL: _("Critical"),
        PENDING: _("Not evaluated yet"),
        NEVER: _("Never inventoried"),
    }


def kind_label(kind: str | None) -> str:
    return str(AssetKind(kind).label) if kind in AssetKind.values else _("not registered")


@dataclass
class Row:
    site_id: int | None
    site_name: str
    kind: str  # "" for devices linked to no asset
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def site_param(self) -> str:
        return str(self.site_id) if self.site_id is not None else NONE

    @property
    def kind_param(self) -> str:
        return self.kind or NONE

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(column, self.counts.get(column, 0)) for column in COLUMNS]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Segment:
    status: str
    x: int
    width: int


@dataclass
class Bar:
    label: str
    site_id: int | None
    y: int
    segments: list[Segment]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(column, self.counts.get(column, 0)) for column in COLUMNS]

    @property
    def site_param(self) -> str:
        return str(self.site_id) if self.site_id is not None else NONE

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= 26 else f"{self.label[:25]}…"

    @property
    def text_y(self) -> int:
        return self.y + 18

    @property
    def total_x(self) -> int:
        end = max((s.x + s.width for s in self.segments), default=BAR_X)
        return end + 6


@dataclass
class Dashboard:
    rows: list[Row]
    totals: dict[str, int]
    bars: list[Bar]
    height: int

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(column, self.totals.get(column, 0)) for column in COLUMNS]


def _row(rows: dict[tuple[int | None, str], Row], site: int | None, name: str, kind: str) -> Row:
    key = (site, kind)
    if key not in rows:
        rows[key] = Row(site, name or _("No site"), kind)
    return rows[key]


def never_inventoried(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    return assets.filter(kind__in=AGENT_KINDS, status__in=IN_SERVICE, device__isnull=True)


def build(user: Any) -> Dashboard:
    rows: dict[tuple[int | None, str], Row] = {}
    devices = (
        restrict(user, Device)
        .values("site_id", "site__name", "asset__kind", "compliance__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for line in devices:
        row = _row(rows, line["site_id"], line["site__name"], line["asset__kind"] or "")
        status = line["compliance__status"] or PENDING
        row.counts[status] = row.counts.get(status, 0) + line["n"]
    silent = (
        never_inventoried(restrict(user, Asset))
        .values("site_id", "site__name", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for line in silent:
        row = _row(rows, line["site_id"], line["site__name"], line["kind"])
        row.counts[NEVER] = row.counts.get(NEVER, 0) + line["n"]
    ordered = sorted(
        rows.values(), key=lambda r: (r.site_id is None, r.site_name.casefold(), r.kind_label)
    )
    totals = {column: sum(r.counts.get(column, 0) for r in ordered) for column in COLUMNS}
    bars = _bars(ordered)
    return Dashboard(ordered, totals, bars, max(BAR_STEP * len(bars), BAR_STEP))


def _bars(rows: list[Row]) -> list[Bar]:
    """One stacked bar per site, its length proportional to the site's device count."""
    per_site: dict[int | None, tuple[str, dict[str, int]]] = {}
    for row in rows:
        name, counts = per_site.setdefault(row.site_id, (row.site_name, {}))
        for column, count in row.counts.items():
            counts[column] = counts.get(column, 0) + count
    top = max((sum(c.values()) for _n, c in per_site.values()), default=0) or 1
    bars = []
    for i, (site_id, (name, counts)) in enumerate(per_site.items()):
        x, segments = BAR_X, []
        for column in COLUMNS:
            width = round(BAR_MAX * counts.get(column, 0) / top)
            if width:
                segments.append(Segment(column, x, width))
                x += width
        bars.append(Bar(name, site_id, BAR_STEP * i, segments, counts))
    return bars
