"""The search-syntax parser: precedence, PUBYEAR comparisons, and its refusals."""

from __future__ import annotations

import pytest

from scopus_sandbox.queries import DOCUMENT_FIELDS
from scopus_sandbox.query import And, Or, QuerySyntaxError, Term, parse_query

FIELDS = frozenset({"AU-ID", "TITLE", "PUBYEAR", "ORCID"})


def test_or_binds_tighter_than_and_and_and_not_is_last():
    # when
    tree = parse_query("AU-ID(1) AND NOT AU-ID(2) AND AU-ID(3) OR AU-ID(4)", FIELDS)
    # then: 1 AND NOT (2 AND (3 OR 4)), as Scopus processes OR, then AND, then AND NOT
    assert tree == And(
        Term("AU-ID", "1"),
        And(Term("AU-ID", "2"), Or(Term("AU-ID", "3"), Term("AU-ID", "4"))),
        negate_right=True,
    )


def test_fifty_levels_of_parentheses_are_allowed():
    # when
    tree = parse_query("(" * 50 + "AU-ID(1)" + ")" * 50, FIELDS)
    # then
    assert tree == Term("AU-ID", "1")


def test_tabs_and_newlines_are_whitespace_not_control_characters():
    assert parse_query("AU-ID(1)\tOR\r\nAU-ID(2)", FIELDS) == Or(
        Term("AU-ID", "1"), Term("AU-ID", "2")
    )


def test_parentheses_and_nested_values():
    # when
    tree = parse_query('(TITLE("Hong Kong (HK)") or au-id(5))', FIELDS)
    # then
    assert tree == Or(Term("TITLE", "Hong Kong (HK)"), Term("AU-ID", "5"))


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("PUBYEAR > 2005", ">"),
        ("PUBYEAR=2006", "="),
        ("PUBYEAR IS 2006", "="),
        ("pubyear bef 2010", "<"),
        ("PUBYEAR AFT 2001", ">"),
    ],
)
def test_pubyear_comparisons(text, op):
    parsed = parse_query(text, FIELDS)
    assert isinstance(parsed, Term)
    assert parsed == Term("PUBYEAR", parsed.value, op)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("AU-ID(", "not closed"),
        ("AU-ID()", "is empty"),
        ("AU-ID(1) AND", "expected a field"),
        ("OR AU-ID(1)", "operator OR"),
        ("FOO(1)", "unknown field FOO"),
        ("AU-ID 1", "must be followed by"),
        ("(AU-ID(1)", "closing parenthesis"),
        ("AU-ID(1))", "unexpected"),
        ("PUBYEAR 2006", "PUBYEAR needs"),
        ("PUBYEAR > 06", "four-digit"),
        ("x" * 5000, "longer than"),
        ("AU-ID(1) OR " * 250 + "AU-ID(1)", "more than 200"),
        ("(" * 51 + "AU-ID(1)" + ")" * 51, "nested deeper than 50"),
        ("(" * 2_000, "nested deeper than 50"),
        ("TITLE(a\x00b)", "position 8: control character U\\+0000"),
        ("TÍTLE(x)", "unknown field TÍTLE"),
    ],
)
def test_syntax_errors_say_where_and_why(text, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse_query(text, FIELDS)


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("ORIG-LOAD-DATE AFT 20261101", ">"),
        ("ORIG-LOAD-DATE > 20261101", ">"),
        ("ORIG-LOAD-DATE BEF 20261101", "<"),
        ("ORIG-LOAD-DATE IS 20261101", "="),
    ],
)
def test_load_date_comparisons(text, op):
    node = parse_query(text, DOCUMENT_FIELDS)
    assert node == Term("ORIG-LOAD-DATE", "20261101", op)


@pytest.mark.parametrize(
    "text",
    ["ORIG-LOAD-DATE AFT 2026", "ORIG-LOAD-DATE 20261101", "ORIG-LOAD-DATE AFT 2026-11-01"],
)
def test_load_date_needs_an_operator_and_eight_digits(text):
    with pytest.raises(QuerySyntaxError, match="ORIG-LOAD-DATE needs"):
        parse_query(text, DOCUMENT_FIELDS)
