"""Comments through HTTP: families write, the author moderates, pupils are held."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preau.conftest import make_user
from preau.core.models import AuditEvent
from preau.news.models import Comment
from preau.news.tests.conftest import login, published
from preau.notifications.models import Notification


@pytest.fixture
def neighbour(world):
    """Another guardian of class A0 (of a.pupils[1]), with an account."""
    user = make_user("neighbour", "Nina", "Voisine")
    guardian = world.a.guardians[1]
    guardian.user = user
    guardian.save(update_fields=["user"])
    return user


def comment(world, user, post, text="Merci pour les photos !"):
    return login(world, user).post(
        reverse("news:comment", args=[post.pk]), {"text": text}, follow=True
    )


def shown(world, user, post) -> str:
    return login(world, user).get(reverse("news:detail", args=[post.pk])).content.decode()


def test_guardian_comment_is_shown_at_once(world, neighbour):
    post = published(world, comments_enabled=True)
    response = comment(world, world.parent, post)
    assert "Comment posted." in response.content.decode()
    assert Comment.objects.get().status == "visible"
    assert "Merci pour les photos !" in shown(world, neighbour, post)
    assert "Camille Martin" in shown(world, neighbour, post)
    assert AuditEvent.objects.filter(action="news.comment_added").count() == 1


def test_pupil_comment_waits_for_the_author(world, neighbour, django_capture_on_commit_callbacks):
    post = published(world, comments_enabled=True)
    comment(world, world.pupil_user, post, "C'était trop bien")
    c = Comment.objects.get()
    assert c.status == "pending"
    assert c.author_name == "Prénom0"
    assert "C&#x27;était trop bien" not in shown(world, neighbour, post)
    assert (
        "awaiting approval"
        in login(world, world.pupil_user)
        .get(reverse("news:detail", args=[post.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    note = Notification.objects.get(kind="news.comment_pending")
    assert note.recipient == world.a.teachers[0]
    teacher = login(world, world.a.teachers[0])
    assert (
        "C&#x27;était trop bien"
        in teacher.get(reverse("news:detail", args=[post.pk])).content.decode()
    )
    teacher.post(reverse("news:moderate_comment", args=[c.pk]), {"action": "approve"})
    assert "C&#x27;était trop bien" in shown(world, neighbour, post)


def test_author_hides_shows_and_deletes(world, neighbour):
    post = published(world, comments_enabled=True)
    comment(world, world.parent, post, "Message déplacé")
    c = Comment.objects.get()
    teacher = login(world, world.a.teachers[0])
    teacher.post(reverse("news:moderate_comment", args=[c.pk]), {"action": "hide"})
    assert "Message déplacé" not in shown(world, neighbour, post)
    assert "Message déplacé" in shown(world, world.a.teachers[0], post)
    assert "Message déplacé" in shown(world, world.parent, post)  # its writer still sees it
    teacher.post(reverse("news:moderate_comment", args=[c.pk]), {"action": "show"})
    assert "Message déplacé" in shown(world, neighbour, post)
    teacher.post(reverse("news:moderate_comment", args=[c.pk]), {"action": "delete"})
    assert not Comment.objects.exists()
    event = AuditEvent.objects.get(action="news.comment_deleted")
    assert event.data["text"] == "Message déplacé"
    assert event.actor == world.a.teachers[0]


@pytest.mark.parametrize("persona", ["parent", "teacher_a1", "director_b", "outsider"])
def test_someone_else_cannot_moderate(world, persona, neighbour):
    post = published(world, comments_enabled=True)
    comment(world, neighbour, post)
    c = Comment.objects.get()
    response = login(world, world.persona(persona)).post(
        reverse("news:moderate_comment", args=[c.pk]), {"action": "delete"}
    )
    assert response.status_code == 404
    assert Comment.objects.filter(pk=c.pk, status="visible").exists()


def test_own_comment_can_be_deleted_not_someone_elses(world, neighbour):
    post = published(world, comments_enabled=True)
    comment(world, neighbour, post)
    c = Comment.objects.get()
    client = login(world, world.parent)
    assert client.post(reverse("news:delete_comment", args=[c.pk])).status_code == 404
    login(world, neighbour).post(reverse("news:delete_comment", args=[c.pk]))
    assert not Comment.objects.exists()


def test_closed_comments_and_outsiders(world):
    closed = published(world, comments_enabled=False)
    response = comment(world, world.parent, closed)
    assert "Comments are closed on this post." in response.content.decode()
    open_post = published(world, comments_enabled=True)
    response = comment(world, world.a.teachers[1], open_post)  # staff reading, not family
    assert "Only the families this post is for can comment on it." in response.content.decode()
    response = login(world, world.b.teachers[0]).post(
        reverse("news:comment", args=[open_post.pk]), {"text": "intrus"}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_empty_or_long_comment_is_refused(world):
    post = published(world, comments_enabled=True)
    comment(world, world.parent, post, "   ")
    comment(world, world.parent, post, "x" * 2001)
    assert not Comment.objects.exists()
