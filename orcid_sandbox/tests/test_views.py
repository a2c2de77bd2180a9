"""The registry's web pages: sign-in, register, the record page, trusted organizations."""

from __future__ import annotations

import pytest
from django.test import Client as BrowserClient

from orcid_sandbox.models import AccessToken, Account, Client, SignInSession, Work
from orcid_sandbox.tests.fixtures import PASSWORD, make_token

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])


@pytest.mark.parametrize(
    "username",
    [
        "chriswong@cityu.edu.hk",
        "CHRISWONG@cityu.edu.hk",
        "0000-0000-0000-0001",
        "0000000000000001",
        "https://orcid.org/0000-0000-0000-0001",
    ],
)
def test_sign_in_with_email_or_id(client, account, username):
    response = client.post("/signin", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/my-orcid")["Location"] == f"/{account.orcid}"


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("chriswong@cityu.edu.hk", "wrong"),
        ("nobody@example.edu", PASSWORD),
        ("0000-0000-0000-0000", PASSWORD),
        ("' OR 1=1 --", PASSWORD),
        ("x" * 300, PASSWORD),
        ("", ""),
    ],
)
def test_sign_in_refusals_keep_the_username(client, account, username, password):
    response = client.post("/signin", {"username": username, "password": password})
    assert response.status_code == 200
    assert not SignInSession.objects.exists()


def test_sign_in_ignores_foreign_next_urls(client, account):
    response = client.post(
        "/signin", {"username": account.email, "password": PASSWORD, "next": "http://evil.example/"}
    )
    assert response["Location"] == "/my-orcid"


def test_sign_out_ends_the_session(client, account):
    client.post("/signin", {"username": account.email, "password": PASSWORD})
    client.post("/signout")
    assert not SignInSession.objects.exists()
    assert client.get("/my-orcid")["Location"].startswith("/signin")


def test_register_mints_an_id_with_a_valid_check_digit(client):
    response = client.post(
        "/register",
        {
            "given_names": "Mary",
            "family_name": "Chan",
            "email": "mary@example.edu",
            "password": "long enough password",
        },
    )
    assert response.status_code == 302
    account = Account.objects.get()
    assert account.orcid.startswith("0000-0000-")
    from identifiers import Scheme, normalise

    assert normalise(Scheme.ORCID, account.orcid) == account.orcid
    duplicate = client.post(
        "/register",
        {"given_names": "M", "email": "MARY@example.edu", "password": "another password"},
    )
    assert "already registered" in duplicate.content.decode()
    short = client.post(
        "/register", {"given_names": "M", "email": "m2@example.edu", "password": "short"}
    )
    assert short.status_code == 200
    assert Account.objects.count() == 1


def test_record_page_shows_groups_sources_and_preferred(
    client, account, portal_client, scopus_client
):
    ids = [{"type": "doi", "value": "10.1108/02641610610669750", "url": "", "relationship": "self"}]
    common = {
        "account": account,
        "title": "User-initiated resource sharing",
        "journal_title": "Interlending and Document Supply",
        "work_type": "journal-article",
        "publication_year": "2006",
        "external_ids": ids,
    }
    Work.objects.create(
        source_client=scopus_client, assertion_origin=account, display_index=3, **common
    )
    Work.objects.create(source_client=portal_client, **common)
    Work.objects.create(source_client=None, display_index=0, **common)
    page = client.get(f"/{account.orcid}").content.decode()
    for label in (
        "Also known as",
        "Country",
        "Keywords",
        "Websites &amp; Social Links",
        "Other IDs",
        "Works",
        "View public version",
        "Public record print view",
        "Get a QR Code for your ID",
    ):
        assert label in page
    assert "2006 | journal-article" in page
    assert "Source: Chris WONG via Scopus - Elsevier" in page
    assert "★ Preferred source (of 3)" in page
    all_versions = client.get(f"/{account.orcid}?versions=all").content.decode()
    assert "Source: CityU Scholars" in all_versions


def test_owner_picks_the_preferred_source_and_visibility(
    client, account, portal_client, scopus_client
):
    ids = [{"type": "doi", "value": "10.1/x", "url": "", "relationship": "self"}]
    first = Work.objects.create(
        account=account,
        source_client=scopus_client,
        title="A",
        work_type="other",
        external_ids=ids,
        display_index=5,
    )
    second = Work.objects.create(
        account=account, source_client=portal_client, title="A", work_type="other", external_ids=ids
    )
    client.post("/signin", {"username": account.email, "password": PASSWORD})
    client.post(f"/{account.orcid}/works/{second.pk}/preferred")
    second.refresh_from_db()
    assert second.display_index == 6
    client.post(f"/{account.orcid}/works/{first.pk}/visibility", {"visibility": "private"})
    first.refresh_from_db()
    assert first.visibility == "private"
    assert (
        client.post(
            f"/{account.orcid}/works/{first.pk}/visibility", {"visibility": "everyone"}
        ).status_code
        == 400
    )


def test_others_cannot_change_a_record(client, account, portal_client):
    work = Work.objects.create(
        account=account, source_client=portal_client, title="A", work_type="other", external_ids=[]
    )
    from orcid_sandbox import actions

    actions.do_create_account(email="mary@example.edu", password=PASSWORD, given_names="Mary")
    client.post("/signin", {"username": "mary@example.edu", "password": PASSWORD})
    assert client.post(f"/{account.orcid}/works/{work.pk}/preferred").status_code == 403
    anonymous = BrowserClient()
    assert (
        anonymous.post(
            f"/{account.orcid}/works/{work.pk}/visibility", {"visibility": "private"}
        ).status_code
        == 302
    )


def test_trusted_organizations_revoke_access(client, account, portal_client):
    token = make_token(account, portal_client, "/activities/update /read-limited")
    client.post("/signin", {"username": account.email, "password": PASSWORD})
    page = client.get("/account/trusted-parties").content.decode()
    assert "CityU Scholars" in page
    assert "/activities/update" in page
    assert "Revoke access" in page
    client.post("/account/trusted-parties", {"client_id": portal_client.client_id})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "CityU Scholars" not in client.get("/account/trusted-parties").content.decode()
    assert client.post("/account/trusted-parties", {"client_id": "<nope>"}).status_code == 404


def test_developer_tools_register_a_client(client, account):
    client.post("/signin", {"username": account.email, "password": PASSWORD})
    response = client.post(
        "/developer-tools",
        {
            "name": "My app",
            "website": "example.edu",
            "redirect_uris": "https://example.edu/cb\nhttps://example.edu/cb2",
        },
    )
    created = Client.objects.get(name="My app")
    assert created.client_id.startswith("APP-")
    assert len(created.client_id) == 20
    assert created.client_id in response.content.decode()
    bad = client.post(
        "/developer-tools", {"name": "Bad", "website": "x", "redirect_uris": "not a url"}
    )
    assert "Enter a valid URL" in bad.content.decode()
    assert not Client.objects.filter(name="Bad").exists()


def test_discovery_documents(client):
    config = client.get("/.well-known/openid-configuration").json()
    assert config["token_endpoint"].endswith("/oauth/token")
    assert client.get("/oauth/jwks").json()["keys"][0]["kty"] == "RSA"
    assert client.get("/oauth/userinfo").status_code == 401


def test_qr_code_and_print_view(client, account):
    assert client.get(f"/{account.orcid}/qr-code.svg")["Content-Type"] == "image/svg+xml"
    assert account.display_name in client.get(f"/{account.orcid}?print=1").content.decode()
    assert client.get("/0000-0002-1825-0097").status_code == 404


def test_csrf_is_enforced_on_web_forms(account):
    strict = BrowserClient(enforce_csrf_checks=True)
    assert (
        strict.post("/signin", {"username": account.email, "password": PASSWORD}).status_code == 403
    )
    assert not AccessToken.objects.exists()


def test_record_page_links_doi_and_eid(client, account, portal_client):
    # given
    Work.objects.create(
        account=account,
        source_client=portal_client,
        title="HKALL",
        work_type="journal-article",
        external_ids=[
            {
                "type": "doi",
                "value": "10.1108/02641610610669750",
                "url": "",
                "relationship": "self",
            },
            {"type": "eid", "value": "2-s2.0-33745291715", "url": "", "relationship": "self"},
            {
                "type": "other-id",
                "value": "x1",
                "url": "javascript:alert(1)",
                "relationship": "self",
            },
        ],
    )
    # when
    page = client.get(f"/{account.orcid}").content.decode()
    # then
    assert 'href="https://doi.org/10.1108/02641610610669750"' in page
    assert "eid=2-s2.0-33745291715" in page
    assert "javascript:" not in page


def test_minting_retries_when_another_registration_took_the_id(account, monkeypatch):
    # given: the next iD is taken by the time this registration writes (a concurrent one)
    from orcid_sandbox import actions

    offered = iter([account.orcid, "0000-0000-0000-0028"])
    monkeypatch.setattr(actions, "next_orcid", lambda: next(offered))
    # when
    created = actions.do_create_account(
        email="new@example.org", password="long-enough-pw", given_names="New"
    )
    # then
    assert created.orcid == "0000-0000-0000-0028"
    assert Account.objects.count() == 2


def test_register_with_a_taken_email_keeps_the_form(client, account):
    response = client.post(
        "/register",
        {"given_names": "Chris", "email": account.email.upper(), "password": "long-enough-pw"},
    )
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Account.objects.count() == 1


def test_authorize_link_email_fills_in_the_sign_in_form(client, account, portal_client):
    # given: a client's authorize link carrying ORCID's email parameter
    authorize = (
        "/oauth/authorize?client_id=APP-SCHOLARHUBDEMO01&response_type=code&scope=%2Fauthenticate"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fbackend%2Forcid%2Fcallback"
        "&email=chriswong%40cityu.edu.hk"
    )
    # when
    page = client.get(authorize, follow=True)
    # then
    assert page.context["form"]["username"].value() == "chriswong@cityu.edu.hk"
    assert client.get("/signin?next=/elsewhere%3Femail%3Dx").context["form"][
        "username"
    ].value() in (
        None,
        "",
    )
