"""``preau import-onde``: report, exit status, --dry-run, rejection."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from preau.core.models import AuditEvent
from preau.directory.models import Guardian, Pupil
from preau.directory.tests.onde_helpers import FILES, csv_bytes


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons are asserted in English, whatever catalogue the project ships."""
    with translation.override("en"):
        yield


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_onde", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_and_reimport(world) -> None:
    pupils, guardians = str(FILES / "pupils_recent.csv"), str(FILES / "guardians_2019.csv")
    out, err = run("--school", "0561001A", pupils, guardians)
    assert "pupils created: 2" in out
    assert "guardians created: 3" in out
    assert "Import applied." in out
    assert err == ""
    assert AuditEvent.objects.get(action="onde.import").actor_label == "command line"
    out, _ = run("--school", "0561001a", pupils, guardians)
    assert "pupils created: 0" in out
    assert "pupils unchanged: 6" in out


def test_dry_run_changes_nothing(world) -> None:
    before = (Pupil.objects.count(), Guardian.objects.count())
    out, _ = run(
        "--school",
        "0561001A",
        "--dry-run",
        str(FILES / "pupils_recent.csv"),
        str(FILES / "guardians_2019.csv"),
    )
    assert "pupils created: 2" in out
    assert "Dry run: nothing was changed." in out
    assert (Pupil.objects.count(), Guardian.objects.count()) == before


def test_rejected_input_exits_2_with_line_and_column(world, tmp_path: Path) -> None:
    bad = tmp_path / "CSVExtraction.csv"
    bad.write_bytes(
        csv_bytes(
            "Nom élève;Prénom élève;Date naissance;Libellé classe",
            "DUPONT;Léa;30/02/2019;CP A",
            "DUPONT;Léo;2019-04-31;CP A",
        )
    )
    before = Pupil.objects.count()
    with pytest.raises(CommandError) as caught:
        run("--school", "0561001A", str(bad))
    assert caught.value.returncode == 2
    assert "nothing was changed" in str(caught.value)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_onde", "--school", "0561001A", str(bad), stdout=out, stderr=err)
    assert (
        "pupils file, line 2, column Date naissance: “30/02/2019” is not a date" in err.getvalue()
    )
    assert "pupils file, line 3, column Date naissance" in err.getvalue()
    assert Pupil.objects.count() == before


def test_dry_run_of_bad_files_also_exits_2(world, tmp_path: Path) -> None:
    pdf = tmp_path / "liste.pdf"
    pdf.write_bytes(b"%PDF-1.5\n")
    with pytest.raises(CommandError) as caught:
        run("--school", "0561001A", "--dry-run", str(pdf))
    assert caught.value.returncode == 2


def test_unknown_school_and_missing_file(world) -> None:
    with pytest.raises(CommandError) as caught:
        run("--school", "9999999Z", str(FILES / "pupils_recent.csv"))
    assert caught.value.returncode == 2
    assert "9999999Z" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run("--school", "0561001A", "/nonexistent/CSVExtraction.csv")
    assert caught.value.returncode == 2
    assert "Cannot read" in str(caught.value)


@override_settings(PREAU_MAX_IMPORT_BYTES=1024)
def test_too_big_file_is_refused_unread(world) -> None:
    with pytest.raises(CommandError) as caught:
        run("--school", "0561001A", str(FILES / "guardians_2019.csv"))
    assert "the limit is" in str(caught.value)


def test_exit_status_through_the_preau_command(world, tmp_path: Path) -> None:
    # The real entry point turns CommandError into the process exit status.
    from preau.cli import main

    bad = tmp_path / "x.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    import sys

    argv = sys.argv
    sys.argv = ["preau", "import-onde", "--school", "0561001A", str(bad)]
    try:
        with pytest.raises(SystemExit) as caught:
            main()
    finally:
        sys.argv = argv
    assert caught.value.code == 2
