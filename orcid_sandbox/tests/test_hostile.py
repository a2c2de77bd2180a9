"""Hostile and malformed input on every form and endpoint: a clear 4xx, never a 500, nothing
stored."""

from __future__ import annotations

import json

import pytest

from orcid_sandbox.models import (
    AccessToken,
    Account,
    Affiliation,
    Client,
    Employment,
    Funding,
    OtherId,
    ResearcherUrl,
    Work,
)
from orcid_sandbox.tests.fixtures import PASSWORD, make_token

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

NASTY = [
    "",
    " ",
    "\x00",
    "x" * 100_000,
    "'; DROP TABLE orcid_sandbox_account; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00%2e%2e%2f",
    "\ud7ff\ue000\U0010ffff",
    "0000-0000-0000-000X",
    "https://orcid.org/0000-0000-0000-0001",
    "{{ 7*7 }}",
]
JSON_BODIES = [
    b"",
    b"null",
    b"[]",
    b'"work"',
    b"{",
    b'{"bulk": "no"}',
    b'{"bulk": [1, null, "x", {"work": []}]}',
    b"\xff\xfe\x00",
    json.dumps({"title": {"title": {"value": ["a", "b"]}}, "type": {"x": 1}}).encode(),
    json.dumps({"organization": {"name": {"value": {"deep": 1}}}}).encode(),
    json.dumps({"external-id-type": 1, "external-id-value": [], "url": {"value": 5}}).encode(),
    json.dumps({"a": [[[[[[[[[[[[]]]]]]]]]]]]}).encode(),
]
API_WRITES = [
    ("post", "work"),
    ("post", "works"),
    ("put", "work/1"),
    ("post", "external-identifiers"),
    ("post", "researcher-urls"),
    ("post", "employment"),
    ("put", "employment/1"),
    ("put", "external-identifiers/1"),
    ("put", "researcher-urls/1"),
    ("post", "funding"),
    ("put", "funding/1"),
    ("post", "invited-position"),
    ("put", "invited-position/1"),
]


@pytest.fixture
def writer(account: Account, portal_client: Client) -> AccessToken:
    return make_token(account, portal_client, "/activities/update /person/update /read-limited")


@pytest.mark.parametrize("body", JSON_BODIES)
@pytest.mark.parametrize(("method", "path"), API_WRITES)
def test_api_writes_refuse_malformed_bodies(client, account, writer, method, path, body):
    response = getattr(client, method)(
        f"/api/v3.0/{account.orcid}/{path}",
        data=body,
        content_type="application/vnd.orcid+json",
        HTTP_AUTHORIZATION=f"Bearer {writer.access_token}",
        HTTP_ACCEPT="application/json",
    )
    assert 400 <= response.status_code < 500 or (
        path == "works" and response.status_code == 200 and "error" in response.json()["bulk"][0]
    )
    assert not Work.objects.exists()
    assert not OtherId.objects.exists()
    assert not ResearcherUrl.objects.exists()
    assert not Employment.objects.exists()
    assert not Funding.objects.exists()
    assert not Affiliation.objects.exists()


@pytest.mark.parametrize("value", NASTY)
def test_api_paths_and_queries_never_fail(client, account, value):
    for url in (
        f"/pub/v3.0/{value[:300]}/works",
        f"/pub/v3.0/{account.orcid}/{value[:300]}",
        f"/pub/v3.0/{account.orcid}/work/{value[:300]}",
        f"/pub/v3.0/{account.orcid}/works/{value[:300]},1",
    ):
        assert client.get(url, HTTP_ACCEPT="application/json").status_code < 500
    search = client.get("/pub/v3.0/search/", {"q": value, "start": value, "rows": value})
    assert search.status_code < 500
    headers = {"HTTP_AUTHORIZATION": f"Bearer {value[:1000]}", "HTTP_ACCEPT": value[:1000]}
    assert client.get(f"/api/v3.0/{account.orcid}/works", **headers).status_code < 500


@pytest.mark.parametrize("value", NASTY)
def test_web_forms_never_fail(client, account, value):
    # sign-in, register and the OAuth endpoints, anonymous
    assert client.post("/signin", {"username": value, "password": value}).status_code == 200
    registered = client.post("/register", {"given_names": value, "email": value, "password": value})
    assert registered.status_code == 200
    assert client.get("/signin", {"next": value}).status_code == 200
    for path in ("/oauth/token", "/oauth/revoke"):
        response = client.post(
            path, {"grant_type": value, "client_id": value, "client_secret": value, "token": value}
        )
        assert 400 <= response.status_code < 500
    assert client.get("/oauth/userinfo", HTTP_AUTHORIZATION=f"Bearer {value}").status_code == 401
    # signed in: authorize, developer tools, trusted organizations, personal data, record forms
    client.post("/signin", {"username": account.email, "password": PASSWORD})
    assert client.get("/oauth/authorize", {"client_id": value, "scope": value}).status_code == 400
    tools = client.post("/developer-tools", {"name": value, "redirect_uris": value})
    assert tools.status_code == 200
    assert client.post("/account/trusted-parties", {"client_id": value}).status_code == 404
    assert client.post("/my-orcid/personal-data", {"given_names": value}).status_code in (200, 302)
    assert (
        client.post(f"/{account.orcid}/works/1/visibility", {"visibility": value}).status_code < 500
    )
    # nothing but Chris's own account, and no client registered from the bad input
    assert Account.objects.count() == 1
    assert not Client.objects.exists()
