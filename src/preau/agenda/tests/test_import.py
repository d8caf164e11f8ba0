""".ics import into a class agenda: preview, apply, bad files, idempotent re-import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.agenda import ics_import, imports
from preau.agenda.models import Event, IcsImport
from preau.agenda.services import AgendaError
from preau.agenda.tests.conftest import client_for
from preau.core.models import AuditEvent

SAMPLE = (Path(__file__).parent / "files" / "sorties.ics").read_bytes()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client, cls, data: bytes, name: str = "sorties.ics"):
    url = reverse("agenda:import_upload", args=[cls.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data, "text/calendar")})


def test_upload_preview_apply_and_reimport(world):
    cls = world.a.classes[0]
    client = client_for(world, world.a.teachers[0])
    response = _upload(client, cls, SAMPLE)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "Sortie à la Cité de la Voile" in html
    assert "Carnaval" not in html  # cancelled: left out
    assert not Event.objects.exists()  # nothing written before apply
    row = IcsImport.objects.get()
    done = client.post(reverse("agenda:import_apply", args=[row.pk]), follow=True)
    assert "3 new, 0 updated, 0 unchanged" in done.content.decode()
    events = {e.source_uid: e for e in Event.objects.all()}
    assert set(events) == {
        "5k2l9v1q8m3n7b6c4x0z@google.com",
        "9f8e7d6c5b4a3210@google.com",
        "piscine-2026-01-15@example.org",
    }
    outing = events["5k2l9v1q8m3n7b6c4x0z@google.com"]
    assert (outing.audience, outing.school_class, outing.all_day) == ("class", cls, False)
    assert str(outing.starts_at) == "2025-11-13 08:00:00+00:00"
    assert outing.place == "Cité de la Voile Éric Tabarly, Lorient"
    assert events["9f8e7d6c5b4a3210@google.com"].ends_on == dt.date(2025, 12, 5)
    row.refresh_from_db()
    assert (row.status, bytes(row.content)) == ("applied", b"")
    assert AuditEvent.objects.filter(action="agenda.ics_imported").count() == 1
    # The same file again: nothing new, nothing changed.
    again = _upload(client, cls, SAMPLE)
    second = IcsImport.objects.get(pk=int(again["Location"].rstrip("/").split("/")[-1]))
    done = client.post(reverse("agenda:import_apply", args=[second.pk]), follow=True)
    assert "0 new, 0 updated, 3 unchanged" in done.content.decode()
    assert Event.objects.count() == 3
    # Applying a preview twice is refused.
    response = client.post(reverse("agenda:import_apply", args=[second.pk]), follow=True)
    assert "already imported" in response.content.decode()
    # The family of the class sees the imported events.
    html = client_for(world, world.parent).get(reverse("agenda:index"), {"week": "2025-11-10"})
    assert "Sortie à la Cité de la Voile" in html.content.decode()


def test_changed_event_is_updated_by_uid(world):
    cls, teacher = world.a.classes[0], world.a.teachers[0]
    imports.apply(teacher, imports.upload(teacher, cls, SAMPLE, "a.ics"))
    moved = SAMPLE.replace(b"20251113T090000", b"20251120T090000").replace(
        b"20251113T163000", b"20251120T163000"
    )
    plan = imports.apply(teacher, imports.upload(teacher, cls, moved, "a.ics"))
    assert plan.counts == {"new": 0, "changed": 1, "unchanged": 2, "cancelled": 1}
    outing = Event.objects.get(source_uid="5k2l9v1q8m3n7b6c4x0z@google.com")
    assert outing.starts_on == dt.date(2025, 11, 20)
    assert Event.objects.count() == 3


def test_the_same_file_in_two_classes_makes_two_sets(world):
    director = world.a.director
    for cls in world.a.classes:
        imports.apply(director, imports.upload(director, cls, SAMPLE, "a.ics"))
    assert Event.objects.count() == 6
    assert len(set(Event.objects.values_list("uid", flat=True))) == 6


BROKEN = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:X\r\n"
    b"DTSTART:2025XX\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PDF, "is a PDF document, not an iCalendar"),
        (b"just some garbage\r\nnot a calendar", "does not start with BEGIN:VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "broken iCalendar file"),
        (BROKEN, "DTSTART is broken"),
        (_ics(), "holds no event"),
        (_ics("UID:1\r\nDTSTART:20251010T100000\r\n"), "has no title"),
        (_ics("UID:1\r\nSUMMARY:X\r\n"), "has no start"),
        (_ics("UID:1\r\nSUMMARY:X\r\nDTSTART:20251010T100000\r\nRRULE:FREQ=WEEKLY\r\n"), "repeats"),
        (
            _ics("UID:1\r\nSUMMARY:X\r\nDTSTART:20251010T100000\r\nDTEND:20251010T090000\r\n"),
            "ends before it starts",
        ),
        (
            _ics(
                "UID:1\r\nSUMMARY:A\r\nDTSTART:20251010\r\n",
                "UID:1\r\nSUMMARY:B\r\nDTSTART:20251011\r\n",
            ),
            "UID appears twice",
        ),
        (_ics("UID:1\r\nSUMMARY:X\r\nDTSTART:18991010\r\n"), "outside the years"),
        (
            b"\xff\xfe" + "BEGIN:VCALENDAR".encode("utf-16-le"),
            "does not start with BEGIN:VCALENDAR",
        ),
    ],
)
def test_bad_files_are_refused_clearly_and_nothing_is_written(world, data, message):
    client = client_for(world, world.a.teachers[0])
    response = _upload(client, world.a.classes[0], data, "sortie.ics")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IcsImport.objects.exists()
    assert not Event.objects.exists()


def test_empty_file_is_refused(world):
    response = _upload(client_for(world, world.a.teachers[0]), world.a.classes[0], b"")
    assert response.status_code == 200
    assert "empty" in response.content.decode()
    assert not IcsImport.objects.exists()


def test_oversized_and_too_many_events_are_refused(world):
    client = client_for(world, world.a.teachers[0])
    huge = _ics("UID:1\r\nSUMMARY:X\r\nDTSTART:20251010\r\nDESCRIPTION:" + "x" * 70 + "\r\n") * 1
    huge = huge + b" " * ics_import.MAX_ICS_BYTES
    assert "the limit is 1024 KB" in _upload(client, world.a.classes[0], huge).content.decode()
    many = _ics(
        *(
            f"UID:{i}\r\nSUMMARY:E{i}\r\nDTSTART:20251010\r\n"
            for i in range(ics_import.MAX_EVENTS + 1)
        )
    )
    assert "at most 500 per import" in _upload(client, world.a.classes[0], many).content.decode()
    assert not IcsImport.objects.exists()


@pytest.mark.parametrize("who", ["teacher_a1", "teacher_b0", "director_b", "parent", "pupil",
                                 "city_admin", "erun", "outsider"])  # fmt: skip
def test_someone_elses_class_import_is_404(world, who):
    teacher = world.a.teachers[0]
    row = imports.upload(teacher, world.a.classes[0], SAMPLE, "a.ics")
    client = client_for(world, world.persona(who))
    cls = world.a.classes[0]
    assert client.get(reverse("agenda:import_upload", args=[cls.pk])).status_code == 404
    assert _upload(client, cls, SAMPLE).status_code == 404
    assert client.get(reverse("agenda:import_preview", args=[row.pk])).status_code == 404
    assert client.post(reverse("agenda:import_apply", args=[row.pk])).status_code == 404
    assert not Event.objects.exists()
    with pytest.raises(AgendaError):
        imports.apply(world.persona(who), row)


def test_expired_preview_is_refused(world):
    teacher = world.a.teachers[0]
    row = imports.upload(teacher, world.a.classes[0], SAMPLE, "a.ics")
    IcsImport.objects.filter(pk=row.pk).update(
        created_at=row.created_at - imports.PREVIEW_LIFETIME - dt.timedelta(minutes=1)
    )
    row.refresh_from_db()
    with pytest.raises(AgendaError, match="expired"):
        imports.apply(teacher, row)
    assert not Event.objects.exists()
