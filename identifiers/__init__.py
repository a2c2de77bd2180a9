"""Identifiers of scholarly communication: parse, validate, normalise, display and link.

Pure Python (no Django), so every service can use it: the portal, and the ORCID and Scopus
sandboxes. Every refusal is an IdentifierError whose message names the scheme and the fault.

    >>> normalise(Scheme.ORCID, "https://orcid.org/0000-0002-1825-0097")
    '0000-0002-1825-0097'
"""

from identifiers.checksums import orcid_check_digit
from identifiers.errors import IdentifierError
from identifiers.formatting import display, url_for
from identifiers.normalise import MAX_INPUT_LENGTH, detect, normalise
from identifiers.schemes import Scheme

__all__ = [
    "MAX_INPUT_LENGTH",
    "IdentifierError",
    "Scheme",
    "detect",
    "display",
    "normalise",
    "orcid_check_digit",
    "url_for",
]
