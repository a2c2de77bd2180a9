"""Part 1: connecting a researcher's ORCID iD by OAuth, with ORCID answered by a mock transport.

The real exchange against the ORCID sandbox is driven in a browser by
tests/browser/test_portal_orcid_connect.py; here every answer ORCID can give is tried.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.messages import get_messages
from django.test import Client
from pytest_django.fixtures import Settings

from orcid_connector import crypto
from orcid_connector.actions import do_disconnect_orcid
from orcid_connector.choices import RevokedKind
from orcid_connector.client import OrcidSession
from orcid_connector.models import OrcidAuthorization
from orcid_connector.views import SESSION_KEY
from portal.actions import do_add_person_identifier
from portal.choices import IdentifierStatus, PersonIdentifierType
from portal.models import AuditEntry, Person, PersonIdentifier
from portal.tests.fixtures import make_library_user, make_person

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"
ACCESS_TOKEN = "f5af9f51-07e6-4332-8f1a-c0c11c1e3728"  # noqa: S105 - a made-up token
TOKEN_RESPONSE = {
    "access_token": ACCESS_TOKEN,
    "token_type": "bearer",
    "refresh_token": "f725f747-3a65-49f6-a231-3e8944ce464d",
    "expires_in": 631138518,
    "scope": "/read-limited /activities/update /person/update",
    "name": "Chris WONG",
    "orcid": ORCID,
}


class FakeOrcid:
    """Answers /oauth/token and /oauth/revoke like ORCID, or however a test says."""

    def __init__(self) -> None:
        self.token: Callable[[httpx.Request], httpx.Response] = lambda request: httpx.Response(
            200, json=TOKEN_RESPONSE
        )
        self.revoke: Callable[[httpx.Request], httpx.Response] = lambda request: httpx.Response(200)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/oauth/token":
            return self.token(request)
        if request.url.path == "/oauth/revoke":
            return self.revoke(request)
        return httpx.Response(404)


@pytest.fixture
def orcid(settings: Settings) -> FakeOrcid:
    fake = FakeOrcid()
    settings.ORCID_HTTP_TRANSPORT = httpx.MockTransport(fake)
    return fake


@pytest.fixture
def researcher(client: Client) -> Person:
    person = make_person()
    assert person.user is not None
    client.force_login(person.user)
    return person


def start(client: Client) -> str:
    """Press "Create or Connect your ORCID iD"; returns the state sent to ORCID."""
    response = client.post("/backend/orcid/connect")
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)["state"][0]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_connect_sends_the_researcher_to_orcid_with_the_portal_client(client, researcher, settings):
    # when
    response = client.post("/backend/orcid/connect")
    # then
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}" == settings.ORCID_WEB_URL.rstrip("/")
    assert url.path == "/oauth/authorize"
    assert query["client_id"] == [settings.ORCID_CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == [settings.ORCID_REDIRECT_URI]
    assert query["scope"] == ["/read-limited /activities/update /person/update"]
    assert query["state"] == [client.session[SESSION_KEY]]


def test_connect_needs_a_post_and_a_login(client):
    assert client.get("/backend/orcid/connect").status_code in (302, 405)
    assert client.post("/backend/orcid/connect").status_code == 302
    assert "/backend/login/" in client.post("/backend/orcid/connect")["Location"]


def test_library_staff_cannot_connect_on_a_researchers_behalf(client):
    client.force_login(make_library_user())
    assert client.post("/backend/orcid/connect").status_code == 403


def test_callback_records_the_authenticated_id_and_encrypted_tokens(client, researcher, orcid):
    # given
    state = start(client)
    # when: ORCID sends the researcher back
    response = client.get("/backend/orcid/callback", {"code": "Diko4F", "state": state})
    # then
    assert response.status_code == 302
    identifier = PersonIdentifier.objects.get(person=researcher, id_type="orcid")
    assert (identifier.value, identifier.status) == (ORCID, IdentifierStatus.AUTHENTICATED)
    authorization = OrcidAuthorization.objects.get(person=researcher)
    assert authorization.is_active
    assert authorization.orcid == ORCID
    assert ACCESS_TOKEN not in authorization.access_token_encrypted
    assert crypto.decrypt(authorization.access_token_encrypted) == ACCESS_TOKEN
    assert authorization.expires_at is not None
    assert any("is connected and authenticated" in text for text in messages_of(response))
    # the code was exchanged once, by the portal client, with the registered redirect URI
    (token_call,) = orcid.requests
    form = parse_qs(token_call.content.decode())
    assert form["code"] == ["Diko4F"]
    assert form["grant_type"] == ["authorization_code"]
    logged = set(AuditEntry.objects.filter(person=researcher).values_list("target_type", flat=True))
    assert logged == {"portal.personidentifier", "orcid_connector.orcidauthorization"}
    # and the state cannot be used twice
    again = client.get("/backend/orcid/callback", {"code": "Diko4F", "state": state})
    assert OrcidAuthorization.objects.count() == 1
    assert any("not started here" in text for text in messages_of(again))


def test_callback_replaces_a_typed_orcid_id_with_the_authenticated_one(client, researcher, orcid):
    # given: the researcher had typed someone else's iD
    do_add_person_identifier(
        researcher, PersonIdentifierType.ORCID, "0000-0001-5109-3700", acting_user=researcher.user
    )
    # when
    client.get("/backend/orcid/callback", {"code": "abc123", "state": start(client)})
    # then
    values = list(researcher.identifiers.filter(id_type="orcid").values_list("value", "status"))
    assert values == [(ORCID, IdentifierStatus.AUTHENTICATED)]


def test_callback_authenticates_the_same_typed_id_in_place(client, researcher, orcid):
    typed = do_add_person_identifier(
        researcher, PersonIdentifierType.ORCID, ORCID, acting_user=researcher.user
    )
    client.get("/backend/orcid/callback", {"code": "abc123", "state": start(client)})
    typed.refresh_from_db()
    assert typed.status == IdentifierStatus.AUTHENTICATED


def test_a_second_connection_replaces_the_first(client, researcher, orcid):
    client.get("/backend/orcid/callback", {"code": "first1", "state": start(client)})
    client.get("/backend/orcid/callback", {"code": "second", "state": start(client)})
    assert OrcidAuthorization.objects.filter(person=researcher).count() == 2
    assert OrcidAuthorization.objects.filter(person=researcher, revoked_at=None).count() == 1


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            lambda request: httpx.Response(
                400,
                json={
                    "error": "invalid_grant",
                    "error_description": "Reused authorization code: abc123",
                },
            ),
            "ORCID refused the sign-in (invalid_grant)",
        ),
        (lambda request: httpx.Response(500, text="<html>oops</html>"), "Your ORCID iD was not"),
        (lambda request: httpx.Response(200, text="not json"), "Your ORCID iD was not"),
        (
            lambda request: httpx.Response(200, json={**TOKEN_RESPONSE, "orcid": None}),
            "had no iD",
        ),
        (
            lambda request: httpx.Response(
                200, json={**TOKEN_RESPONSE, "orcid": "0000-0000-0000-0000"}
            ),
            "check digit",
        ),
        (
            lambda request: httpx.Response(
                200, json={**TOKEN_RESPONSE, "orcid": "<script>alert(1)</script>"}
            ),
            "ORCID iD",
        ),
    ],
)
def test_callback_reports_what_orcid_got_wrong_and_stores_nothing(
    client, researcher, orcid, answer, message
):
    # given
    orcid.token = answer
    # when
    response = client.get("/backend/orcid/callback", {"code": "abc123", "state": start(client)})
    # then
    assert response.status_code == 302
    texts = messages_of(response)
    assert any(message in text for text in texts), texts
    assert not OrcidAuthorization.objects.exists()
    assert not PersonIdentifier.objects.filter(id_type="orcid").exists()


def test_callback_when_orcid_cannot_be_reached(client, researcher, orcid):
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    orcid.token = refuse
    response = client.get("/backend/orcid/callback", {"code": "abc123", "state": start(client)})
    assert any("could not be reached (ConnectError)" in t for t in messages_of(response))
    assert not OrcidAuthorization.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"error": "access_denied", "error_description": "User denied access"},
        {"code": "abc123", "state": "forged"},
        {"code": "abc123"},
        {"state": "x"},
        {"code": "a" * 10_000, "state": "will be replaced"},
        {"code": "abc\x00123", "state": "\x00"},
        {"code": "abc123", "state": "é"},
        {"code": "abc123", "state": "王" * 50},
    ],
)
def test_callback_refuses_denials_forgeries_and_junk(client, researcher, orcid, query):
    state = start(client)
    if query.get("state") == "will be replaced":
        query = {**query, "state": state}
    response = client.get("/backend/orcid/callback", query)
    assert response.status_code == 302
    assert messages_of(response)
    assert not OrcidAuthorization.objects.exists()
    assert orcid.requests == []


def test_callback_refuses_an_id_on_another_researchers_profile(client, researcher, orcid):
    # A typed copy elsewhere gives way to the sign-in (portal tests); a proven one does not.
    other = make_person("Tai Ming", "WONG")
    do_add_person_identifier(
        other, PersonIdentifierType.ORCID, ORCID, acting_user=None, status=IdentifierStatus.VERIFIED
    )
    response = client.get("/backend/orcid/callback", {"code": "abc123", "state": start(client)})
    assert any("another researcher's profile" in t for t in messages_of(response))
    assert not OrcidAuthorization.objects.exists()


def connect(client, orcid) -> OrcidAuthorization:
    client.get("/backend/orcid/callback", {"code": "abc123", "state": start(client)})
    return OrcidAuthorization.objects.get()


def test_disconnect_revokes_at_orcid_and_keeps_the_id(client, researcher, orcid):
    authorization = connect(client, orcid)
    # when
    response = client.post(f"/backend/persons/{researcher.slug}/orcid/disconnect")
    # then
    assert response.status_code == 302
    authorization.refresh_from_db()
    assert not authorization.is_active
    assert "revoked at ORCID" in authorization.revoked_reason
    revoke_call = orcid.requests[-1]
    assert revoke_call.url.path == "/oauth/revoke"
    assert parse_qs(revoke_call.content.decode())["token"] == [ACCESS_TOKEN]
    assert researcher.identifiers.get(id_type="orcid").status == IdentifierStatus.AUTHENTICATED


def test_disconnect_when_orcid_cannot_be_reached_says_what_to_do(client, researcher, orcid):
    authorization = connect(client, orcid)
    orcid.revoke = lambda request: httpx.Response(503)
    response = client.post(f"/backend/persons/{researcher.slug}/orcid/disconnect")
    authorization.refresh_from_db()
    assert not authorization.is_active
    assert any("Trusted organizations" in text for text in messages_of(response))


def test_only_the_researcher_or_the_library_may_disconnect(client, researcher, orcid):
    connect(client, orcid)
    stranger = make_person("Mei", "CHAN")
    client.force_login(stranger.user)
    assert client.post(f"/backend/persons/{researcher.slug}/orcid/disconnect").status_code == 403
    client.force_login(make_library_user())
    client.post(f"/backend/persons/{researcher.slug}/orcid/disconnect")
    assert not OrcidAuthorization.objects.filter(revoked_at=None).exists()


def test_disconnect_without_a_connection_or_with_get(client, researcher):
    assert client.get(f"/backend/persons/{researcher.slug}/orcid/disconnect").status_code == 405
    response = client.post(f"/backend/persons/{researcher.slug}/orcid/disconnect")
    assert any("No ORCID iD is connected" in t for t in messages_of(response))
    assert client.post("/backend/persons/no-such-person/orcid/disconnect").status_code == 404


def test_edit_page_panel_offers_connect_then_shows_the_connection(client, researcher, orcid):
    page = client.get(f"/backend/persons/{researcher.slug}/edit/").content.decode()
    assert "Create or Connect your ORCID iD" in page
    connect(client, orcid)
    page = client.get(f"/backend/persons/{researcher.slug}/edit/").content.decode()
    assert "Create or Connect your ORCID iD" not in page
    assert f"/{ORCID}" in page
    assert "Authenticated" in page
    assert "Disconnect ORCID iD" in page
    assert "add and update your research activities (works)" in page


def test_reconnect_needed_only_when_orcid_ended_the_connection(client, researcher, orcid):
    # given: the researcher disconnected themselves
    authorization = connect(client, orcid)
    client.post(f"/backend/persons/{researcher.slug}/orcid/disconnect")
    # when / then: nothing to mend, only the way to connect again
    page = client.get(f"/backend/persons/{researcher.slug}/edit/").content.decode()
    assert "Reconnect needed" not in page
    assert "Create or Connect your ORCID iD" in page
    # given: a new connection that ORCID then refused
    client.get("/backend/orcid/callback", {"code": "abc123", "state": start(client)})
    lost = OrcidAuthorization.objects.get(revoked_at=None)
    assert lost != authorization
    do_disconnect_orcid(
        lost,
        "ORCID refused the access token during export (invalid_token); reconnect needed.",
        kind=RevokedKind.TOKEN_REFUSED,
        acting_user=None,
    )
    # when / then: the panel says why and what to do
    page = client.get(f"/backend/persons/{researcher.slug}/edit/").content.decode()
    assert "Reconnect needed" in page
    assert "invalid_token" in page


def test_library_sees_the_panel_without_a_connect_button(client, researcher):
    client.force_login(make_library_user())
    page = client.get(f"/backend/persons/{researcher.slug}/edit/").content.decode()
    assert "only the researcher can connect one" in page
    assert "Create or Connect your ORCID iD" not in page


def test_tokens_need_the_key_they_were_encrypted_with(settings):
    stored = crypto.encrypt(ACCESS_TOKEN)
    settings.ORCID_TOKEN_KEY = "A" * 43 + "="
    with pytest.raises(crypto.TokenKeyError):
        crypto.decrypt(stored)
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""


def test_token_response_shapes_are_read_defensively(orcid):
    without_expiry = {k: v for k, v in TOKEN_RESPONSE.items() if k != "expires_in"}
    orcid.token = lambda request: httpx.Response(200, json={**without_expiry, "name": None})
    with OrcidSession.from_settings() as session:
        grant = session.exchange_code("abc123", "state")
    assert grant.expires_in is None
    assert grant.name == ""
    assert grant.orcid == ORCID


# The edit page's own 8 queries (portal/tests/test_queries.py) plus the panel's three: whose
# profile this is, the active connection, then either the ended one or the exported count.
EDIT_PAGE_WITH_PANEL_QUERIES = 11


@pytest.mark.parametrize("connected", [False, True])
def test_the_panel_costs_a_constant_three_queries(
    client, researcher, orcid, django_assert_num_queries, connected, settings
):
    settings.PORTAL_PANELS = {"edit-profile": ["orcid_connector.panels.orcid_panel"]}
    if connected:
        connect(client, orcid)
    with django_assert_num_queries(EDIT_PAGE_WITH_PANEL_QUERIES):
        response = client.get(f"/backend/persons/{researcher.slug}/edit/")
    assert response.status_code == 200


def test_the_history_page_meets_the_accessibility_basics(client, researcher, orcid):
    from portal.tests.accessibility import assert_accessible

    connect(client, orcid)
    response = client.get(f"/backend/persons/{researcher.slug}/orcid/history")
    assert response.status_code == 200
    assert_accessible(response.content.decode())
    stranger = make_person("Mei", "CHAN")
    client.force_login(stranger.user)
    assert client.get(f"/backend/persons/{researcher.slug}/orcid/history").status_code == 403


def test_a_replaced_or_refused_token_is_revoked_at_orcid(
    client, researcher, orcid, django_capture_on_commit_callbacks
):
    from portal.actions import do_add_person_identifier as add

    with django_capture_on_commit_callbacks(execute=True):
        client.get("/backend/orcid/callback", {"code": "first1", "state": start(client)})
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/backend/orcid/callback", {"code": "second", "state": start(client)})
    revoked = [r for r in orcid.requests if r.url.path == "/oauth/revoke"]
    assert len(revoked) == 1  # the first token, once the second connection committed
    # and a token the portal refuses (the iD is on someone else's profile) goes back at once
    other = make_person("Tai Ming", "WONG")
    OrcidAuthorization.objects.all().delete()
    researcher.identifiers.all().delete()
    add(other, "orcid", ORCID, acting_user=None, status=IdentifierStatus.VERIFIED)
    client.get("/backend/orcid/callback", {"code": "third1", "state": start(client)})
    assert len([r for r in orcid.requests if r.url.path == "/oauth/revoke"]) == 2
