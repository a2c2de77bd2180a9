"""RIS files as research outputs, read with rispy, one record at a time so that each refused
record is reported with the line it starts on."""

from __future__ import annotations

import re
from typing import Any

import rispy

from portal.choices import OutputIdentifierType, OutputType
from portal.importers.records import EntryBuilder, ImportedEntry, split_name

TYPES = {
    "JOUR": OutputType.JOURNAL_ARTICLE,
    "JFULL": OutputType.JOURNAL_ARTICLE,
    "EJOUR": OutputType.JOURNAL_ARTICLE,
    "CONF": OutputType.CONFERENCE_PAPER,
    "CPAPER": OutputType.CONFERENCE_PAPER,
    "BOOK": OutputType.BOOK,
    "EBOOK": OutputType.BOOK,
    "EDBOOK": OutputType.EDITED_BOOK,
    "CHAP": OutputType.BOOK_CHAPTER,
    "ECHAP": OutputType.BOOK_CHAPTER,
    "THES": OutputType.DISSERTATION,
    "RPRT": OutputType.REPORT,
    "DATA": OutputType.DATASET,
}
RECORD_START = re.compile(r"^TY  - ", re.MULTILINE)
BOOK_TYPES = {OutputType.BOOK, OutputType.EDITED_BOOK, OutputType.BOOK_CHAPTER}


def parse_ris(text: str) -> list[ImportedEntry]:
    """Every record of a RIS file, in file order."""
    starts = [match.start() for match in RECORD_START.finditer(text)]
    entries: list[ImportedEntry] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        line = text.count("\n", 0, start) + 1
        if not re.search(r"^ER  -", chunk, re.MULTILINE):
            entries.append(_refused(line, "the record has no end line (ER  - )"))
            continue
        try:
            records = rispy.loads(chunk)
        except (ValueError, KeyError, IndexError) as error:
            entries.append(_refused(line, f"RIS syntax error: {error}"))
            continue
        if len(records) != 1:
            entries.append(_refused(line, "RIS syntax error: the record could not be read"))
            continue
        entries.append(_entry(records[0], line, index + 1))
    if not starts and text.strip():
        entries.append(_refused(1, "no RIS record found (each starts with a 'TY  - ' line)"))
    return entries


def _refused(line: int, reason: str) -> ImportedEntry:
    return ImportedEntry(
        line=line, label=f"line {line}", fields={}, authors=(), identifiers=(), problems=(reason,)
    )


def _entry(record: dict[str, Any], line: int, number: int) -> ImportedEntry:
    output_type = TYPES.get(str(record.get("type_of_reference", "")).upper(), OutputType.OTHER)
    builder = EntryBuilder(line=line, label=f"record {number}")
    builder.text("title", record.get("title") or record.get("primary_title"))
    builder.text(
        "host_title",
        record.get("secondary_title")
        or record.get("journal_name")
        or record.get("alternate_title3")
        or record.get("alternate_title1"),
    )
    builder.text("volume", record.get("volume"))
    builder.text("issue", record.get("number") or record.get("issue"))
    start, end = record.get("start_page"), record.get("end_page")
    if start:
        builder.text("pages", f"{start}-{end}" if end else str(start))
    builder.text("publisher", record.get("publisher"))
    builder.text("abstract", record.get("abstract"))
    builder.text("keywords", record.get("keywords"))
    builder.year(record.get("year") or record.get("publication_year") or record.get("date"))
    date = str(record.get("date") or "")
    if re.match(r"\d{4}/\d{1,2}", date):
        builder.month(date.split("/")[1])
    urls = record.get("urls") or []
    if urls and str(urls[0]).startswith(("http://", "https://")):
        builder.fields["open_access_url"] = str(urls[0])[:500]
    builder.identifier(OutputIdentifierType.DOI, record.get("doi"))
    # RIS keeps ISBN and ISSN in the one SN field: which it is depends on the record type.
    serial = record.get("issn")
    if serial:
        kind = OutputIdentifierType.ISBN if output_type in BOOK_TYPES else OutputIdentifierType.ISSN
        builder.identifier(kind, str(serial).split()[0])
    for name in record.get("authors") or record.get("first_authors") or []:
        family, given = split_name(str(name))
        builder.author(family, given)
    return builder.build(output_type)
