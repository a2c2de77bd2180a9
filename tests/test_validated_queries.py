"""The public pages of projects, datasets and student theses read a bounded number of queries,
however many items, persons and relations there are (pinned: a change shows up here)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from datasets.models import Dataset
from portal.actions.validated import PersonEntry, do_create_validated_item
from portal.actions.workflow import do_submit_for_validation, do_validate
from portal.models import Person
from portal.models.validated import ValidatedItem
from portal.tests.fixtures import make_output, make_person
from projects.models import Project
from theses.models import Thesis

pytestmark = pytest.mark.django_db

# (model, list address, queries of the list page, queries of a detail page)
PINS: list[tuple[type[ValidatedItem], str, int, int]] = [
    (Project, "/projects/", 3, 6),
    (Dataset, "/datasets/", 3, 5),
    (Thesis, "/theses/", 3, 3),
]


def values_for(model: type[ValidatedItem], person: Person, number: int) -> dict[str, Any]:
    unit = person.positions.get().org_unit
    if model is Project:
        output = make_output(person, title=f"Output {number}")
        return {
            "start_date": datetime.date(2022, 1, 1),
            "units": [unit],
            "related_outputs": [output],
        }
    if model is Dataset:
        return {
            "publisher": "CityU",
            "publication_date": datetime.date(2024, 1, 1),
            "doi": f"10.5061/dryad.q{number}",
        }
    return {
        "student_name": "LEE Siu Ming",
        "degree": "phd",
        "award_date": datetime.date(2020, 1, 1),
        "awarding_unit": unit,
    }


def add_items(model: type[ValidatedItem], count: int) -> ValidatedItem:
    item: ValidatedItem | None = None
    for number in range(count):
        owner, colleague = make_person(), make_person("Mary", "CHAN")
        people = [PersonEntry(owner, role="Lead"), PersonEntry(colleague)]
        if model is not Thesis:
            people.append(PersonEntry(None, "Jane DOE", "Oxford", "Co-investigator"))
        item = do_create_validated_item(
            model,
            owner,
            {"title": f"Item {number}", **values_for(model, owner, number)},
            people,
            acting_user=None,
        )
        do_submit_for_validation(item, acting_user=None)
        do_validate(item, acting_user=None)
    assert item is not None
    return item


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("model", "url", "list_queries", "detail_queries"), PINS)
def test_list_and_detail_pages_read_a_pinned_number_of_queries(
    model: type[ValidatedItem], url: str, list_queries: int, detail_queries: int
) -> None:
    client = Client()
    item = add_items(model, 2)
    few = (queries(client, url), queries(client, item.get_absolute_url()))
    item = add_items(model, 6)
    many = (queries(client, url), queries(client, item.get_absolute_url()))
    assert few == many
    assert many == (list_queries, detail_queries)
