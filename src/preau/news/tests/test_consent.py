"""Photo consent: guardians change it per child (audited); a withdrawal hides already
published photos of the child at once and tells the author; ONDE cannot undo it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preau.conftest import make_user
from preau.core.models import AuditEvent
from preau.directory.models import GuardianLink, Pupil
from preau.news import media, services
from preau.news.models import Photo, PhotoConsentChoice
from preau.news.tests.conftest import draft, jpeg_bytes, login, upload
from preau.notifications.models import Notification


def choose(world, user, pupil, granted: bool):
    return login(world, user).post(
        reverse("news:set_consent", args=[pupil.pk]),
        {f"child{pupil.pk}-granted": "yes" if granted else "no"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def published_photo_of(world, pupil):
    post = draft(world, photos=1, title="Carnaval")
    photo = Photo.objects.get(post=post)
    photo.pupils.set([pupil])
    services.publish_post(actor=world.a.teachers[0], post=post)
    return post, photo


@pytest.fixture
def second_guardian(world):
    """Another guardian of a.pupils[0], with an account."""
    user = make_user("dad", "Dominique", "Martin")
    world.a.guardians[0].user = user
    world.a.guardians[0].save(update_fields=["user"])
    return user


def test_consent_page_lists_only_ones_children(world):
    html = login(world, world.parent).get(reverse("news:consent")).content.decode()
    assert world.a.pupils[0].last_name in html
    assert world.a.pupils[2].last_name in html
    assert world.a.pupils[1].last_name not in html
    assert world.b.pupils[0].last_name not in html


@pytest.mark.parametrize("persona", ["teacher_a0", "director_a", "city_admin", "outsider", "pupil"])
def test_consent_page_is_for_guardians_only(world, persona):
    assert login(world, world.persona(persona)).get(reverse("news:consent")).status_code == 404


def test_someone_elses_child_is_404(world):
    other = world.a.pupils[1]
    response = login(world, world.parent).post(
        reverse("news:set_consent", args=[other.pk]), {f"child{other.pk}-granted": "yes"}
    )
    assert response.status_code == 404
    assert not PhotoConsentChoice.objects.exists()


def test_withdrawal_hides_published_photos_at_once_and_tells_the_author(world, second_guardian):
    child = world.a.pupils[0]
    post, photo = published_photo_of(world, child)
    photo_url = reverse("news:photo", args=[photo.pk])
    assert login(world, second_guardian).get(photo_url).status_code == 200
    response = choose(world, world.parent, child, granted=False)
    assert "photos of Prénom0 will not be shown" in response.content.decode()
    child.refresh_from_db()
    assert child.consent_photo is False
    event = AuditEvent.objects.get(action="news.photo_consent_changed")
    assert (event.actor, event.target_id, event.data["granted"]) == (
        world.parent,
        str(child.pk),
        False,
    )
    # Hidden from every family at once, shown to the author with what to do.
    for user in (world.parent, second_guardian, world.pupil_user):
        assert login(world, user).get(photo_url).status_code == 404
        detail = login(world, user).get(reverse("news:detail", args=[post.pk]))
        assert reverse("news:photo_thumbnail", args=[photo.pk]) not in detail.content.decode()
    assert login(world, world.a.teachers[0]).get(photo_url).status_code == 200
    edit = login(world, world.a.teachers[0]).get(reverse("news:edit", args=[post.pk]))
    assert "shows Prénom0, whose parents have not agreed" in edit.content.decode()
    note = Notification.objects.get(kind="news.photo_hidden")
    assert note.recipient == world.a.teachers[0]
    assert "Prénom0" in note.title
    # Granting again shows it again.
    choose(world, world.parent, child, granted=True)
    assert login(world, second_guardian).get(photo_url).status_code == 200


def test_one_guardians_no_wins_over_the_others_yes(world, second_guardian):
    child = world.a.pupils[0]
    choose(world, second_guardian, child, granted=False)
    response = choose(world, world.parent, child, granted=True)
    assert "another guardian withdrew consent" in response.content.decode()
    child.refresh_from_db()
    assert child.consent_photo is False


def test_an_onde_reimport_does_not_undo_a_withdrawal(world):
    child = world.a.pupils[0]
    choose(world, world.parent, child, granted=False)
    Pupil.objects.filter(pk=child.pk).update(consent_photo=True)  # what ONDE import writes
    post = draft(world, photos=1)
    Photo.objects.get(post=post).pupils.set([child])
    response = login(world, world.a.teachers[0]).post(reverse("news:publish", args=[post.pk]))
    assert "shows Prénom0" in response.content.decode()
    post.refresh_from_db()
    assert post.status == "draft"


def test_a_guardian_can_grant_what_the_onde_form_refused(world):
    child = world.a.pupils[1]
    assert not child.consent_photo
    user = make_user("alex", "Alex", "Parent")
    world.a.guardians[1].user = user
    world.a.guardians[1].save(update_fields=["user"])
    assert GuardianLink.objects.filter(guardian=world.a.guardians[1], pupil=child).exists()
    choose(world, user, child, granted=True)
    child.refresh_from_db()
    assert child.consent_photo is True
    post = draft(world, photos=1)
    Photo.objects.get(post=post).pupils.set([child])
    login(world, world.a.teachers[0]).post(reverse("news:publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == "published"


def test_a_photo_added_to_a_published_post_waits_until_it_is_described(world):
    post = draft(world)
    services.publish_post(actor=world.a.teachers[0], post=post)
    (photo,) = media.add_media(
        actor=world.a.teachers[0], post=post, photos=[upload("late.jpg", jpeg_bytes())]
    )
    url = reverse("news:photo", args=[photo.pk])
    assert login(world, world.parent).get(url).status_code == 404
    assert login(world, world.a.teachers[0]).get(url).status_code == 200
    media.update_photo(
        actor=world.a.teachers[0], photo=photo, caption="", pupil_ids=[], no_pupils=True
    )
    assert login(world, world.parent).get(url).status_code == 200
