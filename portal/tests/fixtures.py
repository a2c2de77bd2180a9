"""Small builders for portal tests: units, researchers with logins, outputs."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils.text import slugify

from portal.actions import search_text_for
from portal.choices import (
    OrgUnitType,
    OutputSource,
    OutputType,
    PositionRole,
    Visibility,
    WorkflowStatus,
)
from portal.models import (
    Contributor,
    OrgUnit,
    OutputIdentifier,
    Person,
    Position,
    ResearchOutput,
)
from portal.permissions import LIBRARY_GROUP

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_unit(name: str = "Run Run Shaw Library", parent: OrgUnit | None = None) -> OrgUnit:
    number = next(_numbers)
    return OrgUnit.objects.create(
        name=name, slug=f"unit-{number}", unit_type=OrgUnitType.DEPARTMENT, parent=parent
    )


def make_person(
    given: str = "Chris",
    family: str = "WONG",
    *,
    unit: OrgUnit | None = None,
    known_as: str = "",
    native_name: str = "",
    with_login: bool = True,
) -> Person:
    number = next(_numbers)
    user = (
        User.objects.create_user(f"{given.lower()}{number}", password=PASSWORD)
        if with_login
        else None
    )
    person = Person.objects.create(
        staff_id=user.username if user else f"staff{number}",
        user=user,
        slug=f"{slugify(given + ' ' + family)}-{number}",
        given_names=given,
        family_name=family,
        known_as=known_as,
        native_name=native_name,
        email=f"{given.lower()}{number}@example.edu",
    )
    person.search_text = search_text_for(person)
    person.save(update_fields=["search_text"])
    Position.objects.create(
        person=person, org_unit=unit or make_unit(), role=PositionRole.PHD_STUDENT
    )
    return person


def make_library_user() -> User:
    user = User.objects.create_user(f"library{next(_numbers)}", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=LIBRARY_GROUP)[0])
    return user


def make_output(
    *authors: Person,
    title: str = "A study",
    year: int = 2020,
    workflow: WorkflowStatus = WorkflowStatus.VALIDATED,
    visibility: Visibility = Visibility.PUBLIC,
    externals: int = 1,
    doi: str = "",
) -> ResearchOutput:
    output = ResearchOutput.objects.create(
        output_type=OutputType.JOURNAL_ARTICLE,
        title=title,
        publication_year=year,
        host_title="Interlending and Document Supply",
        workflow_status=workflow,
        visibility=visibility,
        source=OutputSource.MANUAL,
    )
    position = 0
    for position, person in enumerate(authors, start=1):
        Contributor.objects.create(
            output=output,
            position=position,
            person=person,
            given_names=person.given_names,
            family_name=person.family_name,
        )
    for offset in range(externals):
        Contributor.objects.create(
            output=output, position=position + offset + 1, given_names="A.", family_name="Outsider"
        )
    if doi:
        OutputIdentifier.objects.create(output=output, id_type="doi", value=doi)
    return output


@pytest.fixture
def researcher() -> Person:
    return make_person("Chris", "WONG", known_as="Chris WONG - demo", native_name="王大明")


@pytest.fixture
def library_user() -> User:
    return make_library_user()


def seed_portal_demo(folder: Path, *extra: str, persons: int = 30, outputs: int = 300) -> str:
    """A small demo university, the portal's part only (its cast file in `folder`); the
    command's report."""
    out = io.StringIO()
    call_command(
        "seed_demo",
        "--persons",
        str(persons),
        "--outputs",
        str(outputs),
        "--portal-only",
        "--cast-file",
        str(folder / "cast.json"),
        *extra,
        stdout=out,
    )
    return out.getvalue()
