"""The tracking table read back from its CSV and PDF exports, and its query count."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from preau.core.models import AuditEvent
from preau.directory.models import Enrolment, Guardian, GuardianLink, Pupil
from preau.directory.scope import scope_of
from preau.liaison import services, tracking
from preau.liaison.models import YES, Acknowledgement, NoteGuardian, Question

from .conftest import english, pdf_text, send


def _sign(user, note, pupil, answer=None):
    row = NoteGuardian.objects.select_related("guardian", "recipient__note").get(
        recipient__note=note, recipient__pupil=pupil, guardian__user=user
    )
    return services.respond(user, row, answer=answer)


def _csv(resp) -> list[list[str]]:
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


def test_csv_export_reads_back_and_is_formula_safe(world, second_parent):
    world.a.guardians[1].last_name = '=HYPERLINK("http://evil")'
    world.a.guardians[1].civility = ""
    world.a.guardians[1].save(update_fields=["last_name", "civility"])
    note = send(world, acknowledgement=Acknowledgement.ALL, question=Question.YES_NO)
    _sign(world.parent, note, world.a.pupils[0], YES)
    _sign(second_parent, note, world.a.pupils[0], YES)
    client = english(world.client_for(world.a.teachers[0]))
    resp = client.get(reverse("liaison:export_csv", args=[note.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/csv")
    header, *rows = _csv(resp)
    assert header[:3] == ["Pupil", "Class", "Status"]
    pupil0 = str(world.a.pupils[0])
    mine = [r for r in rows if r[0] == pupil0]
    assert len(mine) == 2
    assert {r[2] for r in mine} == {"2/2"}
    assert {r[3] for r in mine} == {"yes"}
    assert {r[8] for r in mine} == {"Yes"}
    other = [r for r in rows if r[0] == str(world.a.pupils[1])]
    assert other[0][2] == "0/1"
    assert other[0][4].startswith("'")  # the formula is neutralised
    assert not any(cell.startswith("=") for row in rows for cell in row)
    event = AuditEvent.objects.get(action="liaison.tracking_exported")
    assert event.data == {"format": "csv", "rows": 3}


def test_pdf_export_reads_back(world, second_parent):
    note = send(world, acknowledgement=Acknowledgement.ALL, title="Autorisation de sortie")
    _sign(world.parent, note, world.a.pupils[0])
    _sign(second_parent, note, world.a.pupils[0])
    resp = english(world.client_for(world.a.director)).get(
        reverse("liaison:export_pdf", args=[note.pk])
    )
    assert resp.status_code == 200
    assert resp.content.startswith(b"%PDF")
    text = pdf_text(resp.content)
    assert "Autorisation de sortie" in text
    assert "1 of 2 children complete" in text
    assert "ELEVEA00" in text
    assert "ELEVEA01" in text
    assert "2/2" in text
    assert "0/1" in text
    assert "MARTIN" in text


def _grow_class(world, count: int) -> None:
    """Add ``count`` pupils with two guardians each to class CP A."""
    cls = world.a.classes[0]
    for i in range(count):
        pupil = Pupil.objects.create(
            municipality=world.lorient,
            school=world.a.school,
            last_name=f"EXTRA{i:03d}",
            first_name="Zoé",
            birth_date=world.a.pupils[0].birth_date,
        )
        Enrolment.objects.create(pupil=pupil, school_class=cls, started_on=world.year.starts_on)
        for g in range(2):
            guardian = Guardian.objects.create(
                municipality=world.lorient, last_name=f"GARDIEN{i:03d}{g}", first_name="Sam"
            )
            GuardianLink.objects.create(guardian=guardian, pupil=pupil)


def _page_queries(world, django_assert_max_num_queries, note) -> int:
    client = world.client_for(world.a.teachers[0])
    client.get(reverse("liaison:tracking", args=[note.pk]))  # session and caches warm
    with django_assert_max_num_queries(30) as captured:
        resp = client.get(reverse("liaison:tracking", args=[note.pk]))
    assert resp.status_code == 200
    return len(captured)


def test_tracking_table_query_count_does_not_grow_with_pupils(
    world, second_parent, django_assert_num_queries, django_assert_max_num_queries
):
    small = send(world, acknowledgement=Acknowledgement.ALL, question=Question.YES_NO)
    _sign(world.parent, small, world.a.pupils[0], YES)
    small_page = _page_queries(world, django_assert_max_num_queries, small)
    _grow_class(world, 30)
    big = send(world, acknowledgement=Acknowledgement.ALL, question=Question.YES_NO)
    _sign(world.parent, big, world.a.pupils[0], "no")
    _sign(world.parent, big, world.a.pupils[0], YES)
    assert big.recipients.count() == 32
    # The table itself: recipients, their guardians, the answers' history.
    teacher = world.a.teachers[0]
    scope_of(teacher)  # what the user holds is computed once per request
    with django_assert_num_queries(3):
        table = tracking.build(teacher, big)
    assert table.total == 32
    assert table.guardian_rows == 2 + 1 + 60
    # The whole page (session, user, scope, note, table, permissions, the shell's counters).
    assert _page_queries(world, django_assert_max_num_queries, big) == small_page
