"""ISBN and ISSN: check digits, ISBN-10 → ISBN-13, and the hyphenated forms."""

from __future__ import annotations

import pytest

from identifiers import IdentifierError, Scheme, display, normalise


@pytest.mark.parametrize(
    ("scheme", "raw", "expected"),
    [
        (Scheme.ISBN, "0-306-40615-2", "9780306406157"),
        (Scheme.ISBN, "978-0-306-40615-7", "9780306406157"),
        (Scheme.ISBN, "ISBN 978 0 306 40615 7", "9780306406157"),
        (Scheme.ISBN, "ISBN-10: 0-306-40615-2", "9780306406157"),
        (Scheme.ISBN, "0-8044-2957-x", "9780804429573"),
        (Scheme.ISBN, "979-10-90636-07-1", "9791090636071"),
        (Scheme.ISBN, "978\u20130\u2013306\u201340615\u20137", "9780306406157"),
        (Scheme.ISSN, "0264-1615", "0264-1615"),
        (Scheme.ISSN, "02641615", "0264-1615"),
        (Scheme.ISSN, "ISSN 2434-561x", "2434-561X"),
        (Scheme.ISSN, "eISSN: 0264-1615", "0264-1615"),
        (Scheme.ISSN, "https://portal.issn.org/resource/ISSN/0264-1615", "0264-1615"),
    ],
)
def test_normalise_books_accepts_usual_forms(scheme: Scheme, raw: str, expected: str) -> None:
    # when
    value = normalise(scheme, raw)
    # then
    assert value == expected
    assert normalise(scheme, value) == value


@pytest.mark.parametrize(
    ("scheme", "raw", "message"),
    [
        (Scheme.ISBN, "0-306-40615-3", "ISBN check digit should be 2, not 3"),
        (Scheme.ISBN, "0-8044-2957-1", "ISBN check digit should be X, not 1"),
        (Scheme.ISBN, "978-0-306-40615-8", "ISBN check digit should be 7, not 8"),
        (Scheme.ISBN, "977-0-306-40615-7", "ISBN of 13 digits must start with 978 or 979"),
        (Scheme.ISBN, "978-0-306-40615-X", "ISBN of 13 characters must be all digits"),
        (Scheme.ISBN, "X-306-40615-2", "ISBN of 10 characters must be 9 digits and a check"),
        (Scheme.ISBN, "0-00-000000-0", "ISBN of all zeros is a placeholder, not a number"),
        (Scheme.ISBN, "12345", "ISBN must have 10 or 13 digits; '12345' has 5 characters"),
        (Scheme.ISBN, "ISBN", "ISBN has nothing after 'ISBN'"),
        (Scheme.ISBN, "978030640615²", "ISBN must be written with the digits 0-9, not '²'"),
        (Scheme.ISSN, "0264-1616", "ISSN check digit should be 5, not 6"),
        (Scheme.ISSN, "2434-5611", "ISSN check digit should be X, not 1"),
        (Scheme.ISSN, "0264-16", "ISSN must be 7 digits and a check digit or X"),
        (Scheme.ISSN, "X264-1615", "ISSN must be 7 digits and a check digit or X"),
        (Scheme.ISSN, "https://example.org/0264-1615", "ISSN URL must be on portal.issn.org"),
    ],
)
def test_normalise_books_refuses_with_specific_message(
    scheme: Scheme, raw: str, message: str
) -> None:
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    # then
    assert str(caught.value).startswith(message)
    assert caught.value.scheme is scheme


def test_display_isbn_hyphenates_by_registration_ranges() -> None:
    assert display(Scheme.ISBN, "9780306406157") == "978-0-306-40615-7"
    assert display(Scheme.ISBN, "9791090636071") == "979-10-90636-07-1"


def test_display_isbn_outside_known_ranges_shows_the_digits(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given: 979-0 is reserved for printed music (ISMN) and has no ISBN ranges
    value = normalise(Scheme.ISBN, "9790000000001")
    # when
    shown = display(Scheme.ISBN, value)
    # then
    assert shown == value
    assert not caplog.records
