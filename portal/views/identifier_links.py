"""Identifier rows as templates show them: label, display form and link."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

import identifiers
from portal.choices import IdentifierStatus
from portal.models import OutputIdentifier, PersonIdentifier

# Output identifier types whose names differ from the identifiers package's scheme names.
OUTPUT_SCHEMES = {
    "doi": identifiers.Scheme.DOI,
    "eid": identifiers.Scheme.SCOPUS_EID,
    "isbn": identifiers.Scheme.ISBN,
    "issn": identifiers.Scheme.ISSN,
    "pmid": identifiers.Scheme.PMID,
}


@dataclass(frozen=True)
class IdentifierRow:
    """One identifier ready to show."""

    label: str
    text: str
    url: str | None
    status: str = ""

    @property
    def status_label(self) -> str:
        """The status as people read it ("Authenticated"), empty for output identifiers."""
        return IdentifierStatus(self.status).label if self.status else ""


def link_for(scheme: identifiers.Scheme, value: str) -> str | None:
    """Where an identifier links to, using the configured ORCID and Scopus sites."""
    return identifiers.url_for(
        scheme, value, orcid_base=settings.ORCID_WEB_URL, scopus_base=settings.SCOPUS_WEB_URL
    )


def identifier_rows(person_identifiers: Iterable[PersonIdentifier]) -> list[IdentifierRow]:
    rows = []
    for item in person_identifiers:
        scheme = identifiers.Scheme(item.id_type)
        rows.append(
            IdentifierRow(
                label=item.get_id_type_display(),
                text=identifiers.display(scheme, item.value),
                url=link_for(scheme, item.value),
                status=item.status,
            )
        )
    return rows


def output_identifier_rows(output_identifiers: Iterable[OutputIdentifier]) -> list[IdentifierRow]:
    rows = []
    for item in output_identifiers:
        scheme = OUTPUT_SCHEMES.get(item.id_type)
        rows.append(
            IdentifierRow(
                label=item.get_id_type_display(),
                text=identifiers.display(scheme, item.value) if scheme else item.value,
                url=link_for(scheme, item.value) if scheme else None,
            )
        )
    return rows
