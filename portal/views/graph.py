"""'View graph of relations': the neighbourhood of a person, unit or output, as a page that
draws it (and lists it for readers without JavaScript) and as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, reverse

from portal import graph
from portal.caching import graph_generation
from portal.models import OrgUnit, Person
from portal.queries import public_outputs

SECTIONS = (
    ("Researchers", "person"),
    ("Authors outside the university", "external"),
    ("Research units", "unit"),
    ("Research output", "output"),
)


def _page(request: HttpRequest, relations: graph.Graph, json_url: str) -> HttpResponse:
    nodes = relations.nodes
    return render(
        request,
        "portal/graph/graph.html",
        {
            "graph": relations,
            "graph_json": relations.as_json(),
            "json_url": json_url,
            "sections": [(heading, relations.neighbours(kind)) for heading, kind in SECTIONS],
            "links": [(nodes[e.source], e.kind, nodes[e.target]) for e in relations.edges],
        },
    )


def person_graph(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    json_url = reverse("portal:person-graph-json", args=[slug])
    return _page(request, graph.person_graph(person), json_url)


def _cached_json(key: str, generation: str, build: Callable[[], graph.Graph]) -> HttpResponse:
    """The graph's JSON from the cache, built and kept when its generation moved (any change
    it may show moves it: portal.caching). The nodes' addresses depend on the script prefix."""
    full_key = f"graph-json:{key}:{generation}:{get_script_prefix()}"
    body = cache.get(full_key)
    if not isinstance(body, str):
        body = json.dumps(build().as_json())
        cache.set(full_key, body, 24 * 3600)
    return HttpResponse(body, content_type="application/json")


def person_graph_json(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    return _cached_json(
        f"person:{person.pk}",
        graph_generation(person.pk),
        lambda: graph.person_graph(person),
    )


def unit_graph(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, slug=slug)
    json_url = reverse("portal:unit-graph-json", args=[slug])
    return _page(request, graph.unit_graph(unit), json_url)


def unit_graph_json(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, slug=slug)
    return _cached_json(f"unit:{unit.pk}", graph_generation(), lambda: graph.unit_graph(unit))


def output_graph(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(public_outputs(), pk=pk)
    json_url = reverse("portal:output-graph-json", args=[pk])
    return _page(request, graph.output_graph(output), json_url)


def output_graph_json(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(public_outputs(), pk=pk)
    return _cached_json(f"output:{pk}", graph_generation(), lambda: graph.output_graph(output))
