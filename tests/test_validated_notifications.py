"""E-mail about projects, datasets and student theses, as research outputs have it: the
researchers hear of a return (with the Library's comment) and of a validation once the action
commits, never after a rollback; the Library's daily digest counts what waits of each type."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse

from datasets.models import Dataset
from portal.actions.validated import (
    PersonEntry,
    do_create_validated_item,
    do_return_item,
    do_validate_item,
    do_validate_items,
)
from portal.actions.workflow import do_request_change, do_submit_for_validation
from portal.choices import WorkflowStatus
from portal.errors import NotAllowedError
from portal.models import OrgUnit, Person
from portal.models.validated import ValidatedItem
from portal.notifications import send_validation_digest
from portal.tests.fixtures import make_library_user, make_person, make_unit
from projects.models import Project
from theses.models import Thesis

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def project_fields(unit: OrgUnit) -> dict[str, Any]:
    return {"title": "HKALL next generation", "start_date": datetime.date(2024, 1, 1)}


def dataset_fields(unit: OrgUnit) -> dict[str, Any]:
    return {
        "title": "HKALL loan records 2024",
        "publisher": "CityU Scholars",
        "publication_date": datetime.date(2025, 1, 6),
    }


def thesis_fields(unit: OrgUnit) -> dict[str, Any]:
    # Awarded long ago: public as soon as it is validated, whatever today is.
    return {
        "title": "Resource sharing among Hong Kong academic libraries",
        "student_name": "Lee Siu Ming",
        "degree": "phd",
        "award_date": datetime.date(2020, 11, 20),
        "awarding_unit": unit,
    }


TYPES: list[tuple[type[ValidatedItem], Callable[[OrgUnit], dict[str, Any]], str]] = [
    (Project, project_fields, "Project"),
    (Dataset, dataset_fields, "Dataset"),
    (Thesis, thesis_fields, "Student thesis"),
]


def submitted(
    model: type[ValidatedItem],
    fields: Callable[[OrgUnit], dict[str, Any]],
    owner: Person,
    *others: Person,
) -> ValidatedItem:
    """An item the owner entered (naming the others too) and handed to the Library."""
    unit = owner.positions.get().org_unit
    item = do_create_validated_item(
        model,
        owner,
        fields(unit),
        [PersonEntry(owner, role="Lead"), *(PersonEntry(other) for other in others)],
        acting_user=owner.user,
    )
    do_submit_for_validation(item, acting_user=owner.user)
    return item


@pytest.fixture
def library() -> User:
    user = make_library_user()
    user.email = "library@example.edu"
    user.save()
    return user


@pytest.mark.parametrize(("model", "fields", "subject"), TYPES)
def test_return_mails_the_researchers_the_comment(
    model, fields, subject, library, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # given: an item its owner entered naming a colleague, waiting for the Library
    owner, colleague = make_person(), make_person("Mei", "CHAN")
    item = submitted(model, fields, owner, colleague)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        do_return_item(item, "Please add the grant's end date.", acting_user=library)
    # then: both researchers hear, with the comment and where to correct it
    [message] = mailoutbox
    assert message.subject == f"[CityU Scholars] {subject} returned to you"
    assert sorted(message.to) == sorted([owner.email, colleague.email])
    assert "Please add the grant's end date." in message.body
    assert item.title in message.body
    assert item.get_absolute_url() in message.body


@pytest.mark.parametrize(("model", "fields", "subject"), TYPES)
def test_validation_mails_the_researchers(
    model, fields, subject, library, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # given
    owner = make_person()
    item = submitted(model, fields, owner)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        do_validate_item(item, acting_user=library)
    # then
    [message] = mailoutbox
    assert message.subject == f"[CityU Scholars] {subject} validated"
    assert message.to == [owner.email]
    assert "It now shows on the portal" in message.body


def test_a_validated_thesis_not_yet_awarded_is_said_to_wait(
    library, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # given: a thesis whose degree has no award date yet
    owner = make_person()
    thesis = submitted(Thesis, lambda unit: {**thesis_fields(unit), "award_date": None}, owner)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        do_validate_item(thesis, acting_user=library)
    # then: the mail does not promise what the public portal does not show
    [message] = mailoutbox
    assert "It now shows on the portal" not in message.body
    assert "from its award date" in message.body


def test_the_submitter_hears_too_when_not_named_on_the_item(
    library, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # given: the Library entered nothing, but a researcher without a portal e-mail submitted
    owner = make_person()
    Person.objects.filter(pk=owner.pk).update(email="")
    assert owner.user is not None
    owner.user.email = "chris.account@example.edu"
    owner.user.save()
    project = submitted(Project, project_fields, owner)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        do_validate_item(project, acting_user=library)
    # then
    assert [message.to for message in mailoutbox] == [["chris.account@example.edu"]]


def validate_then_fail(item: ValidatedItem, library: User) -> None:
    """A caller whose own transaction fails after the validation went through."""
    with transaction.atomic():
        do_validate_item(item, acting_user=library)
        raise RuntimeError("the surrounding work failed")


def test_a_rolled_back_validation_mails_nobody(
    library, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # given: one project ready, one still in progress
    owner = make_person()
    ready = submitted(Project, project_fields, owner)
    draft = do_create_validated_item(
        Project,
        owner,
        {**project_fields(make_unit()), "title": "Draft"},
        [PersonEntry(owner)],
        acting_user=owner.user,
    )
    # when: the bulk validation fails on the draft, and a caller's transaction fails after
    # a validation that went through
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(NotAllowedError):
            do_validate_items([ready, draft], acting_user=library)
        with pytest.raises(RuntimeError, match="surrounding work failed"):
            validate_then_fail(ready, library)
    # then: nothing moved, nothing was sent
    ready.refresh_from_db()
    assert ready.workflow_status == WorkflowStatus.FOR_VALIDATION
    assert callbacks == []
    assert mailoutbox == []


def test_the_library_pages_mail_on_return_and_validation(
    library, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # given
    owner = make_person()
    project = submitted(Project, project_fields, owner)
    client = Client()
    client.force_login(library)
    # when: returned from the item's page, then resubmitted and validated in bulk from the queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:return", args=[project.pk]), {"comment": "Name the funder."})
    do_submit_for_validation(project, acting_user=owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:queue"), {"item": [str(project.pk)]})
    # then
    assert [message.subject for message in mailoutbox] == [
        "[CityU Scholars] Project returned to you",
        "[CityU Scholars] Project validated",
    ]
    assert "Name the funder." in mailoutbox[0].body


def test_a_refused_return_mails_nobody(library, mailoutbox) -> None:
    # given: a researcher tries the Library's move
    owner = make_person()
    project = submitted(Project, project_fields, owner)
    with pytest.raises(NotAllowedError):
        do_return_item(project, "Not yours to return.", acting_user=owner.user)
    # then
    assert mailoutbox == []


def test_digest_counts_projects_datasets_and_theses(library, mailoutbox) -> None:
    # given: no research output waits, but a project and two datasets do, and a validated
    # thesis has a change requested
    owner = make_person()
    project = submitted(Project, project_fields, owner)
    first, second = (submitted(Dataset, dataset_fields, owner) for _ in range(2))
    Project.objects.filter(pk=project.pk).update(submitted_at=NOW - datetime.timedelta(days=4))
    Dataset.objects.filter(pk__in=[first.pk, second.pk]).update(
        submitted_at=NOW - datetime.timedelta(days=1)
    )
    thesis = submitted(Thesis, thesis_fields, owner)
    do_validate_item(thesis, acting_user=library)
    do_request_change(thesis, "The award date is 21 November.", acting_user=owner.user)
    # when
    sent = send_validation_digest(NOW)
    # then
    assert sent == 1
    [message] = mailoutbox
    assert message.to == ["library@example.edu"]
    assert "0 research outputs wait for validation." in message.body
    assert "Projects: 1 project waits, the oldest submitted 4 day(s) ago" in message.body
    assert "Datasets: 2 datasets wait, the oldest submitted 1 day(s) ago" in message.body
    assert "Student Theses: 0 student theses wait; 1 change requested" in message.body
    assert reverse("projects:queue") in message.body


def test_no_digest_when_no_type_has_anything_waiting(library, mailoutbox) -> None:
    # given: a validated project only
    owner = make_person()
    do_validate_item(submitted(Project, project_fields, owner), acting_user=library)
    # when / then
    assert send_validation_digest(NOW) == 0
    assert mailoutbox == []
