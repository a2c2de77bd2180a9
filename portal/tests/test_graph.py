"""'View graph of relations': the neighbourhoods of persons, units and outputs, from a fixed
number of queries, capped, and listed in the page's HTML as well as drawn."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from portal import graph
from portal.choices import Visibility, WorkflowStatus
from portal.models import OrgUnit, Person
from portal.tests.fixtures import make_output, make_person, make_unit

pytestmark = pytest.mark.django_db


def labels(data: dict[str, Any], kind: str) -> set[str]:
    return {node["label"] for node in data["nodes"] if node["kind"] == kind}


def links(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    names = {node["id"]: node["label"] for node in data["nodes"]}
    return {(names[e["source"]], e["kind"], names[e["target"]]) for e in data["edges"]}


@pytest.fixture
def library() -> tuple[OrgUnit, OrgUnit]:
    library = make_unit("Run Run Shaw Library")
    return library, make_unit("Systems Division", parent=library)


@pytest.fixture
def chris(library: tuple[OrgUnit, OrgUnit]) -> Person:
    return make_person("Chris", "WONG", unit=library[0], known_as="Chris WONG - demo")


def test_a_person_graph_holds_units_outputs_and_co_authors(client, chris, library):
    # given
    colleague = make_person("Mei", "LAM", unit=library[1])
    shared = make_output(chris, colleague, title="HKALL", year=2006)
    make_output(chris, title="Alone", year=2010)
    make_output(chris, title="Hidden", workflow=WorkflowStatus.FOR_VALIDATION)
    make_output(chris, title="Campus", visibility=Visibility.CAMPUS)
    # when
    response = client.get(reverse("portal:person-graph-json", args=[chris.slug]))
    # then
    data = response.json()
    assert data["centre"] == f"person:{chris.pk}"
    assert labels(data, "person") == {"Chris WONG - demo", "Mei LAM"}
    assert labels(data, "unit") == {"Run Run Shaw Library"}
    assert labels(data, "output") == {"HKALL (2006)", "Alone (2010)"}
    assert links(data) == {
        ("Chris WONG - demo", "position in", "Run Run Shaw Library"),
        ("Chris WONG - demo", "author of", "HKALL (2006)"),
        ("Chris WONG - demo", "author of", "Alone (2010)"),
        ("Mei LAM", "author of", "HKALL (2006)"),
    }
    assert data["capped"] == []
    assert f"/outputs/{shared.pk}/" in {node["url"] for node in data["nodes"]}


def test_the_person_graph_page_lists_what_it_draws(client, chris):
    # given
    colleague = make_person("Mei", "LAM")
    make_output(chris, colleague, title="HKALL <b>bold</b>", year=2006)
    # when
    response = client.get(reverse("portal:person-graph", args=[chris.slug]))
    # then: the lists in the HTML, the data for the script in a JSON block, the script from static
    page = response.content.decode()
    assert response.status_code == 200
    assert "Graph of relations: Chris WONG - demo" in page
    assert f'href="{reverse("portal:person-detail", args=[colleague.slug])}">Mei LAM</a>' in page
    assert "HKALL &lt;b&gt;bold&lt;/b&gt; (2006)" in page
    assert 'Mei LAM <span class="muted">author of</span> HKALL' in page
    assert '<script id="relation-graph-data" type="application/json">' in page
    assert "<b>bold</b>" not in page  # escaped in the lists and in the JSON block
    assert "portal/graph/vendor/cytoscape-3.34.4.min.js" in page
    assert "This graph is capped" not in page


def test_the_person_graph_costs_six_queries_however_many_outputs(
    client, chris, django_assert_num_queries
):
    # given: more outputs and co-authors than the caps
    colleagues = [make_person("Co", f"AUTHOR{n}") for n in range(3)]
    for year in range(2000, 2006):
        make_output(chris, *colleagues, year=year)
    # when / then: person, positions, outputs, co-authors' rows, projects, datasets (none, so
    # nothing to link them to: portal/tests/test_graph_items.py)
    with django_assert_num_queries(6):
        response = client.get(reverse("portal:person-graph-json", args=[chris.slug]))
    assert len(labels(response.json(), "output")) == 6


def test_the_person_graph_is_capped_and_says_so(client, chris, monkeypatch):
    # given: caps lowered so the test stays small
    monkeypatch.setattr(graph, "MAX_OUTPUTS", 2)
    monkeypatch.setattr(graph, "MAX_PERSONS", 1)
    frequent, rare = make_person("Fre", "QUENT"), make_person("Ra", "RE")
    make_output(chris, frequent, title="Old", year=2001)
    make_output(chris, frequent, title="Middle", year=2002)
    make_output(chris, rare, frequent, title="New", year=2003)
    # when
    data = client.get(reverse("portal:person-graph-json", args=[chris.slug])).json()
    page = client.get(reverse("portal:person-graph", args=[chris.slug])).content.decode()
    # then: the newest outputs, the most frequent co-author
    assert labels(data, "output") == {"Middle (2002)", "New (2003)"}
    assert labels(data, "person") == {"Chris WONG - demo", "Fre QUENT"}
    assert "Only the 2 newest research outputs are shown." in page
    assert "Only the 1 most frequent co-authors are shown." in page


def test_a_unit_graph_holds_sub_units_persons_and_their_outputs(
    client, chris, library, django_assert_num_queries
):
    # given
    faculty, division = library
    colleague = make_person("Mei", "LAM", unit=division)
    outsider = make_person("Out", "SIDER")
    make_output(chris, colleague, title="HKALL", year=2006)
    make_output(outsider, title="Elsewhere", year=2007)
    # when: unit, all units, positions, outputs, authors' rows, projects, datasets
    with django_assert_num_queries(7):
        response = client.get(reverse("portal:unit-graph-json", args=[faculty.slug]))
    # then
    data = response.json()
    assert labels(data, "unit") == {"Run Run Shaw Library", "Systems Division"}
    assert labels(data, "person") == {"Chris WONG - demo", "Mei LAM"}
    assert labels(data, "output") == {"HKALL (2006)"}
    assert ("Systems Division", "part of", "Run Run Shaw Library") in links(data)
    assert ("Mei LAM", "position in", "Systems Division") in links(data)
    assert ("Mei LAM", "author of", "HKALL (2006)") in links(data)


def test_an_output_graph_holds_authors_and_units(client, chris, library, django_assert_num_queries):
    # given
    output = make_output(chris, title="HKALL", year=2006, externals=1)
    output.managing_unit = library[0]
    output.save()
    output.units.add(library[1])
    # when: output, authors, units, projects, datasets
    with django_assert_num_queries(5):
        response = client.get(reverse("portal:output-graph-json", args=[output.pk]))
    # then
    data = response.json()
    assert labels(data, "person") == {"Chris WONG - demo"}
    assert labels(data, "external") == {"Outsider, A."}
    assert labels(data, "unit") == {"Run Run Shaw Library", "Systems Division"}
    assert ("Outsider, A.", "author of", "HKALL (2006)") in links(data)


def test_graphs_of_what_is_not_public_are_404(client, chris):
    # given
    hidden = make_output(chris, workflow=WorkflowStatus.FOR_VALIDATION)
    # when
    answers = [
        client.get(reverse("portal:output-graph", args=[hidden.pk])),
        client.get(reverse("portal:output-graph-json", args=[hidden.pk])),
        client.get(reverse("portal:person-graph", args=["no-such-person"])),
        client.get(reverse("portal:unit-graph-json", args=["no-such-unit"])),
    ]
    # then
    assert [answer.status_code for answer in answers] == [404, 404, 404, 404]


def test_the_detail_pages_link_to_their_graphs(client, chris, library):
    # given
    output = make_output(chris, title="HKALL")
    # when
    pages = {
        reverse("portal:person-graph", args=[chris.slug]): reverse(
            "portal:person-detail", args=[chris.slug]
        ),
        reverse("portal:unit-graph", args=[library[0].slug]): reverse(
            "portal:unit-detail", args=[library[0].slug]
        ),
        reverse("portal:output-graph", args=[output.pk]): reverse(
            "portal:output-detail", args=[output.pk]
        ),
    }
    # then
    for graph_url, detail_url in pages.items():
        html = client.get(detail_url).content.decode()
        assert f'<a href="{graph_url}">View graph of relations</a>' in html, detail_url


def test_the_json_block_survives_hostile_labels(client):
    # given: a name that would close the script element if it were not escaped
    person = make_person("</script><script>alert(1)</script>", "X")
    # when
    page = client.get(reverse("portal:person-graph", args=[person.slug])).content.decode()
    # then
    block = page.split('<script id="relation-graph-data" type="application/json">')[1]
    data = json.loads(block.split("</script>")[0])
    assert data["nodes"][0]["label"].startswith("</script><script>")
