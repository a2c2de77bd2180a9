"""'Import from ORCID': the works on the researcher's ORCID record that the portal does not hold,
read with their token, as the portal's ImportedEntry records (same preview, same duplicate check).

Works the portal itself wrote (our client as source) are never offered back, nor works whose DOI,
EID, PMID or ISBN an output holds; a work matching an output by title, year and first author is
offered with that match, to answer "Not a duplicate" as on a file import. Errors:

    OrcidImportError               str() is fit to show
    └── OrcidImportUnavailable     ORCID could not answer now: "try again"
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string

from orcid_connector import crypto
from orcid_connector.actions import active_authorization
from orcid_connector.client import (
    OrcidError,
    OrcidSession,
    OrcidTokenError,
    OrcidUnavailableError,
)
from orcid_connector.records import Work
from portal.choices import OutputIdentifierType, OutputType
from portal.duplicates import find_duplicates
from portal.importers.records import EntryBuilder, ImportedEntry, split_name
from portal.importers.service import PreviewRow, candidate
from portal.models import Person

# ORCID external-id types the portal records, as its identifier types.
EXTERNAL_IDS = {
    "doi": OutputIdentifierType.DOI,
    "eid": OutputIdentifierType.EID,
    "pmid": OutputIdentifierType.PMID,
    "isbn": OutputIdentifierType.ISBN,
    "issn": OutputIdentifierType.ISSN,
}


class OrcidImportError(Exception):
    """The works could not be read; str() says why."""


class OrcidImportUnavailable(OrcidImportError):
    """ORCID could not be reached now: the researcher should try again."""


def entry_from_work(work: Work) -> ImportedEntry:
    """One ORCID work as an entry to preview and import; its label is the put-code."""
    builder = EntryBuilder(line=1, label=str(work.put_code))
    builder.text("title", work.title)
    builder.text("subtitle", work.subtitle)
    builder.text("host_title", work.journal_title)
    builder.text("abstract", work.short_description)
    if work.publication_date.year:
        builder.year(str(work.publication_date.year))
        if 1 <= work.publication_date.month <= 12:
            builder.fields["publication_month"] = work.publication_date.month
    else:
        builder.year("")
    for external in work.external_ids:
        kind = EXTERNAL_IDS.get(external.id_type)
        if kind is not None and external.relationship in ("", "self"):
            builder.identifier(kind, external.value)
    for contributor in work.contributors:
        family, given = split_name(contributor.name)
        builder.author(family, given)
    output_type = (
        OutputType(work.work_type) if work.work_type in OutputType.values else OutputType.OTHER
    )
    return builder.build(output_type)


def _works(person: Person, session: OrcidSession | None) -> list[Work]:
    authorization = active_authorization(person)
    if authorization is None:
        raise OrcidImportError(
            "Your ORCID iD is not connected to the portal: connect it on “Edit profile” first."
        )
    own = session is None
    active = session or OrcidSession.from_settings()
    try:
        return active.read_works(
            authorization.orcid, crypto.decrypt(authorization.access_token_encrypted)
        )
    except OrcidUnavailableError as error:
        raise OrcidImportUnavailable(
            f"ORCID could not be asked just now ({error}). Nothing was imported: please try "
            "again in a few minutes."
        ) from error
    except OrcidTokenError as error:
        raise OrcidImportError(
            f"ORCID refused the portal's access to your record ({error}): reconnect your "
            "ORCID iD on “Edit profile”."
        ) from error
    except OrcidError as error:
        raise OrcidImportError(f"ORCID refused to list your works: {error}") from error
    finally:
        if own:
            active.close()


def work_rows(
    person: Person, *, session: OrcidSession | None = None
) -> list[tuple[Work, PreviewRow]]:
    """Each work on the person's ORCID record the portal did not write itself, with the held
    outputs it may duplicate (as a preview row whose index is the work's put-code)."""
    rows = []
    for work in _works(person, session):
        if work.source.client_id == settings.ORCID_CLIENT_ID:
            continue
        entry = entry_from_work(work)
        matches = find_duplicates(candidate(entry)) if entry.ok else []
        rows.append((work, PreviewRow(work.put_code, entry, matches)))
    return rows


def not_held(rows: Iterable[tuple[Work, PreviewRow]]) -> list[tuple[Work, PreviewRow]]:
    """The works the portal does not hold: no output has their DOI, EID, PMID or ISBN (a match
    by title alone stays, for the researcher to answer "Not a duplicate" or not)."""
    return [
        (work, row)
        for work, row in rows
        if not any(match.by_identifier for match in row.duplicates)
    ]


def import_panel(request: HttpRequest, person: Person | None) -> str:
    """The "Import from ORCID" link on My research output (a PORTAL_PANELS entry)."""
    if person is None or active_authorization(person) is None:
        return ""
    return render_to_string("orcid_connector/_import_panel.html", {}, request=request)
