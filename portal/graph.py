"""The "View graph of relations" neighbourhoods: a person, unit, output or project and what it
touches.

Each neighbourhood comes from a fixed, small number of queries whatever the data (pinned by
tests with django_assert_num_queries) and is capped, so a researcher with thousands of outputs
or a faculty of hundreds costs what a small one does. What was left out is recorded in
`Graph.capped` and said on the page.

Projects, datasets and impact belong to apps built on the portal, which it may not import: the
graphs find them by their keys in `portal.content`'s registry (`ITEM_KINDS`), show only what the
registry's `public_items()` shows, and read their relations (units, outputs, each other) from
the models' many-to-many fields. A type whose app is not installed is left out.

Nodes are ids like "person:12", "unit:3", "output:40", "project:7" (and "external:40:2" for an
author outside the university, "external:project:7:2" for a participant), so the kinds never
collide in one graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import ForeignKey, ForeignObjectRel, ManyToManyField, Model, Q, QuerySet
from django.urls import get_script_prefix, reverse

from portal import content
from portal.models import Contributor, OrgUnit, Person, Position, ResearchOutput
from portal.queries import public_outputs

MAX_OUTPUTS = 100
MAX_PERSONS = 50
MAX_UNITS = 50
# Per type of item (projects, datasets, impact).
MAX_ITEMS = 50


@dataclass(frozen=True)
class ItemKind:
    """A type of content from an app built on the portal that graphs draw as nodes.

    `key` is its key in `portal.content`'s registry and the URL namespace of its pages;
    `person_edge` says how a person named on an item relates to it, `people` names them.
    """

    key: str
    kind: str
    plural: str
    person_edge: str
    people: str

    def content_type(self) -> content.ContentType | None:
        return content.get(self.key)

    def model(self) -> type[Model] | None:
        """The type's model, or None when its app is not installed."""
        registered = self.content_type()
        return None if registered is None else registered.public_items().model

    def public(self) -> QuerySet[Any] | None:
        """What the public portal shows of this type, without the lists' prefetches."""
        registered = self.content_type()
        return None if registered is None else _bare(registered.public_items())


PROJECTS = ItemKind("projects", "project", "projects", "participant in", "participants")
DATASETS = ItemKind("datasets", "dataset", "datasets", "creator of", "creators")
IMPACTS = ItemKind("impacts", "impact", "impacts", "participant in", "participants")
ITEM_KINDS = (PROJECTS, DATASETS, IMPACTS)
# What the graphs of persons, units and outputs show besides their own kinds (a project's
# graph shows its impact too).
NEIGHBOUR_ITEMS = (PROJECTS, DATASETS)


@dataclass(frozen=True)
class Node:
    """One thing in the graph: a person, unit, output, project, dataset or impact, with its
    label and page."""

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

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Graph:
        """The graph back from what `as_json` gave: the cached form that the page and the JSON
        endpoint both read (portal.views.graph)."""
        nodes = {node["id"]: Node(**node) for node in data["nodes"]}
        edges = [Edge(**edge) for edge in data["edges"]]
        return cls(nodes[data["centre"]], nodes, edges, list(data["capped"]), _seen=set(edges))

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


def _bare(items: QuerySet[Any]) -> QuerySet[Any]:
    """Items as rows: the lists' prefetches dropped, newest first (the model's own order)."""
    items = items.select_related(None).prefetch_related(None)
    return items if items.ordered else items.order_by("-pk")


def _item_node(kind: ItemKind, row: dict[str, Any], *, centre: bool = False) -> Node:
    return Node(
        f"{kind.kind}:{row['id']}",
        kind.kind,
        row["title"],
        _url(f"{kind.key}:detail", row["id"]),
        centre,
    )


def _add_items(graph: Graph, kind: ItemKind, items: QuerySet[Any]) -> list[int]:
    """Add the first MAX_ITEMS of these items (one query); their ids."""
    rows = list(items.values("id", "title")[: MAX_ITEMS + 1])
    if len(rows) > MAX_ITEMS:
        rows = rows[:MAX_ITEMS]
        graph.capped.append(f"only the {MAX_ITEMS} newest {kind.plural} are shown")
    for row in rows:
        graph.add(_item_node(kind, row))
    return [row["id"] for row in rows]


def _pks(graph: Graph, kind: str, *, centre: bool = True) -> list[int]:
    """The database ids of the graph's nodes of one kind (with or without its centre)."""
    return [
        int(node.id.rsplit(":", 1)[1])
        for node in graph.nodes.values()
        if node.kind == kind and (centre or not node.centre)
    ]


def _relations(model: type[Model]) -> list[ManyToManyField[Any, Any]]:
    return [f for f in model._meta.many_to_many if isinstance(f, ManyToManyField)]


def _column(model: type[Model], name: str) -> str:
    """The database column of a foreign key (its `attname`, e.g. "item_id")."""
    field = model._meta.get_field(name)
    if not isinstance(field, ForeignKey):
        raise TypeError(f"{model.__name__}.{name} is not a foreign key.")
    return field.attname


def _columns(relation: ManyToManyField[Any, Any]) -> tuple[type[Model], str, str]:
    """A many-to-many field's table and its two columns: (through, from the item, to the
    related object)."""
    through = relation.remote_field.through
    if not isinstance(through, type):
        raise TypeError(f"{relation} has no table yet.")
    return (
        through,
        _column(through, relation.m2m_field_name()),
        _column(through, relation.m2m_reverse_field_name()),
    )


def _related_to(model: type[Model], target: type[Model], target_ids: list[int]) -> Q | None:
    """The items of `model` that one of its many-to-many fields relates to one of these
    (None: no field of it leads to `target`)."""
    condition = None
    for relation in _relations(model):
        if relation.related_model is target:
            through, source, column = _columns(relation)
            rows = through._default_manager.filter(**{f"{column}__in": target_ids})
            found = Q(pk__in=rows.values(source))
            condition = found if condition is None else condition | found
    return condition


def _add_items_relating_to(
    graph: Graph, kinds: Sequence[ItemKind], target: type[Model], target_id: int
) -> None:
    """Add the public items of these kinds related to the centre (`target` #`target_id`), each
    linked to it."""
    for kind in kinds:
        items, model = kind.public(), kind.model()
        condition = None if model is None else _related_to(model, target, [target_id])
        if items is not None and condition is not None:
            for item_id in _add_items(graph, kind, items.filter(condition)):
                graph.link(f"{kind.kind}:{item_id}", graph.centre.id, "related to")


def _people(model: type[Model]) -> tuple[type[Model], str]:
    """The model of an item's persons (`people`, one row per person in order) and its column
    naming the item."""
    relation = model._meta.get_field("people")
    people = relation.related_model
    if not isinstance(relation, ForeignObjectRel) or not isinstance(people, type):
        raise TypeError(f"{model.__name__}.people does not lead to its persons' rows.")
    return people, _column(people, relation.field.name)


def _node_kinds() -> dict[type[Model], str]:
    """The node kind of each model an item's many-to-many field may lead to."""
    kinds: dict[type[Model], str] = {OrgUnit: "unit", ResearchOutput: "output"}
    for kind in ITEM_KINDS:
        model = kind.model()
        if model is not None:
            kinds[model] = kind.kind
    return kinds


def _link_items(graph: Graph, kinds: Iterable[ItemKind], *, with_centre: bool) -> None:
    """Link the items of these kinds in the graph (not its centre) to the persons named on them
    and to the units, outputs and items they relate to, where those are in the graph as well
    (the centre among them only `with_centre`). At most one query per type and relation, each
    bounded by the nodes at both ends."""
    node_kinds = _node_kinds()
    persons = _pks(graph, "person", centre=with_centre)
    for kind in kinds:
        model = kind.model()
        items = _pks(graph, kind.kind, centre=False)
        if model is None or not items:
            continue
        if persons:
            people, column = _people(model)
            for item_id, person_id in (
                people._default_manager.filter(**{f"{column}__in": items}, person_id__in=persons)
                .order_by(column, "person_id")
                .values_list(column, "person_id")
            ):
                graph.link(f"person:{person_id}", f"{kind.kind}:{item_id}", kind.person_edge)
        for relation in _relations(model):
            target_kind = node_kinds.get(relation.related_model)
            if target_kind is None:
                continue
            targets = _pks(graph, target_kind, centre=with_centre)
            if not targets:
                continue
            through, source, column = _columns(relation)
            edge = "belongs to" if target_kind == "unit" else "related to"
            for item_id, target_id in (
                through._default_manager.filter(
                    **{f"{source}__in": items, f"{column}__in": targets}
                )
                .order_by(source, column)
                .values_list(source, column)
            ):
                graph.link(f"{kind.kind}:{item_id}", f"{target_kind}:{target_id}", edge)


def person_graph(person: Person) -> Graph:
    """A person, their units, their newest public outputs and the colleagues who co-wrote them,
    their public projects and datasets.

    At most eleven queries: positions with units, the outputs (capped), the co-authors' rows on
    them, the projects and the datasets (capped), then the rows linking those to the co-authors
    and to the units, outputs and projects shown (`_link_items`).
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
    for kind in NEIGHBOUR_ITEMS:
        registered = kind.content_type()
        if registered is not None:
            for item_id in _add_items(graph, kind, _bare(registered.items_of_person(person.pk))):
                graph.link(graph.centre.id, f"{kind.kind}:{item_id}", kind.person_edge)
    _link_items(graph, NEIGHBOUR_ITEMS, with_centre=False)
    return graph


def unit_graph(unit: OrgUnit) -> Graph:
    """A unit, the units below it, the persons holding positions there and their newest outputs,
    and the unit's public projects and datasets (as its page lists them).

    At most twelve queries: all units (few), positions (capped), outputs (capped), their authors'
    rows, the projects and the datasets (capped), the rows linking those to the persons, units,
    outputs and projects shown (`_link_items`).
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
    for kind in NEIGHBOUR_ITEMS:
        registered = kind.content_type()
        if registered is not None:
            _add_items(graph, kind, _bare(registered.items_of_units(below)))
    _link_items(graph, NEIGHBOUR_ITEMS, with_centre=True)
    # A dataset is the unit's through its creators' positions, and they may be beyond the
    # persons shown: an item linked to nothing else hangs on the unit itself.
    linked = {edge.source for edge in graph.edges} | {edge.target for edge in graph.edges}
    for kind in NEIGHBOUR_ITEMS:
        for node in graph.neighbours(kind.kind):
            if node.id not in linked:
                graph.link(node.id, graph.centre.id, "belongs to")
    return graph


def output_graph(output: ResearchOutput) -> Graph:
    """An output, its authors (colleagues linked to their profiles), its units and the public
    projects and datasets relating to it.

    At most eight queries: the authors (capped), the units (the managing one and the others),
    the projects and the datasets (capped), the rows linking those to the authors, units and
    projects shown (`_link_items`).
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
    _add_items_relating_to(graph, NEIGHBOUR_ITEMS, ResearchOutput, output.pk)
    _link_items(graph, NEIGHBOUR_ITEMS, with_centre=False)
    return graph


def _capped(rows: list[Any], limit: int, graph: Graph, note: str) -> list[Any]:
    if len(rows) > limit:
        graph.capped.append(note)
    return rows[:limit]


def item_graph(kind: ItemKind, item: Model) -> Graph:
    """An item (a project): the persons named on it, the units, public outputs and items it
    relates to, and the public items that relate to it (a project's datasets and impact).

    A project's costs at most ten queries: its persons (capped), its units, outputs (capped),
    the datasets and the impact relating to it (capped), the authorship rows between the
    persons and outputs shown, the rows linking the datasets and impact to the persons and
    outputs shown (`_link_items`).
    """
    model = type(item)
    graph = Graph(_item_node(kind, {"id": item.pk, "title": str(item)}, centre=True))
    people, column = _people(model)
    # Persons outside the university have a name and an organisation where the type allows them.
    outside = [n for n in ("name", "organisation") if n in {f.name for f in people._meta.fields}]
    rows = list(
        people._default_manager.filter(**{column: item.pk})
        .order_by("position", "id")
        .values("position", *outside, *(f"person__{n}" for n in _PERSON_FIELDS))[: MAX_PERSONS + 1]
    )
    note = f"only the first {MAX_PERSONS} {kind.people} are shown"
    for row in _capped(rows, MAX_PERSONS, graph, note):
        if row["person__id"] is not None:
            node = _person_node(row, "person__")
        else:
            name, organisation = row.get("name", ""), row.get("organisation", "")
            node = Node(
                id=f"external:{kind.kind}:{item.pk}:{row['position']}",
                kind="external",
                label=f"{name} ({organisation})" if organisation else name,
            )
        graph.add(node)
        graph.link(node.id, graph.centre.id, kind.person_edge)
    item_kinds = {other.model(): other for other in ITEM_KINDS}
    for relation in _relations(model):
        through, source, target_column = _columns(relation)
        related = through._default_manager.filter(**{source: item.pk}).values(target_column)
        target = relation.related_model
        if target is OrgUnit:
            units = list(
                OrgUnit.objects.filter(pk__in=related)
                .order_by("name", "pk")
                .values_list("id", "name", "slug")[: MAX_UNITS + 1]
            )
            note = f"only the first {MAX_UNITS} units are shown"
            for unit_id, name, slug in _capped(units, MAX_UNITS, graph, note):
                graph.add(_unit_node(unit_id, name, slug))
                graph.link(graph.centre.id, f"unit:{unit_id}", "belongs to")
        elif target is ResearchOutput:
            outputs = list(
                public_outputs()
                .filter(pk__in=related)
                .order_by(*_NEWEST_FIRST)
                .values(*_OUTPUT_FIELDS)[: MAX_OUTPUTS + 1]
            )
            note = f"only the {MAX_OUTPUTS} newest research outputs are shown"
            for output in _capped(outputs, MAX_OUTPUTS, graph, note):
                graph.add(_output_node(output))
                graph.link(graph.centre.id, f"output:{output['id']}", "related to")
        elif target in item_kinds:
            other = item_kinds[target]
            items = other.public()
            if items is not None:
                for item_id in _add_items(graph, other, items.filter(pk__in=related)):
                    graph.link(graph.centre.id, f"{other.kind}:{item_id}", "related to")
    _add_items_relating_to(graph, ITEM_KINDS, model, item.pk)
    persons, outputs_shown = _pks(graph, "person"), _pks(graph, "output")
    if persons and outputs_shown:
        for person_id, output_id in (
            Contributor.objects.filter(output_id__in=outputs_shown, person_id__in=persons)
            .order_by("output_id", "person_id")
            .values_list("person_id", "output_id")
        ):
            graph.link(f"person:{person_id}", f"output:{output_id}", "author of")
    _link_items(graph, ITEM_KINDS, with_centre=False)
    return graph
