"""The Scopus to ORCID wizard, with httpx.MockTransport standing in for the ORCID sandbox."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from pytest_django.fixtures import Settings

from scopus_sandbox import actions, sessions, wizard
from scopus_sandbox.models import AuthorProfile, FeedbackRequest
from scopus_sandbox.tests.fixtures import CHRIS_ID, CHRIS_ORCID

pytestmark = pytest.mark.django_db(databases=["scopus", "default"])


class FakeOrcid:
    """Answers the token and member API calls the wizard makes, and records them."""

    def __init__(self, *, fail_api: int | None = None) -> None:
        self.calls: list[httpx.Request] = []
        self.fail_api = fail_api

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if request.url.path == "/oauth/token":
            form = parse_qs(request.content.decode())
            if form.get("code") != ["good-code"]:
                return httpx.Response(400, json={"error": "invalid_grant"})
            return httpx.Response(
                200,
                json={
                    "access_token": "token-1",
                    "token_type": "bearer",
                    "refresh_token": "r",
                    "expires_in": 631138518,
                    "scope": wizard.SCOPES,
                    "name": "Chris WONG - demo",
                    "orcid": CHRIS_ORCID,
                },
            )
        if self.fail_api:
            return httpx.Response(self.fail_api, json={"user-message": "Something broke"})
        if request.url.path.endswith("/external-identifiers"):
            return httpx.Response(201, headers={"Location": f"{request.url}/1"})
        if request.url.path.endswith("/works"):
            bulk = json.loads(request.content)["bulk"]
            return httpx.Response(200, json={"bulk": [{"work": item["work"]} for item in bulk]})
        return httpx.Response(404)

    def api_bodies(self, suffix: str) -> list[dict[str, Any]]:
        return [json.loads(c.content) for c in self.calls if c.url.path.endswith(suffix)]


@pytest.fixture
def orcid(settings: Settings) -> FakeOrcid:
    fake = FakeOrcid()
    settings.SCOPUS_SANDBOX_ORCID_TRANSPORT = httpx.MockTransport(fake)
    return fake


def sign_in(client) -> str:
    """Walk to ORCID and back; returns the state ORCID was given."""
    page = client.get(f"/authors/{CHRIS_ID}/orcid")
    assert "Sign In" in page.content.decode()
    response = client.post("/orcid/signin", {"author_id": CHRIS_ID})
    assert response.status_code == 302
    target = urlparse(response["Location"])
    params = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == "http://orcid.test/oauth/authorize"
    assert params["scope"] == ["/authenticate /activities/update /person/update"]
    assert params["client_id"] == ["0000-0002-5982-8983"]
    assert params["redirect_uri"] == ["http://testserver/orcid/callback"]
    state: str = params["state"][0]
    return state


def test_wizard_walks_seed_steps_and_queues_feedback(client, world, orcid):
    # given
    state = sign_in(client)
    # when ORCID sends Chris back with a code
    back = client.get("/orcid/callback", {"code": "good-code", "state": state})
    assert back.status_code == 302
    assert back["Location"] == "/orcid/wizard/profiles"
    # and he selects both of his profiles, his name, and removes one document
    profiles = client.get("/orcid/wizard/profiles").content.decode()
    assert "55912345600" in profiles
    assert "Chris WONG - demo" in profiles
    client.post("/orcid/wizard/profiles", {"profiles": [CHRIS_ID, "55912345600"]})
    names = client.get("/orcid/wizard/name").content.decode()
    assert "Wong, C." in names
    assert "Wong, Chris" in names
    client.post("/orcid/wizard/name", {"name": "0"})
    chris = AuthorProfile.objects.get(author_id=CHRIS_ID)
    latest = chris.authorships.order_by("-document__cover_date").first()
    assert latest is not None
    wrong = latest.document
    documents = client.get("/orcid/wizard/documents").content.decode()
    assert "Planning to reality with HKALL" in documents
    client.post("/orcid/wizard/documents", {"remove": [str(wrong.pk)]})
    review = client.get("/orcid/wizard/review").content.decode()
    assert "Send Author ID" in review
    assert wrong.title not in review
    sent = client.post("/orcid/wizard/send")
    works = client.post("/orcid/wizard/works")
    # then ORCID got the Scopus Author ID and the works with eid and doi
    assert sent.status_code == 200
    assert "Send my publication list" in sent.content.decode()
    assert "Return to ORCID" in works.content.decode()
    (other_id,) = orcid.api_bodies("/external-identifiers")
    assert other_id == {
        "external-id-type": "Scopus Author ID",
        "external-id-value": CHRIS_ID,
        "external-id-url": {
            "value": "http://www.scopus.com/inward/authorDetails.url?authorID=98765432100"
            "&partnerID=MN8TOARS"
        },
        "external-id-relationship": "self",
    }
    api_calls = [c for c in orcid.calls if "/api/v3.0/" in str(c.url)]
    assert all(c.headers["Authorization"] == "Bearer token-1" for c in api_calls)
    assert str(api_calls[0].url).startswith(f"http://orcid.test/api/v3.0/{CHRIS_ORCID}/")
    (bulk,) = orcid.api_bodies("/works")
    ids = [
        {
            i["external-id-type"]: i["external-id-value"]
            for i in w["work"]["external-ids"]["external-id"]
        }
        for w in bulk["bulk"]
    ]
    assert {"eid": "2-s2.0-33745291715", "doi": "10.1108/02641610610669750"} in ids
    assert len(ids) == 5  # six documents over the two profiles, one removed
    assert "5 publications added" in works.content.decode()
    # and Scopus changes only after the feedback team's delay
    kinds = sorted(FeedbackRequest.objects.values_list("kind", flat=True))
    assert kinds == ["link_orcid", "merge", "remove_documents", "remove_documents"]
    chris.refresh_from_db()
    assert chris.orcid == ""
    actions.do_process_feedback(now=True)
    chris.refresh_from_db()
    assert chris.orcid == CHRIS_ORCID
    assert chris.authorships.count() == 5
    assert AuthorProfile.objects.get(author_id="55912345600").merged_into == chris


def test_callback_refuses_wrong_state_and_denied_access(client, world, orcid):
    # given
    sign_in(client)
    # when
    wrong_state = client.get("/orcid/callback", {"code": "good-code", "state": "forged"})
    denied = client.get("/orcid/callback", {"error": "access_denied", "state": "x"})
    bad_code = client.get("/orcid/callback", {"code": "bad", "state": "forged"})
    # then
    assert wrong_state.status_code == 400
    assert denied.status_code == 400
    assert bad_code.status_code == 400
    assert client.get("/orcid/wizard/profiles").status_code == 400


def test_token_refused_by_orcid_is_an_error_page(client, world, orcid):
    # given
    state = sign_in(client)
    # when
    response = client.get("/orcid/callback", {"code": "bad-code", "state": state})
    # then
    assert response.status_code == 502
    assert "ORCID refused" in response.content.decode()


def test_wizard_without_session_says_so(client, world):
    # when / then
    for url in ("/orcid/wizard/profiles", "/orcid/wizard/name", "/orcid/wizard/review"):
        assert client.get(url).status_code == 400
    assert client.post("/orcid/wizard/send").status_code == 400
    client.cookies[sessions.COOKIE] = "x" * 500
    assert client.get("/orcid/callback", {"code": "c"}).status_code == 400


def test_orcid_failure_queues_nothing(client, world, settings):
    # given ORCID refusing member API writes
    fake = FakeOrcid(fail_api=500)
    settings.SCOPUS_SANDBOX_ORCID_TRANSPORT = httpx.MockTransport(fake)
    state = sign_in(client)
    client.get("/orcid/callback", {"code": "good-code", "state": state})
    # when
    response = client.post("/orcid/wizard/send")
    # then
    assert response.status_code == 502
    assert "Something broke" in response.content.decode()
    assert FeedbackRequest.objects.count() == 0


def test_profile_choice_ignores_foreign_ids(client, world, orcid):
    # given
    state = sign_in(client)
    client.get("/orcid/callback", {"code": "good-code", "state": state})
    # when only an unrelated profile is posted
    response = client.post("/orcid/wizard/profiles", {"profiles": ["57000015838"]})
    # then
    assert response.status_code == 400


# --- Tokens at rest, and the Author Feedback Wizard behind the ORCID sign-in (issue 8) ---------


def test_the_orcid_token_is_stored_encrypted_and_used_decrypted(client, world, orcid):
    from scopus_sandbox import crypto
    from scopus_sandbox.models import WizardSession

    # given: Chris signed in
    state = sign_in(client)
    client.get("/orcid/callback", {"code": "good-code", "state": state})
    # then: the database holds no plain token
    (session,) = WizardSession.objects.all()
    stored = session.access_token_encrypted
    assert "token-1" not in stored
    assert crypto.decrypt(stored) == "token-1"
    # when: the wizard writes to ORCID, it sends the token itself
    client.post("/orcid/wizard/send")
    (call,) = [c for c in orcid.calls if c.url.path.endswith("/external-identifiers")]
    assert call.headers["Authorization"] == "Bearer token-1"


def test_a_token_under_another_key_asks_to_sign_in_again(client, world, orcid, settings):
    from cryptography.fernet import Fernet

    # given: signed in, then the sandbox's token key changes
    state = sign_in(client)
    client.get("/orcid/callback", {"code": "good-code", "state": state})
    settings.SCOPUS_SANDBOX_TOKEN_KEY = Fernet.generate_key().decode()
    # when
    response = client.post("/orcid/wizard/send")
    # then: a clear refusal, nothing sent to ORCID
    assert response.status_code == 502
    assert "Sign in to ORCID again" in response.content.decode()
    assert not [c for c in orcid.calls if c.url.path.endswith("/external-identifiers")]


def test_edit_profile_asks_for_a_sign_in_and_refuses_anonymous_requests(client, world):
    # when: a visitor opens Edit profile
    page = client.get(f"/authors/{CHRIS_ID}/edit")
    # then: a sign-in, no form
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sign in with ORCID" in html
    assert "Submit request" not in html
    # when: a request is posted without signing in
    refused = client.post(
        f"/authors/{CHRIS_ID}/edit",
        {"surname": "Someone", "merge": "55912345600", "email": "a@b.org"},
    )
    # then
    assert refused.status_code == 403
    assert FeedbackRequest.objects.count() == 0


def test_edit_profile_after_the_orcid_sign_in_names_who_asked(client, world, orcid):
    # given: the sign-in started from Edit profile
    response = client.post("/orcid/signin", {"author_id": CHRIS_ID, "purpose": "feedback"})
    state = parse_qs(urlparse(response["Location"]).query)["state"][0]
    back = client.get("/orcid/callback", {"code": "good-code", "state": state})
    # then: ORCID's answer leads back to Edit profile
    assert back["Location"] == f"/authors/{CHRIS_ID}/edit"
    assert (
        "Signed in with ORCID as Chris WONG - demo" in client.get(back["Location"]).content.decode()
    )
    # when: Chris asks for a merge
    client.post(
        f"/authors/{CHRIS_ID}/edit",
        {"surname": "Wong", "given_name": "Chris", "merge": "55912345600", "email": "c@cityu.hk"},
    )
    # then: the request is queued under his ORCID iD
    (request,) = FeedbackRequest.objects.all()
    assert request.kind == "merge"
    assert CHRIS_ORCID in request.submitted_by


def test_a_sign_in_still_waiting_for_orcid_does_not_open_edit_profile(client, world):
    # given: the sign-in was started but ORCID has not answered
    client.post("/orcid/signin", {"author_id": CHRIS_ID, "purpose": "feedback"})
    # when / then
    assert "Sign in with ORCID" in client.get(f"/authors/{CHRIS_ID}/edit").content.decode()
    response = client.post(
        f"/authors/{CHRIS_ID}/edit", {"surname": "Wong", "merge": "55912345600", "email": "a@b.c"}
    )
    assert response.status_code == 403
