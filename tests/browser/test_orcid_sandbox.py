"""The ORCID sandbox in a real browser: sign in, authorize Scopus, see the record, revoke."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import screenshot

pytestmark = pytest.mark.browser

CHRIS_ORCID = "0000-0000-0000-0001"
SCOPUS_CLIENT = "0000-0002-5982-8983"
SCOPUS_SECRET = "scopus-sandbox-demo-secret"  # noqa: S105 - the demo client's documented secret


def test_sign_in_authorize_see_record_and_revoke(page, live_services):
    orcid = live_services.orcid
    redirect_uri = f"{live_services.scopus}/orcid/callback"
    query = urlencode(
        {
            "client_id": SCOPUS_CLIENT,
            "response_type": "code",
            "state": "s1",
            "scope": "/authenticate /activities/update /person/update",
            "redirect_uri": redirect_uri,
        }
    )
    # given: Chris follows Scopus's link to ORCID and signs in with the iD and password
    page.goto(f"{orcid}/oauth/authorize?{query}")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email or ORCID iD").fill(CHRIS_ORCID)
    page.get_by_label("Password").fill("demo-orcid")
    page.get_by_role("button", name="Sign in").click()
    # when: "Authorize"
    expect(page.get_by_text("Scopus - Elsevier has asked for the following access")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(redirect_uri)))
    code = parse_qs(urlsplit(page.url).query)["code"][0]
    # and Scopus, as a client, exchanges the code and sends the Author ID
    token = httpx.post(
        f"{orcid}/oauth/token",
        data={
            "client_id": SCOPUS_CLIENT,
            "client_secret": SCOPUS_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
        },
        headers={"Accept": "application/json"},
    ).json()
    sent = httpx.post(
        f"{orcid}/api/v3.0/{CHRIS_ORCID}/external-identifiers",
        json={
            "external-id-type": "Scopus Author ID",
            "external-id-value": "98765432100",
            "external-id-url": {
                "value": "http://www.scopus.com/inward/authorDetails.url?authorID=98765432100&partnerID=MN8TOARS"
            },
            "external-id-relationship": "self",
        },
        headers={
            "Authorization": f"Bearer {token['access_token']}",
            "Accept": "application/vnd.orcid+json",
            "Content-Type": "application/vnd.orcid+json",
        },
    )
    assert sent.status_code == 201
    # then: the record shows Other IDs and grouped works with their preferred source
    page.goto(f"{orcid}/{CHRIS_ORCID}")
    expect(page.get_by_role("heading", name="Other IDs")).to_be_visible()
    expect(page.get_by_role("link", name="Scopus Author ID: 98765432100")).to_be_visible()
    expect(page.get_by_text("Source: Scopus - Elsevier")).to_be_visible()
    expect(page.get_by_text(re.compile(r"★ Preferred source \(of 2\)")).first).to_be_visible()
    expect(
        page.get_by_text("Source: Chris WONG via Crossref Metadata Search").first
    ).to_be_visible()
    screenshot(page, "orcid-record-chris")
    # and Chris can take Scopus's access away again
    page.goto(f"{orcid}/account/trusted-parties")
    expect(page.get_by_role("cell", name=re.compile("^Scopus - Elsevier"))).to_be_visible()
    page.get_by_role("button", name="Revoke access of Scopus - Elsevier").click()
    expect(page.get_by_text("You have not granted any organization access")).to_be_visible()
    after = httpx.get(
        f"{orcid}/api/v3.0/{CHRIS_ORCID}/works",
        headers={"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json"},
    )
    assert after.status_code == 401
