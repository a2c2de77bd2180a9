"""Identifiers of people and organisations: ISNI and Web of Science ResearcherID.

ISNI: sixteen characters, the last an ISO 7064 MOD 11-2 check character (the same arithmetic
as the ORCID iD; every ORCID iD is also a valid ISNI). Accepted spaced in groups of four, run
together, hyphenated, with an "ISNI" label or as an isni.org URL. Stored as the 16 characters
run together with an upper-case X; shown in groups of four, "0000 0001 2103 2683".

ResearcherID: letters, four digits and the year of registration, "A-1234-2008" (the original
form, one to three letters) or "AAA-1234-2019" (the form issued since Publons). It has no check
digit. Accepted in any case, with Unicode dashes, a "ResearcherID" label, or as a Web of
Science / researcherid.com profile URL; stored upper-case.
"""

from __future__ import annotations

import re

from identifiers.checksums import mod11_2_check_character
from identifiers.cleaning import clean, compact, host_of, http_url, shown, strip_label, unify_dashes
from identifiers.errors import IdentifierError
from identifiers.schemes import Scheme

_ISNI = re.compile(r"[0-9]{15}[0-9X]")
# Matched before upper-casing, and ASCII only: str.upper() turns "ı" into "I" and "ﬀ" into
# "FF", which would store letters the person never typed.
_RESEARCHER_ID = re.compile(r"[A-Z]{1,3}-[0-9]{4}-([0-9]{4})", re.IGNORECASE | re.ASCII)
_RESEARCHER_ID_HOSTS = {"webofscience.com", "researcherid.com", "publons.com"}
_RESEARCHER_ID_LABELS = ("web of science researcherid", "researcherid", "researcher id", "rid")


def normalise_isni(raw: str) -> str:
    """ISNI, spaced or not, or an isni.org URL → 16 characters, checking MOD 11-2."""
    value = strip_label(Scheme.ISNI, clean(Scheme.ISNI, raw), ("isni",), raw)
    url = http_url(value)
    if url is not None:
        if host_of(url) != "isni.org":
            raise IdentifierError(
                Scheme.ISNI, raw, f"URL must be on isni.org, not {host_of(url) or '?'}"
            )
        value = url.path.rstrip("/").rsplit("/", 1)[-1]
    digits = compact(value)
    if _ISNI.fullmatch(digits) is None:
        raise IdentifierError(Scheme.ISNI, raw, "must be 16 characters, like 0000 0001 2103 2683")
    expected = mod11_2_check_character(digits[:15])
    if digits[15] != expected:
        raise IdentifierError(
            Scheme.ISNI, raw, f"check digit should be {expected}, not {digits[15]}"
        )
    return digits


def display_isni(value: str) -> str:
    """An ISNI in four groups of four, as the ISNI agency prints it."""
    return " ".join(value[index : index + 4] for index in range(0, len(value), 4))


def normalise_researcher_id(raw: str) -> str:
    """Web of Science ResearcherID → A-1234-2008 or AAA-1234-2019, upper-case."""
    value = strip_label(
        Scheme.RESEARCHER_ID, clean(Scheme.RESEARCHER_ID, raw), _RESEARCHER_ID_LABELS, raw
    )
    url = http_url(value)
    if url is not None:
        if host_of(url) not in _RESEARCHER_ID_HOSTS:
            raise IdentifierError(
                Scheme.RESEARCHER_ID,
                raw,
                f"URL must be a Web of Science profile, not on {host_of(url) or '?'}",
            )
        value = url.path.rstrip("/").rsplit("/", 1)[-1]
    value = unify_dashes(value)
    match = _RESEARCHER_ID.fullmatch(value)
    if match is None:
        raise IdentifierError(
            Scheme.RESEARCHER_ID,
            raw,
            "must be one to three letters, four digits and a year, like A-1234-2008",
        )
    if not 1900 <= int(match.group(1)) <= 2099:
        raise IdentifierError(
            Scheme.RESEARCHER_ID,
            raw,
            f"must end with the year it was registered; '{shown(match.group(1))}' is not a year",
        )
    return value.upper()
