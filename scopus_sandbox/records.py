"""Parsing the JSON lines publishers deliver into checked document records.

One line is one document::

    {"eid": "2-s2.0-33745291715", "doi": "10.1108/...", "title": "...",
     "source_title": "...", "issn": "0264-1615", "volume": "24", "issue": "3",
     "pages": "388-398", "cover_date": "2006-06-01" (or "year": 2006), "type": "ar",
     "subject_areas": ["3309"], "abstract": "...", "keywords": ["..."], "cited_by": 3,
     "affiliations": [{"afid": "60008592", "name": "...", "city": "...", "country": "..."}],
     "authors": [{"given_name": "Chris", "surname": "Wong", "email": "", "orcid": "",
                  "affiliations": ["60008592"]}]}

`eid` is optional (the sandbox numbers new documents itself); everything else but `title`,
a date and one author is optional.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

from identifiers import IdentifierError, Scheme, normalise
from scopus_sandbox.choices import DocumentTypeChoices

EID_RE = re.compile(r"^2-s2\.0-(\d{8,11})$")
AFID_RE = re.compile(r"^\d{8,9}$")
AUTHOR_ID_RE = re.compile(r"^\d{10,11}$")
MAX_AUTHORS = 2_000


class RecordError(ValueError):
    """A line that is not a valid document record; the message says why."""


@dataclass(frozen=True)
class AffiliationRecord:
    """An affiliation as a record names it."""

    afid: str
    name: str
    city: str = ""
    country: str = ""


@dataclass(frozen=True)
class AuthorRecord:
    """One author of a record, as printed."""

    given_name: str
    surname: str
    email: str = ""
    orcid: str = ""
    affiliations: tuple[str, ...] = ()
    # Only the demo seeding trusts this: publishers do not know Scopus Author IDs.
    author_id: str = ""


@dataclass(frozen=True)
class DocumentRecord:
    """A checked document record, ready to index."""

    title: str
    cover_date: datetime.date
    authors: tuple[AuthorRecord, ...]
    scopus_id: str = ""
    doi: str = ""
    source_title: str = ""
    issn: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doc_type: str = DocumentTypeChoices.ARTICLE
    subject_areas: tuple[str, ...] = ()
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    cited_by: int = 0
    affiliations: tuple[AffiliationRecord, ...] = field(default_factory=tuple)


def _text(data: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(f"{key!r} must be a string")
    value = value.strip()
    if required and not value:
        raise RecordError(f"{key!r} is required")
    if len(value) > limit:
        raise RecordError(f"{key!r} is longer than {limit} characters")
    return value


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise RecordError(f"{key!r} must be a list of strings")
    return tuple(str(item).strip() for item in value if str(item).strip())


def _cover_date(data: dict[str, Any]) -> datetime.date:
    raw = data.get("cover_date")
    if raw:
        if not isinstance(raw, str):
            raise RecordError("'cover_date' must be a YYYY-MM-DD string")
        try:
            return datetime.date.fromisoformat(raw.strip())
        except ValueError:
            raise RecordError(f"'cover_date' {raw!r} is not a YYYY-MM-DD date") from None
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int | str) or not str(year).isdigit():
        raise RecordError("a 'cover_date' or a 'year' is required")
    if not 1800 <= int(year) <= 2100:
        raise RecordError(f"'year' {year} is out of range")
    return datetime.date(int(year), 1, 1)


def _affiliation(raw: Any) -> AffiliationRecord:
    if not isinstance(raw, dict):
        raise RecordError("each affiliation must be an object")
    afid = _text(raw, "afid", 12, required=True)
    if not AFID_RE.match(afid):
        raise RecordError(f"affiliation id {afid!r} is not 8 or 9 digits")
    return AffiliationRecord(
        afid=afid,
        name=_text(raw, "name", 300, required=True),
        city=_text(raw, "city", 120),
        country=_text(raw, "country", 120),
    )


def _author(raw: Any, known_afids: set[str]) -> AuthorRecord:
    if not isinstance(raw, dict):
        raise RecordError("each author must be an object")
    orcid = _text(raw, "orcid", 40)
    if orcid:
        try:
            orcid = normalise(Scheme.ORCID, orcid)
        except IdentifierError as error:
            raise RecordError(f"ORCID iD {orcid!r}: {error}") from None
    affiliations = _strings(raw, "affiliations")
    unknown = [afid for afid in affiliations if afid not in known_afids]
    if unknown:
        raise RecordError(f"author affiliation {unknown[0]!r} is not among the 'affiliations'")
    author_id = _text(raw, "author_id", 11)
    if author_id and not AUTHOR_ID_RE.match(author_id):
        raise RecordError(f"author_id {author_id!r} is not 10 or 11 digits")
    return AuthorRecord(
        given_name=_text(raw, "given_name", 200),
        surname=_text(raw, "surname", 200, required=True),
        email=_text(raw, "email", 254),
        orcid=orcid,
        affiliations=affiliations,
        author_id=author_id,
    )


def parse_record(data: Any) -> DocumentRecord:
    """A checked record from one decoded JSON line; RecordError says what is wrong."""
    if not isinstance(data, dict):
        raise RecordError("a line must hold a JSON object")
    eid = _text(data, "eid", 30)
    scopus_id = ""
    if eid:
        match = EID_RE.match(eid)
        if not match:
            raise RecordError(f"EID {eid!r} is not of the form 2-s2.0-<digits>")
        scopus_id = match.group(1)
    doc_type = _text(data, "type", 2) or DocumentTypeChoices.ARTICLE
    if doc_type not in DocumentTypeChoices.values:
        raise RecordError(f"document type {doc_type!r} is not one of {DocumentTypeChoices.values}")
    cited_by = data.get("cited_by", 0) or 0
    if isinstance(cited_by, bool) or not isinstance(cited_by, int) or cited_by < 0:
        raise RecordError("'cited_by' must be a whole number of at least 0")
    raw_affiliations = data.get("affiliations") or []
    if not isinstance(raw_affiliations, list):
        raise RecordError("'affiliations' must be a list")
    affiliations = tuple(_affiliation(raw) for raw in raw_affiliations)
    known = {affiliation.afid for affiliation in affiliations}
    raw_authors = data.get("authors")
    if not isinstance(raw_authors, list) or not raw_authors:
        raise RecordError("'authors' must be a non-empty list")
    if len(raw_authors) > MAX_AUTHORS:
        raise RecordError(f"more than {MAX_AUTHORS} authors")
    doi = _text(data, "doi", 300).lower().removeprefix("https://doi.org/")
    if doi and not doi.startswith("10."):
        raise RecordError(f"DOI {doi!r} does not start with 10.")
    return DocumentRecord(
        title=_text(data, "title", 5_000, required=True),
        cover_date=_cover_date(data),
        authors=tuple(_author(raw, known) for raw in raw_authors),
        scopus_id=scopus_id,
        doi=doi,
        source_title=_text(data, "source_title", 500),
        issn=_text(data, "issn", 20),
        volume=_text(data, "volume", 40),
        issue=_text(data, "issue", 40),
        pages=_text(data, "pages", 40),
        doc_type=doc_type,
        subject_areas=_strings(data, "subject_areas"),
        abstract=_text(data, "abstract", 50_000),
        keywords=_strings(data, "keywords"),
        cited_by=cited_by,
        affiliations=affiliations,
    )


def parse_line(line: str) -> DocumentRecord:
    """A checked record from one JSON line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise RecordError(f"not JSON ({error.msg} at column {error.colno})") from None
    return parse_record(data)
