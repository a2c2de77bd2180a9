"""The identifier schemes ScholarHub understands, with their human names."""

from __future__ import annotations

from enum import StrEnum

_LABELS = {
    "orcid": "ORCID iD",
    "scopus_author_id": "Scopus Author ID",
    "eid": "Scopus EID",
    "scopus_author_eid": "Scopus author EID",
    "afid": "Scopus Affiliation ID",
    "doi": "DOI",
    "isbn": "ISBN",
    "issn": "ISSN",
    "researcher_id": "ResearcherID",
    "isni": "ISNI",
    "pmid": "PubMed ID",
}


class Scheme(StrEnum):
    """An identifier scheme; the value is the name stored in databases and forms."""

    ORCID = "orcid"
    SCOPUS_AUTHOR_ID = "scopus_author_id"
    SCOPUS_EID = "eid"
    SCOPUS_AUTHOR_EID = "scopus_author_eid"
    AFID = "afid"
    DOI = "doi"
    ISBN = "isbn"
    ISSN = "issn"
    RESEARCHER_ID = "researcher_id"
    ISNI = "isni"
    PMID = "pmid"

    @property
    def label(self) -> str:
        """The scheme's name as people write it, e.g. "ORCID iD"; every message starts with it."""
        return _LABELS[self.value]
