"""Loans' rules: conflicts (back-to-back allowed), who books, check-out, return, overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from preau.fleet.models import Asset, AssetStatus
from preau.loans import services
from preau.loans.models import Booking, Condition
from preau.loans.tests.conftest import MONDAY, at, book
from preau.notifications.models import Notification


def test_back_to_back_is_fine_overlap_is_refused(world: Any, case: Any) -> None:
    book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    book(world, case, at(MONDAY, 10), at(MONDAY, 11), cls=1)  # starts as the other ends
    book(world, case, at(MONDAY, 8), at(MONDAY, 9), cls=1)  # ends as the other starts
    for start, end in [(9, 10), (9, 12), (7, 9.5), (10.5, 10.75), (8, 12)]:
        with pytest.raises(services.LoanError, match="Already booked"):
            book(
                world,
                case,
                at(MONDAY, int(start), int(start % 1 * 60)),
                at(MONDAY, int(end), int(end % 1 * 60)),
            )
    assert Booking.objects.count() == 3


def test_the_conflict_names_the_teacher_only_within_the_school(world: Any, case: Any) -> None:
    book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    with pytest.raises(services.LoanError) as same_school:
        book(world, case, at(MONDAY, 9, 30), at(MONDAY, 11), who=world.a.director)
    assert "EnseignantA0" in str(same_school.value)
    assert "09:00" in str(same_school.value)
    other = Booking.objects.get()
    message = services.conflict_message(world.b.teachers[0], other)
    assert "another school" in message
    assert "EnseignantA0" not in message
    assert "09:00" in message


def test_a_cancelled_booking_frees_the_slot(world: Any, case: Any) -> None:
    first = book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    services.cancel(world.a.teachers[0], first)
    book(world, case, at(MONDAY, 9), at(MONDAY, 10), cls=1)


def test_who_may_book(world: Any, case: Any) -> None:
    with pytest.raises(services.LoanError, match="class you teach"):
        services.book(world.a.teachers[0], case, world.a.classes[1], at(MONDAY, 9), at(MONDAY, 10))
    services.book(world.a.director, case, world.a.classes[1], at(MONDAY, 9), at(MONDAY, 10))
    with pytest.raises(services.LoanError, match="school you work in"):
        services.book(world.b.teachers[0], case, world.a.classes[0], at(MONDAY, 11), at(MONDAY, 12))
    with pytest.raises(services.LoanError, match="cannot be booked from your school"):
        services.book(world.b.teachers[0], case, world.b.classes[0], at(MONDAY, 11), at(MONDAY, 12))
    with pytest.raises(services.LoanError, match="end after"):
        book(world, case, at(MONDAY, 11), at(MONDAY, 11))
    with pytest.raises(services.LoanError, match="already over"):
        book(world, case, at(dt.date(2020, 1, 6), 9), at(dt.date(2020, 1, 6), 10))


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)
def test_postgresql_refuses_an_overlap_even_past_the_service(world: Any, case: Any) -> None:
    first = book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            loanable=case,
            municipality=world.lorient,
            school=world.a.school,
            school_class=world.a.classes[1],
            borrower=world.a.teachers[1],
            starts_at=at(MONDAY, 9, 30),
            ends_at=at(MONDAY, 11),
        )
    assert Booking.objects.get().pk == first.pk


def test_check_out_and_a_complete_return(world: Any, case: Any) -> None:
    booking = book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    services.check_out(world.a.teachers[0], booking, now=at(MONDAY, 8, 55))
    asset = Asset.objects.get(pk=case.asset_id)
    assert asset.status == AssetStatus.ON_LOAN
    booking.refresh_from_db()
    assert booking.items_out == 9
    assert booking.asset_status_before == AssetStatus.DEPLOYED
    with pytest.raises(services.LoanError, match="between 0 and 9"):
        services.check_in(world.a.teachers[0], booking, Condition.OK, items_returned=10)
    services.check_in(world.a.teachers[0], booking, Condition.OK, items_returned=9)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.RETURNED
    assert booking.condition == Condition.OK
    assert Asset.objects.get(pk=case.asset_id).status == AssetStatus.DEPLOYED


def test_a_return_with_missing_tablets_needs_a_note_and_tells_technicians(
    world: Any, case: Any, tech: Any
) -> None:
    booking = book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    services.check_out(world.a.teachers[0], booking, now=at(MONDAY, 9))
    with pytest.raises(services.LoanError, match="choose “missing items”"):
        services.check_in(world.a.teachers[0], booking, Condition.OK, items_returned=8)
    with pytest.raises(services.LoanError, match="say what"):
        services.check_in(world.a.teachers[0], booking, Condition.MISSING, items_returned=8)
    services.check_in(
        world.a.teachers[0],
        booking,
        Condition.MISSING,
        items_returned=8,
        note="Tablette 4 oubliée en classe",
    )
    booking.refresh_from_db()
    assert booking.items_returned == 8
    assert booking.condition == Condition.MISSING
    assert Notification.objects.filter(recipient=tech, kind="loans.problem").count() == 1


def test_a_case_in_repair_cannot_be_lent(world: Any, case: Any, tech: Any) -> None:
    from preau.fleet import services as fleet

    booking = book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    fleet.transition(Asset.objects.get(pk=case.asset_id), AssetStatus.IN_REPAIR, actor=tech)
    with pytest.raises(services.LoanError, match="cannot be lent now"):
        services.check_out(world.a.teachers[0], booking, now=at(MONDAY, 9))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_the_next_borrower_waits_for_a_late_return(world: Any, case: Any) -> None:
    first = book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    second = book(world, case, at(MONDAY, 10), at(MONDAY, 11), cls=1)
    services.check_out(world.a.teachers[0], first, now=at(MONDAY, 9))
    with pytest.raises(services.LoanError, match="not been returned"):
        services.check_out(world.a.teachers[1], second, now=at(MONDAY, 10, 5))


def test_overdue_returns_notify_the_borrower_and_the_director_once(world: Any, case: Any) -> None:
    booking = book(world, case, at(MONDAY, 9), at(MONDAY, 10))
    services.check_out(world.a.teachers[0], booking, now=at(MONDAY, 9))
    assert services.notify_overdue(now=at(MONDAY, 9, 59)) == 0
    assert services.notify_overdue(now=at(MONDAY, 10, 30)) == 1
    assert services.notify_overdue(now=at(MONDAY, 11)) == 0
    for person in (world.a.teachers[0], world.a.director):
        assert Notification.objects.filter(recipient=person, kind="loans.overdue").count() == 1
    assert not Notification.objects.filter(recipient=world.b.director).exists()


def test_only_technicians_make_an_asset_loanable(world: Any, case: Any) -> None:
    asset = Asset.objects.get(pk=case.asset_id)
    with pytest.raises(services.LoanError):
        services.make_loanable(world.a.director, asset)
    with pytest.raises(services.LoanError):
        services.make_loanable(world.vannes_admin, asset)
