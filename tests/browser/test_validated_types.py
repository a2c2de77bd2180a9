"""A project through the Library's validation in a real browser against the live services: a
researcher enters one (bad input first: the reason given, everything typed kept), saves and
submits it; the Library returns it from its queue with a comment; the researcher reads the
comment and submits it again; the Library validates it; it is on the public Projects list and
on the researcher's profile. axe-core checks the entry form and the queue.

A researcher near the end of the demo cast enters the project: Chris WONG's record is left as
the seed made it for the other browser tests.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from portal.demo import CAST_SIZE, DEMO_PASSWORD
from tests.browser.checks import axe_violations, describe_violations
from tests.browser.fixtures import log_in

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServices

pytestmark = pytest.mark.browser

TITLE = "Interlibrary loan analytics for Hong Kong universities"
COMMENT = "Please give the grant's end date as the funder's letter says."


class Audit:
    """What axe-core found on each page the test checked."""

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


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def open_from_queue(page: Page, portal: str, audit: Audit | None = None) -> None:
    """The Library: console → "Projects: For validation" → the project."""
    log_in(page, portal, eid="library")
    page.goto(f"{portal}/backend/library/")
    page.get_by_role("link", name="Projects: For validation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projects: For validation")
    if audit is not None:
        audit.check("the Library's project queue")
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_a_project_is_entered_returned_resubmitted_validated_and_public(
    page: Page, live_services: LiveServices
) -> None:
    # given: a researcher of the demo cast, signed in
    cast = json.loads((live_services.var_dir / "demo" / "cast.json").read_text(encoding="utf-8"))
    researcher = cast["researchers"][CAST_SIZE - 2]
    portal = live_services.portal
    audit = Audit(page)
    log_in(page, portal, researcher["staff_id"], DEMO_PASSWORD)
    # when: "My projects" → "Add project", with an end date before the start
    page.get_by_role("link", name="My projects").click()
    page.get_by_role("link", name="Add project").click()
    audit.check("Add project")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_acronym").fill("ILL-HK")
    page.locator("#id_start_date").fill("2026-01-05")
    page.locator("#id_end_date").fill("2025-12-31")
    page.locator("#id_funder").fill("Research Grants Council")
    page.locator("#id_grant_number").fill("CityU 11600125")
    people = page.locator("#id_people")
    own_line = people.input_value().strip()
    people.fill(
        f"{own_line}, Principal investigator\nJane DOE (University of Oxford), Co-investigator"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    # then: the form again with the reason at the end date, and everything typed kept
    expect(page.locator("#id_end_date-error")).to_have_text(
        "The end date is before the start date."
    )
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_acronym")).to_have_value("ILL-HK")
    expect(page.locator("#id_start_date")).to_have_value("2026-01-05")
    expect(page.locator("#id_funder")).to_have_value("Research Grants Council")
    expect(page.locator("#id_grant_number")).to_have_value("CityU 11600125")
    expect(page.locator("#id_people")).to_have_value(
        re.compile(r"Principal investigator\s+Jane DOE \(University of Oxford\), Co-investigator")
    )
    audit.check("Add project with an error")
    # when: the end date corrected and saved, then submitted from the project's page
    page.locator("#id_end_date").fill("2027-12-31")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"Saved: {TITLE}")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(re.escape(TITLE)))
    expect(row).to_contain_text("Entry in progress")
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.get_by_text(f"Submitted for validation: {TITLE}")).to_be_visible()
    log_out(page)
    # and: the Library opens it from its queue and returns it with a comment
    open_from_queue(page, portal, audit)
    page.get_by_label("Comment for the researcher").fill(COMMENT)
    page.get_by_role("button", name="Return to researcher").click()
    expect(page.get_by_text(f"Returned to the researcher: {TITLE}")).to_be_visible()
    log_out(page)
    # then: the researcher sees it returned, with the comment, and submits it again
    log_in(page, portal, researcher["staff_id"], DEMO_PASSWORD)
    page.get_by_role("link", name="My projects").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(TITLE)))).to_contain_text("Returned")
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.locator(".comments")).to_contain_text(COMMENT)
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.get_by_text(f"Submitted for validation: {TITLE}")).to_be_visible()
    log_out(page)
    # when: the Library validates it
    open_from_queue(page, portal)
    page.get_by_role("button", name="Validate", exact=True).click()
    expect(page.get_by_text(f"Validated: {TITLE}")).to_be_visible()
    log_out(page)
    # then: on the public Projects list, and on the researcher's profile
    page.goto(f"{portal}/projects/?q=Interlibrary+loan+analytics")
    expect(page.locator("main").get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    page.locator("main").get_by_role("link", name=TITLE, exact=True).click()
    expect(page.locator("main")).to_contain_text("CityU 11600125")
    expect(page.locator("main")).to_contain_text("Jane DOE (University of Oxford)")
    page.locator("main").get_by_role(
        "link", name=re.compile(researcher["family_name"], re.IGNORECASE)
    ).first.click()
    expect(page.get_by_role("region", name="Projects")).to_contain_text(TITLE)
    # and the researcher heard of the return and of the validation (the demo writes mail
    # to files under var/mail)
    mail = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in (live_services.var_dir / "mail").glob("*.log")
    )
    assert "Project returned to you" in mail
    assert "Project validated" in mail
    audit.assert_clean()
