"""DOI: every usual form becomes one lower-case 10.x/… value."""

from __future__ import annotations

import pytest

from identifiers import IdentifierError, Scheme, normalise

CANONICAL = "10.1108/02641610610669750"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (CANONICAL, CANONICAL),
        (f"https://doi.org/{CANONICAL}", CANONICAL),
        (f"http://dx.doi.org/{CANONICAL}", CANONICAL),
        (f"https://www.doi.org/{CANONICAL}", CANONICAL),
        (f"doi.org/{CANONICAL}", CANONICAL),
        (f"doi:{CANONICAL}", CANONICAL),
        (f"DOI: {CANONICAL}", CANONICAL),
        (f"DOI {CANONICAL}", CANONICAL),
        (f"info:doi/{CANONICAL}", CANONICAL),
        (f"urn:doi:{CANONICAL}", CANONICAL),
        ("10.1108%2F02641610610669750", CANONICAL),
        ("http://dx.doi.org/10.1002/ASI.20042", "10.1002/asi.20042"),
        ("https://doi.org/10.1000%2Fabc%28def%29", "10.1000/abc(def)"),
        ("https://doi.org/10.1000/abc?utm_source=x#top", "10.1000/abc"),
        ("10.1000.10/xyz", "10.1000.10/xyz"),
        (
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
            "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
        ),
        ("10.1000/x%2541", "10.1000/x%2541"),
        ("10.1000/" + "A" * 247, "10.1000/" + "a" * 247),
    ],
)
def test_normalise_doi_accepts_usual_forms(raw: str, expected: str) -> None:
    # when
    value = normalise(Scheme.DOI, raw)
    # then
    assert value == expected
    assert normalise(Scheme.DOI, value) == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11.1108/abc", "DOI must start with '10.' followed by a registrant code"),
        ("abc", "DOI must start with '10.' followed by a registrant code"),
        ("10.1108", "DOI must have a '/' and a suffix after the registrant code"),
        ("10.1108/", "DOI must have a suffix after the '/'"),
        ("10.1108/ab c", "DOI must not contain spaces"),
        ("10.11/abc", "DOI registrant code '10.11' must be '10.' and 4 to 9 digits"),
        ("10.abcd/abc", "DOI registrant code '10.abcd' must be '10.' and 4 to 9 digits"),
        ("https://example.com/10.1108/abc", "DOI URL must be on doi.org, not example.com"),
        ("https://doi.org/10.1000/a%00b", "DOI contains an invisible or control character"),
        ("https://doi.org/10.1000/%ff", "DOI has a %-escape that is not UTF-8"),
        ("10.1000/abc\u00ad", "DOI contains an invisible or control character (U+00AD)"),
        ("doi:", "DOI must start with '10.'"),
        ("10.1000/" + "a" * 248, "DOI is too long (256 characters; at most 255)"),
    ],
)
def test_normalise_doi_refuses_with_specific_message(raw: str, message: str) -> None:
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.DOI, raw)
    # then
    assert str(caught.value).startswith(message)
    assert caught.value.scheme is Scheme.DOI


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1000/ABC\u0130", "10.1000/abc\u0130"),  # İ stays one character
        ("10.1000/\u212a", "10.1000/\u212a"),  # the Kelvin sign is not the letter K
        ("10.1000/\u00c9T\u00c9", "10.1000/\u00c9t\u00c9"),
    ],
)
def test_normalise_doi_folds_ascii_case_only(raw: str, expected: str) -> None:
    # when: the DOI Handbook makes DOI names case-insensitive for ASCII letters only
    value = normalise(Scheme.DOI, raw)
    # then
    assert value == expected
    assert normalise(Scheme.DOI, value) == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https%3A%2F%2Fdoi.org%2F10.1108%2F02641610610669750", CANONICAL),
        ("doi%3A10.1108%2F02641610610669750", CANONICAL),
        ("https%3A%2F%2Fdoi.org%2F10.1000%2Fa%2525b", "10.1000/a%b"),
    ],
)
def test_normalise_doi_reads_forms_copied_out_of_a_query_string(raw: str, expected: str) -> None:
    # when
    value = normalise(Scheme.DOI, raw)
    # then: decoded once per level of encoding, and never again
    assert value == expected
    assert normalise(Scheme.DOI, value) == value


def test_normalise_doi_encoded_link_elsewhere_is_refused() -> None:
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.DOI, "https%3A%2F%2Fexample.com%2F10.1108%2Fabc")
    assert str(caught.value) == "DOI URL must be on doi.org, not example.com"
