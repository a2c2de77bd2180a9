"""The ORCID sandbox's Content-Security-Policy: sign-in and authorize pages may send the browser
on to their own client's redirect URIs, and to nobody else's."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from csp.constants import SELF
from django.http.response import HttpResponseBase
from pytest_django.fixtures import Settings

from orcid_sandbox import actions
from orcid_sandbox.tests.fixtures import PASSWORD, PORTAL_REDIRECT

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])


@pytest.fixture(autouse=True)
def _orcid_policy(settings: Settings) -> None:
    # What the process serving the ORCID sandbox has (config/settings.py): forms post to the
    # sandbox itself, and this middleware adds the page's client.
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "form-action": [SELF]}}
    settings.MIDDLEWARE = [
        "orcid_sandbox.csp.ClientRedirectCSPMiddleware"
        if entry == "csp.middleware.CSPMiddleware"
        else entry
        for entry in settings.MIDDLEWARE
    ]


def form_action(response: HttpResponseBase) -> list[str]:
    policy: str = response["Content-Security-Policy"]
    for directive in policy.split(";"):
        name, *sources = directive.split()
        if name == "form-action":
            return sources
    raise AssertionError("no form-action")


def authorize_path(client_id: str, redirect_uri: str) -> str:
    query = {
        "client_id": client_id,
        "response_type": "code",
        "scope": "/authenticate",
        "redirect_uri": redirect_uri,
    }
    return f"/oauth/authorize?{urlencode(query)}"


def test_pages_without_a_client_allow_only_the_sandbox(client, portal_client):
    # when
    for path in ("/", "/signin", "/register", "/developer-tools"):
        response = client.get(path)
        # then
        assert form_action(response) == ["'self'"], path


def test_sign_in_for_a_client_allows_that_clients_redirect_origins(
    client, portal_client, scopus_client
):
    # given: the portal sends a researcher to sign in on the way to authorize
    next_url = authorize_path(portal_client.client_id, PORTAL_REDIRECT)
    # when
    response = client.get("/signin", {"next": next_url})
    # then: the portal's origin, not Scopus's
    assert response.status_code == 200
    assert form_action(response) == ["'self'", "http://127.0.0.1:8000"]


def test_authorize_allows_a_client_registered_in_developer_tools(client, account):
    # given: a client a developer registered, with two redirect URIs on one host and one on another
    registered, _ = actions.do_register_client(
        client_id="APP-DEVELOPERTOOLS1",
        client_secret="dev-secret",
        name="A developer's app",
        website="https://app.example.org",
        redirect_uris=[
            "https://app.example.org/callback",
            "https://app.example.org/other",
            "http://localhost:3000/cb",
        ],
    )
    client.post("/signin", {"username": account.orcid, "password": PASSWORD})
    # when
    response = client.get(authorize_path(registered.client_id, "https://app.example.org/callback"))
    # then
    assert response.status_code == 200
    assert form_action(response) == [
        "'self'",
        "http://localhost:3000",
        "https://app.example.org",
    ]


def test_an_unknown_or_hostile_client_id_adds_nothing(client):
    for client_id in ("APP-NOSUCHCLIENT00", "x\x00y", "é" * 500):
        # when
        response = client.get("/signin", {"next": f"/oauth/authorize?client_id={client_id}"})
        # then
        assert form_action(response) == ["'self'"], client_id
