"""Two teachers book the same slot at the same moment: exactly one gets it (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from preau.loans import services
from preau.loans.models import Booking
from preau.loans.tests.conftest import MONDAY, at

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need a real concurrent database"
)


def test_simultaneous_bookings_one_wins(transactional_db: Any, world: Any, case: Any) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(cls: int, start_minute: int) -> None:
        try:
            barrier.wait()
            services.book(
                world.a.teachers[cls],
                case,
                world.a.classes[cls],
                at(MONDAY, 9, start_minute),
                at(MONDAY, 10, start_minute),
            )
            outcomes.append("booked")
        except services.LoanError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i, i * 10)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Booking.objects.count() == 1
