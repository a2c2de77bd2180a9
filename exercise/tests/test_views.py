"""The Library's exercise report and the researcher's "Check again", with statuses stored as a
refresh would store them (the checks themselves are in tests/integration/test_exercise.py)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from exercise import status, views
from exercise.models import ExerciseStatus, Part2State
from portal.tests.fixtures import make_library_user, make_person, make_unit

pytestmark = pytest.mark.django_db
# The researchers' table, after the progress figures on the same page.
RESEARCHERS_TABLE = '<table class="data-table" id="researchers">'


def stored(person, part1: bool, part2: Part2State, step: str = "") -> ExerciseStatus:
    return ExerciseStatus.objects.create(
        person=person,
        part1_complete=part1,
        part2_state=part2,
        orcid="0000-0000-0000-0001" if part1 else "",
        next_step=step,
        checked_at=timezone.now(),
    )


@pytest.fixture
def library(client: Client) -> Client:
    client.force_login(make_library_user())
    return client


@pytest.fixture
def people() -> dict[str, Any]:
    library_unit = make_unit("Run Run Shaw Library")
    physics = make_unit("Department of Physics")
    chris = make_person("Chris", "WONG", unit=library_unit)
    mei = make_person("Mei", "CHAN", unit=physics)
    ken = make_person("Ken", "LEE", unit=physics)
    stored(chris, True, Part2State.COMPLETE)
    stored(mei, False, Part2State.INCOMPLETE, 'Part 1: "Edit profile" → …')
    return {"chris": chris, "mei": mei, "ken": ken, "physics": physics}


def test_report_counts_and_lists_everyone(library, people):
    page = library.get("/backend/library/exercise/").content.decode()
    assert "Part 1 complete for <strong>1</strong>" in page
    assert "Part 2 complete for <strong>1</strong>" in page
    assert "1 never checked" in page
    for name in ("Chris WONG", "Mei CHAN", "Ken LEE"):
        assert name in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"part1": "done"}, ["Chris WONG"], ["Mei CHAN", "Ken LEE"]),
        ({"part1": "todo"}, ["Mei CHAN", "Ken LEE"], ["Chris WONG"]),
        ({"part2": "unchecked"}, ["Ken LEE"], ["Chris WONG", "Mei CHAN"]),
        ({"part2": "incomplete"}, ["Mei CHAN"], ["Chris WONG", "Ken LEE"]),
    ],
)
def test_report_filters(library, people, query, shown, hidden):
    table = (
        library.get("/backend/library/exercise/", query)
        .content.decode()
        .split(RESEARCHERS_TABLE)[1]
    )
    for name in shown:
        assert name in table
    for name in hidden:
        assert name not in table


def test_report_filters_by_unit(library, people):
    table = library.get("/backend/library/exercise/", {"unit": people["physics"].pk})
    body = table.content.decode().split(RESEARCHERS_TABLE)[1]
    assert "Mei CHAN" in body
    assert "Chris WONG" not in body


@pytest.mark.parametrize(
    "query",
    [
        {"unit": "999999"},
        {"unit": "<script>"},
        {"part1": "maybe"},
        {"part2": "x" * 5000},
        {"format": "pdf"},
        {"unit": "1\x00"},
    ],
)
def test_report_refuses_bad_filters_with_a_message(library, people, query):
    response = library.get("/backend/library/exercise/", query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_csv_download(library, people):
    response = library.get("/backend/library/exercise/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0].split(",") == views.EXPORT_COLUMNS
    assert len(lines) == 4
    assert any("Chris WONG" in line and "complete" in line for line in lines)


def test_excel_download(library, people):
    response = library.get("/backend/library/exercise/", {"format": "xlsx", "part1": "done"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == views.EXPORT_COLUMNS
    assert [row[1] for row in rows[1:]] == ["Chris WONG"]


def test_the_report_is_for_the_library_only(client, people):
    assert client.get("/backend/library/exercise/").status_code == 302  # to the login page
    client.force_login(people["mei"].user)
    assert client.get("/backend/library/exercise/").status_code == 403
    assert client.post("/backend/library/exercise/refresh").status_code == 403


def test_refresh_needs_post(library):
    assert library.get("/backend/library/exercise/refresh").status_code == 405


def test_researcher_home_shows_their_status_and_check_again(client, people, monkeypatch):
    client.force_login(people["mei"].user)
    page = client.get("/backend/").content.decode()
    assert "ORCID Creation and Integration Exercise" in page
    assert "Edit profile" in page
    # "Check again" runs the check for this researcher only
    checked = []

    def assess(person):
        checked.append(person)
        return ExerciseStatus.objects.get(person=person)

    monkeypatch.setattr(status, "assess", assess)
    response = client.post("/backend/exercise/check")
    assert response.status_code == 302
    assert checked == [people["mei"]]


def test_library_home_links_the_report(library):
    assert "/backend/library/exercise/" in library.get("/backend/").content.decode()


def test_check_again_is_for_researchers(library):
    assert library.post("/backend/exercise/check").status_code == 403


def test_the_report_and_panels_meet_the_accessibility_basics(client, library, people):
    from portal.tests.accessibility import assert_accessible

    pages = [
        library.get("/backend/library/exercise/"),
        library.get("/backend/library/exercise/", {"unit": "nope", "part1": "maybe"}),
        library.get("/backend/"),
    ]
    client.force_login(people["mei"].user)
    pages.append(client.get("/backend/"))
    for response in pages:
        assert_accessible(response.content.decode())


def test_the_guide_uses_the_seeds_words_and_links_that_work(client, people, settings):
    from portal.tests.accessibility import assert_accessible

    settings.SCOPUS_WEB_URL = "https://www.scopus.com"
    anonymous = client.get("/orcid-exercise/")
    page = anonymous.content.decode()
    assert anonymous.status_code == 200
    assert "Part 2: Integrating ORCID with Scopus Author ID" in page
    assert "Scopus will reflect the change in 24 – 48 hours" in page
    assert 'href="https://www.scopus.com/results/authorNamesList.uri"' in page
    assert_accessible(page)
    # signed in, the Scopus search is for the researcher's own name
    client.force_login(people["mei"].user)
    page = client.get("/orcid-exercise/").content.decode()
    assert "authorNamesList.uri?st1=CHAN&amp;st2=Mei" in page
    # and the portal's home points to it
    assert "/orcid-exercise/" in client.get("/").content.decode()


def test_spreadsheet_cells_never_run_as_formulas(library, people):
    person = people["mei"]
    person.known_as = '=HYPERLINK("http://evil.example","x")'
    person.save()
    response = library.get("/backend/library/exercise/", {"format": "xlsx", "part1": "todo"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db(databases=["default", "orcid", "scopus"])
def test_check_everyone_runs_as_a_job_and_not_twice(library, people):
    from jobs.models import JobRun

    response = library.post("/backend/library/exercise/refresh", follow=True)
    assert "Checking everyone has started" in response.content.decode()
    done = JobRun.objects.get(job="exercise-refresh")
    assert done.finished_at is not None  # the tests' task backend runs it at once
    assert "2 researcher(s)" in done.outcome  # Chris, complete today, is not asked again
    # while a run is queued or running, a second click adds nothing
    JobRun.objects.create(job="exercise-refresh")
    response = library.post("/backend/library/exercise/refresh", follow=True)
    assert "already under way" in response.content.decode()
    assert JobRun.objects.filter(job="exercise-refresh").count() == 2
