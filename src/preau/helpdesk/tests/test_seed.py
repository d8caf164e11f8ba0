from __future__ import annotations

from typing import Any

from preau.helpdesk.models import Ticket
from preau.helpdesk.seed import load_demo_tickets
from preau.loans.models import Booking, Loanable
from preau.loans.seed import load_demo_bookings


def test_demo_tickets_and_bookings_are_deterministic(world: Any, tech: Any, projector: Any) -> None:
    from preau.fleet import services as fleet
    from preau.fleet.models import AssetKind

    fleet.create_asset(
        world.lorient,
        {"kind": AssetKind.TABLET_CASE, "serial": "C1", "site": world.a.school.site},
        actor=tech,
    )
    tickets = load_demo_tickets(world.lorient)
    bookings = load_demo_bookings(world.lorient)
    assert tickets == Ticket.objects.count() >= 2
    assert bookings == Booking.objects.count() > 0
    assert Loanable.objects.count() == 1
    assert not Ticket.objects.filter(municipality=world.vannes).exists()
    first = list(Ticket.objects.order_by("pk").values_list("title", "status"))
    Ticket.objects.all().delete()
    Booking.objects.all().delete()
    assert load_demo_tickets(world.lorient) == tickets
    assert list(Ticket.objects.order_by("pk").values_list("title", "status")) == first
    assert load_demo_bookings(world.lorient) == bookings
