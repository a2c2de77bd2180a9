"""'View graph of relations': the neighbourhood of a person, unit or output, as a page that
draws it (and lists it for readers without JavaScript) and as JSON."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from portal import graph
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


def person_graph_json(request: HttpRequest, slug: str) -> JsonResponse:
    return JsonResponse(graph.person_graph(get_object_or_404(Person, slug=slug)).as_json())


def unit_graph(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, slug=slug)
    json_url = reverse("portal:unit-graph-json", args=[slug])
    return _page(request, graph.unit_graph(unit), json_url)


def unit_graph_json(request: HttpRequest, slug: str) -> JsonResponse:
    return JsonResponse(graph.unit_graph(get_object_or_404(OrgUnit, slug=slug)).as_json())


def output_graph(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(public_outputs(), pk=pk)
    json_url = reverse("portal:output-graph-json", args=[pk])
    return _page(request, graph.output_graph(output), json_url)


def output_graph_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(graph.output_graph(get_object_or_404(public_outputs(), pk=pk)).as_json())
