"""'Download CV', Word and PDF: beside the profile and its research output, the person's public
projects, activities, prizes / honours, student theses (once awarded), datasets, impact and
press / media, each under its heading, from the one place both formats read (portal.cv.gather),
in a number of queries that does not grow with what the person has (pinned)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import docx
import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from datasets.models import Dataset
from impacts.models import Impact
from portal import content, cv
from portal.actions import do_add_person_identifier
from portal.actions.owned import PersonEntry as OwnedEntry
from portal.actions.owned import do_create_owned_item
from portal.actions.validated import PersonEntry, do_create_validated_item
from portal.actions.workflow import do_submit_for_validation, do_validate
from portal.choices import OwnedItemStatus
from portal.models import Person
from portal.models.owned import OwnedItem
from portal.models.validated import ValidatedItem
from portal.tests.fixtures import make_output, make_person
from press.models import PressItem
from prizes.models import Prize
from projects.models import Project
from theses.models import Thesis

pytestmark = pytest.mark.django_db

HKALL = "User-initiated resource sharing in Hong Kong universities"
PROJECT = "HKALL: user-initiated resource sharing across Hong Kong academic libraries"
PRIZE = "Library Innovation Award"
# What the CV reads, whatever the person has: the person and its four profile prefetches; the
# outputs and their two prefetches; for each of the seven registered types its items with their
# persons (one query each), the thesis's unit joined in, the impact's outputs and projects.
CV_QUERIES = 5 + 3 + 7 * 2 + 2


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    # Lines a long title wraps onto are joined, so a title reads whole.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def cv_texts(client: Client, person: Person) -> dict[str, str]:
    """The Word and the PDF CV's text."""
    word = client.get(reverse("portal:person-cv", args=[person.slug]))
    pdf = client.get(reverse("portal:person-cv-pdf", args=[person.slug]))
    assert word.status_code == 200
    assert pdf.status_code == 200
    return {"word": docx_text(word.content), "pdf": pdf_text(pdf.content)}


def validated(
    model: type[ValidatedItem],
    owner: Person,
    fields: dict[str, Any],
    people: list[PersonEntry],
    *,
    validate: bool = True,
) -> ValidatedItem:
    item = do_create_validated_item(model, owner, fields, people, acting_user=None)
    if validate:
        do_submit_for_validation(item, acting_user=None)
        do_validate(item, acting_user=None)
    return item


def owned(
    model: type[OwnedItem],
    owner: Person,
    fields: dict[str, Any],
    role: str = "",
    status: str = OwnedItemStatus.PUBLIC,
) -> OwnedItem:
    entries = [OwnedEntry(owner, role)]
    return do_create_owned_item(
        model, owner, {**fields, "status": status}, entries, acting_user=None
    )


def project(owner: Person, title: str = PROJECT, **changes: Any) -> dict[str, Any]:
    return {
        "title": title,
        "acronym": "HKALL",
        "start_date": datetime.date(2022, 9, 1),
        "end_date": datetime.date(2026, 8, 31),
        "funder": "University Grants Committee",
        "grant_number": "UGC/IDS(C)11/E01/22",
        "description": "Readers borrow from eight university libraries in one request.",
        **changes,
    }


def prize(title: str = PRIZE, day: int = 20) -> dict[str, Any]:
    return {
        "title": title,
        "organisation": "JULAC",
        "city": "Hong Kong",
        "awarded_on": datetime.date(2023, 11, day),
        "description": "For the HKALL service.",
    }


def add_one_of_each(person: Person, number: int = 0) -> None:
    """A public item of every type with the person on it (and a colleague, an external)."""
    colleague = make_person("Mary", "CHAN")
    unit = person.positions.get().org_unit
    output = make_output(person, title=f"Output {number}")
    validated(
        Project,
        person,
        {**project(person, f"Project {number}"), "units": [unit], "related_outputs": [output]},
        [
            PersonEntry(person, role="Principal investigator"),
            PersonEntry(colleague, role="Co-investigator"),
            PersonEntry(None, "Jane DOE", "Oxford", "Co-investigator"),
        ],
    )
    validated(
        Dataset,
        person,
        {
            "title": f"Dataset {number}",
            "publisher": "CityU",
            "publication_date": datetime.date(2024, 1, 1),
            "doi": f"10.5061/dryad.q{number}",
            "related_outputs": [output],
        },
        [PersonEntry(person, role="Creator"), PersonEntry(colleague, role="Creator")],
    )
    validated(
        Thesis,
        person,
        {
            "title": f"Thesis {number}",
            "student_name": "LEE Siu Ming",
            "degree": "phd",
            "award_date": datetime.date(2020, 1, 1),
            "awarding_unit": unit,
        },
        [PersonEntry(person, role="Supervisor")],
    )
    owned(
        Activity,
        person,
        {
            "title": f"Activity {number}",
            "kind": "talk",
            "start_date": datetime.date(2024, 3, 1),
            "organisation": "HKALL Forum",
        },
        role="Keynote speaker",
    )
    owned(Prize, person, prize(f"Prize {number}"))
    owned(
        Impact,
        person,
        {
            "title": f"Impact {number}",
            "description": "Eight libraries share their collections.",
            "start_date": datetime.date(2006, 1, 1),
            "related_outputs": [output],
        },
    )
    owned(
        PressItem,
        person,
        {
            "title": f"Press item {number}",
            "outlet": "South China Morning Post",
            "published_on": datetime.date(2024, 5, 2),
            "url": "https://www.example.com/article",
        },
    )


@pytest.fixture
def chris() -> Person:
    person = make_person("Chris", "WONG", known_as="Chris WONG - demo", native_name="王大明")
    do_add_person_identifier(person, "orcid", "0000-0000-0000-0001", acting_user=None)
    return person


def test_both_cvs_hold_the_public_project_and_prize_and_not_the_others(client, chris) -> None:
    # given: a validated project and a public prize, each with a twin the public may not see
    make_output(chris, title=HKALL, year=2006)
    pi = [PersonEntry(chris, role="Principal investigator")]
    validated(Project, chris, project(chris), pi)
    validated(Project, chris, project(chris, "Project awaiting validation"), pi, validate=False)
    owned(Prize, chris, prize())
    owned(Prize, chris, prize("Draft honour"), status=OwnedItemStatus.DRAFT)
    # when
    texts = cv_texts(client, chris)
    # then
    for name, text in texts.items():
        assert "Chris WONG - demo" in text, name
        assert "王大明" in text, name
        assert "0000-0000-0000-0001" in text, name
        assert HKALL in text, name
        assert "Positions" in text, name
        assert "Doctor of Philosophy (Student), Run Run Shaw Library" in text, name
        assert "Projects" in text, name
        assert PROJECT in text, name
        assert "Role: Principal investigator" in text, name
        assert "Acronym: HKALL" in text, name
        assert "Period: 1 September 2022 – 31 August 2026" in text, name
        assert "Funder: University Grants Committee" in text, name
        assert "Grant number: UGC/IDS(C)11/E01/22" in text, name
        assert "Prizes / Honours" in text, name
        assert PRIZE in text, name
        assert "Granting organisation: JULAC, Hong Kong" in text, name
        assert "Date: 20 November 2023" in text, name
        assert "Project awaiting validation" not in text, name
        assert "Draft honour" not in text, name
        # prose stays on the portal: a CV lists facts
        assert "Readers borrow" not in text, name
        # the research output comes before the sections, the sections in the menu's order
        assert text.index(HKALL) < text.index(PROJECT) < text.index(PRIZE), name


def test_a_thesis_shows_once_awarded(client, chris) -> None:
    # given: validated theses Chris supervised: one awarded, one without an award date yet, one
    # to be awarded in 2999
    unit = chris.positions.get().org_unit
    theses = (
        ("Awarded thesis", datetime.date(2020, 1, 1)),
        ("Thesis without an award date", None),
        ("Thesis awarded in 2999", datetime.date(2999, 1, 1)),
    )
    for title, awarded in theses:
        fields = {
            "title": title,
            "student_name": "LEE Siu Ming",
            "degree": "phd",
            "award_date": awarded,
            "awarding_unit": unit,
        }
        validated(Thesis, chris, fields, [PersonEntry(chris, role="Supervisor")])
    # when
    texts = cv_texts(client, chris)
    # then
    for name, text in texts.items():
        assert "Student Theses" in text, name
        assert "Awarded thesis" in text, name
        assert "Role: Supervisor" in text, name
        assert "Thesis without an award date" not in text, name
        assert "Thesis awarded in 2999" not in text, name


def test_every_registered_type_has_its_section_in_menu_order(client, chris) -> None:
    # given
    add_one_of_each(chris)
    headings = [kind.label for kind in content.registered()]
    assert len(headings) == 7  # every app of the seed's menu is installed
    # when
    word = client.get(reverse("portal:person-cv", args=[chris.slug]))
    # then: each type's heading, in the menu's order, after the research output
    document = docx.Document(io.BytesIO(word.content))
    found = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert found[-len(headings) - 1 :] == ["Research output", *headings]
    text = pdf_text(client.get(reverse("portal:person-cv-pdf", args=[chris.slug])).content)
    places = [text.index(heading) for heading in ["Research output", *headings]]
    assert places == sorted(places)
    for title in ("Activity 0", "Dataset 0", "Impact 0", "Press item 0"):
        assert title in text


def test_a_person_without_items_has_no_empty_sections(client, chris) -> None:
    # when
    texts = cv_texts(client, chris)
    # then
    for name, text in texts.items():
        assert "No public research output yet." in text, name
        assert "Projects" not in text, name
        assert "Prizes / Honours" not in text, name


def test_a_long_section_is_capped_and_says_so(client, chris, monkeypatch) -> None:
    # given: a cap of 2, lowered so the test stays small, and three prizes
    monkeypatch.setattr(cv, "MAX_SECTION_ITEMS", 2)
    for day in (1, 2, 3):
        owned(Prize, chris, prize(f"Prize of day {day}", day=day))
    # when
    texts = cv_texts(client, chris)
    # then: the newest two, and a note
    for name, text in texts.items():
        assert "Prize of day 3" in text, name
        assert "Prize of day 2" in text, name
        assert "Prize of day 1" not in text, name
        assert "The first 2 prizes; the full list is on the portal." in text, name


def test_hostile_item_titles_are_text_in_both_cvs(client, chris) -> None:
    # given: markup and control characters in a prize's title and organisation
    fields = {**prize("<b>Bold</b> \x0b award & co"), "organisation": "<script>x</script>"}
    owned(Prize, chris, fields)
    # when
    texts = cv_texts(client, chris)
    # then
    for name, text in texts.items():
        assert "<b>Bold</b>" in text, name
        assert "<script>x</script>" in text, name
        assert "\x0b" not in text, name


@pytest.mark.parametrize("route", ["portal:person-cv", "portal:person-cv-pdf"])
def test_the_cv_reads_the_same_number_of_queries_whatever_the_person_has(
    client, chris, route
) -> None:
    # given: one item of every type, then three of each with more colleagues and outputs
    url = reverse(route, args=[chris.slug])
    add_one_of_each(chris, 0)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # when
    few = queries()
    for number in (1, 2):
        add_one_of_each(chris, number)
    many = queries()
    # then
    assert few == many == CV_QUERIES
