"""Showing and linking identifiers: display() for people, url_for() for links.

Both take a stored value and never raise for a bad one, because they run while a page is being
drawn and a legacy or hand-edited row must not turn a profile into a server error:
- display() shows the canonical human form, or the value exactly as stored when it does not
  parse (the page then shows what is in the database, which is what a librarian must fix).
- url_for() links only values that parse, after normalising them, so a stored value can never
  smuggle a path or query into a link; otherwise, and for schemes with no landing page (ISBN,
  ISSN), it returns None.
"""

from __future__ import annotations

from urllib.parse import quote

from identifiers.books import display_isbn
from identifiers.errors import IdentifierError
from identifiers.names import display_isni
from identifiers.registry import as_scheme, normalise
from identifiers.schemes import Scheme

# doi.org asks that "%", '"', "#", "?", spaces and angle brackets be percent-encoded in links.
_DOI_SAFE = "/:;()[]-._~!$&'*+,=@"


def display(scheme: Scheme | str, value: str) -> str:
    """The form people read: ISNI in groups of four, ISBN hyphenated where the ranges are known."""
    scheme = as_scheme(scheme)
    try:
        canonical = normalise(scheme, value)
    except IdentifierError:
        return value if isinstance(value, str) else ""
    if scheme is Scheme.ISNI:
        return display_isni(canonical)
    if scheme is Scheme.ISBN:
        return display_isbn(canonical)
    return canonical


def url_for(
    scheme: Scheme | str,
    value: str,
    *,
    orcid_base: str = "https://orcid.org",
    scopus_base: str = "https://www.scopus.com",
) -> str | None:
    """Where an identifier resolves, or None if it has no landing page or does not parse."""
    scheme = as_scheme(scheme)
    try:
        value = normalise(scheme, value)
    except IdentifierError:
        return None
    orcid_base = orcid_base.rstrip("/")
    scopus_base = scopus_base.rstrip("/")
    match scheme:
        case Scheme.ORCID:
            return f"{orcid_base}/{value}"
        case Scheme.SCOPUS_AUTHOR_ID:
            return f"{scopus_base}/authid/detail.uri?authorId={value}"
        case Scheme.SCOPUS_AUTHOR_EID:
            return f"{scopus_base}/authid/detail.uri?authorId={value.rsplit('-', 1)[-1]}"
        case Scheme.SCOPUS_EID:
            scopus_id = value.rsplit("-", 1)[-1]
            return (
                f"{scopus_base}/inward/record.uri?partnerID=HzOxMe3b&scp={scopus_id}&origin=inward"
            )
        case Scheme.AFID:
            return f"{scopus_base}/affil/profile.uri?afid={value}"
        case Scheme.DOI:
            return f"https://doi.org/{quote(value, safe=_DOI_SAFE)}"
        case Scheme.PMID:
            return f"https://pubmed.ncbi.nlm.nih.gov/{value}/"
        case Scheme.ISNI:
            return f"https://isni.org/isni/{value}"
        case Scheme.RESEARCHER_ID:
            return f"https://www.webofscience.com/wos/author/record/{value}"
        case _:
            return None
