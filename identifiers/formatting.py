"""Showing and linking identifiers that are already in canonical form."""

from __future__ import annotations

import idutils

from identifiers.normalise import as_scheme
from identifiers.schemes import Scheme


def display(scheme: Scheme | str, value: str) -> str:
    """The form people read: ISNI in groups of four, ISBN hyphenated where the ranges are known."""
    scheme = as_scheme(scheme)
    if scheme is Scheme.ISNI:
        return " ".join(value[index : index + 4] for index in range(0, len(value), 4))
    if scheme is Scheme.ISBN:
        masked = idutils.isbnlib.mask(value)
        return masked or value
    return value


def url_for(
    scheme: Scheme | str,
    value: str,
    *,
    orcid_base: str = "https://orcid.org",
    scopus_base: str = "https://www.scopus.com",
) -> str | None:
    """Where an identifier resolves, or None for schemes with no public landing page."""
    scheme = as_scheme(scheme)
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
            return f"https://doi.org/{value}"
        case Scheme.PMID:
            return f"https://pubmed.ncbi.nlm.nih.gov/{value}/"
        case Scheme.ISNI:
            return f"https://isni.org/isni/{value}"
        case Scheme.RESEARCHER_ID:
            return f"https://www.webofscience.com/wos/author/record/{value}"
        case _:
            return None
