"""Identifiers of scholarly communication: parse, validate, normalise, display and link.

Pure Python (no Django), so every service can use it: the portal, and the ORCID and Scopus
sandboxes, which stand for other organisations and may import nothing else of ours.

    >>> normalise(Scheme.ORCID, "https://orcid.org/0000-0002-1825-0097")
    '0000-0002-1825-0097'
    >>> display(Scheme.ISNI, "0000000121032683")
    '0000 0001 2103 2683'

The public API is what this module exports. Layout:
    schemes.py     Scheme (StrEnum) and each scheme's human label
    errors.py      IdentifierError, the only exception raised for bad input
    cleaning.py    checks shared by all schemes: length, control characters, non-ASCII digits
    checksums.py   MOD 11-2 (ORCID iD, ISNI), ISSN and ISBN check characters
    orcid.py, scopus.py, doi.py, books.py (ISBN, ISSN), names.py (ISNI, ResearcherID),
    pubmed.py      one module per family: the accepted forms and stored form in its docstring
    registry.py    normalise() and detect() over every scheme
    formatting.py  display() and url_for()

On idutils: it answers "is this valid?" with a yes or no, while every refusal here has to say
what is wrong, so each scheme parses the input itself. Where idutils covers a scheme (ORCID iD
checksum, ISNI, ISSN, ISBN, DOI, PMID) the tests check that we agree with it; ISBN check
digits, ISBN-10 → ISBN-13 conversion and ISBN hyphenation come from isbnlib, which idutils
bundles. idutils.is_orcid also insists on ORCID's issued blocks, which our sandbox's demo iDs
deliberately lie outside, so ORCID iDs are checked for shape and check digit only.
"""

from identifiers.checksums import orcid_check_digit, orcid_from_digits
from identifiers.cleaning import MAX_INPUT_LENGTH, MAX_VALUE_LENGTH
from identifiers.errors import IdentifierError
from identifiers.formatting import display, url_for
from identifiers.registry import detect, is_valid, normalise
from identifiers.schemes import Scheme

__all__ = [
    "MAX_INPUT_LENGTH",
    "MAX_VALUE_LENGTH",
    "IdentifierError",
    "Scheme",
    "detect",
    "display",
    "is_valid",
    "normalise",
    "orcid_check_digit",
    "orcid_from_digits",
    "url_for",
]
