"""The seed's step (1) answered by the portal: Chris's validated outputs looked up in the Scopus
sandbox, his Author IDs counted (his profile and its split half), in batched searches."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pytest_django.fixtures import Settings

from exercise.actions import do_accept_scopus_suggestion, do_record_discovery
from exercise.choices import SuggestionState
from exercise.discovery import discover, discover_due
from exercise.models import ScopusIdSuggestion
from portal.choices import IdentifierStatus, OutputIdentifierType, PersonIdentifierType
from portal.models import OutputIdentifier, PersonIdentifier
from portal.tests.fixtures import make_output, make_person
from scopus_connector.client import ScopusSession
from scopus_sandbox import actions as scopus_actions
from scopus_sandbox.demo import CHRIS_SPLIT_ID
from scopus_sandbox.tests.fixtures import CAST, CHRIS_ID

pytestmark = pytest.mark.django_db(databases=["default", "orcid", "scopus"])
API_KEY = "discovery-test-key"


@pytest.fixture(autouse=True)
def scopus_key(settings: Settings) -> None:
    scopus_actions.do_create_api_key(label="portal", weekly_quota=1_000, key=API_KEY)
    settings.SCOPUS_API_KEY = API_KEY


@pytest.fixture
def counted_scopus(settings: Settings) -> Iterator[tuple[ScopusSession, list[httpx.Request]]]:
    """A Scopus session on the in-process sandbox that counts the searches it makes."""
    calls: list[httpx.Request] = []
    transport: httpx.BaseTransport = settings.SCOPUS_HTTP_TRANSPORT

    class Counting(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            calls.append(request)
            return transport.handle_request(request)

    with ScopusSession(
        base_url=settings.SCOPUS_API_URL, key=API_KEY, transport=Counting()
    ) as session:
        yield session, calls


def chris_with_outputs(*, with_eids: bool = True):
    """Chris on the portal with his cast outputs validated, as the Library would hold them."""
    chris = make_person("Chris", "WONG")
    for item in CAST["researchers"][0]["outputs"]:
        output = make_output(chris, title=item["title"], year=item["year"], externals=0)
        if with_eids:
            OutputIdentifier.objects.create(
                output=output, id_type=OutputIdentifierType.EID, value=item["eid"]
            )
        else:
            OutputIdentifier.objects.create(
                output=output, id_type=OutputIdentifierType.DOI, value=item["doi"]
            )
    return chris


@pytest.mark.parametrize("with_eids", [True, False], ids=["by EID", "by DOI"])
def test_discovery_finds_chris_and_his_split_profile_in_one_search(
    world, counted_scopus, with_eids
):
    # given
    session, calls = counted_scopus
    chris = chris_with_outputs(with_eids=with_eids)
    # when
    found = discover(chris, scopus=session)
    # then: every output found, his two profiles counted, one batched search
    assert found.looked_up == 6
    assert found.found == 6
    profiles = dict(found.profiles)
    assert set(profiles) == {CHRIS_ID, CHRIS_SPLIT_ID}
    assert sum(profiles.values()) == 6
    assert profiles[CHRIS_ID] > profiles[CHRIS_SPLIT_ID]
    assert len(calls) == 1
    assert (" OR " in calls[0].url.params["query"]) is True


def test_a_namesake_is_never_taken_for_the_researcher(world, counted_scopus):
    # given: a Wei WONG of the portal whose only output is Chris's paper (wrongly attributed)
    session, _ = counted_scopus
    wei = make_person("Wei", "WONG")
    hkall = CAST["researchers"][0]["outputs"][0]
    output = make_output(wei, title=hkall["title"], year=2006, externals=0)
    OutputIdentifier.objects.create(
        output=output,
        id_type=OutputIdentifierType.EID,
        value=CAST["researchers"][0]["outputs"][0]["eid"],
    )
    # when
    found = discover(wei, scopus=session)
    # then: found in Scopus, but no author of that paper is Wei WONG
    assert found.found == 1
    assert found.profiles == []


def test_a_mistyped_eid_is_not_evidence(world, counted_scopus):
    # given: an output of Chris's whose EID is another paper's (a typing slip)
    session, _ = counted_scopus
    chris = make_person("Chris", "WONG")
    output = make_output(chris, title="A paper Scopus does not hold", year=2006, externals=0)
    OutputIdentifier.objects.create(
        output=output,
        id_type=OutputIdentifierType.EID,
        value=CAST["researchers"][0]["outputs"][1]["eid"],
    )
    # when
    found = discover(chris, scopus=session)
    # then: the document is found, but its title says it is not this output
    assert (found.found, found.mismatched, found.profiles) == (0, 1, [])


def test_no_outputs_in_scopus_means_nothing_to_do(world, counted_scopus):
    session, calls = counted_scopus
    nobody = make_person("Ada", "LOVELACE")
    make_output(nobody, title="Notes", externals=0)
    found = discover(nobody, scopus=session)
    assert (found.looked_up, found.found, found.profiles) == (0, 0, [])
    assert calls == []  # nothing to ask Scopus


def test_accepting_the_suggestion_puts_the_id_on_the_profile_as_entered(world, counted_scopus):
    # given
    session, _ = counted_scopus
    chris = chris_with_outputs()
    suggestions = do_record_discovery(chris, discover(chris, scopus=session), acting_user=None)
    main = next(s for s in suggestions if s.author_id == CHRIS_ID)
    # when
    identifier = do_accept_scopus_suggestion(main, acting_user=chris.user)
    # then
    assert identifier.id_type == PersonIdentifierType.SCOPUS_AUTHOR_ID
    assert identifier.value == CHRIS_ID
    assert identifier.status == IdentifierStatus.ENTERED
    main.refresh_from_db()
    assert main.state == SuggestionState.ACCEPTED


def test_a_dismissed_profile_stays_dismissed_when_found_again(world, counted_scopus):
    session, _ = counted_scopus
    chris = chris_with_outputs()
    do_record_discovery(chris, discover(chris, scopus=session), acting_user=None)
    ScopusIdSuggestion.objects.filter(author_id=CHRIS_SPLIT_ID).update(
        state=SuggestionState.DISMISSED
    )
    do_record_discovery(chris, discover(chris, scopus=session), acting_user=None)
    assert ScopusIdSuggestion.objects.get(author_id=CHRIS_SPLIT_ID).state == (
        SuggestionState.DISMISSED
    )


def test_the_daily_discovery_skips_researchers_with_a_scopus_id(world, counted_scopus):
    # given: Chris without a Scopus Author ID, Mei with one
    session, _ = counted_scopus
    chris = chris_with_outputs()
    mei = make_person("Mei", "CHAN")
    PersonIdentifier.objects.create(
        person=mei, id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID, value="57000015838"
    )
    # when
    summary = discover_due(scopus=session)
    # then
    assert summary.researchers == 1
    assert summary.with_split_profile == 1
    assert chris.exercise.discovered_at is not None
    # and a second run the same day looks for nobody
    assert discover_due(scopus=session).researchers == 0
