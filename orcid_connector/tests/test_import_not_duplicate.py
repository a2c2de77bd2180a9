"""'Import from ORCID': a work matching a held output by title, year and first author is listed
beside it with "Add me as an author of that output" and "Not a duplicate", as on a file import;
a match by DOI stays refused, and so does every answer the page did not offer (ORCID faked at
the transport)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from orcid_connector.actions import do_connect_orcid
from orcid_connector.records import Grant
from portal.choices import OutputSource, WorkflowStatus
from portal.duplicates import candidate_of, find_duplicates
from portal.models import AuditEntry, Person, ResearchOutput
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"
TITLE = "Open access in Hong Kong"
DOI = "10.1000/oa.2015"


def work(put_code: int, title: str, *, doi: str = "") -> dict[str, Any]:
    """A work as ORCID's API gives it in full, written by Scopus on Chris's behalf."""
    external = (
        [{"external-id-type": "doi", "external-id-value": doi, "external-id-relationship": "self"}]
        if doi
        else []
    )
    return {
        "put-code": put_code,
        "title": {"title": {"value": title}},
        "type": "journal-article",
        "publication-date": {"year": {"value": "2015"}},
        "external-ids": {"external-id": external},
        "contributors": {"contributor": [{"credit-name": {"value": "Chris WONG"}}]},
        "source": {
            "source-client-id": {"path": "APP-SCOPUS0000000001"},
            "source-name": {"value": "Scopus - Elsevier"},
        },
    }


class FakeOrcid:
    """Answers the member API's `/works` (summaries) and `/works/{put-codes}` (in full)."""

    def __init__(self, *works: dict[str, Any]) -> None:
        self.works = {item["put-code"]: item for item in works}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(f"/v3.0/{ORCID}/")
        if path == "works":
            groups = [{"work-summary": [{"put-code": code}]} for code in self.works]
            return httpx.Response(200, json={"group": groups})
        if path.startswith("works/"):
            codes = [int(code) for code in path.removeprefix("works/").split(",")]
            return httpx.Response(200, json={"bulk": [{"work": self.works[c]} for c in codes]})
        return httpx.Response(404)


@pytest.fixture
def orcid(settings: Settings) -> FakeOrcid:
    fake = FakeOrcid(work(11, TITLE, doi=DOI), work(12, "Library consortia in Asia"))
    settings.ORCID_API_URL = "http://orcid.test/v3.0"
    settings.ORCID_HTTP_TRANSPORT = httpx.MockTransport(fake)
    settings.ORCID_EXPORT_RETRIES = 0
    return fake


@pytest.fixture
def chris(client: Client, orcid: FakeOrcid) -> Person:
    """Chris, logged in, his ORCID iD connected."""
    person = make_person("Chris", "WONG")
    do_connect_orcid(
        person,
        Grant(
            orcid=ORCID,
            name="Chris WONG",
            scope="/read-limited /activities/update /person/update",
            access_token="f5af9f51-07e6-4332-8f1a-c0c11c1e3728",  # noqa: S106 - made up
            refresh_token="f725f747-3a65-49f6-a231-3e8944ce464d",  # noqa: S106 - made up
            expires_in=631138518,
        ),
        acting_user=None,
    )
    assert person.user is not None
    client.force_login(person.user)
    return person


def offered(page: str) -> list[str]:
    """The "Not a duplicate" answers a page offers (the boxes' form values)."""
    return re.findall(r'name="not_duplicate" value="([^"]+)"', page)


def press_import(client: Client, put_code: int, *answers: str) -> Any:
    return client.post(
        reverse("orcid_connector:import"),
        {"put_code": str(put_code), "not_duplicate": list(answers)},
    )


def test_title_match_is_listed_with_both_choices(client, chris) -> None:
    # given: a held output with the title, year and first author of work 11, without its DOI
    held = make_output(chris, title=TITLE, year=2015)
    # when
    page = client.get(reverse("orcid_connector:import")).content.decode()
    # then: work 11 beside its match, with both choices; work 12 new, with "Import" alone
    assert f"Possible duplicate of research output {held.pk}" in page
    assert page.count("Possible duplicate of research output") == 1
    assert "Add me as an author of that output" in page
    assert "Not a duplicate: import it as a new output" in page
    assert offered(page) == [f"11:{held.pk}"]
    assert 'form="orcid-import-11"' in page
    assert 'id="orcid-import-11"' in page
    assert 'id="orcid-import-12"' in page


def test_not_a_duplicate_imports_a_new_output_and_remembers_the_pair(client, chris) -> None:
    # given
    held = make_output(chris, title=TITLE, year=2015)
    url = reverse("orcid_connector:import")
    (answer,) = offered(client.get(url).content.decode())
    # when: "Not a duplicate" ticked, then "Import"
    response = press_import(client, 11, answer)
    # then: a new output, recorded as not a duplicate of the held one (and audited)
    new = ResearchOutput.objects.exclude(pk=held.pk).get()
    assert response.url == reverse("portal:my-output-detail", args=[new.pk])
    assert (new.title, new.source) == (TITLE, OutputSource.IMPORT)
    assert new.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
    assert new.contributors.get().person == chris
    assert list(new.not_duplicates.all()) == [held]
    assert AuditEntry.objects.filter(
        target_id=str(new.pk), after__not_duplicate_of=held.pk
    ).exists()
    # and the pair is no longer matched; the work is held now (by its DOI), so not listed
    assert find_duplicates(candidate_of(new), exclude=new) == []
    assert find_duplicates(candidate_of(held), exclude=held) == []
    assert TITLE not in client.get(url).content.decode()


def test_title_match_without_an_answer_is_not_imported(client, chris) -> None:
    # given
    held = make_output(chris, title=TITLE, year=2015)
    # when: "Import" without ticking "Not a duplicate"
    response = press_import(client, 11)
    # then
    assert response.status_code == 400
    assert f"Possible duplicate of research output {held.pk}: nothing was imported" in (
        response.content.decode()
    )
    assert list(ResearchOutput.objects.all()) == [held]


def test_identifier_match_is_refused_whatever_the_answer(client, chris) -> None:
    # given: a held output with work 11's DOI (another title)
    held = make_output(chris, title="Open access", year=2015, doi=DOI)
    url = reverse("orcid_connector:import")
    # when: the list, then a forged "Not a duplicate" for work 11
    page = client.get(url).content.decode()
    response = press_import(client, 11, f"11:{held.pk}")
    # then: work 11 is held, so not listed; the forged answer is refused, saying why
    assert TITLE not in page
    assert "Library consortia in Asia" in page
    assert response.status_code == 400
    assert (
        f"The portal already holds this publication: research output {held.pk} (Same DOI {DOI})"
        in response.content.decode()
    )
    assert list(ResearchOutput.objects.all()) == [held]


@pytest.mark.parametrize(
    ("put_code", "answer", "message"),
    [
        (11, "11:999999", "Research output 999999 is not a possible duplicate of this entry"),
        (11, "11:{other}", "Research output {other} is not a possible duplicate of this entry"),
        (12, "12:{held}", "Research output {held} is not a possible duplicate of this entry"),
        (11, "12:{held}", "not one this page offered"),
        (11, "11:{held}-x", "not one this page offered"),
        (11, "", "not one this page offered"),
        (999, "999:{held}", "That work is no longer on your ORCID record"),
        ("abc", "11:{held}", "That work is no longer on your ORCID record"),
    ],
)
def test_forged_foreign_or_malformed_answers_are_refused(
    client, chris, put_code: int, answer: str, message: str
) -> None:
    # given: work 11's title match, and another researcher's output that matches nothing
    held = make_output(chris, title=TITLE, year=2015)
    other = make_output(make_person("Ann", "LEE"), title="Another paper", year=2015)
    # when
    response = press_import(client, put_code, answer.format(held=held.pk, other=other.pk))
    # then: a clear error over the list, nothing imported or recorded
    text = response.content.decode()
    assert response.status_code == 400
    assert message.format(held=held.pk, other=other.pk) in text
    assert "nothing was imported" in text
    assert offered(text) == [f"11:{held.pk}"]
    assert set(ResearchOutput.objects.all()) == {held, other}
    assert not held.not_duplicates.exists()


def test_a_second_import_of_the_same_answer_is_refused(client, chris) -> None:
    # given: work 12 (no identifiers) answered "Not a duplicate" of its twin, and imported
    held = make_output(chris, title="Library consortia in Asia", year=2015)
    assert press_import(client, 12, f"12:{held.pk}").status_code == 302
    new = ResearchOutput.objects.exclude(pk=held.pk).get()
    # when: the same form is sent again (a double click, the back button)
    again = press_import(client, 12, f"12:{held.pk}")
    # then: refused as imported already; nothing more is imported
    assert again.status_code == 400
    assert f"This was imported already, as research output {new.pk}" in again.content.decode()
    assert set(ResearchOutput.objects.all()) == {held, new}
    assert list(new.not_duplicates.all()) == [held]
