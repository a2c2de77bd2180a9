"""'View graph of relations' in a real browser: drawn by Cytoscape.js under the
Content-Security-Policy (the page fixture fails on any violation), and listed without
JavaScript, for Chris WONG and for his HKALL project.

axe-core is injected JavaScript: it runs only where JavaScript is on. Every wait has a timeout,
so a page that never comes fails the test instead of hanging it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.checks import axe_violations, describe_violations

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServices

pytestmark = pytest.mark.browser

CHRIS = "Chris WONG - demo"
CHRIS_SLUG = "chris-wong-demo"
HKALL = "HKALL: user-initiated resource sharing across Hong Kong academic libraries"
# Milliseconds: any action, navigation or expectation that takes longer fails the test.
WAIT_MS = 15_000


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    """A page in a browser with JavaScript off, every wait bounded."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_graph_is_drawn_from_the_profile(page, live_services):
    # given: Chris's profile
    page.goto(f"{live_services.portal}/persons/{CHRIS_SLUG}/")
    # when
    page.get_by_role("link", name="View graph of relations").click()
    # then: a canvas drawn, with a node for Chris at its centre and his outputs around him
    expect(page.get_by_role("heading", name=f"Graph of relations: {CHRIS}")).to_be_visible()
    graph = page.locator("#relation-graph")
    expect(graph).to_be_visible()
    expect(graph).to_have_attribute("data-drawn", re.compile(r"^[1-9][0-9]*$"))
    expect(graph.locator("canvas").first).to_be_attached()
    drawn = page.evaluate(
        """() => window.relationGraph.nodes().map((node) => ({
            label: node.data("fullLabel"), kind: node.data("kind"),
            x: node.renderedPosition("x"), y: node.renderedPosition("y")}))"""
    )
    chris = [node for node in drawn if node["label"] == CHRIS]
    assert len(chris) == 1
    assert any(node["kind"] == "output" for node in drawn)
    assert any(node["kind"] == "unit" for node in drawn)
    box = graph.bounding_box()
    assert 0 < chris[0]["x"] < box["width"]
    assert 0 < chris[0]["y"] < box["height"]


def test_the_graph_page_lists_the_relations_without_javascript(
    page_without_javascript: Page, live_services: LiveServices
) -> None:
    # given: a browser with JavaScript off
    page = page_without_javascript
    # when
    page.goto(f"{live_services.portal}/persons/{CHRIS_SLUG}/graph/")
    # then: no drawing area, the plain lists of nodes and links instead
    expect(page.locator("#relation-graph")).to_be_hidden()
    expect(page.get_by_role("heading", name="Relations", exact=True)).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Research output \(\d+\)$"))
    ).to_be_visible()
    expect(page.locator(".relation-list__links li").first).to_contain_text(CHRIS)
    page.get_by_role("link", name=f"Back to {CHRIS}").click()
    expect(page.get_by_role("heading", name=CHRIS, exact=False).first).to_be_visible()


def open_the_project_graph(page: Page, portal: str) -> None:
    """Chris's profile → his HKALL project → "View graph of relations", by their links."""
    page.goto(f"{portal}/persons/{CHRIS_SLUG}/")
    page.get_by_role("region", name="Projects").get_by_role("link", name=HKALL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HKALL, timeout=WAIT_MS)
    page.get_by_role("link", name="View graph of relations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Graph of relations: {HKALL}", timeout=WAIT_MS
    )


def test_a_projects_graph_is_drawn_and_passes_axe(page: Page, live_services: LiveServices) -> None:
    # given: JavaScript on, every wait bounded
    page.set_default_timeout(WAIT_MS)
    page.set_default_navigation_timeout(WAIT_MS)
    # when
    open_the_project_graph(page, live_services.portal)
    # then: the canvas drawn, the project at its centre with Chris, a unit and an output
    graph = page.locator("#relation-graph")
    expect(graph).to_be_visible(timeout=WAIT_MS)
    expect(graph).to_have_attribute("data-drawn", re.compile(r"^[1-9][0-9]*$"), timeout=WAIT_MS)
    drawn = page.evaluate(
        """() => window.relationGraph.nodes().map((node) => ({
            label: node.data("fullLabel"), kind: node.data("kind"),
            centre: node.data("centre")}))"""
    )
    assert [node["label"] for node in drawn if node["centre"]] == [HKALL]
    assert {"label": CHRIS, "kind": "person", "centre": False} in drawn
    assert {"unit", "output"} <= {node["kind"] for node in drawn}
    # and axe-core finds no WCAG 2.1 A/AA violation on the drawn page
    page.wait_for_load_state("load", timeout=WAIT_MS)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_a_projects_graph_lists_its_relations_without_javascript(
    page_without_javascript: Page, live_services: LiveServices
) -> None:
    # given: JavaScript off
    page = page_without_javascript
    # when: the project's graph reached by its links
    open_the_project_graph(page, live_services.portal)
    # then: no drawing area, the plain lists of nodes and links instead
    expect(page.locator("#relation-graph")).to_be_hidden(timeout=WAIT_MS)
    relations = page.get_by_role("region", name="Relations")
    for heading in (r"Researchers \(\d+\)", r"Research units \(\d+\)", r"Research output \(\d+\)"):
        expect(relations.get_by_role("heading", name=re.compile(f"^{heading}$"))).to_be_visible(
            timeout=WAIT_MS
        )
    expect(relations.locator(".relation-list__links li").first).to_contain_text(
        HKALL, timeout=WAIT_MS
    )
    # when: a researcher in the list is followed
    relations.get_by_role("link", name=CHRIS, exact=True).click()
    # then: his profile
    expect(page.get_by_role("heading", level=1)).to_contain_text(CHRIS, timeout=WAIT_MS)
    # and the way back to the project works too
    page.go_back()
    page.get_by_role("link", name=f"Back to {HKALL}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HKALL, timeout=WAIT_MS)
