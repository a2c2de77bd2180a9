"""'View graph of relations': the neighbourhood of a person, unit, output or project, as a page
that draws it (and lists it for readers without JavaScript) and as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, reverse

from portal import graph
from portal.caching import graph_generation
from portal.models import OrgUnit, Person
from portal.queries import public_outputs

# The lists for readers without JavaScript, and the legend: (node kind, heading, legend key).
KINDS = (
    ("person", "Researchers", "Researcher"),
    ("external", "Persons outside the university", "Person outside the university"),
    ("unit", "Research units", "Research unit"),
    ("output", "Research output", "Research output"),
    ("project", "Projects", "Project"),
    ("dataset", "Datasets", "Dataset"),
    ("impact", "Impact", "Impact"),
)


def _page(request: HttpRequest, relations: graph.Graph, json_url: str) -> HttpResponse:
    nodes = relations.nodes
    shown = {node.kind for node in nodes.values()}
    return render(
        request,
        "portal/graph/graph.html",
        {
            "graph": relations,
            "graph_json": relations.as_json(),
            "json_url": json_url,
            "sections": [(heading, relations.neighbours(kind)) for kind, heading, _ in KINDS],
            "legend": [(kind, key) for kind, _, key in KINDS if kind in shown],
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


def _public_project(pk: int) -> Any:
    """A project the public sees (the projects app may be left out: then none is)."""
    projects = graph.PROJECTS.public()
    if projects is None:
        raise Http404("Projects are not part of this portal.")
    return get_object_or_404(projects, pk=pk)


def project_graph(request: HttpRequest, pk: int) -> HttpResponse:
    project = _public_project(pk)
    json_url = reverse("portal:project-graph-json", args=[pk])
    return _page(request, graph.item_graph(graph.PROJECTS, project), json_url)


def project_graph_json(request: HttpRequest, pk: int) -> HttpResponse:
    project = _public_project(pk)
    return _cached_json(
        f"project:{pk}", graph_generation(), lambda: graph.item_graph(graph.PROJECTS, project)
    )
