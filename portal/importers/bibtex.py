"""BibTeX files as research outputs, read with bibtexparser (v2)."""

from __future__ import annotations

import bibtexparser
from bibtexparser import middlewares

from portal.choices import OutputIdentifierType, OutputType
from portal.importers.records import EntryBuilder, ImportedEntry, clean_text, split_name

TYPES = {
    "article": OutputType.JOURNAL_ARTICLE,
    "inproceedings": OutputType.CONFERENCE_PAPER,
    "conference": OutputType.CONFERENCE_PAPER,
    "proceedings": OutputType.CONFERENCE_PAPER,
    "book": OutputType.BOOK,
    "inbook": OutputType.BOOK_CHAPTER,
    "incollection": OutputType.BOOK_CHAPTER,
    "phdthesis": OutputType.DISSERTATION,
    "mastersthesis": OutputType.DISSERTATION,
    "thesis": OutputType.DISSERTATION,
    "techreport": OutputType.REPORT,
    "report": OutputType.REPORT,
    "dataset": OutputType.DATASET,
    "data": OutputType.DATASET,
}
HOST_FIELDS = ("journal", "journaltitle", "booktitle", "series")


def parse_bibtex(text: str) -> list[ImportedEntry]:
    """Every entry of a BibTeX file, in file order; blocks the parser could not read are
    refused entries with their line too."""
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(),
            middlewares.SeparateCoAuthors(),
        ],
    )
    entries: list[ImportedEntry] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bibtexparser.model.ParsingFailedBlock):
            entries.append(
                ImportedEntry(
                    line=line,
                    label=clean_text((block.raw or "").split("\n", 1)[0])[:80],
                    fields={},
                    authors=(),
                    identifiers=(),
                    problems=("BibTeX syntax error: " + clean_text(str(block.error))[:200],),
                )
            )
        elif isinstance(block, bibtexparser.model.Entry):
            entries.append(_entry(block, line))
    return entries


def _entry(block: bibtexparser.model.Entry, line: int) -> ImportedEntry:
    values = {key.lower(): field.value for key, field in block.fields_dict.items()}
    builder = EntryBuilder(line=line, label=block.key)
    builder.text("title", values.get("title"))
    builder.text("subtitle", values.get("subtitle"))
    for name in HOST_FIELDS:
        if values.get(name):
            builder.text("host_title", values[name])
            break
    builder.text("volume", values.get("volume"))
    builder.text("issue", values.get("number") or values.get("issue"))
    # LaTeX decoding turns the page range's "--" into an en dash; the portal writes "70-75".
    pages = str(values.get("pages", "")).replace("--", "-").replace("\u2013", "-")
    builder.text("pages", pages)
    builder.text("publisher", values.get("publisher") or values.get("institution"))
    builder.text("abstract", values.get("abstract"))
    builder.text("keywords", values.get("keywords"))
    builder.text("edition", values.get("edition"))
    builder.text("awarding_institution", values.get("school"))
    builder.year(values.get("year") or str(values.get("date", ""))[:4])
    builder.month(values.get("month"))
    if str(values.get("url", "")).startswith(("http://", "https://")):
        builder.fields["open_access_url"] = clean_text(values["url"])[:500]
    builder.identifier(OutputIdentifierType.DOI, values.get("doi"))
    builder.identifier(OutputIdentifierType.PMID, values.get("pmid"))
    builder.identifier(OutputIdentifierType.ISBN, values.get("isbn"))
    builder.identifier(OutputIdentifierType.ISSN, values.get("issn"))
    eid = values.get("eid") or values.get("scopus")
    if eid and str(eid).startswith("2-s2.0-"):
        builder.identifier(OutputIdentifierType.EID, eid)
    authors = values.get("author") or values.get("editor") or []
    if isinstance(authors, str):
        authors = [authors]
    for name in authors:
        family, given = split_name(str(name))
        builder.author(family, given)
    output_type = TYPES.get(block.entry_type.lower(), OutputType.OTHER)
    return builder.build(output_type)
