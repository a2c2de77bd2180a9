"""Part 2 of the exercise in a real browser: the seed's steps (2)-(5) on the Scopus sandbox
against the running ORCID sandbox, what ORCID then shows, and what Scopus shows once the
Author Feedback queue has been processed."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import log_in, screenshot

pytestmark = pytest.mark.browser

CHRIS_ORCID = "0000-0000-0000-0001"
CHRIS_AUTHOR_ID = "98765432100"
CHRIS_SPLIT_ID = "55912345600"
HKALL_TITLE = (
    "User-initiated resource sharing in Hong Kong universities: Planning to reality with HKALL"
)
HKALL_EID = "2-s2.0-33745291715"


def test_connect_to_orcid_sends_author_id_and_works_then_scopus_links_orcid(page, live_services):
    scopus, orcid = live_services.scopus, live_services.orcid
    # (2) On your Scopus Author Profile, click "Connect to ORCID"
    page.goto(f"{scopus}/authors/{CHRIS_AUTHOR_ID}/")
    expect(page.get_by_role("heading", name="Wong, Chris")).to_be_visible()
    page.get_by_role("link", name="Connect to ORCID").click()
    # (3) On the Scopus to ORCID page, click "Sign In"
    expect(page.get_by_role("heading", name="Scopus to ORCID")).to_be_visible()
    page.get_by_role("button", name="Sign In").click()
    # (4) On the ORCID login page, enter the ORCID iD and password, then "Authorize"
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.url.startswith(orcid)
    page.get_by_label("Email or ORCID iD").fill(CHRIS_ORCID)
    page.get_by_label("Password").fill("demo-orcid")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Scopus - Elsevier has asked for the following access")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    # (5) The Scopus | ORCID pages: profiles (Chris's split profile too), name, publications
    expect(page.get_by_role("heading", name="Select your Scopus profiles")).to_be_visible()
    expect(
        page.get_by_text(f"Signed in to ORCID as Chris WONG - demo ({CHRIS_ORCID})")
    ).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(CHRIS_SPLIT_ID)).check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Choose your preferred name")).to_be_visible()
    page.get_by_label("Wong, Chris", exact=True).check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your publications")).to_be_visible()
    expect(page.get_by_text(HKALL_TITLE)).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your refined profile")).to_be_visible()
    screenshot(page, "scopus-wizard-review")
    page.get_by_role("button", name="Send Author ID").click()
    expect(
        page.get_by_role("heading", name="Your Scopus Author ID was sent to ORCID")
    ).to_be_visible()
    page.get_by_role("button", name="Send my publication list").click()
    expect(
        page.get_by_role("heading", name="Your publication list was sent to ORCID")
    ).to_be_visible()
    page.get_by_role("link", name="Return to ORCID").click()

    # then: ORCID shows the Author ID from Scopus and the works Scopus sent for Chris
    page.wait_for_url(f"{orcid}/{CHRIS_ORCID}")
    other_ids = page.locator("section", has=page.get_by_role("heading", name="Other IDs"))
    from_scopus = other_ids.locator("li", has_text="Source: Scopus - Elsevier")
    expect(
        from_scopus.get_by_role("link", name=f"Scopus Author ID: {CHRIS_AUTHOR_ID}")
    ).to_be_visible()
    hkall = page.locator("article.work-group", has_text=HKALL_TITLE)
    # Crossref's, Chris's own and Scopus's versions, and the portal's if its export ran first.
    expect(hkall.get_by_text(re.compile(r"★ Preferred source \(of [34]\)"))).to_be_visible()
    expect(hkall.get_by_text(f"EID: {HKALL_EID}").first).to_be_visible()
    hkall.get_by_text(re.compile("Other versions")).click()
    expect(hkall.get_by_text("Source: Chris WONG via Scopus - Elsevier")).to_be_visible()
    screenshot(page, "orcid-record-after-scopus-wizard")

    # and Scopus shows the change only once the Author Feedback team has processed it
    page.goto(f"{scopus}/authors/{CHRIS_AUTHOR_ID}/")
    expect(page.get_by_text("Scopus will reflect the change in 24 – 48 hours")).to_be_visible()
    live_services.run("scopus-sandbox", "process-feedback", "--now")
    page.reload()
    expect(page.get_by_role("link", name=re.compile(f"{CHRIS_ORCID}$"))).to_be_visible()
    expect(page.get_by_text("24 – 48 hours")).to_have_count(0)
    page.goto(f"{scopus}/authors/{CHRIS_SPLIT_ID}/")
    page.wait_for_url(re.compile(f"/authors/{CHRIS_AUTHOR_ID}/$"))
    screenshot(page, "scopus-profile-linked")

    # and the Scopus APIs answer with the ORCID iD
    key = (live_services.var_dir / "demo" / "scopus-api-key.txt").read_text().strip()
    api = httpx.Client(base_url=scopus, headers={"X-ELS-APIKey": key, "Accept": "application/json"})
    with api:
        author = api.get(
            f"/content/author/author_id/{CHRIS_AUTHOR_ID}", params={"view": "ENHANCED"}
        )
        assert author.status_code == 200, author.text
        profile = author.json()["author-retrieval-response"][0]
        assert profile["coredata"]["orcid"] == CHRIS_ORCID
        by_orcid = api.get(f"/content/author/orcid/{CHRIS_ORCID}")
        assert by_orcid.status_code == 200, by_orcid.text
        found = api.get("/content/search/scopus", params={"query": f"ORCID({CHRIS_ORCID})"})
        assert found.status_code == 200, found.text
        results = found.json()["search-results"]
        assert int(results["opensearch:totalResults"]) >= 3
        assert HKALL_EID in {entry["eid"] for entry in results["entry"]}


def test_the_portal_sees_the_whole_exercise_done(page, live_services):
    """After Part 2 above: Chris (re)connects his ORCID iD in the portal and checks his status."""
    portal = live_services.portal
    log_in(page, portal)
    page.get_by_role("link", name="Edit profile").click()
    # (an earlier test may have left him connected: then there is nothing to connect)
    connect = page.get_by_role("button", name="Create or Connect your ORCID iD")
    if connect.count():
        connect.click()
        if page.get_by_role("heading", name="Sign in").is_visible():
            page.get_by_label("Email or ORCID iD").fill(CHRIS_ORCID)
            page.get_by_label("Password").fill("demo-orcid")
            page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Authorize").click()
    if page.locator("table.id-table", has_text=CHRIS_AUTHOR_ID).count() == 0:
        # Step (6): the demo's Chris starts without his Scopus Author ID on the portal.
        page.get_by_role("button", name="Add ID").click()
        page.get_by_label("ID type").select_option(label="Scopus Author ID")
        page.get_by_label("Value").fill(CHRIS_AUTHOR_ID)
        page.get_by_role("button", name="Create", exact=True).click()
    page.get_by_role("button", name="Save").click()
    page.goto(f"{portal}/backend/")
    page.get_by_role("button", name="Check again").click()
    expect(
        page.get_by_text("Your ORCID Creation and Integration Exercise is complete.")
    ).to_be_visible()
    panel = page.locator("section.exercise-panel")
    expect(panel.get_by_role("listitem").nth(0)).to_contain_text("Complete")
    expect(panel.get_by_role("listitem").nth(1)).to_contain_text("Complete")
    screenshot(page, "portal-exercise-complete")
