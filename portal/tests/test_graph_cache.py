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
