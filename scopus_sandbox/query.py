"""Scopus's advanced search syntax: a small recursive-descent parser and its ORM translation.

Grammar (case-insensitive operators; Scopus's precedence: OR first, then AND, AND NOT last)::

    query    := not_expr
    not_expr := and_expr (("AND NOT" | "NOT") and_expr)*
    and_expr := or_expr ("AND" or_expr)*
    or_expr  := unary ("OR" unary)*
    unary    := "(" query ")" | term
    term     := FIELD "(" text ")" | "PUBYEAR" ("=" | ">" | "<" | "IS" | "AFT" | "BEF") year
              | "ORIG-LOAD-DATE" ("=" | ">" | "<" | "IS" | "AFT" | "BEF") yyyymmdd

Errors raise QuerySyntaxError, which the API answers with Scopus's 400 INVALID_INPUT. Limits keep
hostile input cheap: the length, the number of terms, the nesting depth (the parser recurses), and
control characters (NUL cannot even be stored in PostgreSQL text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

MAX_QUERY_LENGTH = 4_000
# Fields compared with a number rather than matched: digits and how errors describe them.
COMPARED = {"PUBYEAR": (4, "a four-digit year"), "ORIG-LOAD-DATE": (8, "a date as YYYYMMDD")}
MAX_TERMS = 200
MAX_DEPTH = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A field name as typed, letters of any script included, so an error can name what was typed.
_WORD = re.compile(r"[^\W\d_][\w\-]*")


class QuerySyntaxError(ValueError):
    """The query does not follow Scopus's search syntax."""


@dataclass(frozen=True)
class Term:
    """FIELD(value), or PUBYEAR with a comparison."""

    field: str
    value: str
    op: str = "="


@dataclass(frozen=True)
class And:
    """Both sides; `negate_right` for AND NOT."""

    left: Node
    right: Node
    negate_right: bool = False


@dataclass(frozen=True)
class Or:
    """Either side."""

    left: Node
    right: Node


Node = Term | And | Or


class _Parser:
    def __init__(self, text: str, fields: frozenset[str]) -> None:
        self.text = text
        self.pos = 0
        self.fields = fields
        self.terms = 0
        self.depth = 0

    def error(self, message: str) -> QuerySyntaxError:
        return QuerySyntaxError(f"Error parsing query at position {self.pos + 1}: {message}")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek_word(self) -> str:
        self.skip_space()
        match = _WORD.match(self.text, self.pos)
        return match.group(0).upper() if match else ""

    def take_word(self, word: str) -> bool:
        if self.peek_word() == word:
            self.pos += len(word)
            return True
        return False

    def parse(self) -> Node:
        self.skip_space()
        if self.pos >= len(self.text):
            raise self.error("the query is empty")
        node = self.not_expr()
        self.skip_space()
        if self.pos < len(self.text):
            raise self.error(f"unexpected {self.text[self.pos : self.pos + 20]!r}")
        return node

    def and_not_ahead(self) -> bool:
        saved = self.pos
        found = self.take_word("AND") and self.take_word("NOT")
        self.pos = saved
        return found

    def not_expr(self) -> Node:
        node = self.and_expr()
        while True:
            if self.and_not_ahead():
                self.take_word("AND")
            elif self.peek_word() != "NOT":
                return node
            self.take_word("NOT")
            node = And(node, self.and_expr(), negate_right=True)

    def and_expr(self) -> Node:
        node = self.or_expr()
        while not self.and_not_ahead() and self.take_word("AND"):
            node = And(node, self.or_expr())
        return node

    def or_expr(self) -> Node:
        node = self.unary()
        while self.take_word("OR"):
            node = Or(node, self.unary())
        return node

    def unary(self) -> Node:
        self.skip_space()
        if self.text.startswith("(", self.pos):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"parentheses nested deeper than {MAX_DEPTH}")
            self.pos += 1
            node = self.not_expr()
            self.depth -= 1
            self.skip_space()
            if not self.text.startswith(")", self.pos):
                raise self.error("missing closing parenthesis")
            self.pos += 1
            return node
        return self.term()

    def term(self) -> Term:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise self.error(f"more than {MAX_TERMS} search terms")
        field = self.peek_word()
        if not field:
            raise self.error("expected a field such as AU-ID(...)")
        if field in {"AND", "OR", "NOT"}:
            raise self.error(f"operator {field} without a search term before it")
        if field not in self.fields:
            raise self.error(f"unknown field {field}")
        self.pos += len(field)
        self.skip_space()
        if field in COMPARED:
            return self.comparison(field)
        if not self.text.startswith("(", self.pos):
            raise self.error(f"{field} must be followed by (")
        self.pos += 1
        depth, start = 1, self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                value = self.text[start : self.pos].strip().strip('"{}').strip()
                self.pos += 1
                if not value:
                    raise self.error(f"{field}() is empty")
                return Term(field, value)
            self.pos += 1
        raise self.error(f"{field}( is not closed")

    def comparison(self, field: str) -> Term:
        """PUBYEAR 2006, ORIG-LOAD-DATE AFT 20261101: a field compared with a number."""
        op = ""
        if self.pos < len(self.text) and self.text[self.pos] in "=<>":
            op = self.text[self.pos]
            self.pos += 1
        else:
            word = self.peek_word()
            if word in {"IS", "AFT", "BEF"}:
                self.pos += len(word)
                op = {"IS": "=", "AFT": ">", "BEF": "<"}[word]
        if not op:
            raise self.error(f"{field} needs =, >, <, IS, AFT or BEF")
        self.skip_space()
        digits, shape = COMPARED[field]
        match = re.match(rf"\d{{{digits}}}\b", self.text[self.pos :])
        if not match:
            raise self.error(f"{field} needs {shape}")
        self.pos += digits
        return Term(field, match.group(0), op)


def parse_query(text: str, fields: frozenset[str]) -> Node:
    """The syntax tree of a Scopus query over the given fields."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"The query is longer than {MAX_QUERY_LENGTH} characters")
    control = _CONTROL.search(text)
    if control:
        raise QuerySyntaxError(
            f"Error parsing query at position {control.start() + 1}: "
            f"control character U+{ord(control.group(0)):04X} is not allowed"
        )
    return _Parser(text, fields).parse()


def to_q(node: Node, term_to_q: Callable[[Term], Q]) -> Q:
    """Translate a syntax tree to a Django Q with a function for each term."""
    if isinstance(node, Term):
        return term_to_q(node)
    if isinstance(node, Or):
        return to_q(node.left, term_to_q) | to_q(node.right, term_to_q)
    right = to_q(node.right, term_to_q)
    return to_q(node.left, term_to_q) & (~right if node.negate_right else right)
