"""Book and serial numbers: ISBN (10 or 13) and ISSN.

ISBN: accepted with or without hyphens or spaces, with an "ISBN", "ISBN-10" or "ISBN-13" label,
as ISBN-10 (last character may be X) or ISBN-13 (978 or 979). Stored as the 13 digits of the
ISBN-13, ISBN-10s converted, so one book has one stored value; shown hyphenated by the ISBN
agency's ranges (isbnlib, via idutils), or as the 13 digits where the ranges do not say.

ISSN: accepted with or without the hyphen, with an "ISSN", "eISSN", "pISSN" or "ISSN-L" label,
or as a portal.issn.org URL. Stored and shown as "0264-1615", with an upper-case X.
"""

from __future__ import annotations

import logging
import re

import idutils

from identifiers.checksums import isbn10_check_character, isbn13_check_digit, issn_check_character
from identifiers.cleaning import clean, compact, host_of, http_url, shown, strip_label
from identifiers.errors import IdentifierError
from identifiers.schemes import Scheme

# isbnlib logs a warning for every ISBN outside its published ranges; display() falls back to
# the digits for those, so the warning would only flood the logs of pages listing such books.
logging.getLogger("isbnlib._msk").setLevel(logging.ERROR)

_ISBN_LABELS = ("isbn-13", "isbn-10", "isbn13", "isbn10", "isbn")
_ISSN_LABELS = ("issn-l", "eissn", "e-issn", "pissn", "p-issn", "issn")
_ISBN10 = re.compile(r"[0-9]{9}[0-9X]")
_ISBN13 = re.compile(r"[0-9]{13}")
_ISSN = re.compile(r"[0-9]{7}[0-9X]")


def normalise_isbn(raw: str) -> str:
    """ISBN-10 or ISBN-13, hyphens optional → the 13 digits of its ISBN-13."""
    value = strip_label(Scheme.ISBN, clean(Scheme.ISBN, raw), _ISBN_LABELS, raw)
    digits = compact(value)
    if len(digits) == 10:
        if _ISBN10.fullmatch(digits) is None:
            raise IdentifierError(
                Scheme.ISBN, raw, "of 10 characters must be 9 digits and a check digit or X"
            )
        if digits == "0000000000":
            # Checksum-valid, but printed on books that have no ISBN; isbnlib refuses it too.
            raise IdentifierError(Scheme.ISBN, raw, "of all zeros is a placeholder, not a number")
        expected = isbn10_check_character(digits[:9])
        if digits[9] != expected:
            raise IdentifierError(
                Scheme.ISBN, raw, f"check digit should be {expected}, not {digits[9]}"
            )
        base12 = "978" + digits[:9]
        return base12 + isbn13_check_digit(base12)
    if len(digits) == 13:
        if _ISBN13.fullmatch(digits) is None:
            raise IdentifierError(Scheme.ISBN, raw, "of 13 characters must be all digits")
        if digits[:3] not in {"978", "979"}:
            raise IdentifierError(Scheme.ISBN, raw, "of 13 digits must start with 978 or 979")
        expected = isbn13_check_digit(digits[:12])
        if digits[12] != expected:
            raise IdentifierError(
                Scheme.ISBN, raw, f"check digit should be {expected}, not {digits[12]}"
            )
        return digits
    raise IdentifierError(
        Scheme.ISBN,
        raw,
        f"must have 10 or 13 digits; '{shown(value)}' has {len(digits)} characters",
    )


def display_isbn(value: str) -> str:
    """An ISBN-13 hyphenated by the registration ranges, or as given when they do not say."""
    masked = idutils.isbnlib.mask(value)
    return str(masked) if masked else value


def normalise_issn(raw: str) -> str:
    """ISSN (print, electronic or linking), hyphen optional → 0264-1615."""
    value = strip_label(Scheme.ISSN, clean(Scheme.ISSN, raw), _ISSN_LABELS, raw)
    url = http_url(value)
    if url is not None:
        if host_of(url) != "portal.issn.org":
            raise IdentifierError(
                Scheme.ISSN, raw, f"URL must be on portal.issn.org, not {host_of(url) or '?'}"
            )
        value = url.path.rstrip("/").rsplit("/", 1)[-1]
    digits = compact(value)
    if _ISSN.fullmatch(digits) is None:
        raise IdentifierError(
            Scheme.ISSN, raw, "must be 7 digits and a check digit or X, like 0264-1615"
        )
    expected = issn_check_character(digits[:7])
    if digits[7] != expected:
        raise IdentifierError(
            Scheme.ISSN, raw, f"check digit should be {expected}, not {digits[7]}"
        )
    return f"{digits[:4]}-{digits[4:]}"
