"""Import from Scopus in a real browser, with a title match: the Scopus document beside the
output the portal holds, "Add me as an author of that output" and "Not a duplicate" offered as on
a file import, the page passing axe's WCAG checks; "Not a duplicate" imports it, and the same
document looked up again is refused as held (by its DOI)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.fixtures import log_in, screenshot

pytestmark = pytest.mark.browser

TITLE = "Scopus import in a browser: a title twin"
DOI = "10.1000/browser.scopus.twin"


def test_scopus_title_match_imported_as_not_a_duplicate(page, live_services, tmp_path: Path):
    portal = live_services.portal
    # given: Scopus indexes a document of Chris's with its DOI ...
    document = tmp_path / "twin.jsonl"
    document.write_text(
        json.dumps(
            {
                "eid": "2-s2.0-85999000101",
                "doi": DOI,
                "title": TITLE,
                "source_title": "Journal of Librarianship",
                "cover_date": "2024-03-01",
                "type": "ar",
                "authors": [{"given_name": "Chris", "surname": "Wong"}],
            }
        )
        + "\n"
    )
    live_services.run("scopus-sandbox", "index", str(document))
    # ... and Chris has entered an output with its title and year himself, without the DOI
    log_in(page, portal)
    page.goto(f"{portal}/backend/outputs/add/journal-article/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_publication_year").fill("2024")
    page.get_by_label("Journal", exact=True).fill("Journal of Librarianship")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    # when: My research output → Import from Scopus → the DOI → Look up
    page.goto(f"{portal}/backend/outputs/")
    page.get_by_role("link", name="Import from Scopus").click()
    page.get_by_label("Scopus EID or DOI").fill(DOI)
    page.get_by_role("button", name="Look up").click()
    # then: the title match side by side with both answers, and "Import"
    expect(page.get_by_role("heading", name="Found in Scopus")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Possible duplicate of research output \d+"))
    ).to_be_visible()
    expect(page.get_by_text("Same title, year and first author")).to_be_visible()
    expect(page.get_by_role("button", name="Add me as an author of that output")).to_be_visible()
    not_duplicate = page.get_by_label(re.compile("Not a duplicate: import it as a new output"))
    expect(not_duplicate).to_be_visible()
    screenshot(page, "scopus-import-title-match")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    # when: "Not a duplicate" ticked (outside the import form, tied to it), then "Import"
    not_duplicate.check()
    page.get_by_role("button", name="Import", exact=True).click()
    # then: imported as a new output, Entry in progress
    expect(page.get_by_text("Imported from Scopus as Entry in progress")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    # and: looked up again, the document is held by its DOI: no "Not a duplicate", no "Import"
    page.goto(f"{portal}/backend/outputs/import/scopus/")
    page.get_by_label("Scopus EID or DOI").fill(DOI)
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_text(f"Same DOI {DOI}")).to_be_visible()
    expect(
        page.get_by_text(re.compile("is the same publication: it is not imported again"))
    ).to_be_visible()
    expect(page.get_by_label(re.compile("Not a duplicate"))).to_have_count(0)
    expect(page.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
