"""Every loans page as each persona; someone else's booking is a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from preau.conftest import World
from preau.loans.models import Booking
from preau.loans.tests.conftest import MONDAY, at, book, client_for


@pytest.fixture
def booking(world: World, case: Any) -> Booking:
    return book(world, case, at(MONDAY, 9), at(MONDAY, 10))


BOOKING_READERS = {
    "teacher_a0": 200,  # the borrower
    "teacher_a1": 200,  # same school
    "director_a": 200,
    "city_admin": 200,
    "teacher_b0": 404,
    "director_b": 404,
    "parent": 404,
    "pupil": 404,
    "outsider": 404,
    "vannes_admin": 404,
    # ERUN (digital referent of school A) follows the school's bookings like its director
    # (DESIGN: "tablet bookings").
    "erun": 200,
}


@pytest.mark.parametrize(("who", "status"), BOOKING_READERS.items())
def test_who_reads_a_booking(world: World, booking: Booking, who: str, status: int) -> None:
    page = client_for(world, world.persona(who)).get(reverse("loans:booking", args=[booking.pk]))
    assert page.status_code == status


@pytest.mark.parametrize("who", ["parent", "pupil", "outsider", "vannes_admin"])
def test_families_and_strangers_have_no_loans(world: World, case: Any, who: str) -> None:
    client = client_for(world, world.persona(who))
    index = client.get(reverse("loans:index"))
    if who == "vannes_admin":  # lends Vannes's equipment, sees none of Lorient's
        assert "CASE-A" not in index.content.decode()
    else:
        assert index.status_code == 404
        assert client.get(reverse("loans:manage")).status_code == 404
    assert client.get(reverse("loans:asset_week", args=[case.pk])).status_code == 404
    assert client.get(reverse("loans:site_week", args=[case.asset.site_id])).status_code == 404


def test_the_calendar_hides_another_schools_teacher(
    world: World, booking: Booking, case: Any
) -> None:
    url = reverse("loans:asset_week", args=[case.pk]) + f"?week={MONDAY}"
    mine = client_for(world, world.a.teachers[1]).get(url).content.decode()
    assert "09:00" in mine
    assert "EnseignantA0" in mine
    # School B is on another site: the case is not theirs to see at all.
    assert client_for(world, world.b.teachers[0]).get(url).status_code == 404


def test_a_school_on_the_same_site_sees_times_only(
    world: World, booking: Booking, case: Any
) -> None:
    from preau.directory.models import School

    School.objects.filter(pk=world.b.school.pk).update(site=world.a.school.site)
    url = reverse("loans:site_week", args=[world.a.school.site_id]) + f"?week={MONDAY}"
    text = client_for(world, world.b.teachers[0]).get(url).content.decode()
    assert "09:00" in text
    assert "EnseignantA0" not in text
    assert "booked" in text
    assert (
        client_for(world, world.b.teachers[0])
        .get(reverse("loans:booking", args=[booking.pk]))
        .status_code
        == 404
    )


def test_booking_through_the_page_and_a_conflict_message(world: World, case: Any) -> None:
    client = client_for(world, world.a.teachers[0])
    url = reverse("loans:book", args=[case.pk])
    data = {
        "school_class": world.a.classes[0].pk,
        "date": MONDAY.isoformat(),
        "start": "09:00",
        "end": "10:30",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data | {"start": "10:00", "end": "11:00"})
    assert again.status_code == 400
    assert "Already booked from" in again.content.decode()
    assert client.post(url, data | {"start": "10:30", "end": "11:00"}).status_code == 302
    assert Booking.objects.count() == 2
    other_class = client.post(
        url, data | {"school_class": world.a.classes[1].pk, "start": "14:00", "end": "15:00"}
    )
    assert other_class.status_code == 400  # not a class this teacher teaches


def test_check_out_and_in_through_the_pages(world: World, booking: Booking) -> None:
    Booking.objects.filter(pk=booking.pk).update(starts_at=at(MONDAY, 9).replace(year=2020))
    client = client_for(world, world.a.teachers[0])
    assert client.post(reverse("loans:check_out", args=[booking.pk])).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_OUT
    colleague = client_for(world, world.a.teachers[1])
    assert (
        colleague.post(
            reverse("loans:check_in", args=[booking.pk]), {"condition": "ok"}
        ).status_code
        == 404
    )
    bad = client.post(
        reverse("loans:check_in", args=[booking.pk]), {"condition": "ok", "items_returned": 7}
    )
    assert bad.status_code == 400
    done = client.post(
        reverse("loans:check_in", args=[booking.pk]),
        {"condition": "damaged", "items_returned": 9, "note": "Écran fissuré"},
    )
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.condition == "damaged"


def test_cancel_by_someone_else_is_404(world: World, booking: Booking) -> None:
    assert (
        client_for(world, world.b.director)
        .post(reverse("loans:cancel", args=[booking.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world, world.a.director)
        .post(reverse("loans:cancel", args=[booking.pk]))
        .status_code
        == 302
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_the_erun_uses_their_schools_cases_like_a_director(
    world: World, booking: Booking, case: Any
) -> None:
    """ERUN of school A: the index, the case's week, the school's bookings, and cancels
    one as the director may; never the technicians' page."""
    client = client_for(world, world.erun)
    assert "CASE-A" in client.get(reverse("loans:index")).content.decode()
    week = client.get(reverse("loans:asset_week", args=[case.pk]) + f"?week={MONDAY}")
    assert week.status_code == 200
    assert "EnseignantA0" in week.content.decode()  # same school: who booked shows
    assert client.get(reverse("loans:manage")).status_code == 404
    assert client.post(reverse("loans:cancel", args=[booking.pk])).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_the_erun_books_a_case_for_a_class_of_their_school(world: World, case: Any) -> None:
    url = reverse("loans:book", args=[case.pk])
    data = {"school_class": world.a.classes[1].pk, "date": MONDAY.isoformat(),
            "start": "09:00", "end": "10:00"}  # fmt: skip
    assert client_for(world, world.erun).post(url, data).status_code == 302
    assert Booking.objects.get().borrower == world.erun


def test_index_and_manage(world: World, booking: Booking, case: Any, tech: Any) -> None:
    text = client_for(world, world.a.teachers[0]).get(reverse("loans:index")).content.decode()
    assert "CASE-A" in text
    assert "My bookings" in text
    assert client_for(world, world.b.teachers[0]).get(reverse("loans:index")).status_code == 200
    manage = client_for(world, tech).get(reverse("loans:manage"))
    assert manage.status_code == 200
    assert "CASE-A" in manage.content.decode()
    assert client_for(world, world.a.director).get(reverse("loans:manage")).status_code == 404
    assert (
        client_for(world, world.vannes_admin)
        .post(reverse("loans:withdraw", args=[case.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world, tech).post(reverse("loans:withdraw", args=[case.pk])).status_code == 302
    )
    assert (
        client_for(world, world.a.teachers[0])
        .get(reverse("loans:asset_week", args=[case.pk]))
        .status_code
        == 404
    )
