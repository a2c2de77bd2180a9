"""OAuth 2.0 / OpenID Connect: a real code flow with Authlib as the client, and its refusals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.jwk import KeySet

from orcid_sandbox.tests.conftest import PASSWORD, PORTAL_REDIRECT

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

AUTHORIZE = "/oauth/authorize"


def signed_in(client, account) -> None:
    response = client.post("/signin", {"username": account.orcid, "password": PASSWORD})
    assert response.status_code == 302


def authorize_url(
    scope: str = "/authenticate", state: str = "xyz", redirect_uri: str = PORTAL_REDIRECT
) -> str:
    query = httpx.QueryParams(
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "response_type": "code",
            "scope": scope,
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{AUTHORIZE}?{query}"


def get_code(client, scope: str = "/authenticate") -> str:
    url = authorize_url(scope)
    page = client.get(url)
    assert "Authorize" in page.content.decode()
    response = client.post(url, {"decision": "authorize"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == PORTAL_REDIRECT
    params = parse_qs(location.query)
    assert params["state"] == ["xyz"]
    return params["code"][0]


def oauth_client(wsgi_app, **extra) -> OAuth2Client:
    transport = httpx.WSGITransport(app=wsgi_app)
    return OAuth2Client(
        client_id="APP-SCHOLARHUBDEMO01",
        client_secret="portal-secret",
        token_endpoint_auth_method="client_secret_post",
        transport=transport,
        base_url="http://testserver",
        **extra,
    )


def test_code_flow_with_authlib_client(client, account, portal_client, wsgi_app):
    # given: Chris signs in and authorizes the portal
    signed_in(client, account)
    code = get_code(client, "/authenticate /activities/update /person/update /read-limited")
    assert len(code) == 6
    # when: the portal exchanges the code
    with oauth_client(wsgi_app, redirect_uri=PORTAL_REDIRECT) as oauth:
        token = oauth.fetch_token(
            "http://testserver/oauth/token", code=code, headers={"Accept": "application/json"}
        )
    # then: ORCID's token response
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 631138518
    assert token["orcid"] == "0000-0000-0000-0001"
    assert token["name"] == "Chris WONG - demo"
    assert set(token["scope"].split()) == {
        "/authenticate",
        "/activities/update",
        "/person/update",
        "/read-limited",
    }
    assert len(token["access_token"]) == 36
    assert token["refresh_token"]


def test_reused_code_is_refused_and_revokes_its_tokens(client, account, portal_client, wsgi_app):
    signed_in(client, account)
    code = get_code(client, "/read-limited")
    with oauth_client(wsgi_app, redirect_uri=PORTAL_REDIRECT) as oauth:
        token = oauth.fetch_token("http://testserver/oauth/token", code=code)
    transport = httpx.WSGITransport(app=wsgi_app)
    with httpx.Client(transport=transport, base_url="http://testserver") as http:
        replay = http.post(
            "/oauth/token",
            data={
                "client_id": "APP-SCHOLARHUBDEMO01",
                "client_secret": "portal-secret",
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": PORTAL_REDIRECT,
            },
        )
        assert replay.status_code == 400
        assert replay.json() == {
            "error": "invalid_grant",
            "error_description": f"Reused authorization code: {code}",
        }
        works = http.get(
            f"/api/v3.0/{account.orcid}/works",
            headers={
                "Authorization": f"Bearer {token['access_token']}",
                "Accept": "application/json",
            },
        )
        assert works.status_code == 401
        assert works.json()["error"] == "invalid_token"


def test_openid_scope_adds_a_verifiable_id_token(client, account, portal_client, wsgi_app):
    signed_in(client, account)
    code = get_code(client, "openid")
    with oauth_client(wsgi_app, redirect_uri=PORTAL_REDIRECT) as oauth:
        token = oauth.fetch_token("http://testserver/oauth/token", code=code)
        keys = KeySet.import_key_set(oauth.get("http://testserver/oauth/jwks").json())
        info = oauth.get("http://testserver/oauth/userinfo").json()
    claims = jwt.decode(token["id_token"], keys).claims
    assert claims["sub"] == "0000-0000-0000-0001"
    assert claims["aud"] == ["APP-SCHOLARHUBDEMO01"]
    assert claims["iss"] == "http://testserver"
    assert info["sub"] == "0000-0000-0000-0001"
    assert info["name"] == "Chris WONG - demo"


def test_deny_redirects_with_access_denied(client, account, portal_client):
    signed_in(client, account)
    response = client.post(authorize_url(), {"decision": "deny"})
    assert response.status_code == 302
    assert "error=access_denied" in response["Location"]
    assert "state=xyz" in response["Location"]


def test_authorize_needs_sign_in_first(client, account, portal_client):
    response = client.get(authorize_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/signin?next=")


@pytest.mark.parametrize(
    ("url", "error"),
    [
        (authorize_url(redirect_uri="http://evil.example/cb"), "is not supported by client"),
        (authorize_url(redirect_uri=PORTAL_REDIRECT + "/extra"), "is not supported by client"),
        (
            "/oauth/authorize?client_id=APP-NOPE000000000000&response_type=code&redirect_uri=x",
            "invalid_client",
        ),
        ("/oauth/authorize", "unsupported_response_type"),
    ],
)
def test_bad_authorize_requests_never_redirect(client, account, portal_client, url, error):
    signed_in(client, account)
    response = client.get(url)
    assert response.status_code == 400
    assert "Location" not in response
    assert error in response.content.decode()


def test_refresh_with_revoke_old(client, account, portal_client, wsgi_app):
    signed_in(client, account)
    code = get_code(client, "/read-limited")
    with oauth_client(wsgi_app, redirect_uri=PORTAL_REDIRECT) as oauth:
        first = oauth.fetch_token("http://testserver/oauth/token", code=code)
        second = oauth.refresh_token(
            "http://testserver/oauth/token", refresh_token=first["refresh_token"], revoke_old="true"
        )
    # a plain client: Authlib's would sign every request with its newest token
    with httpx.Client(
        transport=httpx.WSGITransport(app=wsgi_app),
        base_url="http://testserver",
        headers={"Accept": "application/json"},
    ) as http:
        old = http.get(
            f"/api/v3.0/{account.orcid}/works",
            headers={"Authorization": f"Bearer {first['access_token']}"},
        )
        new = http.get(
            f"/api/v3.0/{account.orcid}/works",
            headers={"Authorization": f"Bearer {second['access_token']}"},
        )
    assert second["access_token"] != first["access_token"]
    assert old.status_code == 401
    assert new.status_code == 200


def test_client_credentials_read_public(portal_client, wsgi_app):
    with oauth_client(wsgi_app, scope="/read-public") as oauth:
        token = oauth.fetch_token("http://testserver/oauth/token", grant_type="client_credentials")
    assert token["orcid"] is None
    assert token["scope"] == "/read-public"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"grant_type": "authorization_code", "code": "ZZZZZZ"}, "invalid_grant"),
        ({"grant_type": "password", "username": "x", "password": "y"}, "unsupported_grant_type"),
        (
            {"grant_type": "authorization_code", "code": "x", "client_secret": "wrong"},
            "invalid_client",
        ),
    ],
)
def test_token_endpoint_errors_are_rfc6749_bodies(portal_client, data, error, wsgi_app):
    transport = httpx.WSGITransport(app=wsgi_app)
    body = {
        "client_id": "APP-SCHOLARHUBDEMO01",
        "client_secret": "portal-secret",
        "redirect_uri": PORTAL_REDIRECT,
        **data,
    }
    with httpx.Client(transport=transport, base_url="http://testserver") as http:
        response = http.post("/oauth/token", data=body)
    assert response.status_code in (400, 401)
    assert response.json()["error"] == error


def test_revoke_endpoint(client, account, portal_client, wsgi_app):
    signed_in(client, account)
    code = get_code(client, "/read-limited")
    with oauth_client(wsgi_app, redirect_uri=PORTAL_REDIRECT) as oauth:
        token = oauth.fetch_token("http://testserver/oauth/token", code=code)
    response = client.post(
        "/oauth/revoke",
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "client_secret": "portal-secret",
            "token": token["access_token"],
        },
    )
    assert response.status_code == 200
    api = client.get(
        f"/api/v3.0/{account.orcid}/works",
        HTTP_AUTHORIZATION=f"Bearer {token['access_token']}",
        HTTP_ACCEPT="application/json",
    )
    assert api.status_code == 401
    bad = client.post(
        "/oauth/revoke",
        {"client_id": "APP-SCHOLARHUBDEMO01", "client_secret": "nope", "token": "x"},
    )
    assert bad.status_code == 401


@pytest.mark.parametrize("scope", ["/activities/update", "/read-public /read-limited", ""])
def test_client_credentials_give_read_public_only(portal_client, wsgi_app, scope):
    # when
    with httpx.Client(
        transport=httpx.WSGITransport(app=wsgi_app), base_url="http://testserver"
    ) as http:
        response = http.post(
            "/oauth/token",
            data={
                "client_id": "APP-SCHOLARHUBDEMO01",
                "client_secret": "portal-secret",
                "grant_type": "client_credentials",
                "scope": scope,
            },
        )
    # then
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("scope", ["/read-public", "/everything", "/read-limited /webhook", ""])
def test_authorize_refuses_scopes_a_researcher_cannot_grant(client, account, portal_client, scope):
    signed_in(client, account)
    response = client.get(authorize_url(scope=scope))
    assert response.status_code == 400
    assert "Location" not in response
    assert "invalid_scope" in response.content.decode()


def test_token_name_is_null_when_the_names_are_not_public(client, account, portal_client, wsgi_app):
    # given: Chris keeps the names to trusted parties
    account.names_visibility = "limited"
    account.save()
    signed_in(client, account)
    code = get_code(client, "/authenticate")
    # when
    with oauth_client(wsgi_app, redirect_uri=PORTAL_REDIRECT) as oauth:
        token = oauth.fetch_token("http://testserver/oauth/token", code=code)
    # then: the iD, but no name
    assert token["orcid"] == account.orcid
    assert token["name"] is None


def test_redirect_uri_must_match_at_the_token_endpoint(client, account, portal_client, wsgi_app):
    signed_in(client, account)
    code = get_code(client, "/authenticate")
    with httpx.Client(
        transport=httpx.WSGITransport(app=wsgi_app), base_url="http://testserver"
    ) as http:
        response = http.post(
            "/oauth/token",
            data={
                "client_id": "APP-SCHOLARHUBDEMO01",
                "client_secret": "portal-secret",
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": PORTAL_REDIRECT + "/other",
            },
        )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_prompt_none_without_sign_in_answers_login_required(client, account, portal_client):
    # when: a client asks silently while nobody is signed in
    response = client.get(authorize_url() + "&prompt=none")
    # then: back to its registered redirect URI with the error and the state
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == PORTAL_REDIRECT
    assert parse_qs(location.query) == {"error": ["login_required"], "state": ["xyz"]}


def test_prompt_none_never_redirects_to_unregistered_uris(client, account, portal_client):
    response = client.get(authorize_url(redirect_uri="https://evil.example/cb") + "&prompt=none")
    assert response.status_code == 400
    assert "Location" not in response


def test_revoke_with_authlib_client_and_basic_auth(client, account, portal_client, wsgi_app):
    # given
    signed_in(client, account)
    code = get_code(client, "/read-limited")
    with oauth_client(wsgi_app, redirect_uri=PORTAL_REDIRECT) as oauth:
        token = oauth.fetch_token("http://testserver/oauth/token", code=code)
    # when: Authlib's client revokes, authenticating with HTTP Basic
    with OAuth2Client(
        client_id="APP-SCHOLARHUBDEMO01",
        client_secret="portal-secret",
        revocation_endpoint_auth_method="client_secret_basic",
        transport=httpx.WSGITransport(app=wsgi_app),
        base_url="http://testserver",
    ) as oauth:
        response = oauth.revoke_token("http://testserver/oauth/revoke", token["access_token"])
    # then
    assert response.status_code == 200
    api = client.get(
        f"/api/v3.0/{account.orcid}/works",
        HTTP_AUTHORIZATION=f"Bearer {token['access_token']}",
        HTTP_ACCEPT="application/json",
    )
    assert api.status_code == 401


@pytest.mark.parametrize("header", ["Basic !!!", "Basic " + "w6k=", "Basic", "Bearer x"])
def test_revoke_with_bad_basic_auth_is_401(client, header):
    response = client.post("/oauth/revoke", {"token": "x"}, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_token_exchange_without_redirect_uri_as_orcid_allows(
    client, account, portal_client, wsgi_app
):
    # given
    signed_in(client, account)
    code = get_code(client, "/authenticate")
    # when: the client leaves redirect_uri out of the exchange
    with httpx.Client(
        transport=httpx.WSGITransport(app=wsgi_app), base_url="http://testserver"
    ) as http:
        response = http.post(
            "/oauth/token",
            data={
                "client_id": "APP-SCHOLARHUBDEMO01",
                "client_secret": "portal-secret",
                "grant_type": "authorization_code",
                "code": code,
            },
            headers={"Accept": "application/json"},
        )
    # then
    assert response.status_code == 200
    assert response.json()["orcid"] == account.orcid
