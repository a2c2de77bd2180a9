"""Demo content of projects, datasets and student theses: built by `seed-demo`, deterministic,
in every workflow state, scaling with --persons and --outputs, Chris WONG's project on his
profile, removed by --reset."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from datasets.models import Dataset
from portal.choices import WorkflowStatus
from portal.models.validated import ValidatedItem
from portal.owned_demo import DEMO_ORGANIZATION_IDS, ORGANIZATION_IDS_FILE
from portal.tests.fixtures import seed_portal_demo
from projects.models import Project
from theses.models import Thesis

pytestmark = pytest.mark.django_db(databases="__all__")
MODELS: tuple[type[ValidatedItem], ...] = (Project, Dataset, Thesis)


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> None:
    """The demo's hand-over files (its organisations' ORCID ids) go to the test's own folder."""
    settings.VAR_DIR = tmp_path


def test_seed_demo_hands_over_the_organisation_ids(tmp_path: Path) -> None:
    # when
    seed_portal_demo(tmp_path, persons=40)
    # then: the ids of Chris's funder and prize's organisation, for the ORCID export
    handed = json.loads((tmp_path / ORGANIZATION_IDS_FILE).read_text(encoding="utf-8"))
    assert handed == DEMO_ORGANIZATION_IDS
    chris_project = Project.objects.get(owner__slug="chris-wong-demo", acronym="HKALL")
    assert chris_project.funder in handed
    assert handed["University of Hong Kong"]["id"] == "https://ror.org/02zhqgq86"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for model in MODELS:
        for row in model._default_manager.order_by("pk").values_list(
            "pk", "title", "owner_id", "workflow_status"
        ):
            digest.update(repr(row).encode())
        people = model.people_model()._default_manager.order_by("pk")
        for person_row in people.values_list("person_id", "name", "role", "position"):
            digest.update(repr(person_row).encode())
    for link in Project.related_outputs.through.objects.order_by("pk").values_list(
        "project_id", "researchoutput_id"
    ):
        digest.update(repr(link).encode())
    return digest.hexdigest()


def test_seed_demo_builds_the_three_types_and_chris_shows_his_project(
    tmp_path: Path, client: Client
) -> None:
    output = seed_portal_demo(tmp_path, persons=40)
    assert "demo items from projects.demo" in output
    for model in MODELS:
        states = set(model._default_manager.values_list("workflow_status", flat=True))
        assert WorkflowStatus.VALIDATED in states
        assert WorkflowStatus.FOR_VALIDATION in states
    chris_project = Project.objects.get(owner__slug="chris-wong-demo", acronym="HKALL")
    assert chris_project.workflow_status == WorkflowStatus.VALIDATED
    assert chris_project.related_outputs.exists()
    profile = client.get("/persons/chris-wong-demo/").content.decode()
    assert chris_project.title in profile
    page = client.get(chris_project.get_absolute_url()).content.decode()
    assert "UGC/IDS(C)11/E01/22" in page
    for url in ("/projects/", "/datasets/", "/theses/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "0 " not in response.content.decode().split('result-count">')[1][:3]


def test_seed_demo_is_deterministic_scales_and_resets(tmp_path: Path) -> None:
    seed_portal_demo(tmp_path, persons=40)
    first = fingerprint()
    small = Project.objects.count()
    seed_portal_demo(tmp_path, "--reset", persons=40)
    assert fingerprint() == first
    seed_portal_demo(tmp_path, "--reset", persons=80)
    assert Project.objects.count() > small
    assert Thesis.objects.count() == 10
