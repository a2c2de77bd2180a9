"""ORCID iD: the forms people paste are accepted, and each fault is named precisely."""

from __future__ import annotations

import pytest

from identifiers import IdentifierError, Scheme, normalise, orcid_check_digit, orcid_from_digits


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("0000000218250097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        (" http://sandbox.orcid.org/0000-0002-1694-233x/ ", "0000-0002-1694-233X"),
        ("orcid.org/0009-0003-7578-3214", "0009-0003-7578-3214"),
        ("0000 0002 1825 0097", "0000-0002-1825-0097"),
        ("0000\u20110002\u20111825\u20110097", "0000-0002-1825-0097"),
        ("0000\u00a00002\u00a01825\u00a00097", "0000-0002-1825-0097"),
        ("ORCID iD: 0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://127.0.0.1:8001/0000-0000-0000-0001", "0000-0000-0000-0001"),
        ("0000-0000-0000-0001", "0000-0000-0000-0001"),
    ],
)
def test_normalise_orcid_accepts_usual_forms(raw: str, expected: str) -> None:
    # when
    value = normalise(Scheme.ORCID, raw)
    # then
    assert value == expected
    assert normalise(Scheme.ORCID, value) == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0000-0000-0000-0000", "ORCID iD check digit should be 1, not 0"),
        ("0000-0002-1825-0098", "ORCID iD check digit should be 7, not 8"),
        ("0000-0002-1694-2331", "ORCID iD check digit should be X, not 1"),
        ("0000-0002-1825", "ORCID iD must be 16 characters in four groups of four"),
        ("0000-0002-1825-0097-0", "ORCID iD must be 16 characters in four groups of four"),
        ("<b>0000</b>", "ORCID iD must be 16 characters in four groups of four"),
        ("https://orcid.org/0000-0002-1825-0097/works", "ORCID iD must be 16 characters"),
        ("https://isni.org/isni/0000000218250097", "ORCID iD URL must be an ORCID link"),
        ("ORCID iD:", "ORCID iD has nothing after 'ORCID iD'"),
    ],
)
def test_normalise_orcid_refuses_with_specific_message(raw: str, message: str) -> None:
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.ORCID, raw)
    # then
    assert str(caught.value).startswith(message)
    assert caught.value.scheme is Scheme.ORCID
    assert caught.value.value == raw
    assert str(caught.value) == f"ORCID iD {caught.value.reason}"


def test_orcid_check_digit_matches_published_examples() -> None:
    # then: examples from ORCID's documentation of the identifier's structure
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"
    assert orcid_check_digit("000000000000000") == "1"


@pytest.mark.parametrize("base", ["", "00000002182500", "0000000218250097", "00000002182500a"])
def test_orcid_check_digit_refuses_anything_but_15_digits(base: str) -> None:
    with pytest.raises(ValueError, match="exactly 15 digits"):
        orcid_check_digit(base)


def test_orcid_from_digits_hyphenates_and_appends_the_check_character() -> None:
    # given the first 15 digits of ORCID's published examples
    # when / then
    assert orcid_from_digits("000000021825009") == "0000-0002-1825-0097"
    assert orcid_from_digits("000000021694233") == "0000-0002-1694-233X"
    assert normalise(Scheme.ORCID, orcid_from_digits("000000000000042")) == (
        orcid_from_digits("000000000000042")
    )
