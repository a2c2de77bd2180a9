"""The ORCID sandbox alone in Chromium: a live gunicorn on a free port over a temporary SQLite
registry seeded from a small cast; sign in, see grouped works and Other IDs, pick a preferred
source, edit personal data, revoke a trusted organization."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from scholarhub.processes import (
    SERVICES_BY_NAME,
    start_service,
    stop_all,
    wait_until_ready,
)
from tests.browser.checks import assert_no_csp_violation, watch_csp_violations
from utilities.ports import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHRIS = "0000-0000-0000-0001"
SCOPUS = "0000-0002-5982-8983"
CAST = {
    "institution": {"name": "City University of Hong Kong", "country": "HK"},
    "clients": [
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "client_secret": "portal-secret",
            "name": "CityU Scholars",
            "website": "http://127.0.0.1:8000",
            "redirect_uris": ["http://127.0.0.1:8000/backend/orcid/callback"],
            "allow_assertion_origin": False,
        },
        {
            "client_id": SCOPUS,
            "client_secret": "scopus-secret",
            "name": "Scopus - Elsevier",
            "website": "http://127.0.0.1:8002",
            "redirect_uris": ["http://127.0.0.1:8002/orcid/callback"],
            "allow_assertion_origin": True,
        },
    ],
    "researchers": [
        {
            "given_names": "Chris",
            "family_name": "WONG",
            "credit_name": "Chris WONG - demo",
            "email": "chriswong@cityu.edu.hk",
            "orcid": CHRIS,
            "orcid_password": "demo-orcid",
            "other_names": ["Wong, C.", "Wong Tai Ming"],
            "outputs": [
                {
                    "title": "User-initiated resource sharing in Hong Kong universities",
                    "journal": "Interlending and Document Supply",
                    "year": 2006,
                    "type": "journal-article",
                    "doi": "10.1108/02641610610669750",
                    "eid": "2-s2.0-33745291715",
                    "issn": "0264-1615",
                }
            ],
        }
    ],
}


def scholarhub(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - our own console command
        [sys.executable, "-m", "scholarhub.cli", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def orcid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The live sandbox's base URL and a Scopus token for Chris's record."""
    folder = tmp_path_factory.mktemp("orcid-live")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {
        "SCHOLARHUB_DEBUG": "1",
        "SCHOLARHUB_VAR_DIR": str(folder),
        "ORCID_SANDBOX_DATABASE_URL": f"sqlite:///{folder / 'orcid.sqlite3'}",
        "ORCID_SANDBOX_BASE_URL": base,
    }
    env = {**os.environ, **environment}
    cast = folder / "cast.json"
    cast.write_text(json.dumps(CAST), encoding="utf-8")
    scholarhub("migrate", "--database", "orcid", env=env)
    scholarhub("orcid-sandbox", "seed-demo", "--cast", str(cast), env=env)
    token = scholarhub(
        "orcid-sandbox",
        "issue-token",
        "--orcid",
        CHRIS,
        "--client-id",
        SCOPUS,
        "--scope",
        "/person/update /activities/update",
        env=env,
    )
    process = start_service(SERVICES_BY_NAME["orcid"], port, environment=environment, workers=1)
    try:
        wait_until_ready(process, base + "/")
        yield base, token
    finally:
        stop_all([process])


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        # Fails the module's tests on any Content-Security-Policy violation, as the live-services
        # browser tests do.
        csp_violations = watch_csp_violations(context)
        yield context.new_page()
        context.close()
        browser.close()
    assert_no_csp_violation(csp_violations)


def test_record_grouped_works_other_ids_preferred_source_and_revoke(orcid, page):
    from playwright.sync_api import expect

    base, token = orcid
    api = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.orcid+json"}
    # given: Scopus sent Chris's Scopus Author ID, and its copy of the seeded article
    sent = httpx.post(
        f"{base}/api/v3.0/{CHRIS}/external-identifiers",
        json={
            "external-id-type": "Scopus Author ID",
            "external-id-value": "98765432100",
            "external-id-url": {
                "value": "https://www.scopus.com/authid/detail.uri?authorId=98765432100"
            },
            "external-id-relationship": "self",
        },
        headers=api,
    )
    assert sent.status_code == 201
    work = {
        "title": {"title": {"value": "User-initiated resource sharing in Hong Kong universities"}},
        "type": "journal-article",
        "external-ids": {
            "external-id": [
                {
                    "external-id-type": "eid",
                    "external-id-value": "2-s2.0-33745291715",
                    "external-id-relationship": "self",
                }
            ]
        },
    }
    assert httpx.post(f"{base}/api/v3.0/{CHRIS}/work", json=work, headers=api).status_code == 201

    # when: Chris signs in with the iD and password
    page.goto(f"{base}/signin")
    page.get_by_label("Email or ORCID iD").fill(CHRIS)
    page.get_by_label("Password").fill("demo-orcid")
    page.get_by_role("button", name="Sign in").click()

    # then: the record shows Other IDs, and one group of three versions of the article
    expect(page.get_by_role("heading", name="Chris WONG - demo")).to_be_visible()
    other_id = page.get_by_role("link", name="Scopus Author ID: 98765432100")
    expect(other_id).to_have_attribute("href", re.compile(r"authorId=98765432100"))
    expect(page.get_by_text("★ Preferred source (of 3)")).to_be_visible()
    expect(page.get_by_role("heading", name="Works (1)")).to_be_visible()

    # when: Chris prefers Scopus's version
    page.get_by_text(re.compile(r"Other versions")).click()
    page.locator("li", has_text="via Scopus - Elsevier").get_by_role(
        "button", name="Make preferred"
    ).click()
    # then
    expect(page.locator("article.work-group p.source").first).to_have_text(
        "Source: Chris WONG via Scopus - Elsevier"
    )

    # when: Chris adds a keyword and a website in personal data
    page.get_by_role("link", name="Edit personal data").click()
    page.get_by_label("Keywords (one per line)").fill("resource sharing")
    page.get_by_label(re.compile("^Websites")).fill(
        "CityU Scholars https://scholars.cityu.edu.hk/chris"
    )
    page.get_by_role("button", name="Save changes").click()
    # then: the public version shows them
    page.get_by_role("link", name="View public version").click()
    expect(page.get_by_text("resource sharing", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="CityU Scholars")).to_be_visible()

    # when: Chris revokes Scopus in Trusted organizations
    page.get_by_role("link", name="Trusted organizations").click()
    page.get_by_role("button", name="Revoke access of Scopus - Elsevier").click()
    # then: the organization is gone and its token no longer works
    expect(page.get_by_text("You have not granted any organization access")).to_be_visible()
    after = httpx.get(f"{base}/api/v3.0/{CHRIS}/works", headers=api)
    assert after.status_code == 401
