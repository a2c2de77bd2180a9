"""Datasets: the DOI checked by `identifiers`, creators in order, related outputs and projects."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from datasets.models import Dataset
from portal.actions.validated import PersonEntry, do_create_validated_item
from portal.actions.workflow import do_submit_for_validation, do_validate
from portal.choices import WorkflowStatus
from portal.tests.fixtures import make_library_user, make_output, make_person
from projects.models import Project

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_data(**changes: str) -> dict[str, str]:
    return {
        "title": "HKALL loan records 2020-2024",
        "doi": "10.5061/dryad.hkall2024",
        "publisher": "CityU Scholars",
        "publication_date": "2024-05-01",
        "licence": "cc-by",
        "description": "",
        "people": "",
        "related_outputs": "",
        "projects": "",
        "action": "save",
        **changes,
    }


def validated_project(owner_slug: str) -> Project:
    owner = make_person()
    project = do_create_validated_item(
        Project,
        owner,
        {"title": "HKALL", "start_date": datetime.date(2023, 1, 1)},
        [PersonEntry(owner, role="PI")],
        acting_user=None,
    )
    do_submit_for_validation(project, acting_user=None)
    do_validate(project, acting_user=None)
    return project


def test_a_dataset_with_creators_outputs_and_projects_reaches_the_public() -> None:
    chris = make_person()
    assert chris.user is not None
    output = make_output(chris, title="Interlending in Hong Kong")
    project = validated_project(chris.slug)
    response = client_for(chris.user).post(
        reverse("datasets:add"),
        form_data(
            doi="https://doi.org/10.5061/DRYAD.HKALL2024",
            people=f"Ann LEE (HKU), Data curator\n{chris.slug}",
            related_outputs=f"/outputs/{output.pk}/",
            projects=str(project.pk),
            action="submit",
        ),
    )
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.doi == "10.5061/dryad.hkall2024"
    assert [row.display_name for row in dataset.people_rows()] == [
        "Ann LEE (HKU)",
        chris.display_name,
    ]
    do_validate(dataset, acting_user=make_library_user())
    page = client_for(None).get(dataset.get_absolute_url()).content.decode()
    assert "https://doi.org/10.5061/dryad.hkall2024" in page
    assert "Interlending in Hong Kong" in page
    assert "HKALL" in page
    project_page = client_for(None).get(project.get_absolute_url()).content.decode()
    assert dataset.title in project_page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"doi": "10.abc/x"}, "doi", "DOI"),
        ({"doi": "not a doi"}, "doi", "DOI"),
        ({"doi": "10.5061/" + "x" * 300}, "doi", ""),
        ({"publisher": ""}, "publisher", "required"),
        ({"publication_date": "2024-13-01"}, "publication_date", "valid date"),
        ({"licence": "wtfpl"}, "licence", "valid choice"),
        ({"projects": "12345"}, "projects", "no such validated project"),
        ({"people": "Madonna"}, "people", "no researcher has this profile"),
    ],
)
def test_bad_input_is_refused_and_everything_else_kept(
    changes: dict[str, str], field: str, message: str
) -> None:
    chris = make_person()
    assert chris.user is not None
    data = form_data(**{"people": chris.slug, **changes})
    response = client_for(chris.user).post(reverse("datasets:add"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert errors
    assert Dataset.objects.count() == 0
    assert "CityU Scholars" in response.content.decode() or field == "publisher"


def test_an_unvalidated_project_cannot_be_linked() -> None:
    chris = make_person()
    assert chris.user is not None
    draft = do_create_validated_item(
        Project,
        chris,
        {"title": "Draft", "start_date": datetime.date(2023, 1, 1)},
        [PersonEntry(chris)],
        acting_user=chris.user,
    )
    response = client_for(chris.user).post(
        reverse("datasets:add"), form_data(people=chris.slug, projects=str(draft.pk))
    )
    assert "no such validated project" in " ".join(response.context["form"].errors["projects"])
    assert draft.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
