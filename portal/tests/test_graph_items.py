"""'View graph of relations' with projects, datasets and impact: in the graphs of persons,
units and outputs, and a project's own graph; only what the public sees, from a fixed number of
queries, capped, and listed for readers without JavaScript.

The portal may not import the apps that provide these types: the tests reach their models
through the registry, as portal.graph does (`graph.PROJECTS.model()`).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from portal import content, graph
from portal.actions.owned import PersonEntry as Participant
from portal.actions.owned import do_create_owned_item
from portal.actions.validated import (
    PersonEntry,
    do_create_validated_item,
    do_update_validated_item,
)
from portal.actions.workflow import do_submit_for_validation, do_validate, do_withdraw
from portal.choices import OwnedItemStatus, Visibility, WorkflowStatus
from portal.models import OrgUnit, Person, ResearchOutput
from portal.models.owned import OwnedItem
from portal.models.validated import ValidatedItem
from portal.tests.fixtures import make_library_user, make_output, make_person, make_unit

pytestmark = pytest.mark.django_db


def labels(data: dict[str, Any], kind: str) -> set[str]:
    return {node["label"] for node in data["nodes"] if node["kind"] == kind}


def links(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    names = {node["id"]: node["label"] for node in data["nodes"]}
    return {(names[e["source"]], e["kind"], names[e["target"]]) for e in data["edges"]}


def validated_model(kind: graph.ItemKind) -> type[ValidatedItem]:
    model = kind.model()
    assert model is not None, f"the {kind.key} app is installed in the tests"
    assert issubclass(model, ValidatedItem)
    return model


def make_item(
    kind: graph.ItemKind,
    owner: Person,
    library: User,
    *,
    people: list[PersonEntry] | None = None,
    state: WorkflowStatus = WorkflowStatus.VALIDATED,
    **fields: Any,
) -> Any:
    """A project or dataset entered by its owner and, unless `state` says otherwise, validated."""
    defaults: dict[str, dict[str, Any]] = {
        "projects": {"start_date": datetime.date(2022, 9, 1)},
        "datasets": {"publisher": "CityU", "publication_date": datetime.date(2023, 1, 1)},
    }
    item = do_create_validated_item(
        validated_model(kind),
        owner,
        {**defaults[kind.key], **fields},
        people or [PersonEntry(owner, role="Principal investigator")],
        acting_user=None,
    )
    if state != WorkflowStatus.ENTRY_IN_PROGRESS:
        do_submit_for_validation(item, acting_user=library)
    if state in (WorkflowStatus.VALIDATED, WorkflowStatus.WITHDRAWN):
        do_validate(item, acting_user=library)
    if state == WorkflowStatus.WITHDRAWN:
        do_withdraw(item, acting_user=library)
    return item


def make_impact(owner: Person, *, public: bool = True, **relations: Any) -> Any:
    fields = {
        "title": relations.pop("title", "Faster inter-library loans"),
        "description": "Readers wait days, not weeks.",
        "start_date": datetime.date(2024, 1, 1),
        "status": OwnedItemStatus.PUBLIC if public else OwnedItemStatus.DRAFT,
        **relations,
    }
    model = graph.IMPACTS.model()
    assert model is not None, "the impacts app is installed in the tests"
    assert issubclass(model, OwnedItem)
    return do_create_owned_item(
        model, owner, fields, [Participant(owner, "Lead")], acting_user=None
    )


@pytest.fixture
def library() -> User:
    return make_library_user()


@pytest.fixture
def unit() -> OrgUnit:
    return make_unit("Run Run Shaw Library")


@pytest.fixture
def chris(unit: OrgUnit) -> Person:
    return make_person("Chris", "WONG", unit=unit, known_as="Chris WONG - demo")


@pytest.fixture
def mei(unit: OrgUnit) -> Person:
    return make_person("Mei", "LAM", unit=make_unit("Systems Division", parent=unit))


@pytest.fixture
def shared(chris: Person, mei: Person) -> ResearchOutput:
    return make_output(chris, mei, title="Interlending", year=2006)


@pytest.fixture
def hkall(chris: Person, mei: Person, unit: OrgUnit, shared: ResearchOutput, library: User) -> Any:
    """Chris's validated project with Mei, his unit and their output."""
    return make_item(
        graph.PROJECTS,
        chris,
        library,
        title="HKALL",
        people=[
            PersonEntry(chris, role="Principal investigator"),
            PersonEntry(mei, role="Co-investigator"),
            PersonEntry(None, "Jane DOE", "University of Oxford", "Co-investigator"),
        ],
        units=[unit],
        related_outputs=[shared],
    )


@pytest.fixture
def loans(chris: Person, shared: ResearchOutput, hkall: Any, library: User) -> Any:
    """Chris's validated dataset from the project and the output."""
    return make_item(
        graph.DATASETS,
        chris,
        library,
        title="Loan records",
        people=[PersonEntry(chris, role="Creator")],
        related_outputs=[shared],
        projects=[hkall],
    )


def test_a_person_graph_holds_their_public_projects_and_datasets(
    client, chris, mei, unit, shared, hkall, loans, library
):
    # given: projects the public does not see, and one Chris is not named on
    make_item(graph.PROJECTS, chris, library, title="Draft", state=WorkflowStatus.RETURNED)
    make_item(graph.PROJECTS, chris, library, title="Gone", state=WorkflowStatus.WITHDRAWN)
    make_item(graph.DATASETS, chris, library, title="Waiting", state=WorkflowStatus.FOR_VALIDATION)
    make_item(graph.PROJECTS, make_person("Other", "ONE"), library, title="Not his")
    # when
    data = client.get(reverse("portal:person-graph-json", args=[chris.slug])).json()
    # then
    assert labels(data, "project") == {"HKALL"}
    assert labels(data, "dataset") == {"Loan records"}
    assert {
        ("Chris WONG - demo", "participant in", "HKALL"),
        ("Mei LAM", "participant in", "HKALL"),
        ("HKALL", "belongs to", "Run Run Shaw Library"),
        ("HKALL", "related to", "Interlending (2006)"),
        ("Chris WONG - demo", "creator of", "Loan records"),
        ("Loan records", "related to", "Interlending (2006)"),
        ("Loan records", "related to", "HKALL"),
    } <= links(data)
    urls = {node["label"]: node["url"] for node in data["nodes"]}
    assert urls["HKALL"] == reverse("projects:detail", args=[hkall.pk])
    assert urls["Loan records"] == reverse("datasets:detail", args=[loans.pk])


def test_the_person_graph_costs_at_most_twelve_queries_however_many_items(
    client, chris, mei, hkall, loans, library, monkeypatch, django_assert_num_queries
):
    # given: more projects than the (lowered) cap, each with the co-author, unit and output
    monkeypatch.setattr(graph, "MAX_ITEMS", 2)
    for number in range(3):
        make_item(
            graph.PROJECTS,
            chris,
            library,
            title=f"Project {number}",
            people=[PersonEntry(chris), PersonEntry(mei)],
            start_date=datetime.date(2010 + number, 1, 1),
        )
    # when / then: person, positions, outputs, co-authors' rows, projects, datasets, and the
    # rows linking projects and datasets to the co-authors, units, outputs and projects
    with django_assert_num_queries(12):
        response = client.get(reverse("portal:person-graph-json", args=[chris.slug]))
    data = response.json()
    assert labels(data, "project") == {"HKALL", "Project 2"}  # the newest two
    assert "only the 2 newest projects are shown" in data["capped"]


def test_a_person_without_projects_or_datasets_costs_two_more_queries(
    client, chris, mei, shared, django_assert_num_queries
):
    # when / then: the four of before, and one each for projects and datasets
    with django_assert_num_queries(6):
        response = client.get(reverse("portal:person-graph-json", args=[chris.slug]))
    assert labels(response.json(), "person") == {"Chris WONG - demo", "Mei LAM"}


def test_a_unit_graph_holds_its_projects_and_datasets(
    client, chris, unit, hkall, loans, library, django_assert_num_queries
):
    # given: a project of another unit
    elsewhere = make_unit("Elsewhere")
    make_item(graph.PROJECTS, make_person("Far", "AWAY", unit=elsewhere), library, title="Away")
    # when: unit, all units, positions, outputs, authors' rows, projects, datasets, the links
    with django_assert_num_queries(13):
        response = client.get(reverse("portal:unit-graph-json", args=[unit.slug]))
    # then
    data = response.json()
    assert labels(data, "project") == {"HKALL"}
    assert labels(data, "dataset") == {"Loan records"}
    assert {
        ("HKALL", "belongs to", "Run Run Shaw Library"),
        ("Chris WONG - demo", "participant in", "HKALL"),
        ("Mei LAM", "participant in", "HKALL"),
        ("Chris WONG - demo", "creator of", "Loan records"),
        ("Loan records", "related to", "HKALL"),
    } <= links(data)


def test_an_item_beyond_the_persons_shown_hangs_on_the_unit(
    client, chris, unit, library, monkeypatch
):
    # given: the graph shows one person (Chris, first by name), Zoe's dataset is the unit's too
    monkeypatch.setattr(graph, "MAX_PERSONS", 1)
    zoe = make_person("Zoe", "ZHANG", unit=unit)
    make_item(graph.DATASETS, zoe, library, title="Zoe's data")
    # when
    data = client.get(reverse("portal:unit-graph-json", args=[unit.slug])).json()
    # then
    assert labels(data, "person") == {"Chris WONG - demo"}
    assert ("Zoe's data", "belongs to", "Run Run Shaw Library") in links(data)


def test_an_output_graph_holds_the_projects_and_datasets_relating_to_it(
    client, chris, unit, shared, hkall, loans, library, django_assert_num_queries
):
    # given: the output in the project's unit, and a project relating to the output that the
    # public does not see
    shared.units.add(unit)
    make_item(
        graph.PROJECTS,
        chris,
        library,
        title="Hidden",
        related_outputs=[shared],
        state=WorkflowStatus.FOR_VALIDATION,
    )
    # when: output, authors, units, projects, datasets, the rows linking them to the authors,
    # units and projects shown
    with django_assert_num_queries(9):
        response = client.get(reverse("portal:output-graph-json", args=[shared.pk]))
    # then
    data = response.json()
    assert labels(data, "project") == {"HKALL"}
    assert labels(data, "dataset") == {"Loan records"}
    assert {
        ("HKALL", "related to", "Interlending (2006)"),
        ("Loan records", "related to", "Interlending (2006)"),
        ("Loan records", "related to", "HKALL"),
        ("HKALL", "belongs to", "Run Run Shaw Library"),
        ("Chris WONG - demo", "participant in", "HKALL"),
        ("Mei LAM", "participant in", "HKALL"),
        ("Chris WONG - demo", "creator of", "Loan records"),
    } <= links(data)
    assert labels(data, "project") == {"HKALL"}


def test_a_project_graph_holds_participants_units_outputs_datasets_and_impact(
    client, chris, mei, unit, shared, hkall, loans, library, django_assert_num_queries
):
    # given: what the public does not see relates to the project too
    hidden_output = make_output(chris, title="Campus only", visibility=Visibility.CAMPUS)
    hkall.related_outputs.add(hidden_output)
    make_item(
        graph.DATASETS,
        chris,
        library,
        title="Unchecked",
        projects=[hkall],
        state=WorkflowStatus.RETURNED,
    )
    make_impact(chris, title="Faster loans", related_projects=[hkall], related_outputs=[shared])
    make_impact(chris, title="Draft impact", public=False, related_projects=[hkall])
    # when: project, persons, units, outputs, datasets, impact, authorship rows, the rows
    # linking datasets and impact to the persons and outputs shown
    with django_assert_num_queries(11):
        response = client.get(reverse("portal:project-graph-json", args=[hkall.pk]))
    # then
    data = response.json()
    assert data["centre"] == f"project:{hkall.pk}"
    assert labels(data, "person") == {"Chris WONG - demo", "Mei LAM"}
    assert labels(data, "external") == {"Jane DOE (University of Oxford)"}
    assert labels(data, "unit") == {"Run Run Shaw Library"}
    assert labels(data, "output") == {"Interlending (2006)"}
    assert labels(data, "dataset") == {"Loan records"}
    assert labels(data, "impact") == {"Faster loans"}
    assert links(data) == {
        ("Chris WONG - demo", "participant in", "HKALL"),
        ("Mei LAM", "participant in", "HKALL"),
        ("Jane DOE (University of Oxford)", "participant in", "HKALL"),
        ("HKALL", "belongs to", "Run Run Shaw Library"),
        ("HKALL", "related to", "Interlending (2006)"),
        ("Loan records", "related to", "HKALL"),
        ("Faster loans", "related to", "HKALL"),
        ("Chris WONG - demo", "author of", "Interlending (2006)"),
        ("Mei LAM", "author of", "Interlending (2006)"),
        ("Chris WONG - demo", "creator of", "Loan records"),
        ("Loan records", "related to", "Interlending (2006)"),
        ("Chris WONG - demo", "participant in", "Faster loans"),
        ("Faster loans", "related to", "Interlending (2006)"),
    }
    assert data["capped"] == []


def test_the_project_graph_page_lists_every_kind_and_is_linked_from_the_project(
    client, chris, hkall, loans
):
    # given
    make_impact(chris, title="Faster <b>loans</b>", related_projects=[hkall])
    detail = client.get(reverse("projects:detail", args=[hkall.pk])).content.decode()
    graph_url = reverse("portal:project-graph", args=[hkall.pk])
    # when
    response = client.get(graph_url)
    # then: the link on the project's page, the lists and legend for every kind shown
    page = response.content.decode()
    assert f'<a href="{graph_url}">View graph of relations</a>' in detail
    assert response.status_code == 200
    assert "Graph of relations: HKALL" in page
    for heading in ("Researchers (2)", "Persons outside the university (1)", "Research units (1)"):
        assert f"<h3>{heading}</h3>" in page
    for heading in ("Research output (1)", "Datasets (1)", "Impact (1)"):
        assert f"<h3>{heading}</h3>" in page
    assert f'href="{reverse("datasets:detail", args=[loans.pk])}">Loan records</a>' in page
    assert "Faster &lt;b&gt;loans&lt;/b&gt;" in page
    assert "<b>loans</b>" not in page
    assert 'Loan records <span class="muted">related to</span> HKALL' in page
    assert 'class="relation-graph__key relation-graph__key--impact">Impact</li>' in page
    assert f'href="{reverse("portal:project-graph-json", args=[hkall.pk])}"' in page


def test_a_project_graph_is_capped_and_says_so(client, chris, library, monkeypatch):
    # given: caps lowered so the test stays small
    monkeypatch.setattr(graph, "MAX_PERSONS", 2)
    monkeypatch.setattr(graph, "MAX_OUTPUTS", 1)
    team = [PersonEntry(make_person("Member", f"NUMBER{n}")) for n in range(3)]
    outputs = [make_output(chris, title=f"Output {year}", year=year) for year in (2001, 2002)]
    project = make_item(
        graph.PROJECTS, chris, library, title="Big", people=team, related_outputs=outputs
    )
    # when
    data = client.get(reverse("portal:project-graph-json", args=[project.pk])).json()
    page = client.get(reverse("portal:project-graph", args=[project.pk])).content.decode()
    # then
    assert labels(data, "person") == {"Member NUMBER0", "Member NUMBER1"}
    assert labels(data, "output") == {"Output 2002 (2002)"}
    assert "Only the first 2 participants are shown." in page
    assert "Only the 1 newest research outputs are shown." in page


def test_graphs_of_projects_the_public_does_not_see_are_404(client, chris, library):
    # given
    hidden = [
        make_item(graph.PROJECTS, chris, library, title="Draft", state=state)
        for state in (
            WorkflowStatus.ENTRY_IN_PROGRESS,
            WorkflowStatus.FOR_VALIDATION,
            WorkflowStatus.RETURNED,
            WorkflowStatus.WITHDRAWN,
        )
    ]
    # when
    answers = [
        client.get(reverse(name, args=[project.pk]))
        for project in hidden
        for name in ("portal:project-graph", "portal:project-graph-json")
    ]
    answers.append(client.get(reverse("portal:project-graph-json", args=[987654321])))
    answers.append(client.get("/projects/not-a-number/graph.json"))
    # then
    assert [answer.status_code for answer in answers] == [404] * 10


def test_the_project_preview_has_no_graph_link(chris, library):
    # given: a project waiting for the Library, seen by its researcher
    project = make_item(
        graph.PROJECTS, chris, library, title="Waiting", state=WorkflowStatus.FOR_VALIDATION
    )
    client = Client()
    assert chris.user is not None
    client.force_login(chris.user)
    # when
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    # then
    assert "Waiting" in page
    assert "View graph of relations" not in page


@pytest.fixture
def without_projects_and_datasets() -> Iterator[None]:
    """The portal as deployed without the projects and datasets apps' types."""
    kept = [content.get(key) for key in ("projects", "datasets")]
    for key in ("projects", "datasets"):
        content.unregister(key)
    yield
    for registered in kept:
        if registered is not None:
            content.register(registered)


def test_graphs_leave_out_types_not_installed(
    client, chris, hkall, loans, without_projects_and_datasets
):
    # when
    data = client.get(reverse("portal:person-graph-json", args=[chris.slug])).json()
    answer = client.get(reverse("portal:project-graph-json", args=[hkall.pk]))
    # then
    assert {node["kind"] for node in data["nodes"]} == {"person", "unit", "output"}
    assert answer.status_code == 404


def test_the_project_json_block_survives_hostile_titles(client, chris, library):
    # given: a title that would close the script element if it were not escaped
    project = make_item(graph.PROJECTS, chris, library, title="</script><script>alert(1)</script>")
    # when
    page = client.get(reverse("portal:project-graph", args=[project.pk])).content.decode()
    # then
    block = page.split('<script id="relation-graph-data" type="application/json">')[1]
    data = json.loads(block.split("</script>")[0])
    assert data["nodes"][0]["label"] == "</script><script>alert(1)</script>"


# The cached JSON (portal.caching's generations): a graph never shows a project or dataset as
# it was before it was validated, corrected or withdrawn.


def cached_json(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def graph_urls(*persons: Person, unit: OrgUnit, output: ResearchOutput) -> list[str]:
    return [
        *(reverse("portal:person-graph-json", args=[person.slug]) for person in persons),
        reverse("portal:unit-graph-json", args=[unit.slug]),
        reverse("portal:output-graph-json", args=[output.pk]),
    ]


def test_a_project_validated_shows_in_every_cached_graph(
    client, chris, mei, unit, shared, library, django_assert_num_queries
):
    # given: a submitted project, and the graphs cached while it waits
    project = make_item(
        graph.PROJECTS,
        chris,
        library,
        title="HKALL",
        people=[PersonEntry(chris), PersonEntry(mei)],
        units=[unit],
        related_outputs=[shared],
        state=WorkflowStatus.FOR_VALIDATION,
    )
    urls = graph_urls(chris, mei, unit=unit, output=shared)
    before = [cached_json(client, url) for url in urls]
    with django_assert_num_queries(1):  # the person's lookup: the rest from the cache
        assert cached_json(client, urls[0]) == before[0]
    # when
    do_validate(project, acting_user=library)
    # then
    for url, old in zip(urls, before, strict=True):
        assert "HKALL" not in old
        assert "HKALL" in cached_json(client, url), url


def test_a_corrected_or_withdrawn_project_changes_every_cached_graph(
    client, chris, mei, unit, shared, hkall, loans, library
):
    # given: the graphs cached with the project
    urls = graph_urls(chris, mei, unit=unit, output=shared)
    own = reverse("portal:project-graph-json", args=[hkall.pk])
    own_page = reverse("portal:project-graph", args=[hkall.pk])
    for url in [*urls, own]:
        assert '"HKALL"' in cached_json(client, url)
    assert "<h1>Graph of relations: HKALL</h1>" in cached_json(client, own_page)
    # when the Library corrects its title
    do_update_validated_item(hkall, {"title": "HKALL II"}, acting_user=library)
    # then: the JSON and the page (which reads the same cached graph)
    for url in [*urls, own]:
        page = cached_json(client, url)
        assert '"HKALL II"' in page, url
        assert '"HKALL"' not in page, url
    assert "<h1>Graph of relations: HKALL II</h1>" in cached_json(client, own_page)
    # when the Library withdraws it
    do_withdraw(hkall, acting_user=library)
    # then
    for url in urls:
        assert "HKALL" not in cached_json(client, url), url
    assert client.get(own).status_code == 404
    assert client.get(own_page).status_code == 404


def test_a_dataset_validated_or_withdrawn_changes_the_projects_cached_graph(
    client, chris, hkall, library
):
    # given: the project's graph cached, a dataset of it waiting for the Library
    url = reverse("portal:project-graph-json", args=[hkall.pk])
    dataset = make_item(
        graph.DATASETS,
        chris,
        library,
        title="Loan records",
        projects=[hkall],
        state=WorkflowStatus.FOR_VALIDATION,
    )
    assert "Loan records" not in cached_json(client, url)
    # when / then
    do_validate(dataset, acting_user=library)
    assert "Loan records" in cached_json(client, url)
    do_withdraw(dataset, acting_user=library)
    assert "Loan records" not in cached_json(client, url)


def test_a_person_named_on_a_project_later_sees_it_in_their_cached_graph(
    client, chris, hkall, library
):
    # given: a colleague's graph cached before the Library names her on the project
    zoe = make_person("Zoe", "ZHANG")
    url = reverse("portal:person-graph-json", args=[zoe.slug])
    assert "HKALL" not in cached_json(client, url)
    people = [
        PersonEntry(row.person, row.name, row.organisation, row.role) for row in hkall.people_rows()
    ]
    # when
    do_update_validated_item(
        hkall, {}, [*people, PersonEntry(zoe, role="Researcher")], acting_user=library
    )
    # then
    assert "HKALL" in cached_json(client, url)
