"""The supplier delivery CSV: preview, all-or-nothing, idempotent by serial."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from preau.fleet.models import Asset, AssetEvent

pytestmark = pytest.mark.django_db

GOOD = """\
serial;kind;manufacturer;model;mac_address;purchase_date;warranty_end;order_ref;supplier;\
site;case_serial
CASE01;tablet_case;Bretagne Mobilier;Valise 9;;2022-05-02;;BC-2022-14;UGAP;Site A;
TAB01;tablet;Apple;iPad 9;;02/05/2022;2025-05-02;BC-2022-14;UGAP;Site A;CASE01
TAB02;Tablet;Apple;iPad 9;AA-BB-CC-DD-EE-01;2022-05-02;2025-05-02;BC-2022-14;UGAP;Site A;CASE01
"""


def _upload(client, text: str, name: str = "livraison.csv"):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("fleet:delivery_import"), {"file": upload})


def test_preview_then_import_then_again_changes_nothing(world, tech):
    client = world.client_for(tech)
    preview = _upload(client, GOOD)
    assert preview.status_code == 200
    assert "3 new assets" in preview.text
    assert not Asset.objects.exists()  # a preview writes nothing
    token = preview.context["token"]
    assert client.post(reverse("fleet:delivery_import"), {"token": token}).status_code == 302
    assert Asset.objects.count() == 3
    tablet = Asset.objects.get(serial="TAB02")
    assert tablet.parent is not None
    assert tablet.parent.serial == "CASE01"
    assert tablet.mac_address == "aa:bb:cc:dd:ee:01"
    assert tablet.site == world.a.school.site
    assert str(tablet.warranty_end) == "2025-05-02"
    assert str(Asset.objects.get(serial="TAB01").purchase_date) == "2022-05-02"
    assert AssetEvent.objects.filter(kind="imported").count() == 3
    again = _upload(client, GOOD)
    assert "0 new assets" in again.text
    assert "3 already registered" in again.text
    client.post(reverse("fleet:delivery_import"), {"token": token})  # replayed: skipped
    assert Asset.objects.count() == 3


def test_one_bad_row_imports_nothing(world, tech):
    bad = GOOD + "TAB03;fridge;;;;;;;;;\nTAB04;tablet;;;;31/02/2022;;;;Site V;\n"
    preview = _upload(world.client_for(tech), bad)
    text = preview.text
    assert "Line 5, kind" in text
    assert "fridge" in text
    assert "Line 6, site" in text  # another municipality's site is unknown here
    assert "token" not in preview.context
    assert not Asset.objects.exists()


def test_missing_columns_and_not_csv(world, tech):
    client = world.client_for(tech)
    assert "Missing columns: kind" in _upload(client, "serial;model\nX;Y\n").text
    assert "no rows" in _upload(client, "serial;kind\n").text


@pytest.mark.parametrize("persona", ["director_a", "teacher_a0", "parent", "outsider"])
def test_only_fleet_managers_import(world, persona):
    client = world.client_for(world.persona(persona))
    assert client.get(reverse("fleet:delivery_import")).status_code == 404
