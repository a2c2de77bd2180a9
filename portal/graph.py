"""The "View graph of relations" neighbourhoods: a person, unit or output and what it touches.

Each neighbourhood comes from a fixed, small number of queries whatever the data (pinned by
tests with django_assert_num_queries) and is capped, so a researcher with thousands of outputs
or a faculty of hundreds costs what a small one does. What was left out is recorded in
`Graph.capped` and said on the page.

Nodes are ids like "person:12", "unit:3", "output:40" (and "external:40:2" for an author outside
the university), so the three kinds never collide in one graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import get_script_prefix, reverse

from portal.models import Contributor, OrgUnit, Person, Position, ResearchOutput
from portal.queries import public_outputs

MAX_OUTPUTS = 100
MAX_PERSONS = 50
MAX_UNITS = 50


@dataclass(frozen=True)
class Node:
    """One thing in the graph: a person, unit or output, with its label and page."""

    id: str
    kind: str
    label: str
    url: str = ""
    centre: bool = False


@dataclass(frozen=True)
class Edge:
    """One relation between two nodes, named by `kind` ("author of", "position in", …)."""

    source: str
    target: str
    kind: str


@dataclass
class Graph:
    """A neighbourhood, built by the functions below; nodes and edges in insertion order."""

    centre: Node
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    capped: list[str] = field(default_factory=list)
    _seen: set[Edge] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self.nodes[self.centre.id] = self.centre

    def add(self, node: Node) -> None:
        self.nodes.setdefault(node.id, node)

    def link(self, source: str, target: str, kind: str) -> None:
        edge = Edge(source, target, kind)
        if source in self.nodes and target in self.nodes and edge not in self._seen:
            self._seen.add(edge)
            self.edges.append(edge)

    def neighbours(self, kind: str) -> list[Node]:
        """The nodes of one kind other than the centre, in the order they were added."""
        return [node for node in self.nodes.values() if node.kind == kind and not node.centre]

    def as_json(self) -> dict[str, Any]:
        """The graph as the page's script (and the JSON endpoint) reads it."""
        return {
            "centre": self.centre.id,
            "nodes": [
                {"id": n.id, "kind": n.kind, "label": n.label, "url": n.url, "centre": n.centre}
                for n in self.nodes.values()
            ],
            "edges": [{"source": e.source, "target": e.target, "kind": e.kind} for e in self.edges],
            "capped": self.capped,
        }


def _url(name: str, key: str | int) -> str:
    """The page of a person, unit or output.

    reverse() once per name and process, then filled in: reversing for each of a graph's
    hundreds of nodes was two fifths of its time. Slugs and ids need no quoting in a path.
    """
    cache_key = (name, get_script_prefix())
    template = _URL_TEMPLATES.get(cache_key)
    if template is None:
        template = _URL_TEMPLATES[cache_key] = reverse(name, args=[_KEY])
    return template.replace(_KEY, str(key))


# A key both an <int:…> and a <slug:…> path converter accept, and no path otherwise holds.
_KEY = "918273645"
_URL_TEMPLATES: dict[tuple[str, str], str] = {}


def _person_name(row: dict[str, Any], prefix: str = "") -> str:
    known_as = row[f"{prefix}known_as"]
    return known_as or f"{row[f'{prefix}given_names']} {row[f'{prefix}family_name'].upper()}"


def _person_node(row: dict[str, Any], prefix: str = "", *, centre: bool = False) -> Node:
    return Node(
        id=f"person:{row[f'{prefix}id']}",
        kind="person",
        label=_person_name(row, prefix),
        url=_url("portal:person-detail", row[f"{prefix}slug"]),
        centre=centre,
    )


def _unit_node(unit_id: int, name: str, slug: str, *, centre: bool = False) -> Node:
    return Node(f"unit:{unit_id}", "unit", name, _url("portal:unit-detail", slug), centre)


def _output_node(row: dict[str, Any], *, centre: bool = False) -> Node:
    return Node(
        id=f"output:{row['id']}",
        kind="output",
        label=f"{row['title']} ({row['publication_year']})",
        url=_url("portal:output-detail", row["id"]),
        centre=centre,
    )


_PERSON_FIELDS = ("id", "slug", "known_as", "given_names", "family_name")
_OUTPUT_FIELDS = ("id", "title", "publication_year")
_NEWEST_FIRST = ("-publication_year", "-publication_month", "-pk")


def person_graph(person: Person) -> Graph:
    """A person, their units, their newest public outputs and the colleagues who co-wrote them.

    Three queries: positions with units, the outputs (capped), the co-authors' rows on them.
    """
    row = {name: getattr(person, name) for name in _PERSON_FIELDS}
    graph = Graph(_person_node(row, centre=True))
    for unit_id, name, slug in Position.objects.filter(person=person).values_list(
        "org_unit_id", "org_unit__name", "org_unit__slug"
    )[:MAX_UNITS]:
        graph.add(_unit_node(unit_id, name, slug))
        graph.link(graph.centre.id, f"unit:{unit_id}", "position in")
    authored = Contributor.objects.filter(person=person).values("output_id")
    outputs = list(
        public_outputs()
        .filter(pk__in=authored)
        .order_by(*_NEWEST_FIRST)
        .values(*_OUTPUT_FIELDS)[: MAX_OUTPUTS + 1]
    )
    if len(outputs) > MAX_OUTPUTS:
        outputs = outputs[:MAX_OUTPUTS]
        graph.capped.append(f"only the {MAX_OUTPUTS} newest research outputs are shown")
    for output in outputs:
        graph.add(_output_node(output))
        graph.link(graph.centre.id, f"output:{output['id']}", "author of")
    # Co-authors: the colleagues sharing most outputs first. A consortium paper can list
    # thousands, so the rows fetched are bounded too.
    rows = list(
        Contributor.objects.filter(output_id__in=[o["id"] for o in outputs], person__isnull=False)
        .exclude(person=person)
        .order_by("output_id", "position")
        .values("output_id", *(f"person__{name}" for name in _PERSON_FIELDS))[
            : MAX_OUTPUTS * MAX_PERSONS
        ]
    )
    shared: dict[int, int] = {}
    for contributor in rows:
        shared[contributor["person__id"]] = shared.get(contributor["person__id"], 0) + 1
    ranked = sorted(shared, key=lambda person_id: (-shared[person_id], person_id))
    kept = set(ranked[:MAX_PERSONS])
    if len(ranked) > MAX_PERSONS:
        graph.capped.append(f"only the {MAX_PERSONS} most frequent co-authors are shown")
    for contributor in rows:
        if contributor["person__id"] in kept:
            node = _person_node(contributor, "person__")
            graph.add(node)
            graph.link(node.id, f"output:{contributor['output_id']}", "author of")
    return graph


def unit_graph(unit: OrgUnit) -> Graph:
    """A unit, the units below it, the persons holding positions there and their newest outputs.

    Four queries: all units (few), positions (capped), outputs (capped), their authors' rows.
    """
    graph = Graph(_unit_node(unit.pk, unit.name, unit.slug, centre=True))
    units = {row["id"]: row for row in OrgUnit.objects.values("id", "parent_id", "name", "slug")}
    below, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = [uid for uid, row in units.items() if row["parent_id"] in frontier]
        below.extend(frontier)
    if len(below) > MAX_UNITS:
        below = below[:MAX_UNITS]
        graph.capped.append(f"only {MAX_UNITS} units below this one are shown")
    for unit_id in below[1:]:
        row = units[unit_id]
        graph.add(_unit_node(unit_id, row["name"], row["slug"]))
        graph.link(f"unit:{unit_id}", f"unit:{row['parent_id']}", "part of")
    positions = list(
        Position.objects.filter(org_unit_id__in=below)
        .order_by("person__family_name", "person__given_names", "person_id")
        .values("org_unit_id", *(f"person__{name}" for name in _PERSON_FIELDS))[: MAX_PERSONS * 2]
    )
    person_ids: list[int] = []
    for position in positions:
        if position["person__id"] not in person_ids:
            if len(person_ids) == MAX_PERSONS:
                graph.capped.append(f"only the first {MAX_PERSONS} persons by name are shown")
                break
            person_ids.append(position["person__id"])
        node = _person_node(position, "person__")
        graph.add(node)
        graph.link(node.id, f"unit:{position['org_unit_id']}", "position in")
    authored = Contributor.objects.filter(person_id__in=person_ids).values("output_id")
    outputs = list(
        public_outputs()
        .filter(pk__in=authored)
        .order_by(*_NEWEST_FIRST)
        .values(*_OUTPUT_FIELDS)[: MAX_OUTPUTS + 1]
    )
    if len(outputs) > MAX_OUTPUTS:
        outputs = outputs[:MAX_OUTPUTS]
        graph.capped.append(f"only the {MAX_OUTPUTS} newest research outputs are shown")
    for output in outputs:
        graph.add(_output_node(output))
    for person_id, output_id in (
        Contributor.objects.filter(
            output_id__in=[o["id"] for o in outputs], person_id__in=person_ids
        )
        .order_by()
        .values_list("person_id", "output_id")
    ):  # (unordered: no join for the default)
        graph.link(f"person:{person_id}", f"output:{output_id}", "author of")
    return graph


def output_graph(output: ResearchOutput) -> Graph:
    """An output, its authors (colleagues linked to their profiles) and its units.

    Two queries: the authors (capped), the units (the managing one and the others).
    """
    row = {name: getattr(output, name) for name in _OUTPUT_FIELDS}
    graph = Graph(_output_node(row, centre=True))
    contributors = list(
        Contributor.objects.filter(output=output)
        .order_by("position")
        .values(
            "position",
            "given_names",
            "family_name",
            *(f"person__{name}" for name in _PERSON_FIELDS),
        )[: MAX_PERSONS + 1]
    )
    if len(contributors) > MAX_PERSONS:
        contributors = contributors[:MAX_PERSONS]
        graph.capped.append(f"only the first {MAX_PERSONS} authors are shown")
    for contributor in contributors:
        if contributor["person__id"] is not None:
            node = _person_node(contributor, "person__")
        else:
            given, family = contributor["given_names"], contributor["family_name"]
            node = Node(
                id=f"external:{output.pk}:{contributor['position']}",
                kind="external",
                label=f"{family}, {given}" if given else family,
            )
        graph.add(node)
        graph.link(node.id, graph.centre.id, "author of")
    for unit_id, name, slug in (
        OrgUnit.objects.filter(Q(pk=output.managing_unit_id) | Q(unit_outputs=output))
        .distinct()
        .order_by("name")
        .values_list("id", "name", "slug")[:MAX_UNITS]
    ):
        graph.add(_unit_node(unit_id, name, slug))
        graph.link(graph.centre.id, f"unit:{unit_id}", "belongs to")
    return graph
