"""Web pages: document and author search, the author profile page, the Author Feedback Wizard."""

from __future__ import annotations

import pytest

from scopus_sandbox import actions
from scopus_sandbox.choices import FeedbackKindChoices
from scopus_sandbox.models import AuthorProfile, FeedbackRequest
from scopus_sandbox.tests.fixtures import CHRIS_ID

pytestmark = pytest.mark.django_db(databases=["scopus", "default"])


def test_author_profile_page_shows_the_seed_labels(client, world):
    # when
    response = client.get(f"/authors/{CHRIS_ID}/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    for label in (
        "Wong, Chris",
        "City University of Hong Kong, Kowloon, Hong Kong",
        CHRIS_ID,
        "Connect to ORCID",
        "Edit profile",
        "User-initiated resource sharing in Hong Kong universities",
    ):
        assert label in html
    assert "ORCID iD" not in html
    assert "24 – 48 hours" not in html


def test_author_profile_shows_orcid_once_linked_and_pending_before(client, world, settings):
    # given: a deployment pointed at the real ORCID, and an ORCID link queued
    settings.SCOPUS_SANDBOX_ORCID_BASE_URL = "https://orcid.org/"
    profile = AuthorProfile.objects.get(author_id=CHRIS_ID)
    actions.do_submit_feedback(
        profile, FeedbackKindChoices.LINK_ORCID, {"orcid": "0000-0000-0000-0001"}, acting_as="t"
    )
    # when / then: pending
    html = client.get(f"/authors/{CHRIS_ID}/").content.decode()
    assert "Scopus will reflect the change in 24 – 48 hours" in html
    assert "https://orcid.org/0000-0000-0000-0001" not in html
    # when processed
    actions.do_process_feedback(now=True)
    html = client.get(f"/authors/{CHRIS_ID}/").content.decode()
    # then
    assert "https://orcid.org/0000-0000-0000-0001" in html
    assert "24 – 48 hours" not in html


def test_merged_profile_page_redirects_to_survivor(client, world):
    # given
    chris = AuthorProfile.objects.get(author_id=CHRIS_ID)
    actions.do_merge_profiles(
        chris, [AuthorProfile.objects.get(author_id="55912345600")], acting_as="t"
    )
    # when
    response = client.get("/authors/55912345600/")
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/authors/{CHRIS_ID}/"


@pytest.mark.parametrize("author_id", ["12345678901", "abc", "9" * 40])
def test_unknown_profile_is_404(client, world, author_id):
    assert client.get(f"/authors/{author_id}/").status_code == 404


def test_document_search_by_title_and_advanced_syntax(client, world):
    # when
    plain = client.get("/", {"q": "HKALL"}).content.decode()
    advanced = client.get("/", {"q": f"AU-ID({CHRIS_ID}) AND PUBYEAR > 2005"})
    broken = client.get("/", {"q": "AU-ID(1"})
    # then
    assert "Planning to reality with HKALL" in plain
    assert "4 document results" in advanced.content.decode()
    assert broken.status_code == 400
    assert "not closed" in broken.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"last": "Wong", "first": "Chris"}, {"affiliation": "City University"}],
)
def test_author_search_finds_chris(client, world, params):
    # when
    html = client.get("/authors/", params).content.decode()
    # then
    assert f"/authors/{CHRIS_ID}/" in html


def test_author_search_by_orcid_and_bad_orcid(client, world):
    # given
    AuthorProfile.objects.filter(author_id=CHRIS_ID).update(orcid="0000-0000-0000-0001")
    # when
    found = client.get("/authors/", {"orcid": "https://orcid.org/0000-0000-0000-0001"})
    bad = client.get("/authors/", {"orcid": "0000-0000-0000-0002"})
    empty = client.get("/authors/", {"first": "Chris"})
    # then
    assert f"/authors/{CHRIS_ID}/" in found.content.decode()
    assert "check digit" in bad.content.decode()
    assert "Enter a last name" in empty.content.decode()


def test_document_page(client, world):
    html = client.get("/documents/2-s2.0-33745291715/").content.decode()
    assert "10.1108/02641610610669750" in html
    assert "Wong, Chris" in html
    assert client.get("/documents/2-s2.0-1/").status_code == 404


def test_edit_profile_queues_corrections(client, world, signed_in):
    # given
    chris = AuthorProfile.objects.get(author_id=CHRIS_ID)
    first = chris.authorships.first()
    assert first is not None
    doc = first.document
    # when
    response = client.post(
        f"/authors/{CHRIS_ID}/edit",
        {
            "given_name": "Tai Ming",
            "surname": "Wong",
            "remove": [str(doc.pk)],
            "merge": "55912345600",
            "email": "chriswong@cityu.edu.hk",
        },
    )
    # then three requests wait, and nothing changed yet
    assert response.status_code == 200
    assert "Scopus will reflect the change in 24 – 48 hours" in response.content.decode()
    assert sorted(FeedbackRequest.objects.values_list("kind", flat=True)) == [
        "merge",
        "preferred_name",
        "remove_documents",
    ]
    chris.refresh_from_db()
    assert chris.given_name == "Chris"
    # when processed
    actions.do_process_feedback(now=True)
    chris.refresh_from_db()
    assert chris.given_name == "Tai Ming"


@pytest.mark.parametrize(
    "data",
    [
        {"surname": "", "email": "a@b.org"},
        {"surname": "Wong", "email": "not-an-email"},
        {"surname": "Wong", "email": "a@b.org", "merge": "123; DROP TABLE"},
        {"surname": "Wong", "email": "a@b.org", "remove": ["999999"]},
        {"surname": "W" * 500, "email": "a@b.org"},
    ],
)
def test_edit_profile_refuses_bad_input(client, world, signed_in, data):
    # when
    response = client.post(f"/authors/{CHRIS_ID}/edit", data)
    # then
    assert response.status_code == 400
    assert FeedbackRequest.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        f"/authid/detail.uri?authorId={CHRIS_ID}",
        f"/inward/authorDetails.url?authorID={CHRIS_ID}&partnerID=MN8TOARS",
    ],
)
def test_scopus_author_urls_lead_to_the_profile(client, world, path):
    # when: a link built for scopus.com (the portal's, or the one ORCID records carry)
    response = client.get(path)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/authors/{CHRIS_ID}/"


@pytest.mark.parametrize(
    "path",
    [
        "/authid/detail.uri",
        "/authid/detail.uri?authorId=",
        "/authid/detail.uri?authorId=%3Cscript%3E",
        "/authid/detail.uri?authorId=" + "9" * 5000,
        "/inward/authorDetails.url?authorID=12345678901",
        "/inward/record.url?eid=2-s2.0-0",
        "/record/display.uri?eid=%00",
        "/record/display.uri",
    ],
)
def test_scopus_urls_for_unknown_or_hostile_ids_are_404(client, world, path):
    assert client.get(path).status_code == 404


def test_scopus_document_urls_lead_to_the_document(client, world):
    from scopus_sandbox.tests.fixtures import HKALL_EID

    for path in (f"/inward/record.url?eid={HKALL_EID}", f"/record/display.uri?eid={HKALL_EID}"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/documents/{HKALL_EID}/"


def test_scopus_classic_author_search_address_leads_to_the_search(client, world):
    response = client.get("/results/authorNamesList.uri", {"st1": "Wong", "st2": "Chris"})
    assert response.status_code == 302
    found = client.get(response["Location"]).content.decode()
    assert CHRIS_ID in found
    hostile = client.get("/results/authorNamesList.uri", {"st1": "<script>" * 100, "st2": "\x00"})
    assert hostile.status_code == 302
    assert client.get(hostile["Location"]).status_code in (200, 400)
