import pytest
from django.http import Http404

from preau.core import access
from preau.directory.models import Pupil, School


def test_missing_and_forbidden_are_the_same_404(world):
    other = world.v.pupils[0]
    with pytest.raises(Http404):
        access.get_or_404(world.city_admin, Pupil, pk=other.pk)
    with pytest.raises(Http404):
        access.get_or_404(world.city_admin, Pupil, pk=10**9)
    with pytest.raises(Http404):
        access.get_or_404(world.city_admin, Pupil, pk="not-a-number")


def test_guardian_reaches_only_own_children(world):
    seen = set(access.restrict(world.parent, Pupil).values_list("pk", flat=True))
    assert seen == {world.a.pupils[0].pk, world.a.pupils[2].pk}


def test_teacher_reaches_only_own_class(world):
    seen = set(access.restrict(world.a.teachers[0], Pupil).values_list("pk", flat=True))
    assert seen == {p.pk for p in world.a.pupils[:2]}


def test_director_reaches_school_not_other_school(world):
    seen = set(access.restrict(world.a.director, Pupil).values_list("pk", flat=True))
    assert seen == {p.pk for p in world.a.pupils}


def test_nobody_crosses_municipalities(world):
    assert (
        not access.restrict(world.vannes_admin, Pupil).filter(municipality=world.lorient).exists()
    )
    assert not access.restrict(world.city_admin, School).filter(municipality=world.vannes).exists()


def test_outsider_and_anonymous_get_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert access.restrict(world.outsider, Pupil).count() == 0
    assert access.restrict(AnonymousUser(), School).count() == 0


def test_erun_sees_schools_but_no_pupils(world):
    assert access.restrict(world.erun, School).get() == world.a.school
    assert access.restrict(world.erun, Pupil).count() == 0


def test_only_admins_and_directors_change(world):
    assert access.restrict(world.a.teachers[0], Pupil, access.CHANGE).count() == 0
    assert access.restrict(world.parent, Pupil, access.CHANGE).count() == 0
    assert access.restrict(world.a.director, Pupil, access.CHANGE).count() == len(world.a.pupils)


def test_city_admin_sees_own_municipality_schools(world):
    assert set(access.restrict(world.city_admin, School)) == {world.a.school, world.b.school}
