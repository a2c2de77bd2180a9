"""'View graph of relations': the neighbourhood of a person, unit, output or project, as a page
that draws it (and lists it for readers without JavaScript) and as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

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


def _cached(key: str, generation: str, build: Callable[[], graph.Graph]) -> str:
    """The graph as JSON text from the cache, built and kept when its generation moved (any
    change it may show moves it: portal.caching). The page and the JSON endpoint both read it,
    so neither builds what the other already has. The nodes' addresses depend on the script
    prefix."""
    full_key = f"graph-json:{key}:{generation}:{get_script_prefix()}"
    body = cache.get(full_key)
    if not isinstance(body, str):
        body = json.dumps(build().as_json())
        cache.set(full_key, body, 24 * 3600)
    return body


def _page(request: HttpRequest, body: str, json_url: str) -> HttpResponse:
    """The page that draws the graph, with its lists for readers without JavaScript."""
    data = json.loads(body)
    relations = graph.Graph.from_json(data)
    nodes = relations.nodes
    shown = {node.kind for node in nodes.values()}
    return render(
        request,
        "portal/graph/graph.html",
        {
            "graph": relations,
            "graph_json": data,
            "json_url": json_url,
            "sections": [(heading, relations.neighbours(kind)) for kind, heading, _ in KINDS],
            "legend": [(kind, key) for kind, _, key in KINDS if kind in shown],
            "links": [(nodes[e.source], e.kind, nodes[e.target]) for e in relations.edges],
        },
    )


def _json(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


# Each kind's graph as cached JSON text (404 when the public does not see its centre): the page
# and the endpoint below read the same one.


def _person(slug: str) -> str:
    person = get_object_or_404(Person, slug=slug)
    return _cached(
        f"person:{person.pk}", graph_generation(person.pk), lambda: graph.person_graph(person)
    )


def _unit(slug: str) -> str:
    unit = get_object_or_404(OrgUnit, slug=slug)
    return _cached(f"unit:{unit.pk}", graph_generation(), lambda: graph.unit_graph(unit))


def _output(pk: int) -> str:
    output = get_object_or_404(public_outputs(), pk=pk)
    return _cached(f"output:{pk}", graph_generation(), lambda: graph.output_graph(output))


def _project(pk: int) -> str:
    """The projects app may be left out: then the public sees none."""
    projects = graph.PROJECTS.public()
    if projects is None:
        raise Http404("Projects are not part of this portal.")
    project = get_object_or_404(projects, pk=pk)
    return _cached(
        f"project:{pk}", graph_generation(), lambda: graph.item_graph(graph.PROJECTS, project)
    )


def person_graph(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _person(slug), reverse("portal:person-graph-json", args=[slug]))


def person_graph_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _json(_person(slug))


def unit_graph(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _unit(slug), reverse("portal:unit-graph-json", args=[slug]))


def unit_graph_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _json(_unit(slug))


def output_graph(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _output(pk), reverse("portal:output-graph-json", args=[pk]))


def output_graph_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _json(_output(pk))


def project_graph(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _project(pk), reverse("portal:project-graph-json", args=[pk]))


def project_graph_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _json(_project(pk))
