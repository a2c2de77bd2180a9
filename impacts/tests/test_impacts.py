"""What is particular to impact: the description, the period and the related outputs."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from impacts.forms import ImpactForm, parse_outputs
from impacts.models import Impact
from portal.actions.owned import PersonEntry, do_create_owned_item, do_update_owned_item
from portal.choices import WorkflowStatus
from portal.models import AuditEntry
from portal.tests.fixtures import make_output, make_person
from projects.models import Project

pytestmark = pytest.mark.django_db


def form_data(**changes: str) -> dict[str, str]:
    return {
        "title": "Shared borrowing",
        "description": "Readers borrow from every partner library.",
        "start_date": "2006-01-01",
        "end_date": "",
        "status": "public",
        "related_outputs": "",
        "related_projects": "",
        **changes,
    }


def test_related_outputs_by_number_or_address() -> None:
    chris = make_person()
    first, second = make_output(chris), make_output(chris, title="Another")
    found = parse_outputs(
        f"{first.pk}\nhttps://scholars.example.edu/outputs/{second.pk}/\n{first.pk}"
    )
    assert found == [first, second]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "is not a research output"),
        ("-1", "is not a research output"),
        ("/outputs/x/", "is not a research output"),
        ("999999", "No research output has the number 999999"),
        ("1" * 13, "is not a research output"),
        ("\n".join(str(n) for n in range(1, 103)), "At most 100"),
    ],
)
def test_bad_related_outputs_are_refused(text: str, message: str) -> None:
    chris = make_person()
    form = ImpactForm(form_data(people=chris.slug, related_outputs=text))
    assert not form.is_valid()
    assert message in " ".join(str(error) for error in form.errors["related_outputs"])


def test_relations_are_set_audited_and_only_public_outputs_shown(client: Client) -> None:
    # given
    chris = make_person()
    public = make_output(chris, title="Public study")
    hidden = make_output(chris, title="Unvalidated study", workflow=WorkflowStatus.FOR_VALIDATION)
    item = do_create_owned_item(
        Impact,
        chris,
        {
            "title": "Shared borrowing",
            "description": "Readers borrow.",
            "start_date": datetime.date(2006, 1, 1),
            "status": "public",
            "related_outputs": [public, hidden],
        },
        [PersonEntry(chris)],
        acting_user=None,
    )
    # when
    page = client.get(item.get_absolute_url()).content.decode()
    changed = do_update_owned_item(item, {"related_outputs": [public]}, None, acting_user=None)
    # then
    assert "Public study" in page
    assert "Unvalidated study" not in page
    assert changed == ["related_outputs"]
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    assert entry.before == {"related_outputs": sorted([public.pk, hidden.pk])}
    assert entry.after == {"related_outputs": [public.pk]}


def test_the_edit_form_shows_the_related_outputs() -> None:
    chris = make_person()
    output = make_output(chris)
    item = do_create_owned_item(
        Impact,
        chris,
        {
            "title": "Shared borrowing",
            "description": "Readers borrow.",
            "start_date": datetime.date(2006, 1, 1),
            "related_outputs": [output],
        },
        [PersonEntry(chris)],
        acting_user=None,
    )
    form = ImpactForm(instance=item)
    assert form.initial["related_outputs"] == str(output.pk)


def test_related_projects_are_set_and_only_validated_ones_shown(client: Client) -> None:
    # given: a validated project and one still being entered
    chris = make_person()
    validated = Project.objects.create(
        title="HKALL phase two",
        owner=chris,
        start_date=datetime.date(2006, 1, 1),
        workflow_status=WorkflowStatus.VALIDATED,
    )
    draft = Project.objects.create(
        title="Unvalidated project", owner=chris, start_date=datetime.date(2007, 1, 1)
    )
    form = ImpactForm(
        form_data(
            people=chris.slug,
            related_projects=f"{validated.pk}\nhttps://scholars.example.edu/projects/{draft.pk}/",
        )
    )
    assert form.is_valid(), form.errors
    # when
    item = do_create_owned_item(
        Impact, chris, form.item_fields(), form.cleaned_data["people"], acting_user=None
    )
    page = client.get(item.get_absolute_url()).content.decode()
    # then
    assert list(item.related_projects.order_by("pk")) == [validated, draft]
    assert "HKALL phase two" in page
    assert "Unvalidated project" not in page
    assert list(validated.impacts.all()) == [item]


@pytest.mark.parametrize("text", ["project 1", "/outputs/1/", "999999"])
def test_bad_related_projects_are_refused(text: str) -> None:
    chris = make_person()
    form = ImpactForm(form_data(people=chris.slug, related_projects=text))
    assert not form.is_valid()
    assert "related_projects" in form.errors
