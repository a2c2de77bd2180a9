"""The automated Scopus search against the Scopus sandbox, in-process (see conftest)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from portal.actions import do_add_person_identifier, do_set_identifier_status
from portal.choices import (
    IdentifierStatus,
    OutputSource,
    PersonIdentifierType,
    WorkflowStatus,
)
from portal.models import Contributor, OutputIdentifier, Person
from portal.tests.fixtures import make_output, make_person
from scopus_connector import search
from scopus_connector.actions import (
    CandidateDecidedError,
    do_claim_candidate,
    do_reject_candidate,
)
from scopus_connector.models import Candidate, CandidateState
from scopus_sandbox import actions as scopus_actions
from scopus_sandbox.tests.fixtures import CHRIS_ID, HKALL_EID

pytestmark = pytest.mark.django_db(databases=["default", "orcid", "scopus"])


@pytest.fixture(autouse=True)
def scopus_key(settings: Settings) -> None:
    scopus_actions.do_create_api_key(label="portal", weekly_quota=1_000, key="search-key")
    settings.SCOPUS_API_KEY = "search-key"


@pytest.fixture
def chris(world: dict[str, Any]) -> Person:
    person = make_person("Chris", "WONG")
    identifier = do_add_person_identifier(
        person, PersonIdentifierType.SCOPUS_AUTHOR_ID, CHRIS_ID, acting_user=None
    )
    do_set_identifier_status(identifier, IdentifierStatus.VERIFIED, acting_user=None)
    hkall = make_output(person, title="HKALL", year=2006)
    OutputIdentifier.objects.create(output=hkall, id_type="eid", value=HKALL_EID)
    # The portal holds study 1 from a co-author's entry, Chris only as a printed name.
    leung = make_person("David", "LEUNG")
    study = make_output(
        leung, title="Library study number 1", year=2009, doi="10.1000/chris.1", externals=0
    )
    Contributor.objects.create(output=study, position=2, family_name="Wong", given_names="C.")
    return person


def test_search_raises_what_the_portal_lacks_and_claims_enter_the_workflow(chris):
    # when
    summary = search.search()
    # then: HKALL is held; studies 1-3 are under 98765432100 (4 and 5 sit on the split profile)
    assert (summary.researchers, summary.documents) == (1, 4)
    assert summary.already_in_portal == 1
    waiting = {c.title: c for c in Candidate.objects.filter(person=chris)}
    assert sorted(waiting) == [f"Library study number {n}" for n in (1, 2, 3)]
    assert waiting["Library study number 1"].matched_output is not None

    # when: Chris claims the one the portal holds without him
    output = do_claim_candidate(waiting["Library study number 1"], acting_user=chris.user)
    # then: he is linked on the printed "Wong, C." line
    assert Contributor.objects.get(output=output, family_name="Wong").person == chris

    # when: he claims a new one and rejects the last
    new = do_claim_candidate(waiting["Library study number 2"], acting_user=chris.user)
    do_reject_candidate(waiting["Library study number 3"], acting_user=chris.user)
    # then: a Scopus-sourced output waits for validation, with its identifiers and authors
    assert new.workflow_status == WorkflowStatus.FOR_VALIDATION
    assert new.source == OutputSource.SCOPUS
    assert set(new.identifiers.values_list("id_type", flat=True)) == {"eid", "doi"}
    authors = list(new.contributors.order_by("position").values_list("family_name", "person"))
    assert ("Wong", chris.pk) in authors
    assert len(authors) == 2  # Chris and David Leung, as Scopus lists them
    states = set(Candidate.objects.values_list("state", flat=True))
    assert states == {CandidateState.CLAIMED, CandidateState.REJECTED}

    # and a later search raises nothing again
    again = search.search()
    assert again.new_candidates == 0


def test_a_claim_only_once_and_ids_taken_meanwhile_are_refused(chris):
    search.search()
    candidate = Candidate.objects.get(title="Library study number 2")
    # someone enters the same DOI before Chris claims
    other = make_output(make_person("Ken", "LEE"), title="Same paper", doi="10.1000/chris.2")
    assert other.pk
    with pytest.raises(Exception, match="already recorded"):
        do_claim_candidate(candidate, acting_user=chris.user)
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.NEW  # nothing half-done
    do_reject_candidate(candidate, acting_user=chris.user)
    with pytest.raises(CandidateDecidedError, match="decided already"):
        do_claim_candidate(candidate, acting_user=chris.user)


def test_unverified_ids_are_not_searched_and_the_command_reports(chris, capsys):
    make_person("Mei", "CHAN")
    call_command("scopus_search")
    assert "1 researcher(s), 4 document(s) seen: 3 new candidate(s)" in capsys.readouterr().out


def test_a_title_held_without_identifiers_is_matched_by_title_and_year(world):
    person = make_person("Chris", "WONG")
    identifier = do_add_person_identifier(
        person, PersonIdentifierType.SCOPUS_AUTHOR_ID, CHRIS_ID, acting_user=None
    )
    do_set_identifier_status(identifier, IdentifierStatus.VERIFIED, acting_user=None)
    # the portal holds study 3, typed with other case and punctuation, no DOI or EID
    held = make_output(person, title="LIBRARY study, number 3", year=2011, externals=0)
    summary = search.search()
    assert summary.already_in_portal == 1
    assert not Candidate.objects.filter(title="Library study number 3").exists()
    assert held.pk


def test_a_conflicting_doi_is_never_matched_by_title(world, chris):
    # given: a colleague's output with study 2's title and year but another DOI
    make_output(
        make_person("Ken", "LEE"), title="Library study number 2", year=2010, doi="10.9999/other"
    )
    search.search()
    candidate = Candidate.objects.get(title="Library study number 2")
    # then: it is a new candidate, not a claim on the colleague's paper
    assert candidate.matched_output is None


def test_later_searches_ask_only_for_newly_loaded_documents(chris):
    from datetime import timedelta

    from django.utils import timezone

    from scopus_connector.models import SearchMark
    from scopus_sandbox.indexing import index_records
    from scopus_sandbox.models import Document
    from scopus_sandbox.records import parse_record

    first = search.search()
    assert first.documents == 4
    # when: everything was loaded long ago and last searched last week (full search recently)
    Document.objects.update(indexed_at=timezone.now() - timedelta(days=400))
    last_week = timezone.localdate() - timedelta(days=7)
    SearchMark.objects.update(searched_on=last_week, full_search_on=last_week)
    # and Scopus loads one new paper of Chris's today
    index_records(
        [
            parse_record(
                {
                    "title": "A new paper loaded today",
                    "year": 2026,
                    "doi": "10.1000/chris.new",
                    "source_title": "Library and Information Science Research",
                    "subject_areas": ["3309"],
                    "affiliations": [
                        {
                            "afid": "60008592",
                            "name": "City University of Hong Kong",
                            "city": "Kowloon",
                            "country": "Hong Kong",
                        }
                    ],
                    "authors": [
                        {
                            "given_name": "Chris",
                            "surname": "Wong",
                            "affiliations": ["60008592"],
                            "author_id": CHRIS_ID,
                        }
                    ],
                }
            )
        ]
    )
    # then: the search sees only that paper
    later = search.search()
    assert later.documents == 1
    assert Candidate.objects.filter(title="A new paper loaded today").exists()
    assert SearchMark.objects.get(author_id=CHRIS_ID).searched_on == timezone.localdate()


def test_a_quota_stop_keeps_what_was_done_and_says_so(chris, settings):
    from jobs.registry import registered
    from scopus_connector.models import SearchMark

    # given: Scopus answers every request with its quota refusal
    refusal = httpx.Response(
        429,
        headers={"X-ELS-Status": "QUOTA_EXCEEDED - Quota Exceeded"},
        json={"service-error": {"status": {"statusCode": "QUOTA_EXCEEDED"}}},
    )
    settings.SCOPUS_HTTP_TRANSPORT = httpx.MockTransport(lambda request: refusal)
    # when
    outcome = registered()["scopus-search"].routine()
    # then
    assert "stopped early: Scopus answered 429 QUOTA_EXCEEDED - Quota Exceeded." in outcome
    assert not SearchMark.objects.exists()  # the batch will be searched again next time
