"""The cahier de textes pages, as each persona, through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.core.models import AuditEvent
from preau.homework.models import Attachment, Entry
from preau.homework.tests.conftest import MONDAY, PDF, TUESDAY, client_for, entry_for, png
from preau.notifications.models import Notification

WEEK = {"week": MONDAY.isoformat()}


def _class_url(world, i=0, school="a"):
    return reverse("homework:class_week", args=[getattr(world, school).classes[i].pk])


def _sections(html):
    """Each class's section of a page, by class id."""
    found = {}
    for chunk in html.split('<section class="hw-class" id="hw-class-')[1:]:
        pk, _rest = chunk.split('"', 1)
        found[int(pk)] = chunk
    return found


def _post_entry(client, cls, **extra):
    data = {
        "date": TUESDAY.isoformat(),
        "subject": "maths",
        "topic": "Fractions",
        "done_text": "Les moitiés et les quarts",
        "todo_text": "Exercices 3 et 4 page 52",
        "due_on": (TUESDAY + dt.timedelta(days=2)).isoformat(),
    } | extra
    return client.post(reverse("homework:entry_create", args=[cls.pk]), data)


def test_teacher_writes_an_entry_with_attachments_and_guardians_are_notified(world):
    client = client_for(world, world.a.teachers[0])
    pdf = ("fiche.pdf", PDF)
    image = ("photo.png", png())
    files = [SimpleUploadedFile(n, d) for n, d in (pdf, image)]
    response = _post_entry(client, world.a.classes[0], attachments=files)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get()
    assert (entry.school_class, entry.subject, entry.author) == (
        world.a.classes[0],
        "maths",
        world.a.teachers[0],
    )
    kinds = sorted(entry.attachments.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/png"]
    assert AuditEvent.objects.filter(action="homework.entry_created").count() == 1
    # Camille (guardian of a pupil of class A0) has an account: she is told, nobody else.
    notes = Notification.objects.filter(kind="homework.new")
    assert [n.recipient for n in notes] == [world.parent]
    assert notes[0].url.startswith(reverse("homework:index"))
    assert "ELEVE" not in notes[0].title + notes[0].body  # no child's name in a notification


def test_guardian_sees_each_childs_class_separately(world):
    entry_for(world, 0, todo_text="Apprendre la poésie", due_on=MONDAY + dt.timedelta(days=3))
    entry_for(world, 1, subject="maths", topic="", done_text="Tables de 7", todo_text="")
    response = client_for(world, world.parent).get(reverse("homework:index"), WEEK)
    assert response.status_code == 200
    html = response.content.decode()
    cp, cm2 = world.a.classes
    assert f'id="hw-class-{cp.pk}"' in html
    assert f'id="hw-class-{cm2.pk}"' in html
    parts = _sections(html)
    assert "Apprendre la poésie" in parts[cp.pk]
    assert "Tables de 7" not in parts[cp.pk]
    assert "Tables de 7" in parts[cm2.pk]
    assert "Apprendre la poésie" not in parts[cm2.pk]
    assert world.a.pupils[0].first_name in html


def test_due_view_lists_by_due_day(world):
    entry_for(world, 0, todo_text="Rendre la fiche", due_on=MONDAY + dt.timedelta(days=4))
    client = client_for(world, world.pupil_user)
    html = client.get(reverse("homework:index"), WEEK | {"view": "due"}).content.decode()
    friday = html.split("<h3>Friday")[1].split("</section>")[0]
    assert "Rendre la fiche" in friday
    assert 'aria-current="page">' in html


def test_today_is_highlighted(world, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: TUESDAY)
    html = client_for(world, world.parent).get(reverse("homework:index"), WEEK).content.decode()
    assert html.count('aria-current="date"') == 2  # one per class shown


def test_pupil_reads_own_class_only(world):
    entry_for(world, 1, todo_text="CM2 seulement")
    client = client_for(world, world.pupil_user)
    html = client.get(reverse("homework:index"), WEEK).content.decode()
    assert "CM2 seulement" not in html
    assert client.get(_class_url(world, 0), WEEK).status_code == 200
    assert client.get(_class_url(world, 1), WEEK).status_code == 404


@pytest.mark.parametrize(
    "who", ["teacher_a1", "teacher_b0", "director_b", "erun", "city_admin", "vannes_admin",
            "outsider"],
)  # fmt: skip
def test_someone_elses_class_is_404(world, who):
    entry = entry_for(world, 0)
    attachment_entry = Attachment.objects.create(
        entry=entry, file="homework/x.pdf", original_name="x.pdf", content_type="application/pdf",
        size=3, sha256="0" * 64,
    )  # fmt: skip
    client = client_for(world, world.persona(who))
    cls = world.a.classes[0]
    assert client.get(_class_url(world, 0)).status_code == 404
    assert client.get(reverse("homework:entry_create", args=[cls.pk])).status_code == 404
    assert _post_entry(client, cls).status_code == 404
    assert client.get(reverse("homework:entry_edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("homework:entry_delete", args=[entry.pk])).status_code == 404
    url = reverse("homework:attachment", args=[attachment_entry.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("homework:copy_week", args=[cls.pk])).status_code == 404
    assert Entry.objects.count() == 1


@pytest.mark.parametrize("who", ["erun", "city_admin", "outsider"])
def test_index_is_404_for_who_has_no_class(world, who):
    assert client_for(world, world.persona(who)).get(reverse("homework:index")).status_code == 404


def test_families_read_but_do_not_write(world):
    entry = entry_for(world, 0)
    for user in (world.parent, world.pupil_user):
        client = client_for(world, user)
        assert client.get(_class_url(world, 0), WEEK).status_code == 200
        assert _post_entry(client, world.a.classes[0]).status_code == 404
        assert client.get(reverse("homework:entry_edit", args=[entry.pk])).status_code == 404
        assert client.post(reverse("homework:entry_delete", args=[entry.pk])).status_code == 404
        html = client.get(_class_url(world, 0), WEEK).content.decode()
        assert reverse("homework:entry_edit", args=[entry.pk]) not in html


def test_director_writes_for_every_class_of_the_school(world):
    client = client_for(world, world.a.director)
    assert _post_entry(client, world.a.classes[1]).status_code == 302
    html = client.get(reverse("homework:index")).content.decode()
    assert world.a.classes[0].label in html
    assert world.a.classes[1].label in html


def test_edit_and_delete_entry(world, media, django_capture_on_commit_callbacks):
    client = client_for(world, world.a.teachers[0])
    _post_entry(client, world.a.classes[0], attachments=[SimpleUploadedFile("a.pdf", PDF)])
    entry = Entry.objects.get()
    attachment = entry.attachments.get()
    url = reverse("homework:entry_edit", args=[entry.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "date": TUESDAY.isoformat(),
                "subject": "maths",
                "done_text": "Corrigé",
                "todo_text": "",
                "remove": [attachment.pk],
            },
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.done_text, entry.todo_text, entry.due_on) == ("Corrigé", "", None)
    assert not entry.attachments.exists()
    assert not default_storage.exists(attachment.file.name)
    response = client.post(reverse("homework:entry_delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not Entry.objects.exists()
    deleted = AuditEvent.objects.get(action="homework.entry_deleted")
    assert deleted.data["done_text"] == "Corrigé"


def test_html_and_script_are_rendered_inert(world):
    client = client_for(world, world.a.teachers[0])
    _post_entry(
        client,
        world.a.classes[0],
        todo_text='<script>alert(1)</script><b>Lire</b> <a href="javascript:x()">x</a>'
        "<img src=x onerror=alert(2)>",
    )
    entry = Entry.objects.get()
    assert "<script" not in entry.todo_text
    assert "onerror" not in entry.todo_text
    assert "javascript:" not in entry.todo_text
    html = client_for(world, world.parent).get(reverse("homework:index"), WEEK).content.decode()
    assert "<b>Lire</b>" in html
    assert "alert(" not in html


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vide.pdf", b"", "empty"),
        ("texte.png", b"just some text, not an image", "neither a PDF"),
        ("script.jpg", b"<html><script>alert(1)</script></html>", "neither a PDF"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_written(world, name, data, message):
    client = client_for(world, world.a.teachers[0])
    response = _post_entry(client, world.a.classes[0], attachments=[SimpleUploadedFile(name, data)])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Entry.objects.exists()
    assert not Attachment.objects.exists()


def test_oversized_attachment_is_refused(world, settings):
    settings.PREAU_HOMEWORK_MAX_ATTACHMENT_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    client = client_for(world, world.a.teachers[0])
    response = _post_entry(
        client, world.a.classes[0], attachments=[SimpleUploadedFile("b.pdf", big)]
    )
    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert not Entry.objects.exists()


def test_attachment_download(world):
    _post_entry(
        client_for(world, world.a.teachers[0]),
        world.a.classes[0],
        attachments=[SimpleUploadedFile("fiche.pdf", PDF)],
    )
    attachment = Attachment.objects.get()
    url = reverse("homework:attachment", args=[attachment.pk])
    response = client_for(world, world.parent).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "fiche.pdf" in response["Content-Disposition"]


def test_entry_form_errors_are_clear(world):
    client = client_for(world, world.a.teachers[0])
    response = _post_entry(client, world.a.classes[0], due_on="")
    assert response.status_code == 200
    assert "say when the work is due" in response.content.decode()
    response = _post_entry(client, world.a.classes[0], done_text="", todo_text="")
    assert "Write what was done in class" in response.content.decode()
    response = _post_entry(client, world.a.classes[0], date="2027-03-01", due_on="2027-03-02")
    assert "outside the school year" in response.content.decode()
    assert not Entry.objects.exists()
