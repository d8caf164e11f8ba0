"""Reading ONDE files: encodings, quoting, header variants and every kind of bad input.

These tests need no database: they parse bytes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from django.test import override_settings
from django.utils import translation

from preau.directory.onde.errors import OndeFileError
from preau.directory.onde.guardians import parse_guardians
from preau.directory.onde.headers import header_key
from preau.directory.onde.pupils import parse_pupils
from preau.directory.onde.reading import decode
from preau.directory.tests.onde_helpers import csv_bytes, data, text

RECENT_HEADER = text("pupils_recent.csv").splitlines()[0]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons are asserted in English, whatever catalogue the project ships."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("cp1252", False), ("iso-8859-1", False), ("utf-8", False), ("utf-8", True)],
)
@pytest.mark.parametrize("crlf", [True, False])
def test_every_encoding_gives_the_same_pupils(encoding: str, bom: bool, crlf: bool) -> None:
    parsed = parse_pupils(data("pupils_recent.csv", encoding, crlf=crlf, bom=bom))
    assert parsed.issues == []
    names = [(r.last_name, r.usage_name, r.first_name) for r in parsed.records]
    assert ("DUPONT", "", "Léa") in names
    assert ("LE GOFF", "KERBRAT", "Maël") in names
    assert len(parsed.records) == 6
    assert parsed.columns.labels["first_name"] == "Prénom élève"


def test_cp1252_only_characters_are_read() -> None:
    # ’ and œ exist in Windows-1252 but not in ISO-8859-1.
    raw = csv_bytes(RECENT_HEADER, "CŒUR;;Chloé’;01/02/2018;F;;;;;;;;;;;CP;CP d’Anne;;;Oui;Oui;")
    assert decode("pupils", raw).splitlines()[1].startswith("CŒUR;;Chloé’")
    record = parse_pupils(raw).records[0]
    assert record.class_label == "CP d’Anne"


def test_utf8_is_not_mistaken_for_cp1252() -> None:
    raw = csv_bytes(
        RECENT_HEADER, "LÉON;;Zoé;01/02/2018;F;;;;;;;;;;;CP;CP;;;Oui;Oui;", encoding="utf-8"
    )
    assert parse_pupils(raw).records[0].last_name == "LÉON"


def test_be1d_quoted_header_and_iso_dates() -> None:
    parsed = parse_pupils(data("pupils_be1d.csv"))
    assert parsed.issues == []
    assert len(parsed.records) == 4  # the row of empty quoted cells is skipped
    first = parsed.records[0]
    assert (first.last_name, first.first_name, first.birth_date) == (
        "LE CORRE",
        "Gwenaëlle",
        dt.date(2020, 1, 15),
    )
    assert first.class_label == "01 PS-MS de Mme PERRIN"
    assert first.level == "PS"
    assert first.ine is None
    assert (first.consent_photo, first.consent_associations) == (True, True)
    assert parsed.records[1].consent_photo is False
    assert parsed.records[1].line == 3
    assert parsed.records[3].line == 6  # line numbers count the skipped empty row


def test_both_date_formats() -> None:
    raw = csv_bytes(
        "Nom;Prénom;Date de naissance;Classe",
        "A;Un;2018-02-03;CP",
        "B;Deux;03/02/2018;CP",
    )
    parsed = parse_pupils(raw)
    assert [r.birth_date for r in parsed.records] == [dt.date(2018, 2, 3)] * 2


def test_header_variants_normalise() -> None:
    assert header_key("Autorisations photos") == header_key("Autorisation photo")
    assert header_key('"Nom Elève"') == header_key("Nom élève")
    assert header_key(" Cycle") == header_key("Cycle")
    assert header_key("Nom d’usage élève") == header_key("Nom d'usage élève")
    assert header_key("\ufeffNom élève") == header_key("NOM ELEVE")


def test_unknown_columns_are_reported_not_guessed() -> None:
    raw = csv_bytes(
        "Nom élève;Prénom élève;Date naissance;Classe;Couleur préférée", "A;B;01/01/2018;CP;bleu"
    )
    parsed = parse_pupils(raw)
    assert parsed.columns.unknown == ["Couleur préférée"]
    assert len(parsed.records) == 1


def test_other_known_columns_are_ignored() -> None:
    header = (
        "Nom élève;Deuxième prénom;Troisième prénom;Prénom élève;Date naissance;Commune naissance;"
        "Dépt naissance;Pays naissance;Date inscription;Etat;Regroupement(s);Dispositif(s);"
        "Classe ou regroupement"
    )
    raw = csv_bytes(header, "A;;;B;01/01/2018;Lorient;56;FRANCE;01/09/2024;Admis;;;CP-CE1")
    parsed = parse_pupils(raw)
    assert parsed.columns.unknown == []
    assert parsed.records[0].class_label == "CP-CE1"


@pytest.mark.parametrize(
    ("drop", "named"),
    [
        ("Date naissance", "Date naissance"),
        ("Libellé classe", "Libellé classe"),
        ("Prénom élève", "Prénom élève"),
        ("Nom élève", "Nom élève"),
    ],
)
def test_missing_required_column_refuses_the_file(drop: str, named: str) -> None:
    columns = [c for c in RECENT_HEADER.split(";") if c != drop]
    with pytest.raises(OndeFileError) as caught:
        parse_pupils(csv_bytes(";".join(columns), ";".join(["x"] * len(columns))))
    assert f"“{named}”" in caught.value.message
    assert "Missing required column" in caught.value.message


@pytest.mark.parametrize(
    "value", ["31/02/2017", "2017-13-01", "hier", "01-03-2017", "01/03/17", "01/03/2099"]
)
def test_invalid_date_is_rejected_with_line_and_column(value: str) -> None:
    raw = csv_bytes(
        "Nom élève;Prénom élève;Date naissance;Classe", "A;B;01/01/2018;CP", f"C;D;{value};CP"
    )
    parsed = parse_pupils(raw)
    assert [r.last_name for r in parsed.records] == ["A"]
    (issue,) = parsed.issues
    assert (issue.line, issue.column) == (3, "Date naissance")
    assert value in issue.reason


def test_bad_cells_are_named() -> None:
    raw = csv_bytes(
        "Nom élève;Prénom élève;Date naissance;Classe;Niveau;Sexe;Autorisation photo;INE",
        "A;;01/01/2018;CP;CP9;X;Peut-être;123",
    )
    issues = {i.column: i.reason for i in parse_pupils(raw).issues}
    assert set(issues) == {"Prénom élève", "Niveau", "Sexe", "Autorisation photo", "INE"}
    assert "Oui" in issues["Autorisation photo"]


def test_duplicate_pupils() -> None:
    raw = csv_bytes(
        "Nom élève;Prénom élève;Date naissance;Classe;INE",
        "A;B;01/01/2018;CP;1234567890A",
        "Z;Y;02/01/2018;CP;1234567890A",  # same INE
        "C;D;03/01/2018;CP;",
        "c;d;2018-01-03;CE1;",  # same name and birth date, no INE
        "E;F;04/01/2018;CP;1111111111A",
        "E;F;04/01/2018;CP;2222222222A",  # two INEs: two pupils (homonyms), kept
    )
    parsed = parse_pupils(raw)
    assert [(i.line, i.reason) for i in parsed.issues] == [
        (3, "duplicate pupil: Z Y is already on line 2"),
        (5, "duplicate pupil: c d is already on line 4"),
    ]
    assert len(parsed.records) == 4


def test_empty_lines_are_skipped() -> None:
    raw = (
        b"\r\n\r\nNom;Pr\xe9nom;Date naissance;Classe\r\n\r\n"
        b"A;B;01/01/2018;CP\r\n;;;\r\n\r\nC;D;02/01/2018;CP\r\n\r\n"
    )
    parsed = parse_pupils(raw)
    assert [(r.line, r.last_name) for r in parsed.records] == [(5, "A"), (8, "C")]


def test_cells_with_quotes_and_separators() -> None:
    raw = csv_bytes(
        "Nom;Prénom;Date naissance;Classe", '"L\'HÔTE";"Jean; Marie";"01/01/2018";"CE1 ""bleu"""'
    )
    record = parse_pupils(raw).records[0]
    assert (record.last_name, record.first_name, record.class_label) == (
        "L'HÔTE",
        "Jean; Marie",
        'CE1 "bleu"',
    )


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 50, "spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old Excel"),
        (b"Bonjour,\r\nvoici la liste des \xe9l\xe8ves.\r\n", "no “;” separator"),
        (b"\x00\x01\x02\x03binary", "binary file"),
        (b"", "empty"),
        (b"\r\n\r\n", "no header"),
    ],
)
def test_not_csv_at_all_is_refused(payload: bytes, says: str) -> None:
    with pytest.raises(OndeFileError) as caught:
        parse_pupils(payload)
    assert says in caught.value.message


def test_fifty_megabytes_are_refused_before_parsing() -> None:
    header = RECENT_HEADER.encode("cp1252") + b"\r\n"
    row = b"A;;B;01/01/2018;F;;;;;;;;;;;CP;CP;;;Oui;Oui;\r\n"
    big = header + row * (50 * 1024 * 1024 // len(row) + 1)
    assert len(big) >= 50 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(OndeFileError) as caught:
        parse_pupils(big)
    elapsed = time.perf_counter() - started
    assert "MB; the limit is" in caught.value.message
    assert elapsed < 0.5  # refused on its size: parsing 50 MB would take many seconds


@override_settings(PREAU_MAX_IMPORT_BYTES=2048)
def test_the_limit_comes_from_settings() -> None:
    with pytest.raises(OndeFileError):
        parse_pupils(data("pupils_recent.csv") * 3)


# Guardians ------------------------------------------------------------------------------


def _children(parsed):
    return {r.display: sorted(c.first_name for c in r.children) for r in parsed.records}


def test_guardians_two_child_blocks_and_organisations_table() -> None:
    parsed = parse_guardians(data("guardians_2019.csv"))
    assert parsed.issues == []
    assert parsed.organisations_skipped
    assert len(parsed.records) == 8
    assert _children(parsed)["MARTIN Camille"] == ["Prénom0", "Prénom0"]
    anne = next(r for r in parsed.records if r.first_name == "Anne")
    assert (anne.civility, anne.email, anne.phone_mobile) == ("MME", "", "0798765432")  # MLLE → MME
    jean = next(r for r in parsed.records if r.first_name == "Jean")
    assert (jean.civility, jean.phone_mobile) == ("M.", "0612345678")  # mobile only
    assert "Mairie" not in str(parsed.records)


def test_guardians_old_enfant_header() -> None:
    parsed = parse_guardians(data("guardians_2017.csv"))
    assert parsed.issues == []
    assert _children(parsed)["TRAN Linh"] == ["Anaïs", "Zoë"]


def test_guardians_numbered_blocks_with_birth_dates() -> None:
    parsed = parse_guardians(data("guardians_numbered.csv", "utf-8", bom=True))
    assert parsed.issues == []
    linh = next(r for r in parsed.records if r.first_name == "Linh")
    assert [(c.first_name, c.birth_date) for c in linh.children] == [
        ("Anaïs", dt.date(2019, 2, 28)),
        ("Zoë", dt.date(2018, 9, 30)),
    ]
    assert parsed.unknown_columns == []


def test_guardians_r1_r2_layout() -> None:
    parsed = parse_guardians(data("guardians_r1r2.csv"))
    assert parsed.issues == []
    assert parsed.layout == "r1r2"
    assert [r.display for r in parsed.records] == [
        "LE CORRE Soazig",
        "HÉLIAS Yann",
        "HÉLIAS Morgane",
        "NGUYEN Linh",
        "NGUYEN Linh",
    ]
    assert parsed.records[2].phone_mobile == "0633333333"


def test_guardians_missing_child_columns() -> None:
    raw = csv_bytes(
        "Civilité Responsable;Nom responsable;Prénom responsable;Courriel", "M.;A;B;a@example.org"
    )
    with pytest.raises(OndeFileError) as caught:
        parse_guardians(raw)
    assert "Nom de famille élève" in caught.value.message


def test_guardian_bad_cells() -> None:
    raw = csv_bytes(
        "Civilité Responsable;Nom responsable;Prénom responsable;Courriel;"
        "Nom de famille élève;Prénom élève;Classes élèves;Date de naissance élève",
        "DR;A;B;pas-un-courriel;X;Y;CP;01/01/2018",
        "M.;A;B;;X;;CP;",
        "M.;C;D;;;;;",
        "M.;E;F;;X;Y;CP;32/01/2018",
    )
    issues = [(i.line, i.column) for i in parse_guardians(raw).issues]
    assert issues == [
        (2, "Civilité Responsable"),
        (2, "Courriel"),
        (3, "Prénom élève"),
        (4, ""),
        (5, "Date de naissance élève"),
    ]


def test_other_encodings_fall_back_to_detection() -> None:
    # A DOS (cp850) file: É is byte 0x90, which Windows-1252 does not define, so strict
    # UTF-8 and cp1252 both fail and charset-normalizer decides.
    raw = csv_bytes(
        "Nom élève;Prénom élève;Date naissance;Classe",
        "HÉLIAS;Noé;01/02/2018;CP de Mme ÉMERY",
        "ÉTIENNE;Zoë;02/02/2018;CP de Mme ÉMERY",
        encoding="cp850",
    )
    with pytest.raises(UnicodeDecodeError):
        raw.decode("cp1252")
    records = parse_pupils(raw).records
    assert [(r.last_name, r.first_name) for r in records] == [("HÉLIAS", "Noé"), ("ÉTIENNE", "Zoë")]
