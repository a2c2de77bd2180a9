"""The exercise as the Library runs it, in a real browser: the picture counts a connection at
once, the portal answers the seed's step (1) for Chris, and a campaign mails a unit."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import log_in, screenshot

pytestmark = pytest.mark.browser


def progress_of(page, portal: str) -> dict[str, dict[str, int]]:
    """The Library's figures per unit, read from the data the chart draws."""
    page.goto(f"{portal}/backend/library/exercise/")
    data = json.loads(page.locator("#progress-data").text_content())
    return {
        name: dict(zip(data["labels"], counts, strict=True))
        for name, counts in zip(data["units"]["names"], data["units"]["counts"], strict=True)
    }


# Another cast researcher than Chris, so the tests that walk Chris's exercise find him as the
# demo left him.
DAVID = {"eid": "davidchen6", "name": "David CHEN", "email": "davidchen6@cityu.edu.hk"}
DAVID_SCOPUS_ID = "57000047514"


def researcher_row(page, portal: str, name: str):
    page.goto(f"{portal}/backend/library/exercise/?part1=&part2=")
    return page.locator("#researchers tr", has_text=name)


def test_the_library_sees_a_connection_at_once(page, browser, live_services):
    portal = live_services.portal
    # given: David not connected (whatever an earlier test left)
    log_in(page, portal, eid=DAVID["eid"])
    page.get_by_role("link", name="Edit profile").click()
    if page.get_by_role("button", name="Disconnect ORCID iD").count():
        page.get_by_role("button", name="Disconnect ORCID iD").click()
    library = browser.new_context().new_page()
    log_in(library, portal, eid="library")
    before = progress_of(library, portal)
    # when: David connects his ORCID iD (Part 1)
    page.goto(f"{portal}/backend/profile/edit/")
    page.get_by_role("button", name="Create or Connect your ORCID iD").click()
    page.get_by_label("Email or ORCID iD").fill(DAVID["email"])
    page.get_by_label("Password").fill("demo-orcid")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text(re.compile("is connected and authenticated"))).to_be_visible()
    # then: with no refresh run, the Library's table and chart count him
    expect(
        researcher_row(library, portal, DAVID["name"]).get_by_text(re.compile("^Complete "))
    ).to_be_visible()
    after = progress_of(library, portal)
    moved = {
        unit: {state: after[unit][state] - before.get(unit, {}).get(state, 0) for state in counts}
        for unit, counts in after.items()
    }
    changed = {unit: delta for unit, delta in moved.items() if any(delta.values())}
    assert changed, "the chart did not move"
    for delta in changed.values():
        assert delta["Not started"] == -1
        assert sum(delta.values()) == 0
    expect(library.locator("#unit-chart")).to_be_visible()
    screenshot(library, "exercise-progress-chart")
    # and his overview ticks Part 1
    page.goto(f"{portal}/backend/")
    expect(page.locator(".step--done", has_text="Part 1")).to_be_visible()


def test_the_portal_finds_chris_and_his_split_profile(page, live_services):
    portal, scopus = live_services.portal, live_services.scopus
    # given: Chris as the demo starts him, with no Scopus Author ID on his profile
    log_in(page, portal)
    # when: "Look for my Scopus Author ID" (the seed's step 1)
    page.get_by_role("button", name="Look for my Scopus Author ID").click()
    # then: his profile and its split half, side by side, each with the outputs it holds
    suggestions = page.locator(".suggestion")
    expect(suggestions).to_have_count(2)
    expect(page.get_by_text(re.compile("a split profile"))).to_be_visible()
    main = suggestions.filter(has_text="98765432100")
    expect(main.get_by_role("link", name="Scopus Author ID 98765432100")).to_have_attribute(
        "href", f"{scopus}/authors/98765432100/"
    )
    expect(suggestions.filter(has_text="55912345600")).to_be_visible()
    screenshot(page, "exercise-scopus-id-suggestions")
    # (he adds it himself in step 6, as tests/browser/test_portal_exercise.py walks it)


def test_is_this_you_adds_the_scopus_author_id(page, live_services):
    portal = live_services.portal
    log_in(page, portal, eid=DAVID["eid"])
    # given: no Scopus Author ID on his profile
    page.get_by_role("link", name="Edit profile").click()
    remove = page.get_by_label(re.compile(r"Remove Scopus Author ID \d+"))
    if remove.count():
        for box in remove.all():
            box.check()
        page.get_by_role("button", name="Save").click()
    page.goto(f"{portal}/backend/")
    # when
    page.get_by_role("button", name="Look for my Scopus Author ID").click()
    # (his profile, and any part the Scopus sandbox split off, each with its own answer)
    expect(page.locator(".suggestion", has_text=DAVID_SCOPUS_ID)).to_be_visible()
    page.locator(".suggestion", has_text=DAVID_SCOPUS_ID).get_by_role(
        "button", name="Yes, add it to my profile"
    ).click()
    # then: on the profile, for the Library to verify
    expect(
        page.get_by_text(f"Scopus Author ID {DAVID_SCOPUS_ID} is on your profile")
    ).to_be_visible()
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_text(DAVID_SCOPUS_ID).first).to_be_visible()


def test_a_campaign_mails_one_unit(page, live_services):
    portal = live_services.portal
    log_in(page, portal, eid="library")
    page.goto(f"{portal}/backend/library/exercise/campaigns/")
    # when: the Library starts a campaign for one unit
    page.get_by_label("Name").fill("Library staff, first call")
    page.get_by_label("Unit").select_option(label="Run Run Shaw Library")
    deadline = datetime.now(tz=UTC).date() + timedelta(days=60)
    page.get_by_label("Deadline").fill(deadline.isoformat())
    page.get_by_role("button", name="Start the campaign and send the invitations").click()
    expect(page.get_by_role("heading", name="Library staff, first call")).to_be_visible()
    # (the worker sends them; here the job runs as the scheduler's worker would)
    live_services.run("exercise-reminders")
    page.reload()
    # then: the log lists the invitations, and the mails are files under var/mail
    expect(page.locator("td", has_text="Invitation").first).to_be_visible()
    mails = list((live_services.var_dir / "mail").glob("*.log"))
    assert mails
    text = "\n".join(path.read_text(encoding="utf-8") for path in mails)
    assert "ORCID Creation and Integration Exercise" in text
    assert "/orcid-exercise/opt-out/" in text
    screenshot(page, "exercise-campaign-log")
