import pytest

from preau.core.search import fold
from preau.directory.models import Pupil, School


def test_fold():
    assert fold("École Élémentaire") == "ecole elementaire"
    assert fold("Œuvre d’art") == "oeuvre d'art"
    assert fold("FRANÇOIS") == "francois"


@pytest.mark.parametrize(
    ("typed", "found"),
    [("ecole", True), ("ÉCOLE", True), ("école a", True), ("zzz", False)],
)
def test_folded_lookup_in_the_database(world, typed, found):
    qs = School.objects.filter(name__fold__contains=fold(typed.split()[0]))
    assert qs.exists() is found


def test_accented_names_found_without_accents(world):
    Pupil.objects.filter(pk=world.a.pupils[0].pk).update(first_name="Léa-Françoise")
    assert Pupil.objects.filter(first_name__fold__contains=fold("lea-francoise")).count() == 1
    assert Pupil.objects.filter(first_name__fold__contains=fold("LÉA")).count() == 1


def test_pupil_list_search_ignores_accents(world):
    Pupil.objects.filter(pk=world.a.pupils[0].pk).update(first_name="Maëlys")
    resp = world.client_for(world.a.director).get("/directory/pupils/", {"q": "maelys"})
    assert "Maëlys" in resp.text
