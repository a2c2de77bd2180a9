"""The seed's menu in a browser: every item answers with demo content, the new pages pass
axe-core's WCAG 2.1 A and AA rules, the one search box finds every type, and a researcher
enters and publishes an activity that then shows on their profile.

A researcher at the end of the demo cast enters the activity: Chris WONG's record is left as
the seed made it for the other browser tests.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from portal.content import SEED_MENU
from portal.demo import CAST_SIZE, DEMO_PASSWORD
from tests.browser.checks import axe_violations, describe_violations
from tests.browser.fixtures import log_in

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServices

pytestmark = pytest.mark.browser

OWNED_TYPES = ("Activities", "Prizes / Honours", "Impact", "Press / Media")


class Audit:
    """What axe-core found on each page a test visited."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: dict[str, str] = {}

    def check(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        violations = axe_violations(self.page)
        if violations:
            self.found[f"{name} ({self.page.url})"] = describe_violations(violations)

    def assert_clean(self) -> None:
        report = "\n\n".join(f"{name}:\n{lines}" for name, lines in self.found.items())
        assert not self.found, f"WCAG 2.1 A/AA violations on {len(self.found)} page(s):\n{report}"


def test_every_menu_item_of_the_seed_answers_with_demo_content(
    page: Page, live_services: LiveServices
) -> None:
    # given: the home page, nobody signed in
    audit = Audit(page)
    page.goto(f"{live_services.portal}/")
    nav = page.get_by_role("navigation", name="Main")
    labels = nav.get_by_role("link").all_inner_texts()
    # then: the seed's menu, in its order (the types of apps not installed left out)
    assert labels == [label for label in SEED_MENU if label in labels]
    for label in (*SEED_MENU[:4], *OWNED_TYPES):
        assert label in labels
    # when: each item is clicked
    for label in labels:
        nav.get_by_role("link", name=label, exact=True).click()
        # then: its page, marked current, with content
        current = nav.locator("[aria-current=page]")
        expect(current).to_have_text(label)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if label in OWNED_TYPES:
            expect(page.locator("main .output-list .output").first).to_be_visible()
            audit.check(f"{label}: list")
            # and the first item's page
            page.locator("main .output-list .output__title").first.click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            expect(nav.locator("[aria-current=page]")).to_have_text(label)
            audit.check(f"{label}: an item")
    audit.assert_clean()


def test_chris_profile_shows_his_activity_and_prize(
    page: Page, live_services: LiveServices
) -> None:
    audit = Audit(page)
    page.goto(f"{live_services.portal}/persons/chris-wong-demo/")
    activities = page.get_by_role("region", name="Activities")
    expect(activities).to_contain_text("Keynote: User-initiated resource sharing")
    prizes = page.get_by_role("region", name="Prizes / Honours")
    expect(prizes).to_contain_text("Library Innovation Award for HKALL")
    audit.check("Chris's profile with his sections")
    # and the unit page shows its people's sections too
    page.goto(f"{live_services.portal}/units/library/")
    expect(page.get_by_role("region", name="Activities")).to_be_visible()
    audit.check("a unit with its sections")
    audit.assert_clean()


def test_the_search_box_finds_every_type(page: Page, live_services: LiveServices) -> None:
    # given: the home page's search box
    audit = Audit(page)
    page.goto(f"{live_services.portal}/")
    # when: a word in Chris's keynote and prize and many demo titles is searched
    page.get_by_role("searchbox").fill("HKALL")
    page.get_by_role("button", name="Search").click()
    # then: results per type, with counts
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    results = page.get_by_role("navigation", name="Results by type")
    for label in ("Researchers", "Research Output", *OWNED_TYPES):
        expect(results).to_contain_text(re.compile(rf"{re.escape(label)} \(\d+\)"))
    expect(page.get_by_role("region", name="Activities")).to_contain_text("Keynote")
    expect(page.get_by_role("region", name="Prizes / Honours")).to_contain_text("HKALL")
    audit.check("search results")
    audit.assert_clean()


def test_a_researcher_enters_and_publishes_an_activity(
    page: Page, live_services: LiveServices
) -> None:
    # given: a researcher at the end of the demo cast, signed in
    cast = json.loads((live_services.var_dir / "demo" / "cast.json").read_text(encoding="utf-8"))
    researcher = cast["researchers"][CAST_SIZE - 1]
    portal = live_services.portal
    audit = Audit(page)
    log_in(page, portal, researcher["staff_id"], DEMO_PASSWORD)
    # when: "My activities", "Add activity", saved without a title
    page.get_by_role("link", name="My activities").click()
    audit.check("My activities")
    page.get_by_role("link", name="Add activity").click()
    audit.check("Add activity")
    page.get_by_label("Kind").select_option(label="Talk or presentation")
    page.get_by_label("Start date").fill("2025-06-12")
    page.get_by_label("Event or organisation").fill("Asia-Pacific Library Summit")
    page.get_by_label("Country").select_option(label="Singapore")
    page.get_by_role("button", name="Save").click()
    # then: the form again, the reason given, what was typed kept
    expect(page.locator(".field-error").first).to_be_visible()
    expect(page.get_by_label("Event or organisation")).to_have_value("Asia-Pacific Library Summit")
    audit.check("Add activity with an error")
    # when: the title given, a role added, made public
    page.get_by_label("Title").fill("Invited talk on interlending")
    persons = page.get_by_label("Persons")
    persons.fill(f"{persons.input_value().strip()}, Invited speaker")
    page.get_by_role("radio", name=re.compile("Public")).check()
    page.get_by_role("button", name="Save").click()
    # then: listed as public, and on the researcher's public profile
    expect(
        page.get_by_role("cell", name="Invited talk on interlending", exact=True)
    ).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("Invited talk on interlending"))
    ).to_contain_text("Public")
    page.get_by_role("link", name="Invited talk on interlending", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invited talk on interlending")
    expect(page.locator("main")).to_contain_text("Invited speaker")
    expect(page.locator("main")).to_contain_text("Asia-Pacific Library Summit, Singapore")
    page.locator("main").get_by_role(
        "link", name=re.compile(researcher["family_name"], re.IGNORECASE)
    ).first.click()
    expect(page.get_by_role("region", name="Activities")).to_contain_text(
        "Invited talk on interlending"
    )
    audit.assert_clean()
