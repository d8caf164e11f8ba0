"""The web flow: upload → preview → apply, as the director of school A, and who gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from preau.directory.models import Guardian, OndeImport, Pupil
from preau.directory.tests.onde_helpers import csv_bytes, data


def files(pupils: bytes | None = None, guardians: bytes | None = None) -> dict[str, object]:
    payload: dict[str, object] = {
        "pupils_file": SimpleUploadedFile(
            "CSVExtraction.csv",
            pupils if pupils is not None else data("pupils_recent.csv"),
            content_type="text/csv",
        )
    }
    payload["guardians_file"] = SimpleUploadedFile(
        "CSVExtraction-responsables.csv",
        guardians if guardians is not None else data("guardians_2019.csv"),
        content_type="text/csv",
    )
    return payload


def client_for(world, user):
    """Logged in (the persona world's city admins already hold their second factor)."""
    client = world.client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # pages are asserted in English
    return client


def upload(client, school, **kwargs):
    return client.post(reverse("directory:onde_upload", args=[school.pk]), files(**kwargs))


def test_director_uploads_previews_and_applies(world) -> None:
    client = client_for(world, world.a.director)
    page = client.get(reverse("directory:onde_upload", args=[world.a.school.pk]))
    assert page.status_code == 200
    assert b'for="id_pupils_file"' in page.content

    response = upload(client, world.a.school)
    onde_import = OndeImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:onde_preview", args=[onde_import.pk])
    assert onde_import.status == OndeImport.Status.PREVIEWED
    assert onde_import.uploaded_by == world.a.director
    assert bytes(onde_import.pupils_file) == data("pupils_recent.csv")

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "DUPONT Léa" in html
    assert "KERBRAT Nolwenn" in html
    assert "MARTIN Camille → ELEVEA00" not in html  # existing link: unchanged
    assert "Apply the import" in html
    assert "disabled" not in html.split("onde-apply")[1]
    assert Pupil.objects.filter(first_name="Léa").count() == 0  # preview writes nothing

    applied = client.post(reverse("directory:onde_apply", args=[onde_import.pk]))
    assert applied.status_code == 302
    assert applied["Location"] == reverse("directory:school_detail", args=[world.a.school.pk])
    assert Pupil.objects.filter(first_name="Léa", school=world.a.school).count() == 1
    onde_import.refresh_from_db()
    assert onde_import.status == OndeImport.Status.APPLIED
    assert onde_import.applied_at
    assert bytes(onde_import.pupils_file) == b""
    assert onde_import.guardians_file is None
    assert onde_import.summary["counts"]["pupils_created"] == 2
    followed = client.get(applied["Location"])
    assert "ONDE import applied: 2 pupils created" in followed.content.decode()

    again = client.post(reverse("directory:onde_apply", args=[onde_import.pk]))
    assert again.status_code == 302
    assert Pupil.objects.filter(first_name="Léa").count() == 1
    assert "already applied" in client.get(again["Location"]).content.decode()


def test_invalid_upload_shows_reasons_and_cannot_apply(world) -> None:
    client = client_for(world, world.a.director)
    bad_guardians = data("guardians_2019.csv").replace(b";DUPONT;L\xe9a;", b";DUPONT;L\xe9o;", 1)
    bad_pupils = csv_bytes(
        "Nom élève;Prénom élève;Date naissance;Libellé classe",
        "DUPONT;Léa;14/05/2019;CP A",
        "ROBIN;Paul;2016-02-30;CP A",
    )
    response = upload(client, world.a.school, pupils=bad_pupils, guardians=bad_guardians)
    onde_import = OndeImport.objects.get()
    assert onde_import.status == OndeImport.Status.REJECTED
    assert bytes(onde_import.pupils_file) == b""  # a refused upload keeps no file
    html = client.get(response["Location"]).content.decode()
    assert "Rejected lines" in html
    assert "2016-02-30" in html
    assert "Unmatched guardians" in html
    assert "DUPONT Léo (CP A)" in html
    assert "Apply the import" not in html
    before = Pupil.objects.count()
    client.post(reverse("directory:onde_apply", args=[onde_import.pk]))
    assert Pupil.objects.count() == before


def test_pending_upload_that_became_invalid_has_a_disabled_button(world) -> None:
    client = client_for(world, world.a.director)
    upload(client, world.a.school)
    onde_import = OndeImport.objects.get()
    # Meanwhile Léa's INE was given to a pupil of Vannes: the plan is recomputed, refused.
    Pupil.objects.filter(pk=world.v.pupils[0].pk).update(ine="1001200001X")
    html = client.get(reverse("directory:onde_preview", args=[onde_import.pk])).content.decode()
    assert "another municipality" in html
    assert "disabled" in html.split("onde-apply")[1]
    response = client.post(reverse("directory:onde_apply", args=[onde_import.pk]))
    assert response.status_code == 302
    onde_import.refresh_from_db()
    assert onde_import.status == OndeImport.Status.REJECTED
    assert not Pupil.objects.filter(first_name="Léa", school=world.a.school).exists()


def test_expired_upload_cannot_be_applied(world) -> None:
    client = client_for(world, world.a.director)
    upload(client, world.a.school)
    onde_import = OndeImport.objects.get()
    OndeImport.objects.filter(pk=onde_import.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    assert (
        "has expired"
        in client.get(reverse("directory:onde_preview", args=[onde_import.pk])).content.decode()
    )
    client.post(reverse("directory:onde_apply", args=[onde_import.pk]))
    onde_import.refresh_from_db()
    assert onde_import.status == OndeImport.Status.EXPIRED
    assert bytes(onde_import.pupils_file) == b""
    assert not Pupil.objects.filter(first_name="Léa").exists()


def test_a_new_upload_expires_the_previous_one(world) -> None:
    client = client_for(world, world.a.director)
    upload(client, world.a.school)
    upload(client, world.a.school)
    assert sorted(OndeImport.objects.values_list("status", flat=True)) == ["expired", "previewed"]


def test_not_csv_and_missing_file_in_the_form(world) -> None:
    client = client_for(world, world.a.director)
    response = upload(client, world.a.school, pupils=b"\x89PNG\r\n\x1a\n\x00\x00")
    html = client.get(response["Location"]).content.decode()
    assert "PNG image, not a CSV export" in html
    response = client.post(reverse("directory:onde_upload", args=[world.a.school.pk]), {})
    assert response.status_code == 400
    assert b'aria-invalid="true"' in response.content


@override_settings(PREAU_MAX_IMPORT_BYTES=4096)
def test_too_big_upload_is_refused_by_the_form(world) -> None:
    client = client_for(world, world.a.director)
    response = upload(client, world.a.school, pupils=b"Nom;Pr\xe9nom\r\n" + b"x;y\r\n" * 2000)
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not OndeImport.objects.exists()


def test_city_admin_may_import_for_a_school_of_the_city(world) -> None:
    client = client_for(world, world.city_admin)
    response = upload(
        client,
        world.b.school,
        pupils=csv_bytes(
            "Nom élève;Prénom élève;Date naissance;Libellé classe", "ROBIN;Paul;01/02/2016;CE1 B"
        ),
        guardians=csv_bytes(
            "Nom responsable;Prénom responsable;Nom de famille élève;Prénom élève;Classes élèves",
            "ROBIN;Anne;ROBIN;Paul;CE1 B",
        ),
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


# Someone else's object -------------------------------------------------------------------


@pytest.fixture
def a_import(world) -> OndeImport:
    client = client_for(world, world.a.director)
    upload(client, world.a.school)
    return OndeImport.objects.get()


@pytest.mark.parametrize(
    "who", ["director_b", "teacher_a", "parent", "erun", "vannes_admin", "outsider", "pupil"]
)
def test_others_get_404_everywhere(world, a_import: OndeImport, who: str) -> None:
    user = {
        "director_b": world.b.director,
        "teacher_a": world.a.teachers[0],
        "parent": world.parent,
        "erun": world.erun,
        "vannes_admin": world.vannes_admin,
        "outsider": world.outsider,
        "pupil": world.pupil_user,
    }[who]
    client = client_for(world, user)
    school = world.a.school
    assert client.get(reverse("directory:onde_upload", args=[school.pk])).status_code == 404
    assert upload(client, school).status_code == 404
    assert client.get(reverse("directory:onde_preview", args=[a_import.pk])).status_code == 404
    assert client.post(reverse("directory:onde_apply", args=[a_import.pk])).status_code == 404
    assert OndeImport.objects.count() == 1
    a_import.refresh_from_db()
    assert a_import.status == OndeImport.Status.PREVIEWED
    assert not Guardian.objects.filter(first_name="Nolwenn").exists()


def test_director_b_keeps_their_own_school(world, a_import: OndeImport) -> None:
    client = client_for(world, world.b.director)
    assert client.get(reverse("directory:onde_upload", args=[world.b.school.pk])).status_code == 200
    assert a_import.pk not in [
        i.pk
        for i in client.get(reverse("directory:onde_upload", args=[world.b.school.pk])).context[
            "recent"
        ]
    ]


def test_missing_objects_are_404_too(world) -> None:
    client = client_for(world, world.a.director)
    assert client.get(reverse("directory:onde_upload", args=[999999])).status_code == 404
    assert client.get(reverse("directory:onde_preview", args=[999999])).status_code == 404
    assert client.post(reverse("directory:onde_apply", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(world, a_import: OndeImport) -> None:
    from django.test import Client

    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("directory:onde_preview", args=[a_import.pk])
    )
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_apply_is_post_only(world, a_import: OndeImport) -> None:
    client = client_for(world, world.a.director)
    assert client.get(reverse("directory:onde_apply", args=[a_import.pk])).status_code == 405
