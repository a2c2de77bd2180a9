"""OAuth 2.0 / OpenID Connect: a real code flow with Authlib as the client, and its refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.integrations.httpx_client import OAuth2Client
from django.test import Client as TestClient
from joserfc import jwt
from joserfc.jwk import KeySet

from orcid_sandbox.models import Account
from orcid_sandbox.tests.fixtures import PASSWORD, PORTAL_REDIRECT

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

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


def get_code(client: TestClient, scope: str = "/authenticate") -> str:
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


# --- persistent tokens, prompt, implicit flow ----------------------------------------------------


def exchange(wsgi_app: WSGIApplication, code: str) -> dict[str, Any]:
    with oauth_client(wsgi_app, redirect_uri=PORTAL_REDIRECT) as oauth:
        return dict(oauth.fetch_token("http://testserver/oauth/token", code=code))


def redirect_params(response, *, fragment: bool = False) -> dict[str, list[str]]:
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == PORTAL_REDIRECT
    return parse_qs(location.fragment if fragment else location.query)


def test_an_earlier_grant_skips_the_consent_page(client, account, portal_client, wsgi_app):
    # given: Chris authorized the portal for two scopes and its token lives
    signed_in(client, account)
    exchange(wsgi_app, get_code(client, "/read-limited /activities/update"))
    # when: the portal asks again for the same scopes, and for fewer
    same = client.get(authorize_url("/read-limited /activities/update"))
    fewer = client.get(authorize_url("/read-limited"))
    # then: straight back with a code, no page
    for response in (same, fewer):
        params = redirect_params(response)
        assert params["state"] == ["xyz"]
        assert len(params["code"][0]) == 6
    token = exchange(wsgi_app, redirect_params(fewer)["code"][0])
    assert token["scope"] == "/read-limited"


@pytest.mark.parametrize("scope", ["/read-limited /person/update", "/person/update", "openid"])
def test_more_scopes_than_granted_show_the_consent_page(
    client, account, portal_client, wsgi_app, scope
):
    # given
    signed_in(client, account)
    exchange(wsgi_app, get_code(client, "/read-limited"))
    # when
    response = client.get(authorize_url(scope))
    # then
    assert response.status_code == 200
    assert "Authorize" in response.content.decode()


def test_revoked_or_other_clients_grants_do_not_skip_consent(
    client, account, portal_client, scopus_client, wsgi_app
):
    # given: Chris granted Scopus, and granted the portal but then revoked it
    from orcid_sandbox.tests.fixtures import make_token

    make_token(account, scopus_client, "/read-limited")
    signed_in(client, account)
    exchange(wsgi_app, get_code(client, "/read-limited"))
    client.post("/account/trusted-parties", {"client_id": "APP-SCHOLARHUBDEMO01"})
    # when
    response = client.get(authorize_url("/read-limited"))
    # then
    assert response.status_code == 200
    assert "Authorize" in response.content.decode()


def test_expired_grants_do_not_skip_consent(client, account, portal_client):
    # given: a token that has run out
    from orcid_sandbox.tests.fixtures import make_token

    token = make_token(account, portal_client, "/read-limited")
    token.expires_in = 1
    token.issued_at = token.issued_at.replace(year=2000)
    token.save()
    signed_in(client, account)
    # when / then
    assert client.get(authorize_url("/read-limited")).status_code == 200


def test_prompt_none_with_an_earlier_grant_gives_a_code(client, account, portal_client, wsgi_app):
    signed_in(client, account)
    exchange(wsgi_app, get_code(client, "/authenticate"))
    params = redirect_params(client.get(authorize_url() + "&prompt=none"))
    assert len(params["code"][0]) == 6
    assert params["state"] == ["xyz"]


def test_prompt_none_without_a_grant_answers_consent_required(client, account, portal_client):
    # given: signed in, nothing granted yet
    signed_in(client, account)
    # when
    response = client.get(authorize_url() + "&prompt=none")
    # then: no page, the error and the state at the registered redirect URI
    assert redirect_params(response) == {"error": ["consent_required"], "state": ["xyz"]}


def test_prompt_none_without_state_sends_none_back(client, account, portal_client):
    signed_in(client, account)
    url = authorize_url().replace("&state=xyz", "") + "&prompt=none"
    assert redirect_params(client.get(url)) == {"error": ["consent_required"]}


@pytest.mark.parametrize(
    "query",
    [
        "client_id=APP-SCHOLARHUBDEMO01&response_type=code&scope=/authenticate"
        "&redirect_uri=http://evil.example/cb&prompt=none",
        "client_id=APP-SCHOLARHUBDEMO01&response_type=code&scope=/read-public"
        f"&redirect_uri={PORTAL_REDIRECT}&prompt=none",
        "client_id=APP-NOPE&response_type=code&scope=/authenticate"
        f"&redirect_uri={PORTAL_REDIRECT}&prompt=none",
        "client_id=APP-SCHOLARHUBDEMO01%00&response_type=code&prompt=none",
    ],
)
def test_prompt_none_never_redirects_bad_requests(client, account, portal_client, query):
    # given: signed in, so the request itself is what is wrong
    signed_in(client, account)
    # when
    response = client.get(f"{AUTHORIZE}?{query}")
    # then
    assert response.status_code == 400
    assert "Location" not in response


def test_prompt_login_signs_in_again_then_comes_back(client, account, portal_client):
    # given
    signed_in(client, account)
    # when
    response = client.get(authorize_url() + "&prompt=login")
    # then: to the sign-in page, then back to the request without the prompt
    assert response.status_code == 302
    target = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    assert urlsplit(response["Location"]).path == "/signin"
    assert "prompt" not in parse_qs(urlsplit(target).query)
    back = client.post(
        f"/signin?{httpx.QueryParams({'next': target})}",
        {"username": account.email, "password": PASSWORD, "next": target},
    )
    assert back["Location"] == target
    assert "Authorize" in client.get(target).content.decode()


def implicit_url(scope: str = "/authenticate", **extra: str) -> str:
    query = httpx.QueryParams(
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "response_type": "token",
            "scope": scope,
            "redirect_uri": PORTAL_REDIRECT,
            "state": "xyz",
            **extra,
        }
    )
    return f"{AUTHORIZE}?{query}"


def test_implicit_flow_gives_a_ten_minute_token_in_the_fragment(client, account, portal_client):
    # given
    signed_in(client, account)
    assert "Authorize" in client.get(implicit_url()).content.decode()
    # when
    response = client.post(implicit_url(), {"decision": "authorize"})
    # then: ORCID's implicit answer, no refresh token
    params = redirect_params(response, fragment=True)
    assert urlsplit(response["Location"]).query == ""
    assert params["expires_in"] == ["599"]
    assert params["token_type"] == ["bearer"]
    assert params["orcid"] == [account.orcid]
    assert params["state"] == ["xyz"]
    assert "refresh_token" not in params
    assert len(params["access_token"][0]) == 36
    # and the token reads the record's public data and nothing it has no scope for
    token = params["access_token"][0]
    works = client.get(
        f"/pub/v3.0/{account.orcid}/works",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT="application/json",
    )
    assert works.status_code == 200
    write = client.post(
        f"/api/v3.0/{account.orcid}/work",
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT="application/json",
    )
    assert write.status_code == 403


def test_implicit_openid_carries_a_verifiable_id_token(client, account, portal_client):
    # given
    signed_in(client, account)
    url = implicit_url("openid", nonce="n-0S6_WzA2Mj")
    # when
    params = redirect_params(client.post(url, {"decision": "authorize"}), fragment=True)
    # then
    keys = KeySet.import_key_set(client.get("/oauth/jwks").json())
    decoded = jwt.decode(params["id_token"][0], keys)
    assert decoded.header["alg"] == "RS256"
    assert decoded.claims["sub"] == account.orcid
    assert decoded.claims["aud"] == ["APP-SCHOLARHUBDEMO01"]
    assert decoded.claims["nonce"] == "n-0S6_WzA2Mj"
    assert decoded.claims["at_hash"]
    assert params["expires_in"] == ["599"]


def test_implicit_deny_answers_in_the_fragment(client, account, portal_client):
    signed_in(client, account)
    params = redirect_params(client.post(implicit_url(), {"decision": "deny"}), fragment=True)
    assert params["error"] == ["access_denied"]
    assert params["state"] == ["xyz"]
    assert "access_token" not in params


@pytest.mark.parametrize(
    "scope", ["/read-limited", "/activities/update", "/authenticate /person/update", ""]
)
def test_implicit_flow_is_for_authenticate_and_openid_only(client, account, portal_client, scope):
    signed_in(client, account)
    response = client.get(implicit_url(scope))
    assert response.status_code == 400
    assert "invalid_scope" in response.content.decode()
    assert "Location" not in response


@pytest.mark.parametrize(
    "changes",
    [
        {"redirect_uri": "http://evil.example/cb"},
        {"redirect_uri": PORTAL_REDIRECT + "?x=1"},
        {"client_id": "APP-NOPE000000000000"},
        {"client_id": "APP-SCHOLARHUBDEMO01\x00"},
        {"client_id": ""},
    ],
)
def test_implicit_bad_requests_never_redirect(client, account, portal_client, changes):
    signed_in(client, account)
    query = httpx.QueryParams(
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "response_type": "token",
            "scope": "/authenticate",
            "redirect_uri": PORTAL_REDIRECT,
            **changes,
        }
    )
    response = client.get(f"{AUTHORIZE}?{query}")
    assert response.status_code == 400
    assert "Location" not in response


def test_implicit_prompt_none_errors_go_in_the_fragment(client, account, portal_client):
    # not signed in
    response = client.get(implicit_url(prompt="none"))
    assert redirect_params(response, fragment=True) == {
        "error": ["login_required"],
        "state": ["xyz"],
    }
    signed_in(client, account)
    response = client.get(implicit_url(prompt="none"))
    assert redirect_params(response, fragment=True) == {
        "error": ["consent_required"],
        "state": ["xyz"],
    }


def test_discovery_lists_both_flows_and_rs256(client):
    config = client.get("/.well-known/openid-configuration").json()
    assert config["response_types_supported"] == ["code", "token"]
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    for key in ("authorization_endpoint", "userinfo_endpoint", "jwks_uri", "revocation_endpoint"):
        assert config[key].startswith("http://testserver/oauth/")
    assert config["issuer"] == "http://testserver"
    key = client.get("/oauth/jwks").json()["keys"][0]
    assert key["alg"] == "RS256"
    assert "d" not in key  # the public half only


# --- refresh, revoke and code reuse in more detail ----------------------------------------------


def token_post(wsgi_app, **data: str) -> httpx.Response:
    with httpx.Client(
        transport=httpx.WSGITransport(app=wsgi_app), base_url="http://testserver"
    ) as http:
        return http.post(
            "/oauth/token",
            data={"client_id": "APP-SCHOLARHUBDEMO01", "client_secret": "portal-secret", **data},
        )


def works_status(client: TestClient, account: Account, access_token: str) -> int:
    return client.get(
        f"/api/v3.0/{account.orcid}/works",
        HTTP_AUTHORIZATION=f"Bearer {access_token}",
        HTTP_ACCEPT="application/json",
    ).status_code


def test_refresh_without_revoke_old_keeps_both_tokens(client, account, portal_client, wsgi_app):
    # given
    signed_in(client, account)
    first = exchange(wsgi_app, get_code(client, "/read-limited /activities/update"))
    # when: a narrower scope and a shorter life
    response = token_post(
        wsgi_app,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
        scope="/read-limited",
        expires_in="3600",
    )
    # then
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["scope"] == "/read-limited"
    assert second["expires_in"] == 3600
    assert second["orcid"] == account.orcid
    assert second["refresh_token"] != first["refresh_token"]
    assert works_status(client, account, first["access_token"]) == 200
    assert works_status(client, account, second["access_token"]) == 200


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"scope": "/read-limited /person/update"}, "invalid_scope"),
        ({"expires_in": "0"}, "invalid_request"),
        ({"expires_in": "-5"}, "invalid_request"),
        ({"expires_in": "9999999999999"}, "invalid_request"),
        ({"expires_in": "1e3"}, "invalid_request"),
        ({"expires_in": "٣"}, "invalid_request"),
        ({"refresh_token": "not-a-token"}, "invalid_grant"),
        ({"refresh_token": "a\x00b"}, "invalid_grant"),
    ],
)
def test_refresh_refusals(client, account, portal_client, wsgi_app, data, error):
    signed_in(client, account)
    first = exchange(wsgi_app, get_code(client, "/read-limited"))
    response = token_post(
        wsgi_app,
        **{"grant_type": "refresh_token", "refresh_token": first["refresh_token"], **data},
    )
    assert response.status_code in (400, 401)
    assert response.json()["error"] == error
    assert works_status(client, account, first["access_token"]) == 200


def test_revoking_the_access_token_ends_its_refresh_token(client, account, portal_client, wsgi_app):
    # given
    signed_in(client, account)
    token = exchange(wsgi_app, get_code(client, "/read-limited"))
    # when
    client.post(
        "/oauth/revoke",
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "client_secret": "portal-secret",
            "token": token["access_token"],
        },
    )
    # then
    refresh = token_post(wsgi_app, grant_type="refresh_token", refresh_token=token["refresh_token"])
    assert refresh.status_code == 400
    assert refresh.json()["error"] == "invalid_grant"


def test_revoke_by_refresh_token_and_only_the_clients_own(
    client, account, portal_client, scopus_client, wsgi_app
):
    # given
    from orcid_sandbox.tests.fixtures import make_token

    signed_in(client, account)
    token = exchange(wsgi_app, get_code(client, "/read-limited"))
    scopus = make_token(account, scopus_client, "/read-limited")
    # when: the portal revokes by its refresh token, and tries Scopus's token
    for value in (token["refresh_token"], scopus.access_token, "\x00", "x" * 10_000):
        response = client.post(
            "/oauth/revoke",
            {"client_id": "APP-SCHOLARHUBDEMO01", "client_secret": "portal-secret", "token": value},
        )
        assert response.status_code == 200
    # then
    assert works_status(client, account, token["access_token"]) == 401
    assert works_status(client, account, scopus.access_token) == 200


def test_reused_code_also_ends_the_refresh_token(client, account, portal_client, wsgi_app):
    # given
    signed_in(client, account)
    code = get_code(client, "/read-limited")
    token = exchange(wsgi_app, code)
    # when
    replay = token_post(
        wsgi_app, grant_type="authorization_code", code=code, redirect_uri=PORTAL_REDIRECT
    )
    # then
    assert replay.json()["error"] == "invalid_grant"
    refresh = token_post(wsgi_app, grant_type="refresh_token", refresh_token=token["refresh_token"])
    assert refresh.json()["error"] == "invalid_grant"


def test_code_of_another_client_is_invalid_grant(client, account, portal_client, scopus_client):
    # given: a code issued to the portal
    signed_in(client, account)
    code = get_code(client, "/authenticate")
    # when: Scopus presents it
    response = client.post(
        "/oauth/token",
        {
            "client_id": "0000-0002-5982-8983",
            "client_secret": "scopus-secret",
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": PORTAL_REDIRECT,
        },
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_code_flow_id_token_is_rs256_with_the_nonce(client, account, portal_client, wsgi_app):
    # given
    signed_in(client, account)
    url = authorize_url("openid") + "&nonce=abc123"
    params = redirect_params(client.post(url, {"decision": "authorize"}))
    # when
    token = exchange(wsgi_app, params["code"][0])
    # then
    keys = KeySet.import_key_set(client.get("/oauth/jwks").json())
    decoded = jwt.decode(token["id_token"], keys)
    assert decoded.header["alg"] == "RS256"
    assert decoded.header["kid"] == keys.keys[0].kid
    assert decoded.claims["nonce"] == "abc123"
    assert decoded.claims["exp"] > decoded.claims["iat"]


def test_client_credentials_token_reads_public_data_only(client, account, portal_client, wsgi_app):
    # given: a public and a trusted-parties work, and a two-legged token
    from orcid_sandbox.models import Work

    for visibility in ("public", "limited"):
        Work.objects.create(
            account=account,
            title=f"A {visibility} work",
            work_type="other",
            visibility=visibility,
            external_ids=[
                {"type": "doi", "value": f"10.1/{visibility}", "url": "", "relationship": "self"}
            ],
        )
    response = token_post(wsgi_app, grant_type="client_credentials", scope="/read-public")
    token = response.json()["access_token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT": "application/json"}
    # when
    member = client.get(f"/api/v3.0/{account.orcid}/works", **headers)
    public = client.get(f"/pub/v3.0/{account.orcid}/works", **headers)
    write = client.post(
        f"/api/v3.0/{account.orcid}/work", data="{}", content_type="application/json", **headers
    )
    # then
    for answer in (member, public):
        assert answer.status_code == 200
        titles = [
            group["work-summary"][0]["title"]["title"]["value"] for group in answer.json()["group"]
        ]
        assert titles == ["A public work"]
    assert write.status_code == 401
    assert write.json()["error-code"] == 9017


@pytest.mark.parametrize("nonce", ["n" * 5000, "a\x00b", "\ufffd", "ü" * 300, "n" * 200])
@pytest.mark.parametrize("response_type", ["code", "token"])
def test_odd_nonces_and_states_never_fail(client, account, portal_client, nonce, response_type):
    # given
    signed_in(client, account)
    query = httpx.QueryParams(
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "response_type": response_type,
            "scope": "openid",
            "redirect_uri": PORTAL_REDIRECT,
            "state": nonce,
            "nonce": nonce,
        }
    )
    # when
    response = client.post(f"{AUTHORIZE}?{query}", {"decision": "authorize"})
    # then: a code or token for a nonce a column holds, a clear refusal for others
    fits = len(nonce) <= 200 and "\x00" not in nonce
    assert response.status_code == (302 if fits else 400)
    if not fits:
        assert "Location" not in response
        assert "nonce" in response.content.decode()
