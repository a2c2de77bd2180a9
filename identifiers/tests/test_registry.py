"""normalise() dispatch, the Scheme vocabulary, and detect() for search by identifier."""

from __future__ import annotations

import doctest
import pickle

import pytest

import identifiers
from identifiers import IdentifierError, Scheme, detect, is_valid, normalise


def test_scheme_labels_are_the_human_names() -> None:
    assert {scheme: scheme.label for scheme in Scheme} == {
        Scheme.ORCID: "ORCID iD",
        Scheme.SCOPUS_AUTHOR_ID: "Scopus Author ID",
        Scheme.SCOPUS_EID: "Scopus EID",
        Scheme.SCOPUS_AUTHOR_EID: "Scopus author EID",
        Scheme.AFID: "Scopus Affiliation ID",
        Scheme.DOI: "DOI",
        Scheme.ISBN: "ISBN",
        Scheme.ISSN: "ISSN",
        Scheme.RESEARCHER_ID: "ResearcherID",
        Scheme.ISNI: "ISNI",
        Scheme.PMID: "PubMed ID",
    }


def test_normalise_accepts_scheme_by_its_stored_name() -> None:
    assert normalise("eid", "2-S2.0-33745291715") == "2-s2.0-33745291715"


def test_normalise_unknown_scheme_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown identifier scheme 'wikidata'") as caught:
        normalise("wikidata", "Q42")
    assert not isinstance(caught.value, IdentifierError)


def test_identifier_error_carries_scheme_value_and_reason() -> None:
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.ORCID, " 0000-0000-0000-0000 ")
    # then
    error = caught.value
    assert (error.scheme, error.value, error.reason) == (
        Scheme.ORCID,
        " 0000-0000-0000-0000 ",
        "check digit should be 1, not 0",
    )
    assert str(error) == "ORCID iD check digit should be 1, not 0"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://orcid.org/0000-0002-1825-0097", [Scheme.ORCID]),
        ("0000-0002-1825-0097", [Scheme.ORCID, Scheme.ISNI]),
        ("10.1108/02641610610669750", [Scheme.DOI]),
        ("2-s2.0-33745291715", [Scheme.SCOPUS_EID]),
        ("9-s2.0-7004212771", [Scheme.SCOPUS_AUTHOR_EID, Scheme.SCOPUS_AUTHOR_ID]),
        ("A-1234-2008", [Scheme.RESEARCHER_ID]),
        ("0264-1615", [Scheme.ISSN]),
        ("978-0-306-40615-7", [Scheme.ISBN]),
        ("98765432100", [Scheme.SCOPUS_AUTHOR_ID]),
        ("0306406152", [Scheme.ISBN, Scheme.SCOPUS_AUTHOR_ID, Scheme.PMID]),
        ("60008592", [Scheme.AFID, Scheme.PMID]),
        ("31452", [Scheme.PMID]),
        ("Chris Wong", []),
        ("", []),
        ("x" * 100_000, []),
    ],
)
def test_detect_lists_every_reading_most_distinctive_first(
    raw: str, expected: list[Scheme]
) -> None:
    assert detect(raw) == expected


def test_detect_of_non_text_is_empty() -> None:
    assert detect(None) == []  # type: ignore[arg-type]


def test_identifier_error_survives_pickling() -> None:
    # given
    error = IdentifierError(Scheme.DOI, "11.1/x", "must start with '10.'")
    # when
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object, just made
    # then
    assert (copy.scheme, copy.value, copy.reason, str(copy)) == (
        error.scheme,
        error.value,
        error.reason,
        str(error),
    )


def test_package_docstring_examples_hold() -> None:
    # when
    results = doctest.testmod(identifiers)
    # then
    assert results.attempted >= 2
    assert results.failed == 0


def test_is_valid_answers_without_raising() -> None:
    assert is_valid(Scheme.ORCID, "0000-0002-1825-0097")
    assert not is_valid(Scheme.ORCID, "0000-0000-0000-0000")
    assert not is_valid("isni", "\x00")


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        (Scheme.ORCID, "ORCID: https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        (Scheme.ORCID, "ORCID iD orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        (Scheme.DOI, "DOI: https://doi.org/10.1108/ABC", "10.1108/abc"),
        (Scheme.ISNI, "ISNI: https://isni.org/isni/0000000121032683", "0000000121032683"),
        (Scheme.ISSN, "ISSN https://portal.issn.org/resource/ISSN/0264-1615", "0264-1615"),
        (Scheme.PMID, "PMID: https://pubmed.ncbi.nlm.nih.gov/31452104/", "31452104"),
        (
            Scheme.RESEARCHER_ID,
            "ResearcherID: https://www.webofscience.com/wos/author/record/A-1234-2008",
            "A-1234-2008",
        ),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "Scopus Author ID: https://www.scopus.com/authid/detail.uri?authorId=7004212771",
            "7004212771",
        ),
        (Scheme.AFID, "AF-ID: https://www.scopus.com/affil/profile.uri?afid=60008592", "60008592"),
        (Scheme.SCOPUS_EID, "EID: 2-s2.0-33745291715", "2-s2.0-33745291715"),
        (Scheme.SCOPUS_AUTHOR_EID, "Scopus EID 9-s2.0-7004212771", "9-s2.0-7004212771"),
    ],
)
def test_normalise_reads_a_label_before_a_link(scheme: Scheme, raw: str, expected: str) -> None:
    # given: an identifier as CVs and reference lists print it, a label and then a link
    # when
    value = normalise(scheme, raw)
    # then
    assert value == expected
