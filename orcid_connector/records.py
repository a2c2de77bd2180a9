"""What the ORCID connector hands out: frozen dataclasses, never ORCID's raw JSON.

`client.OrcidSession` parses ORCID's answers into these; the rest of the portal (the export,
the exercise's Part 2 check, "Import from ORCID") reads only them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orcid_connector.choices import ExportKind


@dataclass(frozen=True)
class Grant:
    """The useful part of ORCID's token response."""

    orcid: str
    name: str
    scope: str
    access_token: str
    refresh_token: str
    expires_in: int | None


@dataclass(frozen=True)
class Source:
    """Who wrote an item on the record: a member client, or the researcher (source-orcid)."""

    name: str = ""
    client_id: str = ""
    orcid: str = ""
    # "X via Y": the researcher (or client) on whose behalf the source wrote it.
    assertion_origin_name: str = ""


@dataclass(frozen=True)
class ExternalId:
    """One identifier of a work or person: type, value, relationship (self, part-of, …)."""

    id_type: str
    value: str
    relationship: str = ""
    url: str = ""


@dataclass(frozen=True)
class OtherId:
    """A person external identifier ("Other IDs") as the record shows it."""

    id_type: str
    value: str
    source: str
    # The writing client's id (empty when the researcher typed it in on ORCID).
    source_client_id: str = ""
    put_code: int | None = None
    url: str = ""


@dataclass(frozen=True)
class WorkContributor:
    """One contributor as ORCID lists it on a work."""

    name: str
    orcid: str = ""
    sequence: str = ""
    role: str = ""


@dataclass(frozen=True)
class PublicationDate:
    """ORCID's fuzzy date: a year, maybe a month, maybe a day (0 when absent)."""

    year: int = 0
    month: int = 0
    day: int = 0


@dataclass(frozen=True)
class Work:
    """One work on the record, in full (as `GET /works/{put-codes}` gives it)."""

    put_code: int
    title: str
    work_type: str
    source: Source
    subtitle: str = ""
    journal_title: str = ""
    publication_date: PublicationDate = field(default_factory=PublicationDate)
    external_ids: tuple[ExternalId, ...] = ()
    url: str = ""
    short_description: str = ""
    language_code: str = ""
    contributors: tuple[WorkContributor, ...] = ()


@dataclass(frozen=True)
class RecordItem:
    """One item of a section, reduced to what the export needs to find its own copy again:
    its put-code, its writer and the fields that identify it (see `client.identity`)."""

    kind: ExportKind
    put_code: int
    source_client_id: str
    identity: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class BulkOutcome:
    """The answer for one work of a bulk POST: its put-code, or ORCID's error."""

    put_code: int | None
    error_code: str = ""
    message: str = ""


@dataclass(frozen=True)
class CallRecord:
    """One HTTP call to ORCID as the history shows it (status None: no answer at all)."""

    orcid: str
    method: str
    path: str
    status: int | None
    outcome: str
