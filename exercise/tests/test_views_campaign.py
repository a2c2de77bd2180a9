"""The Library's progress picture and campaigns, and the researcher's answers, through the
pages as people use them (hostile input included)."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from exercise.campaigns import opt_out_token
from exercise.choices import Part2State, Problem, Progress, SuggestionState
from exercise.models import Campaign, ExerciseOptOut, ExerciseStatus, ScopusIdSuggestion
from portal.choices import PersonIdentifierType
from portal.models import PersonIdentifier
from portal.tests.fixtures import make_library_user, make_person, make_unit

pytestmark = pytest.mark.django_db


def stored(person, part1: bool, part2: Part2State, problem: Problem = Problem.NONE):
    return ExerciseStatus.objects.create(
        person=person,
        part1_complete=part1,
        part2_state=part2,
        problem=problem,
        problem_detail="ORCID refused the token" if problem else "",
        checked_at=timezone.now(),
    )


@pytest.fixture
def library(client: Client) -> Client:
    client.force_login(make_library_user())
    return client


@pytest.fixture
def units() -> dict[str, Any]:
    physics = make_unit("Department of Physics")
    law = make_unit("School of Law")
    stored(make_person("Mei", "CHAN", unit=physics), True, Part2State.COMPLETE)
    ken = make_person("Ken", "LEE", unit=physics)
    stored(ken, True, Part2State.INCOMPLETE)
    ann = make_person("Ann", "HO", unit=physics)
    stored(ann, False, Part2State.UNKNOWN, Problem.TOKEN_REVOKED)
    make_person("Bo", "YU", unit=law)  # never checked: not started
    stored(make_person("Cy", "NG", unit=law), True, Part2State.NOT_APPLICABLE)
    return {"physics": physics, "law": law, "ken": ken, "ann": ann}


def table_rows(page: str) -> dict[str, list[int]]:
    body = page.split('class="data-table progress__table"')[1].split("</table>")[0]
    rows = {}
    for name, cells in re.findall(r'<th scope="row">([^<]+)</th>((?:<td>\d+</td>)+)', body):
        rows[name] = [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]
    return rows


def test_the_chart_draws_exactly_the_tables_figures(library, units):
    # when
    page = library.get("/backend/library/exercise/").content.decode()
    # then: the JSON the script draws equals the table beside it, state by state
    data = json.loads(page.split('id="progress-data" type="application/json">')[1].split("<")[0])
    table = table_rows(page)
    drawn = dict(zip(data["units"]["names"], data["units"]["counts"], strict=True))
    assert {name: cells[:-1] for name, cells in table.items()} == drawn
    # and the figures are right: Physics has one of each of three states, Law two others
    states = data["labels"]
    physics = dict(zip(states, drawn["Department of Physics"], strict=True))
    assert physics[Progress.PART2.label] == 1
    assert physics[Progress.PART1.label] == 1
    assert physics[Progress.PROBLEM.label] == 1
    law = dict(zip(states, drawn["School of Law"], strict=True))
    assert law[Progress.NOT_STARTED.label] == 1
    assert law[Progress.NOT_APPLICABLE.label] == 1
    assert table["School of Law"][-1] == 2  # the total column
    # and the chart library comes from the project, never a CDN
    assert "/static/exercise/vendor/chart-4.6.1.umd.min.js" in page
    assert "cdn" not in page.lower()


def test_problems_are_listed_with_their_cause(library, units):
    page = library.get("/backend/library/exercise/").content.decode()
    problems = page.split('id="problems-heading"')[1].split("</section>")[0]
    assert "Ann HO" in problems
    assert "ORCID access revoked or lost" in problems
    assert "ORCID refused the token" in problems
    assert "Mei CHAN" not in problems


def test_the_workbook_has_the_same_figures_and_a_chart_sheet(library, units):
    page = library.get("/backend/library/exercise/").content.decode()
    response = library.get("/backend/library/exercise/", {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Researchers", "Progress by unit", "Chart"]
    sheet = book["Progress by unit"]
    figures = {row[0]: list(row[1:]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert figures == table_rows(page)
    assert len(book.chartsheets) == 1


def test_the_library_starts_a_campaign_and_the_invitations_go_out(library, units):
    # when (the tests' task backend runs the sending job as soon as it is queued)
    response = library.post(
        "/backend/library/exercise/campaigns/",
        {
            "name": "Physics first",
            "unit": units["physics"].pk,
            "role": "",
            "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "reminder_every_days": 7,
            "max_reminders": 2,
            "subject": "Please take part by ${deadline}",
            "body": "Dear ${name}, see ${guide_url}. Stop: ${opt_out_url}",
        },
        follow=True,
    )
    # then: Ken and Ann (not done) are invited, Mei (done) is not
    assert response.status_code == 200
    assert Campaign.objects.count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [units["ken"].email, units["ann"].email]
    )
    assert "Dear Ken LEE, see http" in next(m.body for m in mail.outbox if "Ken" in m.body)
    page = response.content.decode()
    assert "Ken LEE" in page
    assert "Ann HO" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deadline", "2020-01-01", "The deadline has passed already."),
        ("deadline", "not a date", "Enter a valid date."),
        ("deadline", "9999-12-31", "Choose a deadline within two years."),
        ("subject", "Line one\r\nBcc: everyone@example.edu", "A subject is one line."),
        ("body", "Dear ${nmae}", "Unknown placeholder(s): ${nmae}"),
        ("body", "Pay $ 5", 'A "$" must start a placeholder'),
        ("reminder_every_days", "0", "greater than or equal to 1"),
        ("max_reminders", "9" * 400, "less than or equal to 10"),
        ("unit", "999999999", "Select a valid choice"),
        ("subject", "", "This field is required."),
    ],
)
def test_campaign_form_refuses_bad_input_and_keeps_the_rest(library, units, field, value, message):
    data = {
        "name": "Physics first" if field != "name" else "",
        "unit": "",
        "role": "",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "reminder_every_days": "7",
        "max_reminders": "2",
        "subject": "Please take part",
        "body": "Dear ${name}",
    }
    data[field] = value
    response = library.post("/backend/library/exercise/campaigns/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page.replace("&quot;", '"').replace("&#x27;", "'")
    assert "Physics first" in page  # what was typed stays
    assert not Campaign.objects.exists()
    assert mail.outbox == []


def test_researchers_cannot_reach_the_campaigns(client, units):
    mei = make_person("Mei", "CHAN")
    client.force_login(mei.user)
    assert client.get("/backend/library/exercise/campaigns/").status_code == 403


def test_opt_out_link(client, units):
    ken = make_person("Ken", "LEE")
    url = f"/orcid-exercise/opt-out/{opt_out_token(ken)}/"
    assert "Stop these messages" in client.get(url).content.decode()
    assert not ExerciseOptOut.objects.exists()
    assert "no more messages" in client.post(url).content.decode()
    assert ExerciseOptOut.objects.filter(person=ken).exists()
    forged = client.get("/orcid-exercise/opt-out/12:forged/")
    assert forged.status_code == 404
    assert "not valid" in forged.content.decode()


def test_is_this_you_on_the_personal_overview(client):
    # given
    chris = make_person()
    suggestion = ScopusIdSuggestion.objects.create(
        person=chris, author_id="98765432100", matched=12, found=14
    )
    client.force_login(chris.user)
    # when
    page = client.get("/backend/").content.decode()
    # then
    assert "Is this you?" in page
    assert "on 12 of your 14 validated outputs found in Scopus" in page
    # when: yes
    client.post(f"/backend/exercise/suggestions/{suggestion.pk}/accept")
    # then
    assert PersonIdentifier.objects.filter(
        person=chris, id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID, value="98765432100"
    ).exists()
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.ACCEPTED


def test_suggestions_answer_only_for_their_researcher(client):
    chris = make_person()
    mei = make_person("Mei", "CHAN")
    suggestion = ScopusIdSuggestion.objects.create(
        person=chris, author_id="98765432100", matched=1, found=1
    )
    client.force_login(mei.user)
    assert client.post(f"/backend/exercise/suggestions/{suggestion.pk}/accept").status_code == 404
    client.force_login(chris.user)
    assert client.post(f"/backend/exercise/suggestions/{suggestion.pk}/steal").status_code == 404
    assert client.get(f"/backend/exercise/suggestions/{suggestion.pk}/accept").status_code == 405
    assert client.post("/backend/exercise/suggestions/99999999/accept").status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.OPEN
