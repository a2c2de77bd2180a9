"""Properties that hold for every input, checked with generated values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from identifiers import IdentifierError, Scheme, display, normalise, orcid_check_digit
from identifiers import detect as detect_all
from identifiers.checksums import mod11_2_check_character

DIGITS = st.text(alphabet="0123456789", min_size=15, max_size=15)
CHECK_CHARACTERS = "0123456789X"


@given(DIGITS)
def test_orcid_with_computed_check_digit_is_accepted(base: str) -> None:
    # given
    raw = base + orcid_check_digit(base)
    # when
    value = normalise(Scheme.ORCID, raw)
    # then
    assert value.replace("-", "") == raw
    assert normalise(Scheme.ORCID, display(Scheme.ORCID, value)) == value


@given(DIGITS, st.sampled_from(CHECK_CHARACTERS))
def test_orcid_with_any_other_check_digit_is_refused_exactly(base: str, check: str) -> None:
    expected = mod11_2_check_character(base)
    raw = base + check
    if check == expected:
        assert normalise(Scheme.ORCID, raw)
        return
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.ORCID, raw)
    assert str(caught.value) == f"ORCID iD check digit should be {expected}, not {check}"


@given(DIGITS)
def test_isni_round_trips_through_display(base: str) -> None:
    value = base + mod11_2_check_character(base)
    assert normalise(Scheme.ISNI, display(Scheme.ISNI, value)) == value


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_isbn10_and_its_isbn13_normalise_alike(base: str) -> None:
    total = sum(int(d) * w for d, w in zip(base, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    isbn10 = base + ("X" if check == 10 else str(check))
    isbn13 = normalise(Scheme.ISBN, isbn10)
    assert normalise(Scheme.ISBN, display(Scheme.ISBN, isbn13)) == isbn13
    assert normalise(Scheme.ISBN, isbn13) == isbn13


@given(
    st.from_regex(r"10\.[0-9]{4,9}/[A-Za-z0-9._;()/:-]{1,40}", fullmatch=True),
    st.sampled_from(["", "doi:", "https://doi.org/", "http://dx.doi.org/", "DOI "]),
)
def test_doi_forms_agree_and_are_lower_case(doi: str, prefix: str) -> None:
    value = normalise(Scheme.DOI, prefix + doi)
    assert value == doi.lower()
    assert normalise(Scheme.DOI, value) == value


@given(st.sampled_from(list(Scheme)), st.text(max_size=400))
def test_random_text_raises_only_identifier_error(scheme: Scheme, raw: str) -> None:
    if scheme not in detect_all(raw):
        with pytest.raises(IdentifierError) as caught:
            normalise(scheme, raw)
        assert str(caught.value).startswith(scheme.label)
        return
    value = normalise(scheme, raw)
    assert normalise(scheme, value) == value
