"""The research output lifecycle in a real browser against the live services: a researcher adds
(or imports by DOI) an output and submits it, the Library validates it from "For validation",
the export puts it on the ORCID record from "CityU Scholars"; the duplicate path; a BibTeX upload
with one bad entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.fixtures import log_in, screenshot

pytestmark = pytest.mark.browser

CHRIS_ORCID = "0000-0000-0000-0001"
HELD_DOI = "10.1108/02641610610669750"  # the seed's HKALL article, held by the demo portal
# Chris's 2022 article: in Scopus and on ORCID, not yet in the demo portal (portal.demo).
NOT_HELD_DOI = "10.1002/asi.24601"
NOT_HELD_TITLE = "Research information systems and the library: a case study"


def connect_orcid(page, portal: str) -> None:
    """Part 1 as the exercise does it, so the export has a token for Chris."""
    page.goto(f"{portal}/backend/profile/edit/")
    button = page.get_by_role("button", name="Create or Connect your ORCID iD")
    if button.count() == 0:  # an earlier test connected Chris already
        return
    button.click()
    page.get_by_label("Email or ORCID iD").fill("chriswong@cityu.edu.hk")
    page.get_by_label("Password").fill("demo-orcid")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text(re.compile("is connected and authenticated"))).to_be_visible()
    page.get_by_role("button", name="Save").click()


def fill_contributor_and_basics(page, title: str, doi: str = "") -> None:
    # (required fields' labels end in a "*", so the fields are found by their ids)
    page.locator("#id_title").fill(title)
    page.locator("#id_publication_year").fill("2024")
    page.get_by_label("Journal", exact=True).fill("Journal of Librarianship")
    if doi:
        page.get_by_label("DOI", exact=True).fill(doi)


def test_add_submit_validate_and_the_work_on_orcid(page, live_services):
    portal, orcid = live_services.portal, live_services.orcid
    # given: Chris has connected his ORCID iD
    log_in(page, portal)
    connect_orcid(page, portal)
    # when: My research output → Add research output → Journal article → Submit for validation
    page.goto(f"{portal}/backend/")
    page.get_by_role("link", name="My research output").click()
    page.get_by_role("link", name="Add research output").click()
    page.get_by_role("link", name="Journal article").click()
    fill_contributor_and_basics(
        page, "Persistent identifiers in a university library", "10.1000/browser.2024.1"
    )
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.get_by_text("Saved and submitted for validation")).to_be_visible()
    expect(page.get_by_text("For validation").first).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    # and: the Library validates it from its queue
    log_in(page, portal, eid="library")
    page.goto(f"{portal}/backend/library/")
    page.get_by_role("link", name="For validation").first.click()
    page.get_by_role("link", name="Persistent identifiers in a university library").click()
    screenshot(page, "library-output-for-validation")
    page.get_by_role("button", name="Validate", exact=True).click()
    expect(page.get_by_text("Validated: “Persistent identifiers")).to_be_visible()
    # and: the nightly export runs
    live_services.run("orcid-export")
    # then: the work is on Chris's ORCID record, from CityU Scholars
    page.goto(f"{orcid}/{CHRIS_ORCID}")
    work = page.locator("article.work-group", has_text="Persistent identifiers in a university")
    expect(work.get_by_text(re.compile(r"Source: CityU Scholars\b")).first).to_be_visible()
    screenshot(page, "orcid-record-with-validated-output")


def test_duplicate_path_add_me_as_an_author(page, live_services):
    portal = live_services.portal
    # given: Mary... any researcher: the demo's library user has no profile, so use Chris
    log_in(page, portal)
    page.goto(f"{portal}/backend/outputs/add/journal-article/")
    # when: he types the DOI of an output the portal holds
    fill_contributor_and_basics(page, "Planning to reality with HKALL (my copy)", HELD_DOI)
    page.get_by_role("button", name="Save", exact=True).click()
    # then: "Possible duplicate of …" side by side, nothing saved
    expect(page.get_by_role("heading", name="Possible duplicate", exact=True)).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Possible duplicate of research output \d+"))
    ).to_be_visible()
    screenshot(page, "possible-duplicate")
    page.get_by_role("button", name="Add me as an author of that output").click()
    expect(page.get_by_text(re.compile("already an author|now an author"))).to_be_visible()


def test_bibtex_upload_with_one_bad_entry(page, live_services, tmp_path: Path):
    portal = live_services.portal
    bibtex = tmp_path / "wong.bib"
    bibtex.write_text(
        "@article{good1, title={Browser import one}, author={Wong, Chris}, year={2023},\n"
        "  journal={Library Hi Tech}, doi={10.1000/browser.bib.1}}\n"
        "@article{good2, title={Browser import two}, author={Wong, Chris and Lee, A.},\n"
        "  year={2022}}\n"
        "@article{bad, title={Browser import with a bad DOI}, author={Wong, Chris},\n"
        "  year={2021}, doi={not-a-doi}}\n"
    )
    log_in(page, portal)
    page.goto(f"{portal}/backend/outputs/")
    page.get_by_role("link", name="Import from a BibTeX or RIS file").click()
    page.get_by_label("BibTeX (.bib) or RIS (.ris) file").set_input_files(str(bibtex))
    page.get_by_role("button", name="Upload").click()
    # then: the preview lists the bad entry with its line, nothing saved yet
    bad_row = page.locator("tr", has_text="Browser import with a bad DOI")
    expect(bad_row.get_by_text("Refused")).to_be_visible()
    expect(bad_row.get_by_role("cell", name="5", exact=True)).to_be_visible()
    page.get_by_role("button", name="Import the new entries").click()
    expect(page.get_by_text("2 imported, 1 refused").first).to_be_visible()
    screenshot(page, "bibtex-import-result")
    page.goto(f"{portal}/backend/outputs/?state=entry_in_progress")
    expect(page.get_by_role("link", name="Browser import one")).to_be_visible()
    expect(page.get_by_role("link", name="Browser import with a bad DOI")).to_have_count(0)


def test_import_from_scopus_by_doi_previews_what_scopus_holds(page, live_services):
    portal = live_services.portal
    log_in(page, portal)
    page.goto(f"{portal}/backend/outputs/import/scopus/")
    # when: Chris types the DOI of the seed's article
    page.get_by_label("Scopus EID or DOI").fill(f"https://doi.org/{HELD_DOI}")
    page.get_by_role("button", name="Look up").click()
    # then: Scopus's record is shown, and the portal already holds it
    expect(page.get_by_role("heading", name="Found in Scopus")).to_be_visible()
    expect(page.get_by_text(re.compile("Planning to reality with HKALL")).first).to_be_visible()
    expect(page.get_by_role("heading", name="Possible duplicate")).to_be_visible()
    # and an unknown DOI says what Scopus answered, keeping what was typed
    page.get_by_label("Scopus EID or DOI").fill("10.9999/no-such-document")
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_text(re.compile("Scopus has no document with the DOI"))).to_be_visible()
    expect(page.get_by_label("Scopus EID or DOI")).to_have_value("10.9999/no-such-document")


def test_import_by_doi_submit_validate_and_the_work_on_orcid(page, live_services):
    """The issue's "Done when": Chris imports, by its DOI, his Scopus document the portal does
    not hold, submits it, the Library validates it, the export puts it on his ORCID record."""
    portal, orcid = live_services.portal, live_services.orcid
    log_in(page, portal)
    connect_orcid(page, portal)
    # when: Import from Scopus by DOI, then Import and Submit for validation
    page.goto(f"{portal}/backend/outputs/")
    page.get_by_role("link", name="Import from Scopus").click()
    page.get_by_label("Scopus EID or DOI").fill(NOT_HELD_DOI)
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_role("heading", name="Found in Scopus")).to_be_visible()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported from Scopus as Entry in progress")).to_be_visible()
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.get_by_text("Submitted for validation")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    # and: the Library validates it
    log_in(page, portal, eid="library")
    page.goto(f"{portal}/backend/library/validation/")
    page.get_by_role("link", name=NOT_HELD_TITLE).click()
    page.get_by_role("button", name="Validate", exact=True).click()
    expect(page.get_by_text(f"Validated: “{NOT_HELD_TITLE}”.")).to_be_visible()
    live_services.run("orcid-export")
    # then: on Chris's ORCID record, among the versions of the work, CityU Scholars's
    page.goto(f"{orcid}/{CHRIS_ORCID}?versions=all")
    group = page.locator("article.work-group", has_text=NOT_HELD_TITLE)
    expect(group.get_by_text(re.compile(r"Preferred source \(of \d+\)"))).to_be_visible()
    # (the versions that are not preferred are folded away: present, not necessarily shown)
    expect(group.get_by_text(re.compile(r"Source: CityU Scholars\b"))).to_have_count(1)
    screenshot(page, "orcid-record-with-imported-output")


def test_bibtex_title_match_imported_as_not_a_duplicate(page, live_services, tmp_path: Path):
    portal = live_services.portal
    # given: an entry with the title, year and first author of one of Chris's held articles but
    # no DOI (so only the title matches), and a new entry
    bibtex = tmp_path / "twins.bib"
    bibtex.write_text(
        "@article{twin, title={Reader services in a research library: a Hong Kong perspective},\n"
        "  author={Wong, Chris}, year={2009}, journal={Library Review}}\n"
        "@article{fresh, title={Browser import, title twin test}, author={Wong, Chris},\n"
        "  year={2020}}\n"
    )
    log_in(page, portal)
    page.goto(f"{portal}/backend/outputs/import/")
    page.get_by_label("BibTeX (.bib) or RIS (.ris) file").set_input_files(str(bibtex))
    page.get_by_role("button", name="Upload").click()
    # then: the title match is a possible duplicate, side by side with both answers
    twin_row = page.locator("tr", has_text="Reader services in a research library")
    expect(
        twin_row.get_by_text(re.compile(r"Possible duplicate of research output \d+"))
    ).to_be_visible()
    expect(
        twin_row.get_by_role("button", name="Add me as an author of that output")
    ).to_be_visible()
    screenshot(page, "bibtex-import-title-match")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    # when: "Not a duplicate" ticked (outside the import form, tied to it by its form attribute)
    twin_row.get_by_label(re.compile("Not a duplicate")).check()
    page.get_by_role("button", name="Import the new entries").click()
    # then: both are imported
    expect(
        page.get_by_text("2 imported, 0 refused, 0 possible duplicates skipped").first
    ).to_be_visible()
