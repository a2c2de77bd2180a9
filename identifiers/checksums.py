"""Check characters: ISO 7064 MOD 11-2 (ORCID iD, ISNI) and the ISSN's weighted MOD 11."""

from __future__ import annotations


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


def issn_check_character(base7: str) -> str:
    """The check character of an ISSN from its first seven digits."""
    total = sum(int(digit) * weight for digit, weight in zip(base7, range(8, 1, -1), strict=True))
    remainder = (11 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)
