"""PubMed ID (PMID): a positive whole number with no check digit.

Accepted with a "PMID" label ("PMID: 31452104", "PMID31452104"), with leading zeros, or as a
PubMed URL (pubmed.ncbi.nlm.nih.gov/31452104/ or the older www.ncbi.nlm.nih.gov/pubmed/…).
Stored without leading zeros, as PubMed prints it. At most 10 significant digits: PubMed is at
8 today, so anything longer is a typing slip, not an article.
"""

from __future__ import annotations

from identifiers.cleaning import (
    clean,
    host_of,
    http_url,
    is_ascii_digits,
    require_digits,
    shown,
    strip_label,
)
from identifiers.errors import IdentifierError
from identifiers.schemes import Scheme

_HOSTS = {"pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov"}
_LABELS = ("pmid", "pubmed id", "pubmed")


def normalise_pmid(raw: str) -> str:
    """PubMed ID, with or without 'PMID:' or a PubMed URL → digits without leading zeros."""
    value = strip_label(Scheme.PMID, clean(Scheme.PMID, raw), _LABELS, raw)
    url = http_url(value)
    if url is not None:
        if host_of(url) not in _HOSTS:
            raise IdentifierError(
                Scheme.PMID,
                raw,
                f"URL must be on pubmed.ncbi.nlm.nih.gov, not {host_of(url) or '?'}",
            )
        value = url.path.rstrip("/").rsplit("/", 1)[-1]
    if not is_ascii_digits(value):
        raise IdentifierError(
            Scheme.PMID, raw, f"must contain only digits; '{shown(value)}' does not"
        )
    significant = value.lstrip("0")
    if not significant:
        raise IdentifierError(Scheme.PMID, raw, "must be a positive number")
    return require_digits(Scheme.PMID, significant, range(1, 11), raw)
