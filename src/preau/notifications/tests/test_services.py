"""notify(), mark_read() and the registry: the API other apps call."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from preau.accounts.models import User
from preau.conftest import World
from preau.notifications import registry
from preau.notifications.models import DeliverySettings, Notification, NotificationPreference
from preau.notifications.services import mark_read, notify, unread_count
from preau.notifications.tests.conftest import NEWS, NOTE

pytestmark = pytest.mark.django_db


def _notify(recipients: list[User], **kwargs: Any) -> int:
    args: dict[str, Any] = {"kind": NOTE, "title": "New note: Sortie", "url": "/notes/1/"}
    return notify(recipients=recipients, **(args | kwargs))


def test_notify_creates_one_per_distinct_active_recipient_but_the_actor(world: World) -> None:
    teacher = world.a.teachers[0]
    world.outsider.is_active = False
    world.outsider.save(update_fields=["is_active"])
    people = [world.parent, world.parent, world.pupil_user, teacher, world.outsider]
    assert _notify(people, actor=teacher, municipality_id=world.lorient.pk) == 2
    rows = Notification.objects.order_by("recipient_id")
    assert {n.recipient_id for n in rows} == {world.parent.pk, world.pupil_user.pk}
    note = rows.get(recipient=world.parent)
    assert note.actor_label == teacher.display_name
    assert note.municipality_id == world.lorient.pk
    assert note.read_at is None


def test_notify_accepts_a_queryset_and_returns_zero_for_nobody(world: World) -> None:
    assert _notify(list(User.objects.none())) == 0
    assert (
        notify(recipients=User.objects.filter(pk=world.parent.pk), kind=NOTE, title="t", url="/")
        == 1
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "nope.unknown"}, "Unknown notification kind"),
        ({"title": "  "}, "needs a title"),
        ({"url": "https://evil.example/"}, "path on this site"),
        ({"url": "//evil.example/"}, "path on this site"),
    ],
)
def test_bad_input_raises_and_writes_nothing(
    world: World, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _notify([world.parent], **kwargs)
    assert not Notification.objects.exists()


def test_long_titles_are_shortened_and_flattened(world: World) -> None:
    _notify([world.parent], title="Line one\nline two " + "x" * 300)
    title = Notification.objects.get().title
    assert len(title) == 200
    assert title.startswith("Line one line two")
    assert title.endswith("…")


def test_register_kind_checks_its_input() -> None:
    with pytest.raises(ValueError, match="default_email"):
        registry.register_kind("tests.bad", "Bad", default_email="hourly")
    with pytest.raises(ValueError, match="already registered differently"):
        registry.register_kind(NOTE, "Another label", default_email="none")
    registry.register_kind(NOTE, "Notes to sign", default_email="immediate")  # same: fine
    assert [k.code for k in registry.kinds()][-2:] == [NOTE, NEWS]


def test_email_schedule_follows_kind_default_and_person_preference(world: World) -> None:
    parent, teacher = world.parent, world.a.teachers[0]
    NotificationPreference.objects.create(user=parent, kind=NEWS, email="none")
    before = timezone.now()
    _notify([parent, world.pupil_user], kind=NEWS)
    assert Notification.objects.get(recipient=parent).email_due_at is None  # chose none
    digest_due = Notification.objects.get(recipient=world.pupil_user).email_due_at
    assert digest_due is not None
    assert digest_due > before
    _notify([teacher], kind=NOTE)
    due = Notification.objects.get(recipient=teacher).email_due_at
    assert due is not None
    assert due >= before


def test_school_staff_get_quiet_hours_by_default_and_families_do_not(world: World) -> None:
    from preau.notifications.delivery import deliveries_for

    people = [world.a.teachers[0], world.a.director, world.erun, world.parent, world.city_admin]
    found = deliveries_for([u.pk for u in people])
    assert [found[u.pk].quiet.enabled for u in people] == [True, True, True, False, False]
    assert found[world.a.teachers[0].pk].quiet.weekends
    DeliverySettings.objects.create(user=world.a.teachers[0], quiet_hours=False)
    assert not deliveries_for([world.a.teachers[0].pk])[world.a.teachers[0].pk].quiet.enabled


def test_mark_read_touches_only_the_users_own(world: World) -> None:
    _notify([world.parent, world.pupil_user])
    _notify([world.parent])
    mine = list(Notification.objects.filter(recipient=world.parent).values_list("pk", flat=True))
    theirs = Notification.objects.get(recipient=world.pupil_user).pk
    assert mark_read(world.parent, [mine[0], theirs]) == 1
    assert Notification.objects.get(pk=theirs).read_at is None
    assert unread_count(world.parent) == 1
    assert mark_read(world.parent, "all") == 1
    assert unread_count(world.parent) == 0
    assert unread_count(world.pupil_user) == 1
    assert mark_read(world.parent, "all") == 0  # already read: nothing changes


def test_notify_to_a_whole_class_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    people = [User.objects.create_user(f"family{i}") for i in range(60)]
    with django_assert_max_num_queries(5):
        assert _notify(people) == 60


def test_notifications_over_a_year_old_are_purged(world: World) -> None:
    from preau.notifications.services import purge_old_notifications

    _notify([world.parent, world.pupil_user])
    Notification.objects.filter(recipient=world.parent).update(
        created_at=timezone.now() - dt.timedelta(days=366)
    )
    assert purge_old_notifications() == 1
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [
        world.pupil_user.pk
    ]
