"""Check characters: ISO 7064 MOD 11-2 (ORCID iD, ISNI), ISSN MOD 11, and ISBN-10 / ISBN-13.

MOD 11-2 and the ISSN's MOD 11 are computed here because idutils only answers yes or no, and a
refusal has to say which check character was expected. ISBN check digits come from isbnlib,
which idutils depends on and re-exports.
"""

from __future__ import annotations

import idutils

_isbnlib = idutils.isbnlib


def mod11_2_check_character(base: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a string of ASCII digits ('X' stands for 10)."""
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    remainder = (12 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def orcid_check_digit(base15: str) -> str:
    """The check character of an ORCID iD from its first 15 digits."""
    if len(base15) != 15 or not (base15.isascii() and base15.isdigit()):
        raise ValueError("an ORCID iD check digit is computed from exactly 15 digits")
    return mod11_2_check_character(base15)


def orcid_from_digits(base15: str) -> str:
    """The ORCID iD, hyphenated, whose first 15 digits are these (its check character added)."""
    digits = base15 + orcid_check_digit(base15)
    return "-".join(digits[index : index + 4] for index in range(0, 16, 4))


def issn_check_character(base7: str) -> str:
    """The check character of an ISSN from its first seven digits."""
    total = sum(int(digit) * weight for digit, weight in zip(base7, range(8, 1, -1), strict=True))
    remainder = (11 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def isbn10_check_character(base9: str) -> str:
    """The check character of an ISBN-10 from its first nine digits."""
    return _checked(_isbnlib.check_digit10(base9), base9)


def isbn13_check_digit(base12: str) -> str:
    """The check digit of an ISBN-13 from its first twelve digits."""
    return _checked(_isbnlib.check_digit13(base12), base12)


def _checked(result: object, base: str) -> str:
    # isbnlib answers "" rather than raising when the base is not a run of digits.
    if not result:
        raise ValueError(f"no ISBN check digit for {base!r}")
    return str(result)
