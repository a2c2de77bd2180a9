"""Scopus Author ID, document and author EIDs, Affiliation ID."""

from __future__ import annotations

import pytest

from identifiers import IdentifierError, Scheme, normalise


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        (Scheme.SCOPUS_AUTHOR_ID, "98765432100", "98765432100"),
        (Scheme.SCOPUS_AUTHOR_ID, "7004212771", "7004212771"),
        (Scheme.SCOPUS_AUTHOR_ID, " 7004212771\n", "7004212771"),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "https://www.scopus.com/authid/detail.uri?authorId=98765432100",
            "98765432100",
        ),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "http://127.0.0.1:8002/authid/detail.uri?AUTHORID=7004212771&origin=x",
            "7004212771",
        ),
        (Scheme.SCOPUS_AUTHOR_ID, "9-s2.0-98765432100", "98765432100"),
        (Scheme.SCOPUS_AUTHOR_ID, "Scopus Author ID: 7004212771", "7004212771"),
        (Scheme.SCOPUS_EID, "2-s2.0-33745291715", "2-s2.0-33745291715"),
        (Scheme.SCOPUS_EID, "2-S2.0-0033745291", "2-s2.0-0033745291"),
        (
            Scheme.SCOPUS_EID,
            "https://www.scopus.com/record/display.uri?eid=2-s2.0-85012345678&origin=resultslist",
            "2-s2.0-85012345678",
        ),
        (
            Scheme.SCOPUS_EID,
            "https://www.scopus.com/inward/record.uri?partnerID=HzOxMe3b&scp=33745291715",
            "2-s2.0-33745291715",
        ),
        (Scheme.SCOPUS_AUTHOR_EID, "9-s2.0-98765432100", "9-s2.0-98765432100"),
        (
            Scheme.SCOPUS_AUTHOR_EID,
            "https://www.scopus.com/authid/detail.uri?authorId=7004212771",
            "9-s2.0-7004212771",
        ),
        (Scheme.AFID, "60008592", "60008592"),
        (Scheme.AFID, "AF-ID(60008592)", "60008592"),
        (Scheme.AFID, "10-s2.0-60008592", "60008592"),
        (Scheme.AFID, "https://www.scopus.com/affil/profile.uri?afid=60008592", "60008592"),
        (Scheme.AFID, "112587472", "112587472"),
    ],
)
def test_normalise_scopus_accepts_usual_forms(scheme: Scheme, raw: str, expected: str) -> None:
    # when
    value = normalise(scheme, raw)
    # then
    assert value == expected
    assert normalise(scheme, value) == value


@pytest.mark.parametrize(
    ("scheme", "raw", "message"),
    [
        (Scheme.SCOPUS_AUTHOR_ID, "123", "Scopus Author ID must be 10 or 11 digits; '123' has 3"),
        (Scheme.SCOPUS_AUTHOR_ID, "123456789012", "Scopus Author ID must be 10 or 11 digits"),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "9876543210a",
            "Scopus Author ID must contain only digits; '9876543210a' does not",
        ),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "https://www.scopus.com/authid/detail.uri?x=1",
            "Scopus Author ID URL has no authorId parameter",
        ),
        (
            Scheme.SCOPUS_AUTHOR_ID,
            "2-s2.0-33745291715",
            "Scopus Author ID cannot be read from a document EID",
        ),
        (Scheme.SCOPUS_AUTHOR_ID, "٩٨٧٦٥٤٣٢١٠٠", "Scopus Author ID must be written with the"),
        (
            Scheme.SCOPUS_EID,
            "9-s2.0-33745291715",
            "Scopus EID must start with 2-s2.0-; '9-s2.0-…' is an author EID",
        ),
        (Scheme.SCOPUS_EID, "10-s2.0-60008592", "Scopus EID must start with 2-s2.0-; '10-s2.0-"),
        (Scheme.SCOPUS_EID, "2-s2.0-123", "Scopus EID must be 10 or 11 digits; '123' has 3"),
        (Scheme.SCOPUS_EID, "33745291715", "Scopus EID must be 2-s2.0- followed by the Scopus ID"),
        (
            Scheme.SCOPUS_EID,
            "https://www.scopus.com/record/display.uri?origin=x",
            "Scopus EID URL has no eid or scp parameter",
        ),
        (
            Scheme.SCOPUS_AUTHOR_EID,
            "2-s2.0-98765432100",
            "Scopus author EID must start with 9-s2.0-; '2-s2.0-…' is a document EID",
        ),
        (Scheme.AFID, "6000", "Scopus Affiliation ID must be 8 or 9 digits; '6000' has 4"),
        (Scheme.AFID, "AF-ID", "Scopus Affiliation ID has nothing after 'AF-ID'"),
        (Scheme.AFID, "9-s2.0-60008592", "Scopus Affiliation ID cannot be read from an author"),
    ],
)
def test_normalise_scopus_refuses_with_specific_message(
    scheme: Scheme, raw: str, message: str
) -> None:
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    # then
    assert str(caught.value).startswith(message)
    assert caught.value.scheme is scheme


@pytest.mark.parametrize(
    ("scheme", "raw", "upper_case_form_gives"),
    [
        (Scheme.SCOPUS_EID, "2-\u017f2.0-33745291715", "2-s2.0-33745291715"),
        (Scheme.SCOPUS_AUTHOR_EID, "9-\u017f2.0-7004212771", "9-s2.0-7004212771"),
        (Scheme.SCOPUS_AUTHOR_ID, "9-\u017f2.0-7004212771", "7004212771"),
    ],
)
def test_normalise_scopus_eid_matches_ascii_letters_only(
    scheme: Scheme, raw: str, upper_case_form_gives: str
) -> None:
    # given: the long s, which a Unicode case-insensitive match equates with "s"
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    # then: refused, while an upper-case ASCII "S" is still read
    assert caught.value.scheme is scheme
    assert normalise(scheme, raw.replace("\u017f", "S")) == upper_case_form_gives
