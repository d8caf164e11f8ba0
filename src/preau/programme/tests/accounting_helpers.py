"""Fictional accounting exports for the import tests: the fixture files, and rows to vary."""

from __future__ import annotations

from pathlib import Path

FILES = Path(__file__).parent / "accounting_files"

HEADER = (
    "Type;N° engagement;Date;Fournisseur;SIRET;Ligne budgétaire;Sites;Libellé;Montant HT;"
    "Taux TVA;Montant TVA;Montant TTC;N° marché;N° facture;N° Chorus Pro;Date paiement;N° mandat"
)
COLUMNS = HEADER.split(";")

# The 2022 export: two engagements (the second with two lines), three invoices.
ROWS_2022 = [
    "Engagement;E2022-001;15/02/2022;Fibre Océane;123 456 789 00012;1.1.1;0561001A|Site B;"
    "Raccordement fibre des écoles A et B;100 000,00;20;20 000,00;120 000,00;;;;;",
    "Engagement;E2022-002;01/03/2022;Armor Réseaux;;Achat et déploiement de switches "
    "manageables;Site A;Switches 48 ports;10 000,00;20,00;2 000,00;12 000,00;;;;;",
    "Engagement;E2022-002;01/03/2022;Armor Réseaux;;Achat et déploiement de switches "
    "manageables;Site A;Installation et configuration;1 500,00;20,00;300,00;1 800,00;;;;;",
    "Facture;E2022-001;20/06/2022;Fibre Océane;;;;Raccordement, tranche 1;50 000,00;20;"
    "10 000,00;60 000,00;;FO-2022-11;CPP-2022-000123;25/07/2022;M-2022-0451",
    "Facture;E2022-002;10/05/2022;;;;;Switches 48 ports;10 000,00;20;2 000,00;12 000,00;;AR-551;;;",
    "Facture;E2022-001;30/09/2022;Fibre Océane;;;;Raccordement, tranche 2;30 000,00;20;"
    "6 000,00;36 000,00;;FO-2022-19;;;",
]

# The 2023 export: the same, with the two unpaid invoices now paid, and a new invoice.
ROWS_2023 = [
    *ROWS_2022[:4],
    "Facture;E2022-002;10/05/2022;;;;;Switches 48 ports;10 000,00;20;2 000,00;12 000,00;;"
    "AR-551;CPP-2022-000987;15/01/2023;M-2023-0012",
    "Facture;E2022-001;30/09/2022;Fibre Océane;;;;Raccordement, tranche 2;30 000,00;20;"
    "6 000,00;36 000,00;;FO-2022-19;;20/11/2022;M-2022-0733",
    "Facture;E2022-002;15/02/2023;Armor Réseaux;;;;Installation et configuration;1 500,00;20;"
    "300,00;1 800,00;;AR-612;;;",
]


def csv_bytes(rows: list[str], header: str = HEADER, encoding: str = "cp1252") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def with_cell(row: str, column: str, value: str) -> str:
    """``row`` with the cell under ``column`` replaced."""
    cells = row.split(";")
    cells[COLUMNS.index(column)] = value
    return ";".join(cells)


def fixture(name: str) -> bytes:
    return (FILES / name).read_bytes()
