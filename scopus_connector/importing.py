"""'Import from Scopus': one document by its EID or DOI (Abstract Retrieval), or the researcher's
Scopus documents the portal does not hold (Scopus Search by Author ID), as the portal's
ImportedEntry records, so they go through the same preview and duplicate check as a file.

Errors reach the researcher as sentences that say which service answered what:

    ScopusImportError               str() is fit to show
    └── ScopusImportUnavailable     Scopus could not answer now: keep the form, "try again"
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.template.loader import render_to_string

import identifiers
from portal.choices import IdentifierStatus, OutputIdentifierType, OutputType, PersonIdentifierType
from portal.duplicates import find_duplicates
from portal.importers.records import EntryBuilder, ImportedEntry
from portal.importers.service import PreviewRow, candidate
from portal.models import Person
from scopus_connector.client import (
    ScopusError,
    ScopusNotFoundError,
    ScopusSession,
    ScopusUnavailableError,
)
from scopus_connector.records import Abstract, DocumentAuthor, SearchDocument

# Scopus document types (subtypes) as the portal's output types.
TYPES = {
    "ar": OutputType.JOURNAL_ARTICLE,
    "le": OutputType.JOURNAL_ARTICLE,
    "no": OutputType.JOURNAL_ARTICLE,
    "sh": OutputType.JOURNAL_ARTICLE,
    "ed": OutputType.JOURNAL_ARTICLE,
    "cp": OutputType.CONFERENCE_PAPER,
    "re": OutputType.REVIEW,
    "ch": OutputType.BOOK_CHAPTER,
    "bk": OutputType.BOOK,
    "dp": OutputType.DATASET,
}
MAX_NOT_HELD = 200


class ScopusImportError(Exception):
    """Scopus could not give the document asked for; str() says why."""


class ScopusImportUnavailable(ScopusImportError):
    """Scopus could not be reached or refused for now: the researcher should try again."""


def _authors(builder: EntryBuilder, authors: Iterable[DocumentAuthor]) -> None:
    for author in sorted(authors, key=lambda item: item.position):
        builder.author(author.surname, author.given_name or author.initials)


def entry_from_abstract(abstract: Abstract) -> ImportedEntry:
    """One Abstract Retrieval answer as an entry to preview and import."""
    builder = EntryBuilder(line=1, label=abstract.eid)
    builder.text("title", abstract.title)
    builder.text("subtitle", abstract.subtitle)
    builder.text("host_title", abstract.source_title)
    builder.text("publisher", abstract.publisher)
    builder.text("volume", abstract.volume)
    builder.text("issue", abstract.issue)
    builder.text("pages", abstract.pages)
    builder.text("article_number", abstract.article_number)
    builder.text("abstract", abstract.abstract)
    builder.text("keywords", "; ".join(abstract.keywords))
    if abstract.cover_date is not None:
        builder.fields["publication_year"] = abstract.cover_date.year
        builder.fields["publication_month"] = abstract.cover_date.month
    else:
        builder.year("")
    builder.identifier(OutputIdentifierType.EID, abstract.eid)
    builder.identifier(OutputIdentifierType.DOI, abstract.doi)
    builder.identifier(OutputIdentifierType.PMID, abstract.pmid)
    for issn in abstract.issns[:1]:
        builder.identifier(OutputIdentifierType.ISSN, issn)
    for isbn in abstract.isbns[:1]:
        builder.identifier(OutputIdentifierType.ISBN, isbn)
    _authors(builder, abstract.authors)
    return builder.build(TYPES.get(abstract.doc_type, OutputType.OTHER))


def entry_from_search(document: SearchDocument) -> ImportedEntry:
    """One Scopus Search result as an entry (the list of documents not held)."""
    builder = EntryBuilder(line=1, label=document.eid)
    builder.text("title", document.title)
    builder.text("host_title", document.source_title)
    builder.text("volume", document.volume)
    builder.text("issue", document.issue)
    builder.text("pages", document.pages)
    builder.text("article_number", document.article_number)
    if document.cover_date is not None:
        builder.fields["publication_year"] = document.cover_date.year
        builder.fields["publication_month"] = document.cover_date.month
    else:
        builder.year("")
    builder.identifier(OutputIdentifierType.EID, document.eid)
    builder.identifier(OutputIdentifierType.DOI, document.doi)
    _authors(builder, document.authors)
    return builder.build(TYPES.get(document.doc_type, OutputType.OTHER))


def _unavailable(error: ScopusError) -> ScopusImportUnavailable:
    return ScopusImportUnavailable(
        f"Scopus could not be asked just now ({error}). Nothing was imported: please try again "
        "in a few minutes."
    )


def look_up(text: str, *, session: ScopusSession | None = None) -> ImportedEntry:
    """The Scopus document with the EID or DOI typed; ScopusImportError says what went wrong."""
    text = text.strip()
    kind, value = "", ""
    for scheme, name in ((identifiers.Scheme.SCOPUS_EID, "EID"), (identifiers.Scheme.DOI, "DOI")):
        try:
            value = identifiers.normalise(scheme, text)
        except identifiers.IdentifierError:
            continue
        kind = name
        break
    if not kind:
        raise ScopusImportError(
            f"“{text[:80]}” is neither a Scopus EID (2-s2.0-…) nor a DOI (10.…)."
        )
    own = session is None
    active = session or ScopusSession.from_settings()
    try:
        abstract = (
            active.get_abstract_by_eid(value)
            if kind == "EID"
            else active.get_abstract_by_doi(value)
        )
    except ScopusNotFoundError as error:
        raise ScopusImportError(
            f"Scopus has no document with the {kind} {value} ({error})."
        ) from error
    except ScopusUnavailableError as error:
        raise _unavailable(error) from error
    except ScopusError as error:
        raise ScopusImportError(f"Scopus refused the request: {error}") from error
    finally:
        if own:
            active.close()
    return entry_from_abstract(abstract)


def scopus_author_ids(person: Person) -> list[str]:
    """The person's Scopus Author IDs the Library has not rejected."""
    return list(
        person.identifiers.filter(id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID)
        .exclude(status=IdentifierStatus.REJECTED)
        .values_list("value", flat=True)
    )


def documents_not_held(person: Person, *, session: ScopusSession | None = None) -> list[PreviewRow]:
    """The researcher's Scopus documents (by their Scopus Author IDs) the portal does not hold:
    none of its outputs has their DOI or EID (a match by title alone is listed with its match,
    for the researcher to answer)."""
    author_ids = scopus_author_ids(person)
    if not author_ids:
        return []
    own = session is None
    active = session or ScopusSession.from_settings()
    found: list[PreviewRow] = []
    seen: set[str] = set()
    try:
        for author_id in author_ids:
            for document in active.search_author_documents(author_id):
                if document.eid in seen:
                    continue
                seen.add(document.eid)
                entry = entry_from_search(document)
                matches = find_duplicates(candidate(entry))
                if not any(match.by_identifier for match in matches):
                    found.append(PreviewRow(len(found), entry, matches))
                if len(found) >= MAX_NOT_HELD:
                    return found
    except ScopusUnavailableError as error:
        raise _unavailable(error) from error
    except ScopusError as error:
        raise ScopusImportError(f"Scopus refused the search: {error}") from error
    finally:
        if own:
            active.close()
    return found


def import_panel(request: HttpRequest, person: Person | None) -> str:
    """The "Import from Scopus" link on My research output (a PORTAL_PANELS entry)."""
    if person is None:
        return ""
    return render_to_string("scopus_connector/_import_panel.html", {}, request=request)
