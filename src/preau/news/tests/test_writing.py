"""Writing the news through HTTP: audiences, drafts, photo consent at publication,
scheduling, edit history, and someone else's post or class → 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core.models import AuditEvent
from preau.directory.models import Membership, Role
from preau.news.models import Audience, Photo, Post, PostRevision
from preau.news.tests.conftest import draft, login, published


def test_new_post_pages_only_for_ones_own_audiences(world):
    teacher = login(world, world.a.teachers[0])
    assert (
        teacher.get(reverse("news:new", args=["class", world.a.classes[0].pk])).status_code == 200
    )
    for args in (
        ["class", world.a.classes[1].pk],  # a colleague's class
        ["class", world.b.classes[0].pk],  # another school
        ["class", world.v.classes[0].pk],  # another city
        ["school", world.a.school.pk],  # teachers do not post to the school
        ["municipality", world.lorient.pk],
        ["class", 999999],
        ["nonsense", world.a.classes[0].pk],
    ):
        assert teacher.get(reverse("news:new", args=args)).status_code == 404, args
        response = teacher.post(reverse("news:new", args=args), {"title": "x"})
        assert response.status_code == 404, args
    assert not Post.objects.exists()
    index = teacher.get(reverse("news:new_index")).content.decode()
    assert world.a.classes[0].label in index
    assert world.a.classes[1].label not in index


def test_director_posts_to_school_and_its_classes_city_admin_to_the_city(world):
    director = login(world, world.a.director)
    for args in (["school", world.a.school.pk], ["class", world.a.classes[1].pk]):
        assert director.get(reverse("news:new", args=args)).status_code == 200
    assert director.get(reverse("news:new", args=["school", world.b.school.pk])).status_code == 404
    assert (
        director.get(reverse("news:new", args=["municipality", world.lorient.pk])).status_code
        == 404
    )
    admin = login(world, world.city_admin)
    assert (
        admin.get(reverse("news:new", args=["municipality", world.lorient.pk])).status_code == 200
    )
    assert admin.get(reverse("news:new", args=["municipality", world.vannes.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["parent", "pupil", "outsider"])
def test_families_and_outsiders_cannot_write(world, persona):
    client = login(world, world.persona(persona))
    assert client.get(reverse("news:new_index")).status_code == 404


def test_write_a_draft_then_publish_it(world, django_capture_on_commit_callbacks):
    client = login(world, world.a.teachers[0])
    response = client.post(
        reverse("news:new", args=["class", world.a.classes[0].pk]),
        {
            "title": "  Sortie   au musée ",
            "text": "Rendez-vous à **8 h**.",
            "comments_enabled": "on",
        },
    )
    post = Post.objects.get()
    assert response["Location"] == reverse("news:edit", args=[post.pk])
    assert (post.title, post.status, post.comments_enabled) == ("Sortie au musée", "draft", True)
    assert post.html == "<p>Rendez-vous à <strong>8 h</strong>.</p>"
    assert (post.author, post.school_class, post.school, post.municipality) == (
        world.a.teachers[0],
        world.a.classes[0],
        world.a.school,
        world.lorient,
    )
    assert client.get(reverse("news:edit", args=[post.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("news:publish", args=[post.pk]), {"publish_at": ""})
    assert response["Location"] == reverse("news:detail", args=[post.pk])
    post.refresh_from_db()
    assert post.is_live
    assert post.announced_at is not None
    assert AuditEvent.objects.filter(action="news.post_published", target_id=str(post.pk)).exists()


def test_empty_title_is_a_clear_error(world):
    client = login(world, world.a.teachers[0])
    response = client.post(
        reverse("news:new", args=["class", world.a.classes[0].pk]), {"title": "   ", "text": "x"}
    )
    assert response.status_code == 200
    assert not Post.objects.exists()


def _tag(client, photo, pupils=(), no_pupils=False, caption=""):
    data = {f"photo{photo.pk}-caption": caption, f"photo{photo.pk}-pupils": [p.pk for p in pupils]}
    if no_pupils:
        data[f"photo{photo.pk}-no_pupils"] = "on"
    return client.post(reverse("news:update_photo", args=[photo.pk]), data, follow=True)


def test_publishing_a_photo_of_a_pupil_without_consent_is_refused(world):
    post = draft(world, photos=2)
    first, second = Photo.objects.filter(post=post).order_by("position")
    client = login(world, world.a.teachers[0])
    with_consent, without = world.a.pupils[0], world.a.pupils[1]
    assert with_consent.consent_photo
    assert not without.consent_photo
    response = _tag(client, first, [with_consent, without], caption="Au musée")
    page = response.content.decode()
    assert "Prénom1 E. — no photo consent" in page
    assert "Prénom0 E. — no photo consent" not in page
    _tag(client, second, no_pupils=True)
    response = client.post(reverse("news:publish", args=[post.pk]), {"publish_at": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Photo 1 (“Au musée”) shows Prénom1" in html.replace("&#x27;", "'")
    assert "Remove the photo, or untag Prénom1" in html
    assert "Prénom0" not in html.split("news-problems")[1].split("</div>")[0]
    post.refresh_from_db()
    assert post.status == "draft"
    # Scheduling is refused the same way.
    later = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("news:publish", args=[post.pk]), {"publish_at": later})
    post.refresh_from_db()
    assert post.status == "draft"
    # Untag the pupil: it publishes.
    _tag(client, first, [with_consent], caption="Au musée")
    client.post(reverse("news:publish", args=[post.pk]), {"publish_at": ""})
    post.refresh_from_db()
    assert post.status == "published"


def test_a_photo_nobody_described_keeps_the_post_from_publication(world):
    post = draft(world, photos=1)
    client = login(world, world.a.teachers[0])
    response = client.post(reverse("news:publish", args=[post.pk]), {"publish_at": ""})
    assert "Photo 1 (“photo0.jpg”): say who appears in it" in response.content.decode()
    post.refresh_from_db()
    assert post.status == "draft"


def test_tagging_checks_the_audience_and_the_contradiction(world):
    post = draft(world, photos=1)
    photo = Photo.objects.get(post=post)
    client = login(world, world.a.teachers[0])
    response = _tag(client, photo, [world.a.pupils[2]])  # a pupil of class A1
    assert response.status_code == 200
    assert not photo.pupils.exists()
    response = _tag(client, photo, [world.a.pupils[0]], no_pupils=True)
    assert "not both" in response.content.decode()
    assert not photo.pupils.exists()


def test_schedule_then_cancel(world):
    post = draft(world)
    client = login(world, world.a.teachers[0])
    when = timezone.localtime() + dt.timedelta(days=3)
    client.post(
        reverse("news:publish", args=[post.pk]), {"publish_at": when.strftime("%Y-%m-%dT%H:%M")}
    )
    post.refresh_from_db()
    assert post.is_scheduled
    assert not post.is_live
    assert post.announced_at is None
    assert AuditEvent.objects.filter(action="news.post_scheduled").exists()
    assert "Scheduled for" in client.get(reverse("news:edit", args=[post.pk])).content.decode()
    client.post(reverse("news:unpublish", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == "draft"
    assert post.publish_at is None


def test_edit_history_is_kept_and_shown_to_the_author_only(world):
    post = published(world, title="Piscine", text="Lundi.")
    client = login(world, world.a.teachers[0])
    url = reverse("news:edit", args=[post.pk])
    client.post(url, {"title": "Piscine", "text": "Mardi, pas lundi."})
    client.post(url, {"title": "Piscine (changement)", "text": "Mardi, pas lundi."})
    client.post(url, {"title": "Piscine (changement)", "text": "Mardi, pas lundi."})  # no change
    post.refresh_from_db()
    assert post.title == "Piscine (changement)"
    assert post.edited_at is not None
    revisions = list(PostRevision.objects.filter(post=post).order_by("pk"))
    assert [(r.title, r.text) for r in revisions] == [
        ("Piscine", "Lundi."),
        ("Piscine", "Mardi, pas lundi."),
    ]
    assert all(r.edited_by == world.a.teachers[0] for r in revisions)
    history = client.get(reverse("news:history", args=[post.pk])).content.decode()
    assert "Lundi." in history
    assert "EnseignantA0" in history
    assert (
        "edited on"
        in login(world, world.parent).get(reverse("news:detail", args=[post.pk])).content.decode()
    )
    for persona in ("parent", "teacher_a1", "director_a", "director_b", "city_admin"):
        response = login(world, world.persona(persona)).get(reverse("news:history", args=[post.pk]))
        assert response.status_code == 404, persona


@pytest.mark.parametrize(
    "persona",
    ["parent", "pupil", "teacher_a1", "director_a", "director_b", "vannes_admin", "outsider"],
)
def test_someone_elses_post_cannot_be_changed(world, persona):
    post = published(world, photos=1)
    photo = Photo.objects.get(post=post)
    client = login(world, world.persona(persona))
    for name, args, method in (
        ("news:edit", [post.pk], "get"),
        ("news:edit", [post.pk], "post"),
        ("news:publish", [post.pk], "post"),
        ("news:unpublish", [post.pk], "post"),
        ("news:delete", [post.pk], "post"),
        ("news:add_media", [post.pk], "post"),
        ("news:update_photo", [photo.pk], "post"),
        ("news:remove_photo", [photo.pk], "post"),
    ):
        response = getattr(client, method)(reverse(name, args=args), {"title": "pirate"})
        assert response.status_code == 404, (name, method)
    post.refresh_from_db()
    assert post.status == "published"
    assert post.title == "Sortie au musée"
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_director_may_change_the_schools_posts(world):
    post = published(world, world.a.director, kind=Audience.SCHOOL)
    Membership.objects.create(
        user=world.b.director, role=Role.DIRECTOR, municipality=world.lorient, school=world.a.school
    )  # a second director of school A
    client = login(world, world.b.director)
    assert client.get(reverse("news:edit", args=[post.pk])).status_code == 200


def test_a_teacher_who_left_the_class_no_longer_edits_its_posts(world):
    post = published(world)
    Membership.objects.filter(user=world.a.teachers[0]).delete()
    client = login(world, world.a.teachers[0])
    assert client.get(reverse("news:edit", args=[post.pk])).status_code == 404


def test_publishing_twice_is_refused_and_a_city_post_explains_tagging(world):
    post = published(world)
    client = login(world, world.a.teachers[0])
    response = client.post(reverse("news:publish", args=[post.pk]), {"publish_at": ""})
    assert "This post is already published." in response.content.decode()
    city = draft(world, world.city_admin, kind=Audience.MUNICIPALITY, photos=1)
    page = login(world, world.city_admin).get(reverse("news:edit", args=[city.pk]))
    assert "cannot tag pupils" in page.content.decode()
