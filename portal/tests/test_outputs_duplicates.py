"""The duplicate check: identifiers first, then title key + year + first author."""

from __future__ import annotations

import pytest

from portal.choices import OutputType, WorkflowStatus
from portal.duplicates import Candidate, find_duplicates
from portal.models import OutputIdentifier, ResearchOutput
from portal.models.outputs import title_key_of
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db


def test_title_key_ignores_case_accents_punctuation_and_markup():
    assert title_key_of("Café <i>au</i> LAIT: a study!") == title_key_of("cafe au lait a study")


@pytest.mark.parametrize(
    ("id_type", "value"), [("doi", "10.1/x"), ("eid", "2-s2.0-1"), ("pmid", "123")]
)
def test_same_identifier_matches(researcher, id_type, value):
    held = make_output(researcher, title="Something else entirely")
    OutputIdentifier.objects.create(output=held, id_type=id_type, value=value)
    (match,) = find_duplicates(Candidate("A new title", 2021, identifiers=[(id_type, value)]))
    assert match.output == held
    assert match.by_identifier


def test_isbn_matches_books_but_not_chapters(researcher):
    book = make_output(researcher, title="The book")
    ResearchOutput.objects.filter(pk=book.pk).update(output_type=OutputType.BOOK)
    chapter = make_output(researcher, title="A chapter")
    ResearchOutput.objects.filter(pk=chapter.pk).update(output_type=OutputType.BOOK_CHAPTER)
    for output in (book, chapter):
        OutputIdentifier.objects.create(output=output, id_type="isbn", value="9780000000002")
    as_book = find_duplicates(
        Candidate(
            "Other", 2020, output_type=OutputType.BOOK, identifiers=[("isbn", "9780000000002")]
        )
    )
    as_chapter = find_duplicates(
        Candidate(
            "Other",
            2020,
            output_type=OutputType.BOOK_CHAPTER,
            identifiers=[("isbn", "9780000000002")],
        )
    )
    assert [m.output for m in as_book] == [book]
    assert as_chapter == []


def test_title_year_and_first_author(researcher):
    held = make_output(researcher, title="Sharing in Hong Kong", year=2006, externals=0)
    assert [
        m.output for m in find_duplicates(Candidate("sharing in hong kong.", 2006, "wong"))
    ] == [held]
    assert find_duplicates(Candidate("Sharing in Hong Kong", 2007, "WONG")) == []
    assert find_duplicates(Candidate("Sharing in Hong Kong", 2006, "CHAN")) == []


def test_title_match_refused_across_different_dois(researcher):
    make_output(researcher, title="Sharing", year=2006, externals=0, doi="10.1/a")
    assert (
        find_duplicates(Candidate("Sharing", 2006, "WONG", identifiers=[("doi", "10.1/b")])) == []
    )


def test_withdrawn_and_not_duplicate_outputs_are_left_out(researcher):
    gone = make_output(
        researcher, title="Sharing", year=2006, externals=0, workflow=WorkflowStatus.WITHDRAWN
    )
    mine = make_output(researcher, title="Sharing", year=2006, externals=0)
    other = make_output(make_person("Mary", "WONG"), title="Sharing", year=2006, externals=0)
    mine.not_duplicates.add(other)
    matches = find_duplicates(Candidate("Sharing", 2006, "WONG"), exclude=mine)
    assert gone not in [m.output for m in matches]
    assert matches == []
