"""'View graph of relations' in a real browser: drawn by Cytoscape.js under the
Content-Security-Policy (the page fixture fails on any violation), and listed without
JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHRIS = "Chris WONG - demo"
CHRIS_SLUG = "chris-wong-demo"


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


def test_the_graph_page_lists_the_relations_without_javascript(browser, live_services):
    # given: a browser with JavaScript off
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
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
    finally:
        context.close()
