"""What the portal wants on a researcher's ORCID record, as ORCID API v3.0 JSON.

Pure functions of the portal's data: the export engine compares their hashes with what it last
pushed, so an unchanged output costs no call.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

import identifiers
from orcid_connector.choices import ExportKind
from orcid_connector.client import SOURCE_WORK_ID, identity
from orcid_connector.text import clean, clean_paragraphs
from portal.choices import OutputIdentifierType, OutputType, PersonIdentifierType
from portal.models import Person, Position
from portal.views.identifier_links import link_for

# Identifiers that name the work itself ("self") and those that name what it is part of.
SELF_TYPES: dict[str, str] = {
    OutputIdentifierType.DOI: "doi",
    OutputIdentifierType.EID: "eid",
    OutputIdentifierType.PMID: "pmid",
    OutputIdentifierType.WOS: "wosuid",
}
BOOK_TYPES = {OutputType.BOOK, OutputType.EDITED_BOOK}
MAX_CONTRIBUTORS = 50
# Person identifiers ORCID shows under "Other IDs", by their ORCID external-id-type.
OTHER_ID_TYPES = {
    PersonIdentifierType.SCOPUS_AUTHOR_ID: "Scopus Author ID",
    PersonIdentifierType.RESEARCHER_ID: "ResearcherID",
}


class OutputRow(NamedTuple):
    """What work() reads of an output, as plain values: the export reads these columns with
    values_list() (an output has some forty fields, and a model instance a work costs more CPU
    than the mapping itself), so a field read here must be added here."""

    pk: int
    output_type: str
    title: str
    subtitle: str
    publication_year: int
    publication_month: int | None
    publication_day: int | None
    host_title: str
    abstract: str
    language: str
    # (id_type, value) of each identifier, in any order.
    identifiers: list[tuple[str, str]]
    # (person_id or None, given names, family name) of each contributor, in author order.
    contributors: list[tuple[int | None, str, str]]


# The output's own columns of an OutputRow, in its order (the query reads these).
WORK_FIELDS = OutputRow._fields[1:-2]


@dataclass(frozen=True)
class Desired:
    """One item the record should hold: its kind, the engine's key for it, and its JSON."""

    kind: ExportKind
    key: str
    body: dict[str, Any]

    @property
    def identity(self) -> frozenset[tuple[str, str]]:
        """What finds our own copy on the record again (see client.identity)."""
        return identity(self.kind, self.body)

    @cached_property
    def content_hash(self) -> str:
        """The hash of the body, computed once: the plan, the digest and the known state each
        compare it."""
        canonical = json.dumps(self.body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def portal_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


# A number no output has, reversed once: each work's page path is the pattern's, with the
# output's number put in (reverse() for each of a million works is a measurable part of an
# export's CPU).
_PLACEHOLDER = 987654321987
_OUTPUT_PATHS: dict[tuple[str | None, str], tuple[str, str]] = {}


def _output_path_parts() -> tuple[str, str]:
    """An output's public page path, as reverse("portal:output-detail") gives it, before and
    after its number."""
    where = (get_urlconf(), get_script_prefix())
    parts = _OUTPUT_PATHS.get(where)
    if parts is None:
        head, _, tail = reverse("portal:output-detail", args=[_PLACEHOLDER]).partition(
            str(_PLACEHOLDER)
        )
        parts = _OUTPUT_PATHS[where] = (head, tail)
    return parts


def output_urls() -> Callable[[int], str]:
    """Each output's public page URL (PORTAL_BASE_URL and its path), for the many works of a
    batch: the URLconf, the script prefix and the base URL are looked up once (each lookup of
    the first two is a context-local read)."""
    head, tail = _output_path_parts()
    start = f"{settings.PORTAL_BASE_URL.rstrip('/')}{head}"
    return lambda pk: f"{start}{pk}{tail}"


def _external_id(id_type: str, value: str, relationship: str, url: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {
        "external-id-type": id_type,
        "external-id-value": value,
        "external-id-relationship": relationship,
    }
    if url:
        item["external-id-url"] = {"value": url}
    return item


def work_external_ids(output: OutputRow) -> list[dict[str, Any]]:
    ids = [_external_id(SOURCE_WORK_ID, f"scholarhub-output-{output.pk}", "self")]
    for id_type, value in sorted(output.identifiers):
        if id_type in SELF_TYPES:
            url = f"https://doi.org/{value}" if id_type == "doi" else ""
            ids.append(_external_id(SELF_TYPES[id_type], value, "self", url))
        elif id_type == OutputIdentifierType.ISBN:
            # An ISBN names a book itself, but a chapter only as part of one.
            relationship = "self" if output.output_type in BOOK_TYPES else "part-of"
            ids.append(_external_id("isbn", value, relationship))
        elif id_type == OutputIdentifierType.ISSN:
            # ISSN as part-of: marked self it would group every article of the journal together.
            ids.append(_external_id("issn", value, "part-of"))
    return ids


def _date(output: OutputRow) -> dict[str, Any]:
    date: dict[str, Any] = {"year": {"value": f"{output.publication_year:04d}"}}
    if output.publication_month:
        date["month"] = {"value": f"{output.publication_month:02d}"}
        if output.publication_day:
            date["day"] = {"value": f"{output.publication_day:02d}"}
    return date


def _contributors(output: OutputRow, orcids: dict[int, str]) -> list[dict[str, Any]]:
    contributors = []
    for index, (person_id, given_names, family_name) in enumerate(
        output.contributors[:MAX_CONTRIBUTORS]
    ):
        name = clean(f"{given_names} {family_name}", "credit-name")
        item: dict[str, Any] = {
            "credit-name": {"value": name},
            "contributor-attributes": {
                "contributor-sequence": "first" if index == 0 else "additional",
                "contributor-role": "author",
            },
        }
        orcid = orcids.get(person_id or 0)
        if orcid:
            item["contributor-orcid"] = {
                "uri": f"https://orcid.org/{orcid}",
                "path": orcid,
                "host": "orcid.org",
            }
        contributors.append(item)
    return contributors


def work(
    output: OutputRow, orcids: dict[int, str], urls: Callable[[int], str] | None = None
) -> Desired:
    """An output as an ORCID work. `orcids` maps internal persons to their authenticated iDs;
    `urls` (output_urls(), for a batch) gives its page's URL."""
    title: dict[str, Any] = {"title": {"value": clean(output.title, "title")}}
    if subtitle := clean(output.subtitle, "subtitle"):
        title["subtitle"] = {"value": subtitle}
    body: dict[str, Any] = {
        "title": title,
        "type": output.output_type,
        "publication-date": _date(output),
        "external-ids": {"external-id": work_external_ids(output)},
        "url": {"value": (urls or output_urls())(output.pk)},
        "contributors": {"contributor": _contributors(output, orcids)},
    }
    if journal_title := clean(output.host_title, "journal-title"):
        body["journal-title"] = {"value": journal_title}
    if description := clean_paragraphs(output.abstract, "short-description"):
        body["short-description"] = description
    if output.language:
        body["language-code"] = output.language
    return Desired(kind=ExportKind.WORK, key=f"output:{output.pk}", body=body)


def other_id(scheme: str, value: str) -> Desired:
    """A Scopus Author ID or ResearcherID (a PersonIdentifier's id_type and value) as a person
    external identifier ("Other IDs")."""
    id_type = OTHER_ID_TYPES[PersonIdentifierType(scheme)]
    url = link_for(identifiers.Scheme(scheme), value) or ""
    body = _external_id(id_type, value, "self", url)
    return Desired(kind=ExportKind.OTHER_ID, key=f"{id_type}:{value}", body=body)


def profile_url(person: Person) -> Desired:
    """The researcher's public portal page under "Websites & Social Links"."""
    body = {
        "url-name": clean(f"{settings.PORTAL_INSTITUTION_NAME} profile page", "url-name"),
        "url": {"value": portal_url(reverse("portal:person-detail", args=[person.slug]))},
    }
    return Desired(kind=ExportKind.RESEARCHER_URL, key="profile-page", body=body)


def _day(value: date | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "year": {"value": f"{value.year:04d}"},
        "month": {"value": f"{value.month:02d}"},
        "day": {"value": f"{value.day:02d}"},
    }


def employment(position: Position) -> Desired:
    """A position as an ORCID employment at the institution (Ringgold-disambiguated)."""
    organization: dict[str, Any] = {
        "name": settings.PORTAL_INSTITUTION_NAME,
        "address": {
            "city": settings.PORTAL_INSTITUTION_CITY,
            "country": settings.PORTAL_INSTITUTION_COUNTRY,
        },
    }
    if settings.PORTAL_INSTITUTION_RINGGOLD:
        organization["disambiguated-organization"] = {
            "disambiguated-organization-identifier": settings.PORTAL_INSTITUTION_RINGGOLD,
            "disambiguation-source": "RINGGOLD",
        }
    body: dict[str, Any] = {
        "department-name": clean(position.org_unit.name, "department-name"),
        "role-title": clean(str(position.get_role_display()), "role-title"),
        "organization": organization,
    }
    start, end = _day(position.start_date), _day(position.end_date)
    if start:
        body["start-date"] = start
    if end:
        body["end-date"] = end
    return Desired(kind=ExportKind.EMPLOYMENT, key=f"position:{position.pk}", body=body)
