"""Projects through the pages: a researcher enters one, the Library validates it, the public
sees it; bad input is refused with everything else kept."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from portal.choices import WorkflowStatus
from portal.models import AuditEntry, Person
from portal.tests.fixtures import make_library_user, make_output, make_person, make_unit
from projects.models import Project, ProjectComment, ProjectStatus

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_data(**changes: str) -> dict[str, str]:
    return {
        "title": "HKALL next generation",
        "acronym": "HKALL-NG",
        "start_date": "2023-01-01",
        "end_date": "2025-12-31",
        "funder": "Research Grants Council",
        "grant_number": "CityU 11200123",
        "description": "Resource sharing across eight libraries.",
        "people": "",
        "related_outputs": "",
        "action": "save",
        **changes,
    }


def enter(person: Person, **changes: str) -> Project:
    assert person.user is not None
    data = {"people": f"{person.slug}, Principal investigator", **changes}
    response = client_for(person.user).post(reverse("projects:add"), form_data(**data))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Project.objects.latest("pk")


def test_a_project_goes_from_entry_to_the_public_list() -> None:
    # given
    chris = make_person()
    output = make_output(chris, title="Interlending in Hong Kong")
    library = make_library_user()
    # when the researcher enters and submits it
    project = enter(
        chris,
        related_outputs=str(output.pk),
        people=(
            f"{chris.slug}, Principal investigator\n"
            "Jane DOE (University of Oxford), Co-investigator"
        ),
        action="submit",
    )
    # then it waits for the Library and is not public
    assert project.workflow_status == WorkflowStatus.FOR_VALIDATION
    assert [row.display_name for row in project.people_rows()] == [
        chris.display_name,
        "Jane DOE (University of Oxford)",
    ]
    assert client_for(None).get(project.get_absolute_url()).status_code == 404
    queue = client_for(library).get(reverse("projects:queue"))
    assert project.title in queue.content.decode()
    console = client_for(library).get(reverse("portal:library-console")).content.decode()
    assert "Projects: For validation</a> (1)" in console
    # when the Library validates it
    response = client_for(library).post(reverse("projects:validate", args=[project.pk]))
    # then
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.workflow_status == WorkflowStatus.VALIDATED
    page = client_for(None).get(project.get_absolute_url()).content.decode()
    assert "HKALL-NG" in page
    assert "Interlending in Hong Kong" in page
    assert "Jane DOE" in page
    listing = client_for(None).get(reverse("projects:list")).content.decode()
    assert project.title in listing
    profile = client_for(None).get(chris.get_absolute_url()).content.decode()
    assert project.title in profile
    actions = list(
        AuditEntry.objects.filter(target_type="projects.project", target_id=str(project.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "update"]


def test_the_library_returns_a_project_with_a_comment_and_the_researcher_sees_it() -> None:
    chris = make_person()
    library = make_library_user()
    project = enter(chris, action="submit")
    # an empty comment is refused and nothing moves
    response = client_for(library).post(
        reverse("projects:return", args=[project.pk]), {"comment": "  "}
    )
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.workflow_status == WorkflowStatus.FOR_VALIDATION
    client_for(library).post(
        reverse("projects:return", args=[project.pk]), {"comment": "Add the grant's end date."}
    )
    project.refresh_from_db()
    assert project.workflow_status == WorkflowStatus.RETURNED
    assert ProjectComment.objects.get(item=project).text == "Add the grant's end date."
    assert chris.user is not None
    page = client_for(chris.user).get(project.get_absolute_url()).content.decode()
    assert "Add the grant&#x27;s end date." in page
    assert "Returned" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "required"),
        ({"start_date": "2023-02-30"}, "start_date", "valid date"),
        ({"end_date": "2022-01-01"}, "end_date", "before the start date"),
        ({"people": "nobody-here-99"}, "people", "no researcher has this profile"),
        ({"people": "<script>alert(1)</script>"}, "people", "neither a researcher"),
        ({"people": "Jane DOE (Oxford), " + "r" * 101}, "people", "at most 100"),
        ({"related_outputs": "999999"}, "related_outputs", "no such research output"),
        ({"related_outputs": "'; DROP TABLE x; --"}, "related_outputs", "number or address"),
        ({"acronym": "a" * 51}, "acronym", "at most 50"),
        ({"units": "99999"}, "units", "valid choice"),
    ],
)
def test_bad_input_is_refused_and_everything_else_kept(
    changes: dict[str, str], field: str, message: str
) -> None:
    chris = make_person()
    assert chris.user is not None
    data = form_data(**{"people": chris.slug, **changes})
    response = client_for(chris.user).post(reverse("projects:add"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert Project.objects.count() == 0
    page = response.content.decode()
    for name in ("funder", "grant_number"):
        if name != field:
            assert data[name] in page


def test_a_stranger_cannot_edit_submit_or_validate() -> None:
    chris = make_person()
    stranger = make_person("Mary", "CHAN")
    project = enter(chris)
    assert stranger.user is not None
    client = client_for(stranger.user)
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 403
    assert client.post(reverse("projects:submit", args=[project.pk])).status_code == 403
    assert client.post(reverse("projects:validate", args=[project.pk])).status_code in (302, 403)
    project.refresh_from_db()
    assert project.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
    assert client.get(project.get_absolute_url()).status_code == 404


def test_a_validated_project_is_the_librarys_to_change() -> None:
    chris = make_person()
    library = make_library_user()
    project = enter(chris, action="submit")
    client_for(library).post(reverse("projects:validate", args=[project.pk]))
    assert chris.user is not None
    researcher = client_for(chris.user)
    assert researcher.get(reverse("projects:edit", args=[project.pk])).status_code == 403
    researcher.post(reverse("projects:change", args=[project.pk]), {"comment": "New grant no."})
    project.refresh_from_db()
    assert project.change_requested
    console = client_for(library)
    response = console.post(
        reverse("projects:edit", args=[project.pk]),
        form_data(people=chris.slug, grant_number="CityU 999"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.grant_number == "CityU 999"
    assert project.workflow_status == WorkflowStatus.VALIDATED


def test_bulk_validation_is_all_or_nothing() -> None:
    chris = make_person()
    library = make_library_user()
    first = enter(chris, action="submit")
    second = enter(chris, title="Second")
    client = client_for(library)
    client.post(reverse("projects:queue"), {"item": [str(first.pk), str(second.pk)]})
    first.refresh_from_db()
    assert first.workflow_status == WorkflowStatus.FOR_VALIDATION
    client.post(reverse("projects:queue"), {"item": [str(first.pk)]})
    first.refresh_from_db()
    assert first.workflow_status == WorkflowStatus.VALIDATED
    response = client.post(reverse("projects:queue"), {"item": ["x1"]})
    assert response.status_code == 302


def test_the_status_follows_the_period() -> None:
    project = Project(start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 12, 31))
    assert project.status_on(datetime.date(2023, 12, 31)) == ProjectStatus.NOT_STARTED
    assert project.status_on(datetime.date(2024, 6, 1)) == ProjectStatus.RUNNING
    assert project.status_on(datetime.date(2025, 1, 1)) == ProjectStatus.FINISHED
    open_ended = Project(start_date=datetime.date(2024, 1, 1))
    assert open_ended.status_on(datetime.date(2090, 1, 1)) == ProjectStatus.RUNNING


def test_unit_pages_count_the_units_projects() -> None:
    unit = make_unit("Department of Computer Science")
    chris = make_person(unit=unit)
    library = make_library_user()
    project = enter(chris, units=str(unit.pk), action="submit")
    client_for(library).post(reverse("projects:validate", args=[project.pk]))
    page = client_for(None).get(unit.get_absolute_url()).content.decode()
    assert project.title in page
    listing = client_for(None).get(reverse("projects:list") + f"?unit={unit.slug}")
    assert project.title in listing.content.decode()
