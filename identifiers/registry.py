"""One entry point over every scheme: normalise(scheme, raw) and detect(raw).

normalise() dispatches to the scheme's own module (orcid, scopus, doi, books, names, pubmed).
An unknown scheme name is a programming error and raises a plain ValueError, never
IdentifierError: IdentifierError always means "the person typed something wrong".

detect() tries every scheme and lists those the text is valid for, schemes with a check digit or
a distinctive shape first, bare numbers last, so that "search by identifier" can try the likely
reading before the merely possible ones. A 10-digit number may well be a Scopus Author ID, a
PubMed ID and an ISBN-10 at once; detect() says so rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable

from identifiers.books import normalise_isbn, normalise_issn
from identifiers.cleaning import MAX_INPUT_LENGTH
from identifiers.doi import normalise_doi
from identifiers.errors import IdentifierError
from identifiers.names import normalise_isni, normalise_researcher_id
from identifiers.orcid import normalise_orcid
from identifiers.pubmed import normalise_pmid
from identifiers.schemes import Scheme
from identifiers.scopus import (
    normalise_afid,
    normalise_scopus_author_eid,
    normalise_scopus_author_id,
    normalise_scopus_eid,
)

# In detect() order: distinctive shapes and check digits first, bare numbers last.
NORMALISERS: dict[Scheme, Callable[[str], str]] = {
    Scheme.ORCID: normalise_orcid,
    Scheme.DOI: normalise_doi,
    Scheme.SCOPUS_EID: normalise_scopus_eid,
    Scheme.SCOPUS_AUTHOR_EID: normalise_scopus_author_eid,
    Scheme.RESEARCHER_ID: normalise_researcher_id,
    Scheme.ISSN: normalise_issn,
    Scheme.ISBN: normalise_isbn,
    Scheme.ISNI: normalise_isni,
    Scheme.SCOPUS_AUTHOR_ID: normalise_scopus_author_id,
    Scheme.AFID: normalise_afid,
    Scheme.PMID: normalise_pmid,
}


def as_scheme(scheme: Scheme | str) -> Scheme:
    """A Scheme from its value; an unknown name is a programming error, not user input."""
    try:
        return Scheme(scheme)
    except ValueError:
        raise ValueError(f"unknown identifier scheme {scheme!r}") from None


def normalise(scheme: Scheme | str, raw: str) -> str:
    """The canonical form of an identifier, or IdentifierError saying what is wrong."""
    return NORMALISERS[as_scheme(scheme)](raw)


def is_valid(scheme: Scheme | str, raw: str) -> bool:
    """Whether normalise() would accept the value (for filters; forms want the message)."""
    try:
        normalise(scheme, raw)
    except IdentifierError:
        return False
    return True


def detect(raw: str) -> list[Scheme]:
    """Every scheme a free-typed value is a valid identifier of, most distinctive first."""
    if not isinstance(raw, str) or len(raw) > MAX_INPUT_LENGTH * 4:
        return []
    found = []
    for scheme, normaliser in NORMALISERS.items():
        try:
            normaliser(raw)
        except IdentifierError:
            continue
        found.append(scheme)
    return found
