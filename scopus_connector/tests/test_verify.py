"""Verdicts on Scopus Author IDs, with Scopus answered by a mock transport.

The check against the Scopus sandbox itself is in tests/integration/test_exercise.py.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from pytest_django.fixtures import Settings

from portal.actions import do_add_person_identifier
from portal.choices import PersonIdentifierType
from portal.models import NameVariant, Person, PersonIdentifier
from portal.tests.fixtures import make_library_user, make_person
from scopus_connector import verify
from scopus_connector.client import ScopusSession
from scopus_connector.models import ScopusCheck, Verdict

pytestmark = pytest.mark.django_db
CHRIS_ID = "98765432100"


@pytest.fixture
def chris() -> Person:
    person = make_person("Chris", "WONG", known_as="Chris WONG - demo")
    NameVariant.objects.create(person=person, given_names="Tai Ming", family_name="WONG")
    return person


@pytest.fixture
def scopus_says(settings: Settings) -> Callable[[httpx.Response], None]:
    """Scopus answers every request with one response: for sessions the code opens itself
    (the check button), through the SCOPUS_HTTP_TRANSPORT setting."""
    settings.SCOPUS_API_KEY = "key"
    settings.PORTAL_INSTITUTION_AFIDS = ["60008592"]

    def install(response: httpx.Response) -> None:
        settings.SCOPUS_HTTP_TRANSPORT = httpx.MockTransport(lambda request: response)

    return install


def no_wait() -> ScopusSession:
    """A session that retries a fault without pausing."""
    return ScopusSession.from_settings(sleep=lambda seconds: None)


def profile(
    given: str = "Chris",
    surname: str = "Wong",
    afids: tuple[str, ...] = ("60008592",),
    orcid: str | None = None,
    identifier: str = CHRIS_ID,
) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "author-retrieval-response": [
                {
                    "coredata": {"dc:identifier": f"AUTHOR_ID:{identifier}", "orcid": orcid},
                    "author-profile": {
                        "preferred-name": {"surname": surname, "given-name": given},
                        "affiliation-history": {
                            "affiliation": [{"@affiliation-id": afid} for afid in afids]
                        },
                    },
                }
            ]
        },
    )


@pytest.mark.parametrize(
    ("given", "surname", "agrees"),
    [
        ("Chris", "Wong", True),
        ("C.", "Wong", True),
        ("", "WONG", True),
        ("Tai Ming", "Wong", True),  # a name variant
        ("T.M.", "Wóng", True),  # initials of the variant, an accent
        ("T.", "Wong", True),
        ("Carl", "Wong", False),  # a full name with the same initial is someone else
        ("Christopher", "Wong", False),
        ("C", "Wong", True),
        ("Wei", "Wong", False),
        ("Chris", "Wang", False),
        ("Chris", "", False),
    ],
)
def test_names_agree(chris, given, surname, agrees):
    assert verify.names_agree(chris, given, surname) is agrees


def add(person: Person, value: str = CHRIS_ID) -> PersonIdentifier:
    return do_add_person_identifier(
        person, PersonIdentifierType.SCOPUS_AUTHOR_ID, value, acting_user=None
    )


def test_a_consistent_profile(chris, scopus_says):
    scopus_says(profile())
    result = verify.check(add(chris))
    assert result.verdict == Verdict.CONSISTENT
    assert any("includes the institution" in reason for reason in result.reasons)


def test_another_orcid_and_a_foreign_affiliation_make_it_doubtful(chris, scopus_says):
    do_add_person_identifier(
        chris, PersonIdentifierType.ORCID, "0000-0002-1825-0097", acting_user=None
    )
    scopus_says(profile(afids=("60025084",), orcid="0000-0001-5109-3700"))
    result = verify.check(add(chris))
    assert result.verdict == Verdict.INCONSISTENT
    assert "The institution is not in the profile's affiliation history." in result.reasons
    assert "The profile carries another ORCID iD (0000-0001-5109-3700)." in result.reasons


def test_a_stranger_with_the_same_surname(chris, scopus_says):
    scopus_says(profile(given="Wei"))
    assert verify.check(add(chris)).verdict == Verdict.INCONSISTENT


def test_merged_split_missing_and_unreachable(chris, scopus_says):
    identifier = add(chris)
    scopus_says(profile(identifier="55555555555"))
    merged = verify.check(identifier)
    assert (merged.verdict, merged.current_id) == (Verdict.MERGED, "55555555555")
    urls = [{"$": "https://api.elsevier.com/content/author/author_id:57000000001"}]
    scopus_says(
        httpx.Response(200, json={"author-retrieval-response": {"alias": {"prism:url": urls}}})
    )
    assert verify.check(identifier).verdict == Verdict.SPLIT
    scopus_says(httpx.Response(404))
    assert verify.check(identifier).verdict == Verdict.NOT_FOUND
    scopus_says(httpx.Response(429, headers={"X-ELS-Status": "QUOTA_EXCEEDED"}))
    kept = verify.check(identifier, session=no_wait())
    # an outage keeps what Scopus last said, with a note
    assert kept.verdict == Verdict.NOT_FOUND
    assert "A later check could not ask Scopus: Scopus answered 429" in kept.reasons[-1]
    assert ScopusCheck.objects.count() == 1  # one row per Author ID, the latest verdict


def test_an_outage_before_any_verdict_says_so(chris, scopus_says):
    scopus_says(httpx.Response(503))
    result = verify.check(add(chris), session=no_wait())
    assert result.verdict == Verdict.UNAVAILABLE
    assert "503" in result.reasons[0]


def test_the_edit_page_shows_the_verdict_and_the_button_checks(client, chris, scopus_says):
    identifier = add(chris)
    client.force_login(chris.user)
    page = client.get(f"/backend/persons/{chris.slug}/edit/").content.decode()
    assert "not checked with Scopus yet" in page
    scopus_says(profile())
    response = client.post(
        f"/backend/persons/{chris.slug}/identifiers/{identifier.pk}/scopus-check"
    )
    assert response.status_code == 302
    page = client.get(f"/backend/persons/{chris.slug}/edit/").content.decode()
    assert "Consistent with the researcher" in page


def test_the_check_button_refuses_strangers_and_wrong_ids(client, chris, scopus_says):
    identifier = add(chris)
    orcid = do_add_person_identifier(
        chris, PersonIdentifierType.ORCID, "0000-0002-1825-0097", acting_user=None
    )
    stranger = make_person("Mei", "CHAN")
    client.force_login(stranger.user)
    url = f"/backend/persons/{chris.slug}/identifiers/{identifier.pk}/scopus-check"
    assert client.post(url).status_code == 403
    client.force_login(make_library_user())
    scopus_says(profile())
    assert client.post(url).status_code == 302
    for bad in (
        f"/backend/persons/{chris.slug}/identifiers/{orcid.pk}/scopus-check",  # not Scopus
        f"/backend/persons/{stranger.slug}/identifiers/{identifier.pk}/scopus-check",
        f"/backend/persons/{chris.slug}/identifiers/99999999/scopus-check",
    ):
        assert client.post(bad).status_code == 404
    assert client.get(url).status_code == 405
