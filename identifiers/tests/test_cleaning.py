"""Hostile and odd input is refused the same way by every scheme, quickly and clearly."""

from __future__ import annotations

import pytest

from identifiers import MAX_INPUT_LENGTH, IdentifierError, Scheme, normalise

ALL_SCHEMES = list(Scheme)


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
@pytest.mark.parametrize("raw", ["", "   ", "\n\t ", "\u3000"])
def test_clean_refuses_empty_input(scheme: Scheme, raw: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    assert str(caught.value) == f"{scheme.label} is empty"


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
@pytest.mark.parametrize("size", [MAX_INPUT_LENGTH + 1, 10_000, 5_000_000])
def test_clean_refuses_long_input_before_parsing(scheme: Scheme, size: int) -> None:
    # given: a pattern-hostile body (many digits and hyphens) of the size asked for
    raw = ("0000-" * size)[:size]
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    # then
    assert str(caught.value).startswith(f"{scheme.label} is too long (")
    assert f"at most {MAX_INPUT_LENGTH}" in str(caught.value)
    assert len(caught.value.value) <= 50


def test_clean_counts_length_after_stripping() -> None:
    # given: a valid iD padded with white space beyond the limit
    raw = " " * MAX_INPUT_LENGTH + "0000-0002-1825-0097" + " " * 10
    # then
    assert normalise(Scheme.ORCID, raw) == "0000-0002-1825-0097"


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
@pytest.mark.parametrize(
    ("character", "code"),
    [
        ("\x00", "0000"),
        ("\x1b", "001B"),
        ("\u200b", "200B"),
        ("\ufeff", "FEFF"),
        ("\t", "0009"),
        ("\u2028", "2028"),
        ("\u2029", "2029"),
    ],
)
def test_clean_names_control_characters(scheme: Scheme, character: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, f"12{character}34")
    assert str(caught.value) == (
        f"{scheme.label} contains an invisible or control character (U+{code})"
    )


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
@pytest.mark.parametrize(
    "raw",
    [
        "００００-０００２-１８２５-００９７",  # full-width
        "٠٠٠٠-٠٠٠٢-١٨٢٥-٠٠٩٧",  # Arabic-Indic
        "۰۰۰۰۰۰۰۲۱۸۲۵۰۰۹۷",  # extended Arabic-Indic (Persian)
        "०००००००२१८२५००९७",  # Devanagari
    ],
)
def test_clean_refuses_non_ascii_digits_by_name(scheme: Scheme, raw: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    assert (
        str(caught.value) == f"{scheme.label} must be written with the digits 0-9, not '{raw[0]}'"
    )


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
@pytest.mark.parametrize(
    "raw",
    [
        "'; DROP TABLE portal_person; --",
        "1 OR 1=1",
        "<script>alert('x')</script>",
        '"><img src=x onerror=alert(1)>',
        "../../etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_clean_refuses_sql_and_html(scheme: Scheme, raw: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)
    assert str(caught.value).startswith(scheme.label + " ")


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
@pytest.mark.parametrize("raw", [None, 12345, b"0000-0002-1825-0097", ["x"]])
def test_clean_refuses_non_text(scheme: Scheme, raw: object) -> None:
    with pytest.raises(IdentifierError) as caught:
        normalise(scheme, raw)  # type: ignore[arg-type]
    assert str(caught.value) == f"{scheme.label} must be text"


def test_error_message_quotes_odd_input_printably() -> None:
    # given: a value whose quoted part would otherwise carry an escape sequence
    raw = "https://www.scopus.com/authid/detail.uri?authorId=%1b%5b31m123"
    # when
    with pytest.raises(IdentifierError) as caught:
        normalise(Scheme.SCOPUS_AUTHOR_ID, raw)
    # then
    assert "\x1b" not in str(caught.value)
    assert str(caught.value) == "Scopus Author ID must contain only digits; '?[31m123' does not"
