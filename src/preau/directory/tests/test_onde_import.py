"""The ONDE import service: plan, apply, re-import, next month's file, bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from preau.core.models import AuditEvent
from preau.directory.models import (
    Enrolment,
    Guardian,
    GuardianLink,
    Pupil,
    School,
    SchoolClass,
    SchoolYear,
)
from preau.directory.onde.samples import make_school_exports
from preau.directory.services import (
    OndeRejected,
    apply_onde_import,
    plan_onde_import,
)
from preau.directory.tests.onde_helpers import csv_bytes, data, empty_school, text

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons are asserted in English, whatever catalogue the project ships."""
    with translation.override("en"):
        yield


GUARDIANS_HEADER = (
    "Civilité Responsable;Nom responsable;Prénom responsable;Courriel;"
    "Nom de famille élève;Prénom élève;Classes élèves"
)
GUARDIANS_HEADER_BORN = (
    "Civilité Responsable;Nom responsable;Prénom responsable;Courriel;"
    "Nom de famille élève;Prénom élève;Date de naissance élève;Classes élèves"
)
MODELS = (Pupil, Enrolment, Guardian, GuardianLink, SchoolClass)


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def apply(school: School, pupils: bytes, guardians: bytes | None = None):
    return apply_onde_import(school=school, pupils_csv=pupils, guardians_csv=guardians, actor=None)


def recent(
    *, drop: tuple[str, ...] = (), edit: dict[str, str] | None = None, add: tuple[str, ...] = ()
) -> bytes:
    """The recent pupils fixture with rows dropped (by family name) or replaced."""
    lines = text("pupils_recent.csv").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        key = line.split(";")[0] + "/" + line.split(";")[2]
        if key in drop:
            continue
        out.append((edit or {}).get(key, line))
    return csv_bytes(*out, *add)


def test_plan_of_recent_files_against_the_world(world) -> None:
    before = rows()
    plan = plan_onde_import(
        school=world.a.school,
        pupils_csv=data("pupils_recent.csv"),
        guardians_csv=data("guardians_2019.csv"),
    )
    assert plan.is_valid, plan.issues()
    counts = plan.counts()
    assert counts | {} == counts
    assert [c.name for c in plan.pupils_created] == ["DUPONT Léa", "KERBRAT Maël"]
    assert counts["pupils_unchanged"] == 4
    assert counts["pupils_updated"] == counts["pupils_moved"] == counts["pupils_left"] == 0
    assert counts["classes_created"] == 0
    assert sorted(c.name for c in plan.guardians_created) == [
        "DUPONT Anne",
        "DUPONT Jean",
        "KERBRAT Nolwenn",
    ]
    assert counts["guardians_unchanged"] == 5, plan.guardians_updated
    assert counts["links_created"] == 3
    assert counts["links_removed"] == 0
    assert counts["consent_photo"] == 3
    assert counts["consent_associations"] == 2
    assert any("organisations" in note for note in plan.notes)
    assert rows() == before  # planning writes nothing


def test_apply_then_reimport_changes_nothing(world) -> None:
    school = world.a.school
    plan = apply(school, data("pupils_recent.csv"), data("guardians_2019.csv"))
    assert plan.counts()["pupils_created"] == 2
    lea = Pupil.objects.get(first_name="Léa")
    assert (lea.school, lea.ine, lea.sex, lea.level, lea.birth_date) == (
        school,
        "1001200001X",
        "F",
        "CP",
        dt.date(2019, 5, 14),
    )
    assert (lea.consent_photo, lea.consent_associations) == (True, True)
    assert lea.enrolments.get(ended_on__isnull=True).school_class == world.a.classes[0]
    assert sorted(str(g) for g in lea.guardians.all()) == ["M. DUPONT Jean", "Mme DUPONT Anne"]
    anne = Guardian.objects.get(first_name="Anne")
    assert (anne.email, anne.phone_mobile) == ("", "0798765432")
    mael = Pupil.objects.get(first_name="Maël")
    assert (mael.usage_name, mael.consent_photo, mael.consent_associations) == (
        "KERBRAT",
        False,
        True,
    )
    event = AuditEvent.objects.get(action="onde.import")
    assert event.actor_label == "command line"
    assert event.data["pupils_created"] == 2
    assert event.target_id == str(school.pk)

    after_first = rows()
    again = apply(
        school,
        data("pupils_recent.csv", "utf-8", bom=True),
        data("guardians_2019.csv", "iso-8859-1", crlf=False),
    )
    assert not again.has_changes, again.as_dict()
    assert again.counts()["pupils_unchanged"] == 6
    assert again.counts()["guardians_unchanged"] == 8
    assert rows() == after_first


def test_next_month_moves_marks_left_and_updates(world) -> None:
    school = world.a.school
    apply(school, data("pupils_recent.csv"), data("guardians_2019.csv"))
    moved_line = (
        "ELEVEA01;;Prénom1;02/03/2017;;1001010001X;;;;;;;;;CYCLE III;CM2;CM2 A;0561001A-1;"
        "Oui;Non;Non;"
    )
    lea_line = (
        "DUPONT;;Léa;14/05/2019;F;1001200001X;;;;;;;;;CYCLE II;CP;CP A;0561001A-0;Oui;Non;Non;"
    )
    new_class = (
        "ROBIN;;Paul;01/01/2016;M;1001300001X;;;;;;;;;CYCLE II;CE1;CE1 de M. FICTIF;"
        "0561001A-9;Oui;Non;Non;"
    )
    next_month = recent(
        drop=("ELEVEA11/Prénom1",),
        edit={"ELEVEA01/Prénom1": moved_line, "DUPONT/Léa": lea_line},
        add=(new_class,),
    )
    plan = plan_onde_import(school=school, pupils_csv=next_month, guardians_csv=None)
    assert plan.is_valid, plan.issues()
    assert [(c.name, c.from_class, c.class_label) for c in plan.pupils_moved] == [
        ("ELEVEA01 Prénom1", "CP A", "CM2 A")
    ]
    assert [c.name for c in plan.pupils_created] == ["ROBIN Paul"]
    assert [c.name for c in plan.pupils_left] == ["ELEVEA11 Prénom1"]
    (lea,) = [c for c in plan.pupils_updated if c.name == "DUPONT Léa"]
    assert lea.changes == {"photo consent": ["yes", "no"], "consent to associations": ["yes", "no"]}
    (a01,) = [c for c in plan.pupils_updated if c.name == "ELEVEA01 Prénom1"]
    assert a01.changes == {"level": ["CP", "CM2"]}
    assert [c.name for c in plan.classes_created] == ["CE1 de M. FICTIF"]
    assert plan.counts()["classes_updated"] == 0
    assert not plan.guardians_imported

    pupils_before = Pupil.objects.count()
    apply(school, next_month)
    assert Pupil.objects.count() == pupils_before + 1  # Paul; nobody duplicated
    moved = Pupil.objects.get(ine="1001010001X")
    enrolments = list(moved.enrolments.order_by("started_on", "pk"))
    assert [e.school_class.label for e in enrolments] == ["CP A", "CM2 A"]
    assert enrolments[0].ended_on == TODAY
    assert enrolments[1].ended_on is None
    a11 = Pupil.objects.get(ine="1001110001X")
    assert a11.left_on == TODAY
    assert not a11.enrolments.filter(ended_on__isnull=True).exists()
    assert Pupil.objects.get(first_name="Léa").consent_photo is False
    new_class_row = SchoolClass.objects.get(label="CE1 de M. FICTIF")
    assert (new_class_row.onde_id, new_class_row.levels, new_class_row.year) == (
        "0561001A-9",
        ["CE1"],
        SchoolYear.current(),
    )
    # Guardians were not in this import: their links stay.
    assert GuardianLink.objects.filter(pupil=a11).exists()

    # Then the pupil comes back.
    apply(school, data("pupils_recent.csv"))
    a11.refresh_from_db()
    assert a11.left_on is None
    assert a11.enrolments.get(ended_on__isnull=True).school_class.label == "CM2 A"


def test_rejection_changes_nothing(world) -> None:
    bad = recent(
        edit={"DUPONT/Léa": "DUPONT;;Léa;31/02/2019;F;;;;;;;;;;;CP;CP A;;;Oui;Oui;"},
        drop=("ELEVEA11/Prénom1",),
    )
    before = rows()
    with pytest.raises(OndeRejected) as caught:
        apply(world.a.school, bad, data("guardians_2019.csv"))
    (issue,) = caught.value.plan.rejected
    assert (issue.file, issue.line, issue.column) == ("pupils", 5, "Date naissance")
    assert "31/02/2019" in issue.reason
    assert rows() == before
    assert Pupil.objects.get(ine="1001110001X").left_on is None
    assert AuditEvent.objects.filter(action="onde.import.rejected").count() == 1
    assert not AuditEvent.objects.filter(action="onde.import").exists()


def test_a_refused_row_of_a_known_pupil_is_not_a_leaver(world) -> None:
    bad = recent(
        edit={
            "ELEVEA10/Prénom0": "ELEVEA10;;Prénom0;1er mars;;1001100001X;;;;;;;;;;CM2;CM2 A;;;;;",
            "ELEVEA11/Prénom1": "ELEVEA11;;Prénom1;1er mars;;;;;;;;;;;;CM2;CM2 A;;;;;",
        }
    )
    plan = plan_onde_import(school=world.a.school, pupils_csv=bad, guardians_csv=None)
    assert [i.line for i in plan.rejected] == [4, 5]
    assert plan.pupils_left == []


def test_file_level_rejection_changes_nothing(world) -> None:
    before = rows()
    with pytest.raises(OndeRejected) as caught:
        apply(world.a.school, b"%PDF-1.4\n...", data("guardians_2019.csv"))
    assert "PDF" in caught.value.plan.rejected[0].reason
    assert rows() == before


def test_unmatched_child_is_reported_and_refused(world) -> None:
    guardians = data("guardians_2019.csv").replace(
        b";DUPONT;L\xe9a;CP A;", b";DUPONT;L\xe9o;CP A;", 1
    )
    guardians = guardians.replace(b"KERBRAT;LE GOFF;Ma\xebl;CM2 A", b"KERBRAT;LE GOFF;Ma\xebl;CP A")
    plan = plan_onde_import(
        school=world.a.school, pupils_csv=data("pupils_recent.csv"), guardians_csv=guardians
    )
    assert not plan.is_valid
    reasons = {i.line: i.reason for i in plan.unmatched}
    assert reasons[7] == "child DUPONT Léo (CP A) is not in the pupils file"
    assert reasons[9] == (
        "child LE GOFF Maël (CP A) is not in that class in the pupils file (found in: CM2 A)"
    )
    before = rows()
    with pytest.raises(OndeRejected):
        apply(world.a.school, data("pupils_recent.csv"), guardians)
    assert rows() == before


HOMONYM_PUPILS = (
    "Nom élève;Prénom élève;Date naissance;Libellé classe",
    "KERVELLA;Louise;03/03/2019;CP bleu",
    "KERVELLA;Louise;04/04/2019;CP bleu",
)


def test_homonyms_are_reported_without_birth_date(world) -> None:
    school = empty_school(world.lorient)
    guardians = csv_bytes(
        GUARDIANS_HEADER,
        "MME;KERVELLA;Maud;maud@example.org;KERVELLA;Louise;CP bleu",
    )
    plan = plan_onde_import(
        school=school, pupils_csv=csv_bytes(*HOMONYM_PUPILS), guardians_csv=guardians
    )
    (issue,) = plan.unmatched
    assert issue.line == 2
    assert issue.reason.startswith("homonyms: KERVELLA Louise (CP bleu)")
    assert "lines 2, 3" in issue.reason
    assert not plan.is_valid


def test_birth_date_tells_homonyms_apart(world) -> None:
    school = empty_school(world.lorient)
    guardians = csv_bytes(
        GUARDIANS_HEADER_BORN,
        "MME;KERVELLA;Maud;maud@example.org;KERVELLA;Louise;2019-04-04;CP bleu",
        "M.;KERVELLA;Erwan;;KERVELLA;Louise;05/05/2019;CP bleu",
    )
    plan = plan_onde_import(
        school=school, pupils_csv=csv_bytes(*HOMONYM_PUPILS), guardians_csv=guardians
    )
    (issue,) = plan.unmatched
    assert issue.line == 3
    assert "born on 05/05/2019" in issue.reason
    guardians = b"\r\n".join(guardians.split(b"\r\n")[:2])
    apply(school, csv_bytes(*HOMONYM_PUPILS), guardians)
    maud = Guardian.objects.get(first_name="Maud")
    assert [p.birth_date for p in maud.pupils.all()] == [dt.date(2019, 4, 4)]


def test_be1d_without_ine_then_reimport_by_name_and_birth_date(world) -> None:
    school = empty_school(world.lorient)
    plan = apply(school, data("pupils_be1d.csv"), data("guardians_2017.csv"))
    assert plan.counts()["pupils_created"] == 4
    assert sorted(c.name for c in plan.classes_created) == [
        "01 PS-MS de Mme PERRIN",
        "02 GS de M. ROUX",
    ]
    psms = SchoolClass.objects.get(school=school, label="01 PS-MS de Mme PERRIN")
    assert psms.levels == ["PS", "MS"]
    assert psms.onde_id == ""
    linh = Guardian.objects.get(first_name="Linh")
    assert (linh.usage_name, linh.phone_mobile) == ("TRAN", "0622222222")
    assert sorted(p.first_name for p in linh.pupils.all()) == ["Anaïs", "Zoë"]
    # The numbered export and the R1/R2 export describe the same families.
    for guardians in ("guardians_numbered.csv", "guardians_r1r2.csv"):
        again = plan_onde_import(
            school=school,
            pupils_csv=data("pupils_be1d.csv", "utf-8"),
            guardians_csv=data(guardians),
        )
        assert again.is_valid, again.issues()
        assert again.counts()["pupils_unchanged"] == 4
        assert again.counts()["links_removed"] == 0
    r1r2 = plan_onde_import(
        school=school, pupils_csv=data("pupils_be1d.csv"), guardians_csv=data("guardians_r1r2.csv")
    )
    assert [c.name for c in r1r2.guardians_created] == ["HÉLIAS Morgane"]
    assert r1r2.counts()["links_created"] == 1


def test_pupils_file_with_r1_r2_columns_brings_guardians(world) -> None:
    school = empty_school(world.lorient)
    lines = text("guardians_r1r2.csv").splitlines()
    plan = apply(school, csv_bytes(*lines))
    assert plan.guardians_imported
    assert plan.counts()["guardians_created"] == 4
    assert Guardian.objects.get(first_name="Linh").pupils.count() == 2


def test_guardians_are_matched_across_the_municipality_not_beyond(world) -> None:
    # Camille Martin has children in school A; the same person in school B's file is the
    # same guardian. A namesake with the same e-mail in Vannes is not.
    pupils = csv_bytes(
        "Nom élève;Prénom élève;Date naissance;Libellé classe", "MARTIN;Jules;01/01/2016;CE1 B"
    )
    guardians = csv_bytes(
        GUARDIANS_HEADER,
        "MME;MARTIN;Camille;camille@example.org;MARTIN;Jules;CE1 B",
    )
    school_b = world.b.school
    plan = plan_onde_import(school=school_b, pupils_csv=pupils, guardians_csv=guardians)
    assert plan.counts()["guardians_created"] == 0
    assert [c.name for c in plan.links_created] == ["MARTIN Camille → MARTIN Jules"]
    plan_v = plan_onde_import(school=world.v.school, pupils_csv=pupils, guardians_csv=guardians)
    assert plan_v.counts()["guardians_created"] == 1


def test_links_not_in_the_file_are_removed(world) -> None:
    school = world.a.school
    apply(school, data("pupils_recent.csv"), data("guardians_2019.csv"))
    without_camille = b"\r\n".join(
        line for line in data("guardians_2019.csv").split(b"\r\n") if b"Camille" not in line
    )
    plan = apply(school, data("pupils_recent.csv"), without_camille)
    assert sorted(c.name for c in plan.links_removed) == [
        "MARTIN Camille → ELEVEA00 Prénom0",
        "MARTIN Camille → ELEVEA10 Prénom0",
    ]
    assert Guardian.objects.filter(first_name="Camille").exists()  # the person stays
    assert not GuardianLink.objects.filter(guardian__first_name="Camille").exists()


def test_guardian_contact_change_is_an_update(world) -> None:
    school = world.a.school
    apply(school, data("pupils_recent.csv"), data("guardians_2019.csv"))
    changed = data("guardians_2019.csv").replace(b"06 12 34 56 78", b"06 00 00 00 00")
    changed = changed.replace(b"M.;;DUPONT;Jean", b"MONSIEUR;;DUPONT;Jean")
    plan = apply(school, data("pupils_recent.csv"), changed)
    (jean,) = plan.guardians_updated
    assert jean.changes == {"mobile phone": ["0612345678", "0600000000"]}
    assert Guardian.objects.filter(first_name="Jean").count() == 1


def test_ine_of_another_municipality_is_refused(world) -> None:
    vannes_ine = world.v.pupils[0].ine
    pupils = csv_bytes(
        "Nom élève;Prénom élève;Date naissance;Libellé classe;INE",
        f"ELEVEV00;Prénom0;01/03/2017;CP A;{vannes_ine}",
    )
    plan = plan_onde_import(school=world.a.school, pupils_csv=pupils, guardians_csv=None)
    (issue,) = plan.rejected
    assert (issue.line, issue.column) == (2, "INE")
    assert "another municipality" in issue.reason


def test_pupil_moving_between_schools_of_the_city(world) -> None:
    pupil = world.b.pupils[0]
    line = f"{pupil.last_name};Prénom0;{pupil.birth_date:%d/%m/%Y};CP A;{pupil.ine}"
    pupils = csv_bytes("Nom élève;Prénom élève;Date naissance;Libellé classe;INE", line)
    apply(world.a.school, pupils)
    pupil.refresh_from_db()
    assert pupil.school == world.a.school
    assert pupil.enrolments.get(ended_on__isnull=True).school_class == world.a.classes[0]
    assert Pupil.objects.filter(ine=pupil.ine).count() == 1


def test_no_current_year_is_a_clear_refusal(world) -> None:
    SchoolYear.objects.update(is_current=False)
    plan = plan_onde_import(
        school=world.a.school, pupils_csv=data("pupils_recent.csv"), guardians_csv=None
    )
    assert "No current school year" in plan.rejected[0].reason


def test_consents_are_stored(world) -> None:
    school = empty_school(world.lorient)
    apply(school, data("pupils_be1d.csv"))
    consents = {
        p.first_name: (p.consent_photo, p.consent_associations)
        for p in Pupil.objects.filter(school=school)
    }
    assert consents == {
        "Gwenaëlle": (True, True),
        "Noé": (False, False),
        "Zoë": (True, False),
        "Anaïs": (False, True),
    }


def test_a_full_school_imports_in_bounded_queries(world) -> None:
    school = empty_school(world.lorient, "0561009Z")
    pupils, guardians = make_school_exports(uai_seed=9, pupils=600, classes=24)
    with CaptureQueriesContext(connection) as first:
        plan = apply(school, pupils, guardians)
    assert plan.is_valid
    counts = plan.counts()
    assert counts["pupils_created"] == 600
    assert counts["classes_created"] == 24
    assert 900 <= counts["guardians_created"] <= 1100
    assert len(first.captured_queries) < 60
    with CaptureQueriesContext(connection) as second:
        again = apply(school, pupils, guardians)
    assert not again.has_changes
    assert len(second.captured_queries) < 30
