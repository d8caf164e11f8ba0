"""Accounting import through the pages (upload → preview → apply) and the command line."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from preau.programme import accounting_uploads
from preau.programme.models import Invoice, Order
from preau.programme.tests.accounting_helpers import (
    FILES,
    ROWS_2022,
    csv_bytes,
    fixture,
    with_cell,
)


def _upload(client, programme, data, name="export.csv"):
    return client.post(
        reverse("programme:import_accounting", args=[programme.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def _pending_files():
    return sorted(p.name for p in accounting_uploads._directory().iterdir())


@pytest.fixture(autouse=True)
def own_var_dir(settings, tmp_path):
    """Pending uploads go under a var/ of the test's own."""
    settings.VAR_DIR = tmp_path


@pytest.mark.parametrize("who", ["officer", "city_admin"])
def test_upload_preview_apply(world, seed, officer, who):
    user = officer if who == "officer" else world.city_admin
    client = world.client_for(user)
    page = client.get(reverse("programme:import_accounting", args=[seed.pk]))
    assert page.status_code == 200
    assert "N° engagement" in page.text
    response = _upload(client, seed, fixture("export_2022.csv"), "export_2022.csv")
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    html = preview.text
    assert "export_2022.csv" in html
    assert html.count('class="import-status-create"') == 5  # 2 engagements, 3 invoices
    assert "Fibre Océane" in html
    assert "1.2.4" in html
    assert not Order.objects.exists()  # a preview writes nothing
    assert len(_pending_files()) == 2  # the file and its name, until applied
    apply_url = response.url + "apply/"
    assert apply_url in html
    applied = client.post(apply_url)
    assert applied.status_code == 302
    assert applied.url == reverse("programme:detail", args=[seed.pk])
    assert Order.objects.count() == 2
    assert Invoice.objects.count() == 3
    assert _pending_files() == []  # erased once imported
    # Applied twice: the upload is gone.
    again = client.post(apply_url, follow=True)
    assert again.redirect_chain[-1][0] == reverse("programme:import_accounting", args=[seed.pk])
    assert Order.objects.count() == 2
    # The same file again: everything unchanged.
    response = _upload(client, seed, fixture("export_2022.csv"))
    html = client.get(response.url).text
    assert html.count('class="import-status-unchanged"') == 5
    assert 'role="status"' in html


def test_a_refused_file_lists_its_problems_and_keeps_nothing(world, seed, officer):
    client = world.client_for(officer)
    rows = [with_cell(ROWS_2022[0], "Ligne budgétaire", "9.9.9"), ROWS_2022[3]]
    response = _upload(client, seed, csv_bytes(rows))
    assert response.status_code == 200
    html = response.text
    assert "import-issues" in html
    assert "9.9.9" in html
    assert "Ligne budgétaire" in html
    assert "/apply/" not in html
    assert _pending_files() == []
    assert not Order.objects.exists()


def test_an_empty_form_is_a_400(world, seed, officer):
    response = world.client_for(officer).post(
        reverse("programme:import_accounting", args=[seed.pk]), {}
    )
    assert response.status_code == 400


def test_someone_elses_upload_is_a_404(world, seed, officer):
    response = _upload(world.client_for(officer), seed, fixture("export_2022.csv"))
    token_url = response.url
    other = world.client_for(world.city_admin)
    assert other.get(token_url).status_code == 404
    assert other.post(token_url + "apply/").status_code == 302  # "upload again"
    assert not Order.objects.exists()
    bad = reverse("programme:import_accounting_preview", args=[seed.pk, "..%2F..%2Fetc"])
    assert world.client_for(officer).get(bad).status_code == 404


@pytest.mark.parametrize("who", ["vannes_officer", "technician", "teacher", "parent", "director"])
def test_others_get_404(world, seed, officer, vannes_officer, technician, who):
    user = {
        "vannes_officer": vannes_officer,
        "technician": technician,
        "teacher": world.a.teachers[0],
        "parent": world.parent,
        "director": world.a.director,
    }[who]
    token_url = _upload(world.client_for(officer), seed, fixture("export_2022.csv")).url
    client = world.client_for(user)
    assert client.get(reverse("programme:import_accounting", args=[seed.pk])).status_code == 404
    assert _upload(client, seed, fixture("export_2022.csv")).status_code == 404
    assert client.get(token_url).status_code == 404
    assert client.post(token_url + "apply/").status_code == 404
    assert not Order.objects.exists()


def test_command_dry_run_then_import(seed, capsys):
    path = str(FILES / "export_2022.csv")
    call_command("import_accounting", "--programme", str(seed.pk), "--dry-run", path)
    out = capsys.readouterr().out
    assert "engagements created: 2" in out
    assert "Dry run" in out
    assert not Order.objects.exists()
    call_command("import_accounting", "--programme", str(seed.pk), path)
    assert Order.objects.count() == 2
    call_command("import_accounting", "--programme", str(seed.pk), path)
    out = capsys.readouterr().out
    assert "invoices unchanged: 3" in out


def test_command_refuses_with_exit_status_2(seed, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([with_cell(ROWS_2022[0], "Montant TVA", "1,00")]))
    for extra in (["--dry-run"], []):
        with pytest.raises(CommandError) as refused:
            call_command("import_accounting", "--programme", str(seed.pk), *extra, str(bad))
        assert refused.value.returncode == 2
    assert "line 2, column Montant TVA" in capsys.readouterr().err
    assert not Order.objects.exists()
    with pytest.raises(CommandError) as unknown:
        call_command("import_accounting", "--programme", "999999", str(bad))
    assert unknown.value.returncode == 2


def test_an_upload_left_pending_expires(world, seed, officer):
    import os
    import time

    client = world.client_for(officer)
    url = _upload(client, seed, fixture("export_2022.csv")).url
    old = time.time() - accounting_uploads.LIFETIME.total_seconds() - 60
    for path in accounting_uploads._directory().iterdir():
        os.utime(path, (old, old))
    assert client.get(url).status_code == 404
    assert _pending_files() == []
