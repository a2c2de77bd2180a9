"""Seed step (6) in a real browser: the researcher adds their Scopus Author ID on the portal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import log_in, screenshot

pytestmark = pytest.mark.browser


def add_scopus_author_id(page, value: str = "98765432100") -> None:
    """On an open "Edit profile": "Add ID" → "Scopus Author ID" → value → "Create" → "Save"."""
    page.get_by_role("button", name="Add ID").click()
    page.get_by_label("ID type").select_option(label="Scopus Author ID")
    page.get_by_label("Value").fill(value)
    page.get_by_role("button", name="Create", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your changes have been saved.")).to_be_visible()


def test_researcher_adds_scopus_author_id(page, live_services):
    portal = live_services.portal
    # given: the researcher backend; the demo's Chris starts without a Scopus Author ID
    log_in(page, portal)
    page.goto(f"{portal}/persons/chris-wong-demo/")
    expect(page.get_by_text("98765432100")).to_have_count(0)
    page.goto(f"{portal}/backend/")
    # when: "Edit profile" → "Add ID" → "Scopus Author ID" → value → "Create" → "Save"
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_role("button", name="Add ID").click()
    page.get_by_label("ID type").select_option(label="Scopus Author ID")
    page.get_by_label("Value").fill("98765432100")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_text("New (not saved yet)")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your changes have been saved.")).to_be_visible()
    # then: the public profile shows it, linked to the Scopus author page
    page.goto(f"{portal}/persons/chris-wong-demo/")
    expect(page.locator("dt", has_text="Scopus Author ID")).to_be_visible()
    link = page.get_by_role("link", name="98765432100")
    expect(link).to_have_attribute(
        "href", f"{live_services.scopus}/authid/detail.uri?authorId=98765432100"
    )
    screenshot(page, "portal-profile-with-scopus-author-id")


def test_wrong_orcid_check_digit_is_refused_and_nothing_is_lost(page, live_services):
    portal = live_services.portal
    log_in(page, portal)
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Phone").fill("+852 3442 9999")
    page.get_by_label("Address", exact=True).fill("LIB-P001")
    page.get_by_role("button", name="Add ID").click()
    page.get_by_label("ID type").select_option(label="ORCID iD")
    page.get_by_label("Value").fill("0000-0002-1825-0098")
    page.get_by_role("button", name="Create", exact=True).click()
    # then: the specific message, and every field still as typed
    expect(page.get_by_role("alert")).to_have_text("ORCID iD check digit should be 7, not 8")
    expect(page.get_by_label("Phone")).to_have_value("+852 3442 9999")
    expect(page.get_by_label("Address", exact=True)).to_have_value("LIB-P001")
    expect(page.get_by_label("Value")).to_have_value("0000-0002-1825-0098")
    screenshot(page, "portal-edit-profile-bad-orcid")
    # and nothing was saved behind the researcher's back
    page.goto(f"{portal}/persons/chris-wong-demo/")
    expect(page.get_by_text("+852 3442 9999")).to_have_count(0)


def test_public_pages_work_without_javascript(browser, live_services):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_services.portal}/persons/?q=王大明")
    page.get_by_role("link", name=re.compile("Chris WONG - demo")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chris WONG - demo (王大明)")
    expect(page.get_by_text("Doctor of Philosophy (Student)")).to_be_visible()
    expect(page.get_by_role("heading", name="Other Links")).to_be_visible()
    expect(
        page.get_by_role(
            "link",
            name=re.compile("^User-initiated resource sharing in Hong Kong universities: Planning"),
        )
    ).to_be_visible()
    context.close()


def test_edit_profile_works_without_javascript(browser, live_services):
    # given: a browser with JavaScript off
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    portal = live_services.portal
    log_in(page, portal)
    page.get_by_role("link", name="Edit profile").click()
    # when: the whole Add ID round trip, plus a link, by plain form submissions
    page.get_by_label("Phone").fill("+852 3442 7777")
    page.get_by_role("button", name="Add ID").click()
    page.get_by_label("ID type").select_option(label="ResearcherID")
    page.get_by_label("Value").fill("a-1234-2008")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_text("New (not saved yet)")).to_be_visible()
    expect(page.get_by_label("Phone")).to_have_value("+852 3442 7777")
    page.get_by_label("Link type").select_option(label="GitHub")
    page.get_by_label("Link address").fill("github.com/chriswong-demo")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your changes have been saved.")).to_be_visible()
    # then: the public profile shows all of it, the ID in its canonical form
    page.goto(f"{portal}/persons/chris-wong-demo/")
    expect(page.locator("dt", has_text="ResearcherID")).to_be_visible()
    expect(page.get_by_text("A-1234-2008")).to_be_visible()
    expect(page.get_by_text("+852 3442 7777")).to_be_visible()
    expect(page.get_by_role("link", name="GitHub")).to_have_attribute(
        "href", "https://github.com/chriswong-demo"
    )
    context.close()


def test_library_verifies_an_identifier_and_reads_the_history(page, live_services):
    # given: library staff in the console
    portal = live_services.portal
    log_in(page, portal, eid="library")
    page.get_by_role("link", name=re.compile("Library console")).click()
    page.get_by_label("Name or identifier").fill("Chris WONG")
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row", name=re.compile("Chris WONG - demo"))
    # when: they open Chris's profile and mark the Scopus Author ID verified
    row.get_by_role("link", name="Edit profile").click()
    verify = page.locator("form.verify-form", has_text="Scopus Author ID")
    if verify.count() == 0:
        # The demo's Chris starts without one; the Library adds it as he would (step 6).
        add_scopus_author_id(page)
    verify = page.locator("form.verify-form", has_text="Scopus Author ID")
    verify.get_by_label("Status").select_option(label="Verified")
    verify.get_by_label("Evidence").fill("Scopus profile lists City University of Hong Kong")
    verify.get_by_role("button", name="Set status").click()
    # then
    expect(page.get_by_text("Scopus Author ID 98765432100 is now verified.")).to_be_visible()
    page.get_by_role("link", name="Change history").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change history")
    expect(
        page.get_by_text("Scopus profile lists City University of Hong Kong").first
    ).to_be_visible()


def test_researcher_cannot_open_someone_elses_edit_page(page, live_services):
    # given: Chris logged in, and a colleague's profile address from the Researchers page
    portal = live_services.portal
    log_in(page, portal)
    page.goto(f"{portal}/persons/")
    hrefs = page.locator(".person-card > a").evaluate_all("links => links.map(a => a.pathname)")
    colleague = next(href for href in hrefs if href != "/persons/chris-wong-demo/")
    slug = colleague.strip("/").split("/")[-1]
    # when
    statuses = [
        getattr(page.goto(f"{portal}{path}"), "status", None)
        for path in (
            f"/backend/persons/{slug}/edit/",
            "/backend/persons/chris-wong-demo/edit/",
            "/backend/library/",
        )
    ]
    # then: a colleague's edit page and the console are forbidden, Chris's own page is not
    assert statuses == [403, 200, 403]
