"""The desired state the export builds for a batch of records: what each record should hold, its
digest, and the queries it costs.

The digest decides whether a record is left alone (issue 14), so a record's digest must not move
when its data did not: the digests of two fixed records are pinned here. The pinned values were
computed by the code that built the desired state from model instances and read fundings one
researcher at a time, before it read plain rows; a change to what an item's body holds changes
them, and should (every record is then written once more)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orcid_connector.export import desired_items, desired_items_many, record_digest
from portal.choices import (
    IdentifierStatus,
    OrgUnitType,
    OutputSource,
    OutputType,
    PersonIdentifierType,
    PositionRole,
    PublicationStatus,
    Visibility,
    WorkflowStatus,
)
from portal.models import (
    Contributor,
    OrgUnit,
    OutputIdentifier,
    Person,
    PersonIdentifier,
    Position,
    ResearchOutput,
)
from projects.models import Project, ProjectPerson

pytestmark = pytest.mark.django_db

# Every row the digest depends on has its own number (keys and URLs hold them), so the digest is
# the same on SQLite and on PostgreSQL whatever ran before.
BASE = 7_310_000
PINNED_DIGEST = "7c9e9efc37527d577cda955b250f07238a7b39c0af11b212fd7713df902a03ee"
PINNED_LEE = "0559d5062fdd1c71e771eb792a091c8106d5df8bfcbd4f2fbe129194da85c2a8"
PINNED_KEYS = [
    ("employment", f"position:{BASE + 1}"),
    ("external-identifier", "ResearcherID:A-1234-2008"),
    ("external-identifier", "Scopus Author ID:7004212771"),
    ("funding", f"project:{BASE + 1}"),
    ("funding", f"project:{BASE + 3}"),
    ("researcher-url", "profile-page"),
    ("work", f"output:{BASE + 1}"),
    ("work", f"output:{BASE + 2}"),
    ("work", f"output:{BASE + 3}"),
]


@pytest.fixture
def pinned_settings(settings: Any) -> None:
    settings.DEBUG = False  # no demo organisation ids
    settings.PORTAL_BASE_URL = "https://scholars.example.edu"
    settings.PORTAL_INSTITUTION_NAME = "City University of Hong Kong"
    settings.PORTAL_INSTITUTION_CITY = "Kowloon"
    settings.PORTAL_INSTITUTION_COUNTRY = "HK"
    settings.PORTAL_INSTITUTION_RINGGOLD = "53025"
    settings.ORCID_ORGANIZATION_IDS = {
        "Research Grants Council": {
            "source": "FUNDREF",
            "id": "http://dx.doi.org/10.13039/501100002920",
            "city": "Wan Chai",
            "country": "HK",
        }
    }


def a_person(number: int, given: str, family: str, orcid: str = "") -> Person:
    person = Person.objects.create(
        pk=BASE + number,
        staff_id=f"pinned{number}",
        slug=f"{given.lower()}-{family.lower()}-pinned",
        given_names=given,
        family_name=family,
        email=f"pinned{number}@example.edu",
    )
    if orcid:
        PersonIdentifier.objects.create(
            person=person,
            id_type=PersonIdentifierType.ORCID,
            value=orcid,
            status=IdentifierStatus.AUTHENTICATED,
        )
    return person


def an_output(number: int, output_type: str, title: str, **fields: Any) -> ResearchOutput:
    values: dict[str, Any] = {
        "output_type": output_type,
        "title": title,
        "publication_year": 2021,
        "workflow_status": WorkflowStatus.VALIDATED,
        "visibility": Visibility.PUBLIC,
        "publication_status": PublicationStatus.PUBLISHED,
        "source": OutputSource.MANUAL,
    }
    values.update(fields)
    return ResearchOutput.objects.create(pk=BASE + number, **values)


def authors(output: ResearchOutput, *names: Person | tuple[str, str]) -> None:
    for position, name in enumerate(names, start=1):
        if isinstance(name, Person):
            given, family, person = name.given_names, name.family_name, name
        else:
            (given, family), person = name, None
        Contributor.objects.create(
            output=output, position=position, person=person, given_names=given, family_name=family
        )


def a_project(number: int, owner: Person, title: str, **fields: Any) -> Project:
    values: dict[str, Any] = {
        "owner": owner,
        "title": title,
        "start_date": date(2023, 9, 1),
        "end_date": date(2026, 8, 31),
        "funder": "Research Grants Council",
        "grant_number": f"CityU 1120{number:04d}",
        "description": "A shared catalogue for eight universities.",
        "workflow_status": WorkflowStatus.VALIDATED,
    }
    values.update(fields)
    return Project.objects.create(pk=BASE + number, **values)


@pytest.fixture
def mei(pinned_settings: None) -> Person:
    """A researcher with a bit of everything the export writes, every number fixed."""
    mei = a_person(1, "Mei", "CHAN", orcid="0000-0002-1825-0097")
    lee = a_person(2, "Lee", "KA", orcid="0000-0001-5109-3700")
    ann = a_person(3, "Ann", "HO")  # no authenticated iD: named, not linked
    unit = OrgUnit.objects.create(
        pk=BASE + 1, name="Run Run Shaw Library", slug="rrsl-pinned", unit_type=OrgUnitType.OFFICE
    )
    Position.objects.create(
        pk=BASE + 1,
        person=mei,
        org_unit=unit,
        role=PositionRole.LIBRARIAN,
        start_date=date(2015, 8, 1),
    )
    for id_type, value, status in (
        (PersonIdentifierType.SCOPUS_AUTHOR_ID, "7004212771", IdentifierStatus.VERIFIED),
        (PersonIdentifierType.RESEARCHER_ID, "A-1234-2008", IdentifierStatus.VERIFIED),
        (PersonIdentifierType.ISNI, "0000000121032683", IdentifierStatus.VERIFIED),  # not shown
    ):
        PersonIdentifier.objects.create(person=mei, id_type=id_type, value=value, status=status)
    article = an_output(
        1,
        OutputType.JOURNAL_ARTICLE,
        "Linking researcher identifiers",
        subtitle="A case study",
        publication_month=3,
        publication_day=14,
        host_title="Interlending and Document Supply",
        abstract="First paragraph.\n\nSecond\u000bparagraph.",
        language="en",
    )
    authors(article, mei, ("A.", "Outsider"), lee)
    for scheme, value in (
        ("doi", "10.1108/ils-01-2021-0001"),
        ("eid", "2-s2.0-85100000001"),
        ("issn", "0264-1615"),
        ("pmid", "33000001"),
        ("wos", "WOS:000600000000001"),
    ):
        OutputIdentifier.objects.create(output=article, id_type=scheme, value=value)
    book = an_output(2, OutputType.BOOK, "Open scholarship in Asia", language="zh")
    authors(book, ann, mei)
    OutputIdentifier.objects.create(output=book, id_type="isbn", value="9789629371234")
    chapter = an_output(
        3, OutputType.BOOK_CHAPTER, "Library consortia", publication_month=11, language=""
    )
    authors(chapter, mei)
    OutputIdentifier.objects.create(output=chapter, id_type="isbn", value="9789629375678")
    # not exported: in validation, not public, only accepted, somebody else's
    an_output(4, OutputType.JOURNAL_ARTICLE, "Draft", workflow_status=WorkflowStatus.FOR_VALIDATION)
    authors(ResearchOutput.objects.get(pk=BASE + 4), mei)
    hidden = an_output(5, OutputType.JOURNAL_ARTICLE, "Hidden", visibility=Visibility.BACKEND)
    authors(hidden, mei)
    accepted = an_output(
        6, OutputType.JOURNAL_ARTICLE, "Accepted", publication_status=PublicationStatus.ACCEPTED
    )
    authors(accepted, mei)
    authors(an_output(7, OutputType.JOURNAL_ARTICLE, "Lee's own"), lee)
    # fundings: one led by Mei with Lee and an outside partner, one of Lee's with Mei as
    # co-investigator, one without a grant (not a funding), one in validation
    led = a_project(1, mei, "Resource sharing among Hong Kong libraries")
    ProjectPerson.objects.create(item=led, person=mei, role="Principal investigator")
    ProjectPerson.objects.create(item=led, person=lee, role="Co-investigator", position=1)
    ProjectPerson.objects.create(
        item=led, name="Mary CHAN", organisation="HKU", role="Co-investigator", position=2
    )
    joined = a_project(3, lee, "Identifiers in practice", end_date=None)
    ProjectPerson.objects.create(item=joined, person=lee, role="Principal investigator")
    ProjectPerson.objects.create(item=joined, person=mei, role="Co-I", position=1)
    own = a_project(4, mei, "The university's own", grant_number="")
    ProjectPerson.objects.create(item=own, person=mei, role="Principal investigator")
    pending = a_project(5, mei, "Pending", workflow_status=WorkflowStatus.FOR_VALIDATION)
    ProjectPerson.objects.create(item=pending, person=mei, role="Principal investigator")
    return mei


def test_a_records_digest_is_the_pinned_one_for_the_same_data(mei: Person) -> None:
    # when
    desired = desired_items(mei)
    # then: the same items, and the digest computed before the desired state was read from
    # plain rows: a record exported by the old code is not written again by the new
    assert sorted(desired) == PINNED_KEYS
    assert record_digest(desired) == PINNED_DIGEST


def test_a_batch_gives_each_record_its_pinned_digest(mei: Person) -> None:
    # given: Mei's co-author Lee, read in the same batch
    lee = Person.objects.get(pk=BASE + 2)
    # when
    batch = desired_items_many([lee, mei])
    # then
    assert record_digest(batch[mei.pk]) == PINNED_DIGEST
    assert record_digest(batch[lee.pk]) == PINNED_LEE


def test_a_batchs_fundings_cost_the_same_queries_for_one_record_or_many(mei: Person) -> None:
    # given: three more researchers, each on a funded project of their own
    others = [a_person(10 + n, "Bo", f"LAM{n}") for n in range(3)]
    for n, other in enumerate(others):
        project = a_project(10 + n, other, f"Grant {n}")
        ProjectPerson.objects.create(item=project, person=other, role="Principal investigator")
    lee = Person.objects.get(pk=BASE + 2)
    # when
    with CaptureQueriesContext(connection) as one:
        alone = desired_items_many([mei])
    with CaptureQueriesContext(connection) as five:
        batch = desired_items_many([mei, lee, *others])
    # then: every record has its fundings, the shared projects on both records, and the batch
    # costs no query more than one record
    assert len(five) == len(one)
    assert batch[mei.pk] == alone[mei.pk]
    fundings = {
        person_id: sorted(key for kind, key in items if kind == "funding")
        for person_id, items in batch.items()
    }
    assert fundings[lee.pk] == [f"project:{BASE + 1}", f"project:{BASE + 3}"]
    assert [fundings[other.pk] for other in others] == [
        [f"project:{BASE + 10 + n}"] for n in range(3)
    ]
