"""Demo bookings of the shared tablet cases (``preau demo``, after the fleet's demo).

Every tablet case with a site becomes bookable; classes of the schools on its site book
it in the mornings and afternoons of last week (returned, one with a missing tablet),
this week and next week (booked). Deterministic: one seeded generator, cases and
classes in a fixed order, bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from preau.directory.models import Membership, Municipality, Role, SchoolClass, SchoolYear
from preau.fleet.models import Asset, AssetKind
from preau.loans.models import Booking, Condition, Loanable

SEED = 5_2025
SLOTS = ((9, 0, 10, 30), (10, 45, 12, 0), (13, 45, 15, 15))


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _teachers(municipality: Municipality) -> dict[int, int]:
    """class id → its teacher's user id."""
    rows = Membership.objects.filter(
        municipality=municipality, role=Role.TEACHER, school_class__isnull=False
    ).order_by("pk")
    return dict(rows.values_list("school_class_id", "user_id"))


@transaction.atomic
def load_demo_bookings(municipality: Municipality) -> int:
    cases = list(
        Asset.objects.filter(
            municipality=municipality, kind=AssetKind.TABLET_CASE, site__isnull=False
        ).order_by("site_id", "pk")
    )
    if not cases:
        return 0
    have = set(Loanable.objects.filter(asset__in=cases).values_list("asset_id", flat=True))
    Loanable.objects.bulk_create(
        Loanable(asset=case, municipality=municipality) for case in cases if case.pk not in have
    )
    loanables = list(
        Loanable.objects.filter(asset__in=cases).select_related("asset").order_by("pk")
    )
    year = SchoolYear.objects.filter(is_current=True).first()
    classes_by_site: dict[int, list[SchoolClass]] = defaultdict(list)
    classes = SchoolClass.objects.filter(school__municipality=municipality).select_related("school")
    if year is not None:
        classes = classes.filter(year=year)
    for cls in classes.order_by("school_id", "label", "pk"):
        classes_by_site[cls.school.site_id or 0].append(cls)
    teachers = _teachers(municipality)
    rng = random.Random(SEED)
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    now = timezone.now()
    rows: list[Booking] = []
    for loanable in loanables:
        site = loanable.asset.site_id or 0
        site_classes = [c for c in classes_by_site[site] if c.pk in teachers]
        if not site_classes:
            continue
        for week in (-1, 0, 1):
            for offset in (0, 1, 3, 4):  # no Wednesday: no school in most towns
                day = monday + dt.timedelta(days=7 * week + offset)
                for h1, m1, h2, m2 in SLOTS:
                    if rng.random() < 0.45:
                        continue
                    cls = rng.choice(site_classes)
                    start, end = _at(day, h1, m1), _at(day, h2, m2)
                    booking = Booking(
                        loanable=loanable,
                        municipality=municipality,
                        school_id=cls.school_id,
                        school_class=cls,
                        borrower_id=teachers[cls.pk],
                        starts_at=start,
                        ends_at=end,
                    )
                    if end < now:
                        _returned(booking, rng)
                    rows.append(booking)
    Booking.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _returned(booking: Booking, rng: random.Random) -> None:
    booking.status = Booking.Status.RETURNED
    booking.checked_out_at = booking.starts_at - dt.timedelta(minutes=10)
    booking.checked_out_by_id = booking.borrower_id
    booking.returned_at = booking.ends_at + dt.timedelta(minutes=5)
    booking.returned_by_id = booking.borrower_id
    booking.items_out = booking.items_returned = 9
    booking.condition = Condition.OK
    if rng.random() < 0.05:
        booking.condition = Condition.MISSING
        booking.items_returned = 8
        booking.condition_note = "Une tablette restée dans la classe, rapportée le lendemain."
