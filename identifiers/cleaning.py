"""Checks every scheme shares, applied to raw input before any scheme-specific parsing.

Decisions, so that every scheme answers alike:
- Leading and trailing white space is ignored (people paste with spaces and line breaks).
- A label naming the scheme ("ORCID iD:", "DOI", "ISSN", "PMID:", "EID" …) may stand before the
  value or before its link, as CVs and reference lists print them; it is dropped.
- Input longer than MAX_INPUT_LENGTH is refused before anything else looks at it, so a
  megabyte of text costs one length check; every pattern in this package is anchored and has
  no nested repetition, so no input can make a pattern backtrack catastrophically.
- No canonical value is longer than MAX_VALUE_LENGTH (only a DOI could be): a database column of
  that width always holds a value normalise() returned.
- Control and invisible characters (NUL, zero-width space, BOM, soft hyphen, private-use …)
  are refused and named by code point, never silently dropped: a stored value must be the
  value the person sees.
- Digits other than ASCII 0-9 (full-width "０", Arabic-Indic "٠", superscript "²" …) are
  refused with a message naming the character: they look right on screen but would never match
  the same identifier typed elsewhere.
- Unicode dashes (hyphen, non-breaking hyphen, en dash, minus …), common in text copied from
  PDFs and word processors, are read as "-" by the schemes made of digits and separators. DOIs
  keep them: a dash in a DOI suffix is part of the name.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, urlsplit

from identifiers.errors import IdentifierError
from identifiers.schemes import Scheme

MAX_INPUT_LENGTH = 300
# No canonical value is longer than this, so a CharField(max_length=255) always holds one.
MAX_VALUE_LENGTH = 255

# Characters people (or their software) use for a hyphen; all read as "-" in digit schemes.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_HTTP = re.compile(r"https?://", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s-]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")
# Line and paragraph separators break a value as invisibly as a newline (which is "Cc").
_SEPARATOR_LINES = {"Zl", "Zp"}


def clean(scheme: Scheme, raw: object) -> str:
    """The stripped input, or IdentifierError if it is empty, too long or has odd characters."""
    if not isinstance(raw, str):
        raise IdentifierError(scheme, repr(raw)[:50], "must be text")
    if len(raw) > MAX_INPUT_LENGTH * 4:
        # Refuse absurd input before even stripping it.
        raise _too_long(scheme, raw)
    value = raw.strip()
    if not value:
        raise IdentifierError(scheme, raw, "is empty")
    if len(value) > MAX_INPUT_LENGTH:
        raise _too_long(scheme, raw)
    check_characters(scheme, value, raw)
    return value


def check_characters(scheme: Scheme, value: str, raw: str) -> None:
    """Refuse control and invisible characters, and digits other than 0-9."""
    for character in value:
        if character.isascii() and character.isprintable():
            continue
        category = unicodedata.category(character)
        if category[0] == "C" or category in _SEPARATOR_LINES:
            raise IdentifierError(
                scheme,
                raw,
                f"contains an invisible or control character (U+{ord(character):04X})",
            )
        if character.isdigit():
            raise IdentifierError(
                scheme, raw, f"must be written with the digits 0-9, not '{character}'"
            )


def _too_long(scheme: Scheme, raw: str) -> IdentifierError:
    return IdentifierError(
        scheme, raw[:50], f"is too long ({len(raw.strip())} characters; at most {MAX_INPUT_LENGTH})"
    )


def unify_dashes(value: str) -> str:
    """The value with every Unicode dash read as an ASCII hyphen."""
    return value.translate(_DASHES)


def compact(value: str) -> str:
    """The value without spaces or hyphens, upper-cased (for check-digit schemes)."""
    return _SEPARATORS.sub("", unify_dashes(value)).upper()


def is_ascii_digits(value: str) -> bool:
    """True for a non-empty run of 0-9 only (str.isdigit also accepts '²' and '٣')."""
    return _ASCII_DIGITS.fullmatch(value) is not None


def http_url(value: str) -> SplitResult | None:
    """The parts of an http(s) URL, or None when the value is not one."""
    if not _HTTP.match(value):
        return None
    try:
        return urlsplit(value)
    except ValueError:
        # urlsplit refuses some malformed hosts (an unclosed "[" for instance).
        return None


def host_of(url: SplitResult) -> str:
    """The lower-case host of a URL, without a leading www."""
    try:
        host = (url.hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def strip_label(scheme: Scheme, value: str, labels: tuple[str, ...], raw: str) -> str:
    """The value without a leading label such as 'ISSN:' or 'PMID ' (case-insensitive)."""
    lowered = value.lower()
    for label in labels:
        if lowered.startswith(label):
            rest = value[len(label) :].lstrip(" :").strip()
            if not rest:
                raise IdentifierError(scheme, raw, f"has nothing after '{value.strip(' :')}'")
            return rest
    return value


def describe_sizes(sizes: range) -> str:
    """'10 or 11', '8' or '1 to 10' for a range of allowed lengths."""
    if len(sizes) == 1:
        return str(sizes.start)
    if len(sizes) == 2:
        return f"{sizes.start} or {sizes.stop - 1}"
    return f"{sizes.start} to {sizes.stop - 1}"


def shown(value: str, limit: int = 40) -> str:
    """A part of the input fit to quote in a message: printable and not too long."""
    printable = "".join(c if c.isprintable() else "?" for c in value[: limit + 1])
    return printable if len(printable) <= limit else printable[:limit] + "…"


def require_digits(scheme: Scheme, value: str, sizes: range, raw: str) -> str:
    """The value if it is 0-9 only and of an allowed length; else IdentifierError."""
    if not is_ascii_digits(value):
        raise IdentifierError(scheme, raw, f"must contain only digits; '{shown(value)}' does not")
    if len(value) not in sizes:
        raise IdentifierError(
            scheme,
            raw,
            f"must be {describe_sizes(sizes)} digits; '{shown(value)}' has {len(value)}",
        )
    return value
