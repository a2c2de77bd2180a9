"""The "Publications found in Scopus" page and its decisions, with candidates stored as the
search stores them (the search itself is in tests/integration/test_scopus_search.py)."""

from __future__ import annotations

import html

import pytest

from portal.choices import WorkflowStatus
from portal.models import Person
from portal.tests.fixtures import make_library_user, make_person
from scopus_connector.models import Candidate, CandidateState

pytestmark = pytest.mark.django_db


@pytest.fixture
def chris() -> Person:
    return make_person("Chris", "WONG")


def candidate(person, n: int = 1, **extra) -> Candidate:
    return Candidate.objects.create(
        person=person,
        eid=f"2-s2.0-8500000010{n}",
        doi=f"10.1000/chris.{n}",
        title=f"Library study number {n}",
        source_title="Library and Information Science Research",
        year=2009,
        doc_type="ar",
        authors=[{"authid": "98765432100", "surname": "Wong", "given_name": "Chris"}],
        **extra,
    )


def url(person, item=None) -> str:
    base = f"/backend/persons/{person.slug}/scopus-publications/"
    return f"{base}{item.pk}" if item else base


def test_the_page_lists_what_waits_and_a_claim_enters_the_workflow(client, chris):
    waiting = candidate(chris)
    client.force_login(chris.user)
    page = client.get(url(chris)).content.decode()
    assert "Library study number 1" in page
    assert "This is mine" in page
    response = client.post(url(chris, waiting), {"decision": "claim"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == CandidateState.CLAIMED
    assert waiting.output is not None
    assert waiting.output.workflow_status == WorkflowStatus.FOR_VALIDATION
    assert "waits for the Library" in client.get(url(chris)).content.decode()


def test_not_mine(client, chris):
    waiting = candidate(chris)
    client.force_login(chris.user)
    client.post(url(chris, waiting), {"decision": "reject"})
    waiting.refresh_from_db()
    assert waiting.state == CandidateState.REJECTED


@pytest.mark.parametrize("decision", ["", "CLAIM", "delete", "claim\x00", "x" * 5000])
def test_unknown_decisions_change_nothing(client, chris, decision):
    waiting = candidate(chris)
    client.force_login(chris.user)
    response = client.post(url(chris, waiting), {"decision": decision}, follow=True)
    assert 'Choose "This is mine" or "Not mine".' in html.unescape(response.content.decode())
    waiting.refresh_from_db()
    assert waiting.state == CandidateState.NEW


def test_claiming_twice_says_so(client, chris):
    waiting = candidate(chris)
    client.force_login(chris.user)
    client.post(url(chris, waiting), {"decision": "claim"})
    response = client.post(url(chris, waiting), {"decision": "claim"}, follow=True)
    assert "decided already" in html.unescape(response.content.decode())


def test_only_the_researcher_and_the_library(client, chris):
    waiting = candidate(chris)
    stranger = make_person("Mei", "CHAN")
    client.force_login(stranger.user)
    assert client.get(url(chris)).status_code == 403
    assert client.post(url(chris, waiting), {"decision": "reject"}).status_code == 403
    # another person's candidate under one's own address is not found
    assert client.post(url(stranger, waiting), {"decision": "reject"}).status_code == 404
    client.force_login(make_library_user())
    assert client.get(url(chris)).status_code == 200
    assert client.get(url(chris, waiting)).status_code == 405
    assert client.post("/backend/persons/nobody/scopus-publications/1").status_code == 404


def test_the_page_meets_the_accessibility_basics(client, chris):
    from portal.tests.accessibility import assert_accessible

    candidate(chris, 1)
    candidate(chris, 2, state=CandidateState.REJECTED)
    client.force_login(chris.user)
    assert_accessible(client.get(url(chris)).content.decode())
