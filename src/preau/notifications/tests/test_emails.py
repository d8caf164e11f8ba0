"""E-mails through a real SMTP server (aiosmtpd on 127.0.0.1), read back and checked."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import ngettext

from preau.accounts.models import User
from preau.conftest import World
from preau.notifications import sending
from preau.notifications.models import DeliverySettings, Notification, NotificationPreference
from preau.notifications.quiet import local_zone
from preau.notifications.services import notify
from preau.notifications.tests.conftest import NEWS, NOTE, Mailbox, html_of, text_of

pytestmark = pytest.mark.django_db


def _with_emails(world: World) -> tuple[User, User, User]:
    """Two guardians and a teacher of class A0, each with an e-mail address."""
    parent, other = world.parent, world.a.guardians[1]
    other_user = User.objects.create_user("other_parent", email="other@example.org")
    other.user = other_user
    other.save(update_fields=["user"])
    User.objects.filter(pk=parent.pk).update(email="camille@example.org")
    teacher = world.a.teachers[0]
    User.objects.filter(pk=teacher.pk).update(email="teacher@example.org")
    for user in (parent, teacher):
        user.refresh_from_db()
    # Their mails in English, so that the tests read the source strings.
    for user in (parent, other_user):
        DeliverySettings.objects.create(user=user, language="en")
    return parent, other_user, teacher


def test_immediate_mail_leaves_after_commit_with_text_html_and_unsubscribe(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    parent, other, teacher = _with_emails(world)
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            recipients=[parent, other],
            kind=NOTE,
            title="New note from M. Enseignant: Sortie au musée",
            body="Please sign before Friday.",
            url="/notes/1/",
            actor=teacher,
        )
        assert smtp.messages == []  # nothing leaves before the transaction commits
    assert created == 2
    assert sorted(rcpt[0] for rcpt in smtp.envelopes()) == [
        "camille@example.org",
        "other@example.org",
    ]
    (mail,) = smtp.to("camille@example.org")
    assert mail["Subject"] == "New note from M. Enseignant: Sortie au musée"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = text_of(mail), html_of(mail)
    assert "Please sign before Friday." in text
    assert "Please sign before Friday." in html
    note = Notification.objects.get(recipient=parent)
    assert f"http://127.0.0.1:8000/notifications/{note.pk}/open" in text
    assert f'href="http://127.0.0.1:8000/notifications/{note.pk}/open"' in html
    assert note.emailed_at is not None
    assert note.email_due_at is None
    # Idempotent: a second sweep sends nothing more.
    assert sending.send_due() == 0
    assert len(smtp.messages) == 2


def _digest_time(notification: Notification) -> dt.datetime:
    assert notification.email_due_at is not None
    return notification.email_due_at


def test_daily_digest_groups_each_persons_own_notifications_by_kind(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    parent, other, _teacher = _with_emails(world)
    # Notes come as a digest too for Camille; the other parent keeps them immediate.
    NotificationPreference.objects.create(user=parent, kind=NOTE, email="digest")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[parent, other], kind=NEWS, title="CP A: photos of the week", url="/news/1/"
        )
        notify(recipients=[parent], kind=NEWS, title="CM2 A: swimming starts", url="/news/2/")
        notify(recipients=[parent], kind=NOTE, title="New note: Sortie au musée", url="/notes/1/")
        notify(recipients=[other], kind=NEWS, title="Only for the other family", url="/news/3/")
    assert smtp.messages == []  # all digest for Camille, news digest for the other parent
    due = _digest_time(Notification.objects.filter(recipient=parent).first())  # type: ignore[arg-type]
    assert due.astimezone(local_zone()).time() == dt.time(17, 0)
    assert sending.send_due(now=due - dt.timedelta(minutes=1)) == 0  # not yet
    assert sending.send_due(now=due) == 2
    (mail,) = smtp.to("camille@example.org")
    assert mail["Subject"] == "3 new notifications on Préau"
    text = text_of(mail)
    # Grouped by kind, in the kinds' registration order.
    assert text.index("== Notes to sign ==") < text.index("== Class news ==")
    for title in ("photos of the week", "swimming starts", "Sortie au musée"):
        assert title in text
        assert title in html_of(mail)
    assert "Only for the other family" not in text + html_of(mail)
    (other_mail,) = smtp.to("other@example.org")
    assert "Only for the other family" in text_of(other_mail)
    assert "swimming" not in text_of(other_mail) + html_of(other_mail)
    assert not Notification.objects.filter(emailed_at__isnull=True, email_due_at__isnull=False)
    assert sending.send_due(now=due + dt.timedelta(days=1)) == 0  # sent once only


def test_no_mail_ever_carries_another_persons_notification(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    people = []
    for i in range(6):
        user = User.objects.create_user(f"family{i}", email=f"family{i}@example.org")
        people.append(user)
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[user], kind=NOTE, title=f"Secret of family{i}", url="/notes/1/")
            notify(recipients=[user], kind=NEWS, title=f"News for family{i}", url="/news/1/")
    sending.send_due(now=timezone.now() + dt.timedelta(days=2))
    assert len(smtp.messages) == 12
    for mail in smtp.messages:
        (rcpt,) = re.findall(r"family\d", mail["To"])
        body = text_of(mail) + html_of(mail) + mail["Subject"]
        assert set(re.findall(r"family\d", body)) == {rcpt}


def test_quiet_hours_hold_immediate_mails_until_they_end(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    _parent, _other, teacher = _with_emails(world)
    local = timezone.localtime(timezone.now(), local_zone())
    start = (local - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    DeliverySettings.objects.create(
        user=teacher, quiet_hours=True, quiet_start=start, quiet_end=end
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[teacher], kind=NOTE, title="A parent signed: Sortie", url="/notes/1/")
        notify(recipients=[teacher], kind=NOTE, title="Another parent signed", url="/notes/1/")
    assert smtp.messages == []  # held: it is the teacher's quiet time
    held = Notification.objects.filter(recipient=teacher)
    assert held.count() == 2  # but they are in the app already
    due = _digest_time(held[0])
    assert due.astimezone(local_zone()).time() == end
    assert sending.send_due(now=due - dt.timedelta(minutes=1)) == 0
    assert sending.send_due(now=due) == 1
    (mail,) = smtp.to("teacher@example.org")  # both, in one e-mail
    assert "A parent signed" in text_of(mail)
    assert "Another parent signed" in text_of(mail)


def test_what_was_read_in_the_app_is_not_e_mailed(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    parent, _other, _teacher = _with_emails(world)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[parent], kind=NEWS, title="Read before the digest", url="/news/1/")
    world.client_for(parent).get(f"/notifications/{Notification.objects.get().pk}/open")
    assert sending.send_due(now=timezone.now() + dt.timedelta(days=2)) == 0
    assert smtp.messages == []


def _unsubscribe_link(text: str, label: str) -> str:
    match = re.search(rf"{label}\S*:? (http://\S+)", text)
    assert match is not None, text
    return match.group(1).removeprefix("http://127.0.0.1:8000")


def test_unsubscribe_link_confirms_on_get_and_stops_that_kind_on_post(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    parent, _other, _teacher = _with_emails(world)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[parent], kind=NOTE, title="Note one", url="/notes/1/")
    (mail,) = smtp.messages
    link = _unsubscribe_link(text_of(mail), "Stop e-mails about “Notes to sign”")
    header = str(mail["List-Unsubscribe"]).strip().strip("<>").removeprefix("http://127.0.0.1:8000")
    assert header == link  # the one-click header stops this kind too
    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "Notes to sign" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=parent).exists()  # GET changes nothing
    done = anonymous.post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert NotificationPreference.objects.get(user=parent, kind=NOTE).email == "none"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[parent], kind=NOTE, title="Note two", url="/notes/2/")
    assert len(smtp.messages) == 1  # no more note e-mails
    assert Notification.objects.filter(recipient=parent).count() == 2  # still in the app
    tampered = link[:-3] + ("x" if link[-3] != "x" else "y") + link[-2:]
    assert anonymous.get(tampered).status_code == 404
    assert anonymous.post(tampered).status_code == 404


def test_unsubscribe_from_everything(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    parent, _other, _teacher = _with_emails(world)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[parent], kind=NOTE, title="Note one", url="/notes/1/")
        notify(recipients=[parent], kind=NEWS, title="Pending news", url="/news/1/")
    link = _unsubscribe_link(text_of(smtp.messages[0]), "Stop all these e-mails")
    assert Client().post(link).status_code == 200
    assert DeliverySettings.objects.get(user=parent).emails_enabled is False
    # The waiting digest is called off too.
    assert not Notification.objects.filter(recipient=parent, email_due_at__isnull=False)
    assert sending.send_due(now=timezone.now() + dt.timedelta(days=2)) == 0


def test_mail_language_follows_the_persons_choice_else_the_sites(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    parent, _other, teacher = _with_emails(world)
    DeliverySettings.objects.create(user=teacher, quiet_hours=False)  # site default: French
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[parent, teacher], kind=NEWS, title="News one", url="/news/1/")
        notify(recipients=[parent, teacher], kind=NEWS, title="News two", url="/news/2/")
    sending.send_due(now=timezone.now() + dt.timedelta(days=2))
    (mail,) = smtp.to("camille@example.org")
    assert mail["Subject"] == "2 new notifications on Préau"
    assert "Here is what is new for you on Préau" in text_of(mail)
    assert '<html lang="en">' in html_of(mail)
    (mail,) = smtp.to("teacher@example.org")
    with translation.override("fr"):
        expected = ngettext(
            "%(count)d new notification on Préau", "%(count)d new notifications on Préau", 2
        ) % {"count": 2}
    assert mail["Subject"] == expected
    assert '<html lang="fr">' in html_of(mail)


def test_a_server_that_fails_keeps_the_mail_for_the_next_sweep(
    world: World, smtp: Mailbox, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    parent, _other, _teacher = _with_emails(world)
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    with django_capture_on_commit_callbacks(execute=True):  # the task fails, Huey retries
        notify(recipients=[parent], kind=NOTE, title="Note one", url="/notes/1/")
    note = Notification.objects.get()
    assert note.emailed_at is None
    assert note.email_due_at is not None
    settings.EMAIL_PORT = good_port
    assert sending.send_due() == 1
    assert len(smtp.to("camille@example.org")) == 1


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_address_the_server_refuses_is_not_retried(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    refused = User.objects.create_user("refused", email="refused@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[refused], kind=NOTE, title="Note one", url="/notes/1/")
    note = Notification.objects.get()
    assert note.emailed_at is None
    assert note.email_due_at is None  # given up on; still in the app
    assert smtp.messages == []


def test_week_old_notifications_are_not_e_mailed_any_more(world: World, smtp: Mailbox) -> None:
    parent, _other, _teacher = _with_emails(world)
    notify(recipients=[parent], kind=NEWS, title="Old news", url="/news/1/")
    later = timezone.now() + dt.timedelta(days=8)  # e.g. the server was down all that time
    assert sending.send_due(now=later) == 0
    assert smtp.messages == []
    assert not Notification.objects.filter(email_due_at__isnull=False).exists()


def test_a_server_that_defers_mid_sweep_gets_the_rest_later(world: World, smtp: Mailbox) -> None:
    people = [User.objects.create_user(f"f{i}", email=f"f{i}@example.org") for i in range(5)]
    for user in people:
        notify(recipients=[user], kind=NEWS, title="News", url="/news/1/")
    later = timezone.now() + dt.timedelta(days=2)
    smtp.defer(3)  # the third message gets "451 try again later"
    assert sending.send_due(now=later) == 2
    # It stopped at the first deferral; the rest waits for the next sweep.
    assert Notification.objects.filter(emailed_at__isnull=True, email_due_at=later).count() == 3
    assert sending.send_due(now=later) == 3
    assert sorted(m["To"] for m in smtp.messages) == [f"f{i}@example.org" for i in range(5)]


def test_markup_in_a_notification_is_inert_in_the_html_mail(
    world: World, smtp: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    parent, _other, _teacher = _with_emails(world)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[parent],
            kind=NOTE,
            title='<img src="https://tracker.example/x.gif">',
            body="<script>alert(1)</script>",
            url="/notes/1/",
        )
    html = html_of(smtp.messages[0])
    assert "<img" not in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
