import csv
import io

import pytest

from preau.core.csvsafe import safe_cell


@pytest.mark.parametrize(
    "typed",
    ["=HYPERLINK(1)", "+33 1 23", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=cmd|" /C calc"!A0'],
)
def test_a_cell_that_would_run_as_a_formula_becomes_text(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["", "Dupont", "Jean-Marie", "a=b", " =1", "'=1", "3 + 4"])
def test_other_cells_are_kept_as_they_are(typed):
    assert safe_cell(typed) == typed


def test_a_neutralised_cell_reads_back_through_the_csv_module():
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell('=HYPERLINK("http://evil", "x")'), "ok"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [
        '\'=HYPERLINK("http://evil", "x")',
        "ok",
    ]
