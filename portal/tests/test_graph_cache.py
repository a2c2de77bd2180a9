"""The graph of relations' JSON from the cache: read once, never stale after a change it shows
(portal.caching's generations)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Person
from portal.tests.fixtures import make_output, make_person, make_unit

pytestmark = pytest.mark.django_db


def graph_json(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.content.decode(), len(queries)


def person_url(person: Person) -> str:
    return reverse("portal:person-graph-json", args=[person.slug])


def test_a_person_graph_is_built_once_then_served_from_the_cache(client: Client) -> None:
    chris, mei = make_person(), make_person("Mei", "LAM")
    for number in range(5):
        make_output(chris, mei, title=f"Shared {number}")
    first, first_queries = graph_json(client, person_url(chris))
    second, second_queries = graph_json(client, person_url(chris))
    assert second == first
    assert "Shared 4" in second
    assert second_queries == 1 < first_queries  # the person's lookup


def test_a_co_authors_new_name_shows_in_the_graph(client: Client) -> None:
    chris, mei = make_person(), make_person("Mei", "LAM")
    make_output(chris, mei, title="Shared")
    graph_json(client, person_url(chris))
    mei.known_as = "Mei LAM-CHAN"
    mei.save()
    assert "Mei LAM-CHAN" in graph_json(client, person_url(chris))[0]


def test_an_outputs_new_title_shows_in_every_graph(client: Client) -> None:
    unit = make_unit("Department of Physics")
    chris = make_person(unit=unit)
    output = make_output(chris, title="Old title")
    urls = [
        person_url(chris),
        reverse("portal:unit-graph-json", args=[unit.slug]),
        reverse("portal:output-graph-json", args=[output.pk]),
    ]
    for url in urls:
        assert "Old title" in graph_json(client, url)[0]
    output.title = "New title"
    output.save()
    for url in urls:
        page = graph_json(client, url)[0]
        assert "New title" in page
        assert "Old title" not in page


def test_a_new_colleague_in_a_unit_shows_in_its_graph(client: Client) -> None:
    unit = make_unit("Department of Physics")
    make_person(unit=unit)
    url = reverse("portal:unit-graph-json", args=[unit.slug])
    graph_json(client, url)
    make_person("Mei", "LAM", unit=unit)
    assert "Mei LAM" in graph_json(client, url)[0]


# The page reads the same cached graph as the JSON endpoint: its lists for readers without
# JavaScript cost no query once either was read.


def graph_page(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode(), len(queries)


def test_the_graph_page_and_its_json_share_one_cached_graph(client: Client) -> None:
    # given: Chris with more outputs and co-authors than one
    chris = make_person()
    colleagues = [make_person("Co", f"AUTHOR{n}") for n in range(3)]
    for number in range(5):
        make_output(chris, *colleagues, title=f"Shared {number}")
    page_url = reverse("portal:person-graph", args=[chris.slug])
    # when: the page is read first, then the JSON, then the page again
    first_page, first_page_queries = graph_page(client, page_url)
    body, json_queries = graph_json(client, person_url(chris))
    again, again_queries = graph_page(client, page_url)
    # then: the page built the graph (the person, positions, outputs, co-authors' rows,
    # projects, datasets) and both readers after it took it from the cache (the person's lookup)
    assert (first_page_queries, json_queries, again_queries) == (6, 1, 1)
    assert again == first_page
    assert "Shared 4" in body
    assert '<a href="/outputs/' in first_page
    assert "Co AUTHOR2" in first_page


def test_the_graph_page_from_the_cache_costs_one_query_for_every_kind(
    client: Client, django_assert_num_queries
) -> None:
    # given: every kind of graph read once
    unit = make_unit("Department of Physics")
    chris = make_person(unit=unit)
    output = make_output(chris, make_person("Mei", "LAM"), title="Shared")
    urls = [
        reverse("portal:person-graph", args=[chris.slug]),
        reverse("portal:unit-graph", args=[unit.slug]),
        reverse("portal:output-graph", args=[output.pk]),
    ]
    for url in urls:
        graph_page(client, url)
    # when / then: each page again is its centre's lookup alone
    for url in urls:
        with django_assert_num_queries(1):
            assert "Shared" in graph_page(client, url)[0]


def test_an_outputs_new_title_shows_in_every_graph_page(client: Client) -> None:
    # given: the pages read (and their graphs cached) with the old title
    unit = make_unit("Department of Physics")
    chris = make_person(unit=unit)
    output = make_output(chris, title="Old title")
    urls = [
        reverse("portal:person-graph", args=[chris.slug]),
        reverse("portal:unit-graph", args=[unit.slug]),
        reverse("portal:output-graph", args=[output.pk]),
    ]
    for url in urls:
        assert "Old title" in graph_page(client, url)[0]
    # when
    output.title = "New title"
    output.save()
    # then: the list for readers without JavaScript and the drawn data both changed
    pages = [graph_page(client, url)[0] for url in urls]
    for page in pages:
        assert "New title" in page
        assert "Old title" not in page
    listed = f'<a href="{reverse("portal:output-detail", args=[output.pk])}">New title'
    assert listed in pages[0]
    assert listed in pages[1]
    assert "<h1>Graph of relations: New title" in pages[2]
