"""The cahier de textes writes: copying a week, checking files."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from preau.core.models import AuditEvent
from preau.homework import files, services
from preau.homework.models import Attachment, Entry
from preau.homework.tests.conftest import MONDAY, PDF, TUESDAY, client_for, entry_for, png
from preau.notifications.models import Notification


def _stored(root) -> list[str]:
    return [name for _dir, _subdirs, names in os.walk(root) for name in names]


def _week_of_entries(world):
    entry_for(world, 0)
    entry_for(world, 0, subject="maths", topic="", done_text="Calcul mental", todo_text="")
    services.update_entry(
        world.a.teachers[0],
        Entry.objects.get(subject="maths"),
        services.EntryInput(date=TUESDAY, subject="maths", done_text="Calcul mental"),
        [services.Upload(PDF, "fiche.pdf")],
    )
    entry_for(world, 0, date=MONDAY + dt.timedelta(days=7), due_on=MONDAY + dt.timedelta(days=8))


def test_copy_week_copies_entries_and_files_and_is_idempotent(world, two_class_teacher):
    _week_of_entries(world)
    source, target = world.a.classes
    result = services.copy_week(two_class_teacher, source, MONDAY + dt.timedelta(days=3), target)
    assert (result.copied, result.skipped) == (2, 0)  # the next week's entry stays
    copies = Entry.objects.filter(school_class=target).order_by("subject")
    assert [(e.subject, e.date) for e in copies] == [("french", TUESDAY), ("maths", TUESDAY)]
    copied_file = Attachment.objects.get(entry__school_class=target)
    original = Attachment.objects.get(entry__school_class=source)
    assert copied_file.file.name != original.file.name
    assert default_storage.open(copied_file.file.name).read() == PDF
    # Guardians of the target class are told about the new "to do".
    told = Notification.objects.filter(kind="homework.new", recipient=world.parent)
    assert told.filter(title__contains=target.label).count() == 1

    again = services.copy_week(two_class_teacher, source, MONDAY, target)
    assert (again.copied, again.skipped) == (0, 2)
    assert Entry.objects.filter(school_class=target).count() == 2
    assert AuditEvent.objects.filter(action="homework.week_copied").count() == 2


def test_copy_week_refuses_a_class_not_theirs(world):
    _week_of_entries(world)
    teacher = world.a.teachers[0]
    with pytest.raises(services.HomeworkError, match="do not write"):
        services.copy_week(teacher, world.a.classes[0], MONDAY, world.a.classes[1])
    with pytest.raises(services.HomeworkError, match="do not write"):
        services.copy_week(teacher, world.a.classes[0], MONDAY, world.b.classes[0])
    with pytest.raises(services.HomeworkError, match="another class"):
        services.copy_week(teacher, world.a.classes[0], MONDAY, world.a.classes[0])
    assert not Entry.objects.exclude(school_class=world.a.classes[0]).exists()


def test_copy_week_page(world, two_class_teacher):
    _week_of_entries(world)
    client = client_for(world, two_class_teacher)
    source, target = world.a.classes
    url = reverse("homework:copy_week", args=[source.pk]) + f"?week={MONDAY}"
    page = client.get(url)
    assert page.status_code == 200
    assert target.label in page.content.decode()
    # A class of another school is not offered, and posting it copies nothing.
    response = client.post(url, {"target": world.b.classes[0].pk})
    assert response.status_code == 200
    assert not Entry.objects.filter(school_class=world.b.classes[0]).exists()
    response = client.post(url, {"target": target.pk}, follow=True)
    assert "2 entries copied" in response.content.decode()
    response = client.post(url, {"target": target.pk}, follow=True)
    assert "0 entries copied" in response.content.decode()
    assert "2 were already there" in response.content.decode()


def test_copy_page_for_a_single_class_teacher_offers_nothing(world):
    entry_for(world, 0)
    client = client_for(world, world.a.teachers[0])
    url = reverse("homework:copy_week", args=[world.a.classes[0].pk]) + f"?week={MONDAY}"
    assert "You write for no other class" in client.get(url).content.decode()
    assert client.post(url, {"target": world.a.classes[1].pk}).status_code == 200
    assert Entry.objects.count() == 1


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (8, 6), (10, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (47.0, 44.0, 0.0)}  # GPSInfo
    exif[0x0112] = 6  # orientation: rotate 90°
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_images_are_reencoded_without_metadata():
    data = _jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    checked = files.check(data, "photo.JPG")
    out = Image.open(io.BytesIO(checked.data))
    assert not out.getexif()
    assert out.size == (6, 8)  # the orientation was applied
    assert (checked.content_type, checked.original_name) == ("image/jpeg", "photo.JPG")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.pdf", "empty"),
        (b"GIF89a" + b"\x00" * 20, "a.gif", "neither a PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "broken.png", "neither a PDF"),
        (PDF, "../../etc/passwd", None),
    ],
)
def test_file_checks(data, name, message):
    if message is None:
        assert files.check(data, name).original_name == "passwd.pdf"
        return
    with pytest.raises(files.FileRefused, match=message):
        files.check(data, name)


def test_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (15000, 15000)).save(out, "PNG")  # 225 Mpx in a few kilobytes
    with pytest.raises(files.FileRefused, match="too many pixels"):
        files.check(out.getvalue(), "bomb.png")


def test_a_pdf_renamed_jpg_is_kept_as_a_pdf():
    checked = files.check(PDF, "photo.jpg")
    assert (checked.content_type, checked.original_name) == ("application/pdf", "photo.pdf")


def test_too_many_attachments_are_refused(world, media):
    uploads = [services.Upload(png(), f"p{i}.png") for i in range(services.MAX_ATTACHMENTS + 1)]
    with pytest.raises(services.HomeworkError, match="at most 5"):
        services.create_entry(
            world.a.teachers[0],
            world.a.classes[0],
            services.EntryInput(date=TUESDAY, subject="arts", done_text="Collage"),
            uploads,
        )
    assert not Entry.objects.exists()
    assert not _stored(media)


def test_failed_write_leaves_no_file(world, monkeypatch, media):
    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.create_entry(
            world.a.teachers[0],
            world.a.classes[0],
            services.EntryInput(date=TUESDAY, subject="arts", done_text="Collage"),
            [services.Upload(PDF, "a.pdf")],
        )
    assert not Entry.objects.exists()
    assert not _stored(media)


def test_notification_needs_a_to_do(world):
    entry_for(world, 0, todo_text="", due_on=None)
    assert not Notification.objects.exists()
