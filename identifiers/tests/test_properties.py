"""Properties that hold for every input, checked with generated values (hypothesis)."""

from __future__ import annotations

import idutils
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from identifiers import (
    MAX_VALUE_LENGTH,
    IdentifierError,
    Scheme,
    detect,
    display,
    normalise,
    orcid_check_digit,
    url_for,
)
from identifiers.checksums import (
    isbn10_check_character,
    isbn13_check_digit,
    issn_check_character,
    mod11_2_check_character,
)


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


CHECK_CHARACTERS = "0123456789X"

# One strategy of valid canonical values per scheme.
CANONICAL: dict[Scheme, st.SearchStrategy[str]] = {
    Scheme.ORCID: digits(15).map(
        lambda b: "-".join((b + orcid_check_digit(b))[i : i + 4] for i in range(0, 16, 4))
    ),
    Scheme.SCOPUS_AUTHOR_ID: st.one_of(digits(10), digits(11)),
    Scheme.SCOPUS_EID: st.one_of(digits(10), digits(11)).map(lambda d: f"2-s2.0-{d}"),
    Scheme.SCOPUS_AUTHOR_EID: st.one_of(digits(10), digits(11)).map(lambda d: f"9-s2.0-{d}"),
    Scheme.AFID: st.one_of(digits(8), digits(9)),
    Scheme.DOI: st.from_regex(
        r"10\.[0-9]{4,9}(\.[0-9]{1,3})?/[a-z0-9._;()/:<>-]{1,40}", fullmatch=True
    ),
    Scheme.ISBN: st.tuples(st.sampled_from(["978", "979"]), digits(9)).map(
        lambda p: p[0] + p[1] + isbn13_check_digit(p[0] + p[1])
    ),
    Scheme.ISSN: digits(7).map(lambda b: f"{b[:4]}-{b[4:]}{issn_check_character(b)}"),
    Scheme.RESEARCHER_ID: st.from_regex(r"[A-Z]{1,3}-[0-9]{4}-(19|20)[0-9]{2}", fullmatch=True),
    Scheme.ISNI: digits(15).map(lambda b: b + mod11_2_check_character(b)),
    Scheme.PMID: st.integers(min_value=1, max_value=9_999_999_999).map(str),
}
CANONICAL_VALUES = st.sampled_from(list(Scheme)).flatmap(
    lambda scheme: st.tuples(st.just(scheme), CANONICAL[scheme])
)


def test_every_scheme_has_a_canonical_strategy() -> None:
    assert set(CANONICAL) == set(Scheme)


@given(CANONICAL_VALUES)
def test_canonical_values_are_fixed_points_of_normalise_and_display(
    pair: tuple[Scheme, str],
) -> None:
    # given
    scheme, value = pair
    # then
    assert normalise(scheme, value) == value
    assert normalise(scheme, display(scheme, value)) == value
    assert scheme in detect(value)


@given(digits(15))
def test_orcid_with_computed_check_digit_is_accepted(base: str) -> None:
    # given
    raw = base + orcid_check_digit(base)
    # when
    value = normalise(Scheme.ORCID, raw)
    # then
    assert value.replace("-", "") == raw
    assert normalise(Scheme.ORCID, f"https://orcid.org/{value}") == value


@given(digits(15), st.sampled_from(CHECK_CHARACTERS))
def test_orcid_with_any_other_check_digit_is_refused_exactly(base: str, check: str) -> None:
    # given
    expected = orcid_check_digit(base)
    raw = f"{base[:4]}-{base[4:8]}-{base[8:12]}-{base[12:]}{check}"
    if check == expected:
        assert normalise(Scheme.ORCID, raw) == raw
        return
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.ORCID, raw)
    # then
    assert str(caught.value) == f"ORCID iD check digit should be {expected}, not {check}"


# ORCID's issued blocks, as idutils knows them (first 15 digits as a number).
ISSUED_ORCID_BASES = (
    st.sampled_from(idutils.orcid_isni_ranges)
    .flatmap(lambda block: st.integers(min_value=block[0], max_value=block[1]))
    .map(lambda number: f"{number:015d}")
)


@given(ISSUED_ORCID_BASES, st.sampled_from(CHECK_CHARACTERS), st.sampled_from(["", "-", " "]))
def test_orcid_agrees_with_idutils_within_issued_blocks(
    base: str, check: str, separator: str
) -> None:
    # given: an iD in a block ORCID issues from, written in one of the usual ways
    raw = separator.join((base + check)[i : i + 4] for i in range(0, 16, 4))
    # when
    try:
        value = normalise(Scheme.ORCID, raw)
    except IdentifierError:
        value = None
    # then: accepted exactly when idutils accepts it, and normalised alike
    assert (value is not None) == idutils.is_orcid(raw)
    if value is not None:
        assert value == idutils.normalize_orcid(raw)


@given(digits(15), st.sampled_from(CHECK_CHARACTERS))
def test_isni_agrees_with_idutils(base: str, check: str) -> None:
    # given
    raw = base + check
    # when
    try:
        normalise(Scheme.ISNI, raw)
        accepted = True
    except IdentifierError:
        accepted = False
    # then
    assert accepted == idutils.is_isni(raw)


@given(digits(7), st.sampled_from(CHECK_CHARACTERS))
def test_issn_agrees_with_idutils(base: str, check: str) -> None:
    raw = f"{base[:4]}-{base[4:]}{check}"
    try:
        normalise(Scheme.ISSN, raw)
        accepted = True
    except IdentifierError:
        accepted = False
    assert accepted == idutils.is_issn(raw)


@given(
    st.one_of(
        st.tuples(digits(9), st.sampled_from(CHECK_CHARACTERS)).map("".join),
        st.tuples(st.sampled_from(["978", "979"]), digits(10)).map("".join),
    )
)
@example("0000000000")
def test_isbn_agrees_with_idutils(raw: str) -> None:
    try:
        value = normalise(Scheme.ISBN, raw)
    except IdentifierError:
        value = None
    assert (value is not None) == (idutils.is_isbn10(raw) or idutils.is_isbn13(raw))
    if value is not None and len(raw) == 10:
        assert raw[9] == isbn10_check_character(raw[:9])
        assert value[3:12] == raw[:9]


@given(
    st.from_regex(r"10\.[0-9]{4,9}/[A-Za-z0-9._;()/:-]{1,40}", fullmatch=True),
    st.sampled_from(["", "doi:", "DOI: ", "https://doi.org/", "http://dx.doi.org/", "DOI "]),
)
def test_doi_forms_agree_and_are_lower_case(doi: str, prefix: str) -> None:
    # when
    value = normalise(Scheme.DOI, prefix + doi)
    # then
    assert value == doi.lower()
    assert idutils.is_doi(value)
    assert idutils.normalize_doi(value) == value


@given(st.integers(min_value=1, max_value=9_999_999_999), st.integers(0, 3))
def test_pmid_agrees_with_idutils(number: int, zeros: int) -> None:
    raw = "0" * zeros + str(number)
    assert normalise(Scheme.PMID, raw) == idutils.normalize_pmid(raw).lstrip("0")


# Text made mostly of the characters identifiers are made of, so that generated values reach
# deep into the parsers rather than failing at the first character.
IDENTIFIER_ISH = st.lists(
    st.one_of(
        st.sampled_from(list("0123456789-Xx ./:%s2")),
        st.sampled_from(["10.", "2-s2.0-", "9-s2.0-", "https://", "doi.org/", "orcid.org/"]),
        st.characters(),
    ),
    max_size=30,
).map("".join)


@given(st.sampled_from(list(Scheme)), st.one_of(st.text(max_size=400), IDENTIFIER_ISH))
def test_random_text_raises_only_identifier_error(scheme: Scheme, raw: str) -> None:
    # when
    refusal: IdentifierError | None = None
    try:
        value = normalise(scheme, raw)
    except IdentifierError as error:
        refusal = error
    # then: a refusal always names the scheme
    if refusal is not None:
        assert str(refusal).startswith(scheme.label + " ")
        assert refusal.scheme is scheme
        assert scheme not in detect(raw)
        return
    # then: an accepted value is canonical, fits a column, is shown and linked without error
    assert len(value) <= MAX_VALUE_LENGTH
    assert normalise(scheme, value) == value
    assert normalise(scheme, display(scheme, value)) == value
    assert scheme in detect(raw)
    url = url_for(scheme, value)
    assert url is None or url.startswith("https://")


@given(st.sampled_from(list(Scheme)), st.text(max_size=100))
def test_display_and_url_for_never_raise_on_stored_garbage(scheme: Scheme, value: str) -> None:
    shown = display(scheme, value)
    assert isinstance(shown, str)
    url = url_for(scheme, value)
    assert url is None or not any(character.isspace() for character in url)
