"""Part 1 of the exercise in a real browser: the portal connects Chris's ORCID iD through the
ORCID sandbox's sign-in and "Authorize" page, and a disconnect revokes the access at ORCID."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import log_in, screenshot

pytestmark = pytest.mark.browser

CHRIS_ORCID = "0000-0000-0000-0001"


def test_create_or_connect_orcid_id_then_disconnect(page, live_services):
    portal, orcid = live_services.portal, live_services.orcid
    # given: Chris in the researcher backend
    log_in(page, portal)
    page.get_by_role("link", name="Edit profile").click()
    # when: "Create or Connect your ORCID iD" → ORCID "Sign in" → "Authorize"
    page.get_by_role("button", name="Create or Connect your ORCID iD").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.url.startswith(f"{orcid}/")
    page.get_by_label("Email or ORCID iD").fill("chriswong@cityu.edu.hk")
    page.get_by_label("Password").fill("demo-orcid")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("CityU Scholars has asked for the following access")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    # then: back on "Edit profile", the iD is authenticated; "Save" finishes
    page.wait_for_url(re.compile(re.escape(portal) + r"/backend/persons/.+/edit/"))
    expect(
        page.get_by_text(f"Your ORCID iD {CHRIS_ORCID} is connected and authenticated.")
    ).to_be_visible()
    panel = page.locator("section.orcid-panel")
    expect(panel.get_by_role("link", name=f"{orcid}/{CHRIS_ORCID}")).to_be_visible()
    expect(panel.get_by_text("Authenticated")).to_be_visible()
    screenshot(page, "portal-orcid-connected")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your changes have been saved.")).to_be_visible()
    page.goto(f"{portal}/persons/chris-wong-demo/")
    expect(page.get_by_role("link", name=CHRIS_ORCID)).to_have_attribute(
        "href", f"{orcid}/{CHRIS_ORCID}"
    )
    # and ORCID lists the portal among Chris's trusted organizations
    page.goto(f"{orcid}/account/trusted-parties")
    expect(page.get_by_role("cell", name=re.compile("^CityU Scholars"))).to_be_visible()

    # when: "Export now" instead of waiting for the night
    page.goto(f"{portal}/backend/profile/edit/")
    page.get_by_role("button", name="Export now").click()
    expect(page.get_by_text(re.compile(r"Sent to ORCID: \d+ new, 0 updated"))).to_be_visible()
    # then: the record holds the portal's copy of the seed's article next to the others
    page.goto(f"{orcid}/{CHRIS_ORCID}")
    hkall = page.locator("article.work-group", has_text="Planning to reality with HKALL")
    expect(hkall.get_by_text(re.compile(r"★ Preferred source \(of 3\)"))).to_be_visible()
    hkall.get_by_text(re.compile("Other versions")).click()
    expect(hkall.get_by_text(re.compile(r"^Source: CityU Scholars\b")).first).to_be_visible()
    websites = page.locator(
        "section", has=page.get_by_role("heading", name="Websites & Social Links")
    )
    expect(websites.get_by_role("link", name=re.compile("profile page"))).to_be_visible()
    screenshot(page, "orcid-record-after-portal-export")
    # and the history lists the calls
    page.goto(f"{portal}/backend/profile/edit/")
    page.get_by_role("link", name="ORCID history").click()
    expect(page.get_by_text(f"POST /{CHRIS_ORCID}/works", exact=True)).to_be_visible()

    # when: Chris disconnects in the portal
    page.goto(f"{portal}/backend/profile/edit/")
    page.get_by_role("button", name="Disconnect ORCID iD").click()
    # then: the portal stops, ORCID no longer trusts it, and the iD stays on the profile
    expect(page.get_by_text(f"ORCID iD {CHRIS_ORCID} is disconnected.")).to_be_visible()
    expect(page.get_by_role("button", name="Create or Connect your ORCID iD")).to_be_visible()
    page.goto(f"{orcid}/account/trusted-parties")
    expect(page.get_by_role("cell", name=re.compile("^CityU Scholars"))).to_have_count(0)
    page.goto(f"{portal}/persons/chris-wong-demo/")
    expect(page.get_by_role("link", name=CHRIS_ORCID)).to_be_visible()
