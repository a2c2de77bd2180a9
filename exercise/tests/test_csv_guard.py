"""The exercise report's downloads never hand a spreadsheet a formula, whichever separator the
spreadsheet splits the CSV on (Excel uses ";" in many European locales)."""

from __future__ import annotations

import csv
import io

import pytest

from exercise.views import _cell
from portal.tests.fixtures import make_library_user, make_person

FORMULA_STARTS = ("=", "+", "-", "@")
HOSTILE = 'Chris;=HYPERLINK("http://evil.example","x"), +1|-2\t@SUM(A1)'


@pytest.mark.parametrize(
    ("value", "guarded"),
    [
        ("Chris WONG", "Chris WONG"),
        ("=1+2", "'=1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("WONG;=1+2", "WONG;'=1+2"),
        ("WONG; =1+2", "WONG; '=1+2"),
        ("WONG,-3", "WONG,'-3"),
        ("WONG\t+3", "WONG\t'+3"),
        ("WONG|=cmd", "WONG|'=cmd"),
        ("line one\n=2", "line one\n'=2"),
        ("\tWONG", "'\tWONG"),
        ("Library; Computer Science", "Library; Computer Science"),
        ("Jean-Paul", "Jean-Paul"),
        ("", ""),
    ],
)
def test_every_cell_start_is_guarded(value, guarded):
    # given a value / when it is made a cell / then no part of it can start a formula
    assert _cell(value) == guarded


def fields(text: str, delimiter: str) -> list[str]:
    return [field for row in csv.reader(io.StringIO(text), delimiter=delimiter) for field in row]


@pytest.mark.django_db
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_csv_download_holds_no_formula_for_any_separator(client, delimiter):
    # given: a researcher whose name hides formulas after separators
    make_person(known_as=HOSTILE)
    client.force_login(make_library_user())
    # when: the Library downloads the report as CSV and a spreadsheet splits it on `delimiter`
    response = client.get("/backend/library/exercise/", {"format": "csv"})
    assert response.status_code == 200
    cells = fields(response.content.decode("utf-8-sig"), delimiter)
    # then: the name is there, and no cell starts a formula
    assert any("HYPERLINK" in cell for cell in cells)
    assert not [cell for cell in cells if cell.lstrip(" ").startswith(FORMULA_STARTS)]
