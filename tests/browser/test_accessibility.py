"""Every page of the three services passes axe-core's WCAG 2.1 A and AA rules.

The pages are visited as a person would reach them (signed in where they need it); each test
gathers what axe finds on all its pages and fails with the whole list, page by page. The
Scopus wizard is walked by a researcher of the demo cast other than Chris, whose ORCID record
the other browser tests expect as the seed left it.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD
from tests.browser.checks import axe_violations, describe_violations
from tests.browser.fixtures import log_in

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServices

pytestmark = pytest.mark.browser

CHRIS_SLUG = "chris-wong-demo"
CHRIS_ORCID = "0000-0000-0000-0001"
CHRIS_AUTHOR_ID = "98765432100"
SCOPUS_CLIENT = "0000-0002-5982-8983"
ORCID_PASSWORD = "demo-orcid"  # noqa: S105 - the demo cast's documented password


class Audit:
    """What axe-core found on each page a test visited."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: dict[str, str] = {}

    def check(self, name: str) -> None:
        """Run axe on the page as it is now, under a name for the report."""
        self.page.wait_for_load_state("load")
        violations = axe_violations(self.page)
        if violations:
            self.found[f"{name} ({self.page.url})"] = describe_violations(violations)

    def assert_clean(self) -> None:
        report = "\n\n".join(f"{name}:\n{lines}" for name, lines in self.found.items())
        assert not self.found, f"WCAG 2.1 A/AA violations on {len(self.found)} page(s):\n{report}"


def cast_member(live_services: LiveServices, number: int) -> dict[str, Any]:
    """A researcher of the seeded demo cast (0 is Chris)."""
    cast = json.loads((live_services.var_dir / "demo" / "cast.json").read_text(encoding="utf-8"))
    member: dict[str, Any] = cast["researchers"][number]
    return member


def first_link(page: Page, pattern: str) -> str:
    """The first link in the page's main content whose address matches `pattern`."""
    hrefs: list[str | None] = page.locator("main a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    matching = [href for href in hrefs if href and re.search(pattern, href)]
    assert matching, f"no link like {pattern} on {page.url}"
    return matching[0]


def sign_in_to_orcid(page: Page, orcid: str) -> None:
    page.get_by_label("Email or ORCID iD").fill(orcid)
    page.get_by_label("Password").fill(ORCID_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


# --- The portal ---------------------------------------------------------------------------

# Name -> address, and for a page reached from a list, where in it to follow the first link.
PUBLIC_PAGES: dict[str, tuple[str, str | None]] = {
    "home": ("/", None),
    "persons": ("/persons/", None),
    "person search": ("/persons/?q=wong", None),
    "person profile": (f"/persons/{CHRIS_SLUG}/", None),
    "units": ("/units/", None),
    "unit": ("/units/", "main ul"),
    "outputs": ("/outputs/", None),
    "outputs page 2": ("/outputs/?page=2", None),
    "output": ("/outputs/", "main .output-list"),
    "exercise guide": ("/orcid-exercise/", None),
    "log-in": ("/backend/login/", None),
    "password reset": ("/backend/password-reset/", None),
}


def test_portal_public_pages(page, live_services):
    # given: nobody signed in
    audit = Audit(page)
    # when: each public page is opened
    for name, (path, follow) in PUBLIC_PAGES.items():
        page.goto(f"{live_services.portal}{path}")
        if follow:
            page.locator(follow).get_by_role("link").first.click()
        audit.check(name)
        # and the graph of relations of a researcher, a unit and an output, drawn
        if name in {"person profile", "unit", "output"}:
            page.get_by_role("link", name="View graph of relations").click()
            expect(page.locator("#relation-graph canvas").first).to_be_attached()
            audit.check(f"{name}: graph of relations")
    # then
    audit.assert_clean()


def test_portal_log_in_error(page, live_services):
    # given: the log-in page
    audit = Audit(page)
    page.goto(f"{live_services.portal}/backend/login/")
    # when: a wrong password is given
    page.get_by_label("EID").fill("chriswong")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    # then: the page with the error passes too
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check("log-in with an error")
    audit.assert_clean()


RESEARCHER_PAGES: dict[str, str] = {
    "Personal overview": "/backend/",
    "Edit profile": "/backend/profile/edit/",
    "ORCID history": f"/backend/persons/{CHRIS_SLUG}/orcid/history",
    "Publications found in Scopus": f"/backend/persons/{CHRIS_SLUG}/scopus-publications/",
    "My research output": "/backend/outputs/",
    "Add research output": "/backend/outputs/add/",
    "Import research output": "/backend/outputs/import/",
    "Import from ORCID": "/backend/outputs/import/orcid/",
    "Import from Scopus": "/backend/outputs/import/scopus/",
}


def test_researcher_backend_pages(page, live_services):
    # given: Chris signed in to the researcher backend
    portal = live_services.portal
    audit = Audit(page)
    log_in(page, portal)
    audit.check("Personal overview after log-in")
    # when: each of his pages is opened
    for name, path in RESEARCHER_PAGES.items():
        page.goto(f"{portal}{path}")
        audit.check(name)
    # and the Edit profile dialogs are open
    page.goto(f"{portal}/backend/profile/edit/")
    page.get_by_role("button", name="Add ID").click()
    audit.check("Edit profile: Add ID")
    # and the form of the first kind of research output
    page.goto(f"{portal}/backend/outputs/add/")
    page.locator("main ul").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Add research output: "))).to_be_visible()
    audit.check("Add research output: a form")
    # and one of his outputs, and its edit form
    page.goto(f"{portal}/backend/outputs/")
    output = first_link(page, r"/backend/outputs/\d+/$")
    page.goto(f"{portal}{output}")
    audit.check("a research output of his")
    page.goto(f"{portal}{output}edit/")
    audit.check("editing a research output")
    # then
    audit.assert_clean()


LIBRARY_PAGES: dict[str, str] = {
    "Library console": "/backend/library/",
    "exercise report": "/backend/library/exercise/",
    "jobs": "/backend/library/jobs/",
    "validation queue": "/backend/library/validation/",
    "exercise campaigns": "/backend/library/exercise/campaigns/",
    "a researcher's change history": f"/backend/persons/{CHRIS_SLUG}/history/",
    "editing a researcher's profile": f"/backend/persons/{CHRIS_SLUG}/edit/",
}


def test_library_pages(page, live_services):
    # given: the Library's account signed in
    portal = live_services.portal
    audit = Audit(page)
    page.goto(f"{portal}/backend/login/")
    page.get_by_label("EID").fill("library")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/backend/"))
    # when: each Library page is opened
    for name, path in LIBRARY_PAGES.items():
        page.goto(f"{portal}{path}")
        audit.check(name)
    # and an output waiting for validation, as the Library sees it
    page.goto(f"{portal}/backend/library/validation/")
    output = first_link(page, r"/backend/outputs/\d+/$")
    page.goto(f"{portal}{output}")
    audit.check("an output to validate")
    # then
    audit.assert_clean()


# --- The ORCID sandbox ----------------------------------------------------------------------


def test_orcid_sandbox_pages(page, live_services):
    orcid = live_services.orcid
    audit = Audit(page)
    # given: signed out, the home, register and sign-in pages
    for name, path in {"home": "/", "register": "/register", "sign-in": "/signin"}.items():
        page.goto(f"{orcid}{path}")
        audit.check(name)
    page.get_by_label("Email or ORCID iD").fill(CHRIS_ORCID)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    audit.check("sign-in with an error")
    page.goto(f"{orcid}/{CHRIS_ORCID}")
    audit.check("record, seen by the public")
    # when: Chris signs in
    page.goto(f"{orcid}/signin")
    sign_in_to_orcid(page, CHRIS_ORCID)
    expect(page.get_by_role("heading", name="Chris WONG - demo")).to_be_visible()
    # then: his record, its public and print views, his personal data, trusted organizations,
    # developer tools
    audit.check("record page")
    for name, path in {
        "public view": f"/{CHRIS_ORCID}?view=public",
        "print view": f"/{CHRIS_ORCID}?print=1",
        "edit personal data": "/my-orcid/personal-data",
        "trusted organizations": "/account/trusted-parties",
        "developer tools": "/developer-tools",
    }.items():
        page.goto(f"{orcid}{path}")
        audit.check(name)
    # and the authorize page a client sends him to, and its error page
    query = (
        f"client_id={SCOPUS_CLIENT}&response_type=code&scope=/authenticate"
        f"&redirect_uri={live_services.scopus}/orcid/callback&state=a11y"
    )
    page.goto(f"{orcid}/oauth/authorize?{query}")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    audit.check("authorize")
    page.goto(f"{orcid}/oauth/authorize?client_id=APP-UNKNOWN&response_type=code")
    audit.check("authorize error")
    audit.assert_clean()


# --- The Scopus sandbox ---------------------------------------------------------------------


def test_scopus_sandbox_pages(page, live_services):
    scopus = live_services.scopus
    audit = Audit(page)
    # given: the search pages, a result list of each and a document
    for name, path in {
        "document search": "/",
        "document results": "/?q=library",
        "author search": "/authors/",
        "author results": "/authors/?last=Wong",
        "author page": f"/authors/{CHRIS_AUTHOR_ID}/",
        "edit profile": f"/authors/{CHRIS_AUTHOR_ID}/edit",
    }.items():
        page.goto(f"{scopus}{path}")
        audit.check(name)
    # and a document of Chris's
    page.goto(f"{scopus}/authors/{CHRIS_AUTHOR_ID}/")
    page.locator("main a[href*='/documents/']").first.click()
    expect(page).to_have_url(re.compile("/documents/"))
    audit.check("document")
    audit.assert_clean()


def test_scopus_wizard_steps(page, live_services):
    scopus = live_services.scopus
    researcher = cast_member(live_services, 1)
    audit = Audit(page)
    # given: another researcher's Scopus author page
    page.goto(f"{scopus}/authors/{researcher['scopus_author_id']}/")
    audit.check("author page")
    # when: the whole Connect to ORCID wizard is walked
    page.get_by_role("link", name="Connect to ORCID").click()
    audit.check("wizard: Scopus to ORCID")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    audit.check("ORCID sign-in from the wizard")
    sign_in_to_orcid(page, researcher["orcid"])
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    audit.check("ORCID authorize for Scopus")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("heading", name="Select your Scopus profiles")).to_be_visible()
    audit.check("wizard: profiles")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Choose your preferred name")).to_be_visible()
    audit.check("wizard: name")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your publications")).to_be_visible()
    audit.check("wizard: publications")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your refined profile")).to_be_visible()
    audit.check("wizard: review")
    page.get_by_role("button", name="Send Author ID").click()
    sent = page.get_by_role("heading", name="Your Scopus Author ID was sent to ORCID")
    expect(sent).to_be_visible()
    audit.check("wizard: Author ID sent")
    page.get_by_role("button", name="Send my publication list").click()
    sent = page.get_by_role("heading", name="Your publication list was sent to ORCID")
    expect(sent).to_be_visible()
    audit.check("wizard: publications sent")
    page.get_by_role("link", name="Return to ORCID").click()
    audit.check("ORCID record after the wizard")
    # then
    audit.assert_clean()
