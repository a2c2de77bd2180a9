"""Imports through the duplicate check: preview what a file or service holds, then enter the good,
new entries through the actions, each in its own transaction (an entry is imported whole or not
at all; one refused entry does not stop the others).

A file larger than PREVIEW_LIMIT entries runs as a background job (an ImportBatch and the
`import_batch_task`), recording its progress as it goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.actions import do_create_output, do_mark_not_duplicate
from portal.audit import Actor
from portal.choices import OutputSource
from portal.duplicates import Candidate, DuplicateMatch, find_duplicates
from portal.errors import PortalError
from portal.importers.bibtex import parse_bibtex
from portal.importers.records import ImportedEntry
from portal.importers.ris import parse_ris
from portal.models import ImportBatch, Person, ResearchOutput

log = logging.getLogger(__name__)

# Up to this many entries the file is previewed and imported at once; above, a background job.
PREVIEW_LIMIT = 200
MAX_FILE_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 50
FORMATS = {"bibtex": parse_bibtex, "ris": parse_ris}


class ImportFileError(Exception):
    """The file cannot be read at all (not text, too large, neither BibTeX nor RIS)."""


@dataclass(frozen=True)
class PreviewRow:
    """One entry as the preview shows it: refused, a possible duplicate, or new."""

    index: int
    entry: ImportedEntry
    duplicates: Sequence[DuplicateMatch]

    @property
    def importable(self) -> bool:
        return self.entry.ok and not self.duplicates

    @property
    def may_confirm(self) -> bool:
        """Whether the person may answer "Not a duplicate": every match is by title, year and
        first author (a matching DOI, EID, PMID or ISBN is the same publication, so it stays
        refused)."""
        return self.entry.ok and title_matches_only(self.duplicates)

    @property
    def confirmation(self) -> str:
        """The "Not a duplicate" answer's form value: the row and the held outputs it was shown
        beside, so an answer never covers a match the person did not see."""
        return f"{self.index}:" + "-".join(str(match.output.pk) for match in self.duplicates)


def title_matches_only(matches: Sequence[DuplicateMatch]) -> bool:
    """Whether "Not a duplicate" may be offered beside these matches: there are some, and none
    is by identifier (for every importer: files here, Scopus and ORCID in the connectors, which
    pass the answer on as `import_entry(..., not_duplicate_of=...)`)."""
    return bool(matches) and not any(match.by_identifier for match in matches)


def read_upload(name: str, data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and its format ("bibtex" or "ris"), or ImportFileError."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportFileError("The file is not text in UTF-8 (or Windows-1252).") from error
    if "\x00" in text:
        raise ImportFileError("The file is not a text file.")
    lowered = name.lower()
    if lowered.endswith((".bib", ".bibtex")) or "@" in text[:2000] and "TY  - " not in text[:2000]:
        return text, "bibtex"
    if lowered.endswith((".ris", ".txt")) or "TY  - " in text:
        return text, "ris"
    raise ImportFileError("This is neither a BibTeX (.bib) nor a RIS (.ris) file.")


def parse(text: str, file_format: str) -> list[ImportedEntry]:
    return FORMATS[file_format](text)


def candidate(entry: ImportedEntry) -> Candidate:
    return Candidate(
        title=entry.title,
        year=entry.year,
        first_author=entry.first_author,
        output_type=str(entry.fields.get("output_type", "")),
        identifiers=entry.identifiers,
    )


def preview(entries: Sequence[ImportedEntry]) -> list[PreviewRow]:
    """Each entry with the held outputs it may duplicate (refused entries are not checked)."""
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        matches = find_duplicates(candidate(entry)) if entry.ok else []
        problems = list(entry.problems)
        for identifier in entry.identifiers:
            if identifier[0] in ("doi", "eid") and identifier in seen and entry.ok:
                problems.append(
                    f"the same {identifier[0].upper()} as the entry at line "
                    f"{seen[identifier]} of this file"
                )
            seen.setdefault(identifier, entry.line)
        if len(problems) != len(entry.problems):
            entry = ImportedEntry(**{**entry.__dict__, "problems": tuple(problems)})
        rows.append(PreviewRow(index, entry, matches))
    return rows


def import_entry(
    entry: ImportedEntry,
    *,
    person: Person | None,
    acting_user: Actor,
    source: OutputSource,
    not_duplicate_of: Sequence[ResearchOutput] = (),
) -> ResearchOutput:
    """Enter one checked entry (Entry in progress); PortalError / ValidationError if refused.

    `not_duplicate_of`: held outputs the person said this entry is not (title matches), recorded
    with the new output so the check stops pairing them."""
    contributors = entry.contributors(person)
    if person is not None and not any(row.person is not None for row in contributors):
        raise PortalError(
            f"{person.family_name} is not among the authors, so this is not your output."
        )
    fields = {name: value for name, value in entry.fields.items()}
    output = do_create_output(
        fields, contributors, list(entry.identifiers), acting_user=acting_user, source=source
    )
    for other in not_duplicate_of:
        do_mark_not_duplicate(output, other, acting_user=acting_user)
    return output


class PossibleDuplicateError(PortalError):
    """One previewed entry may be a held output and the answer posted does not settle it."""


def _identifier_refusal(match: DuplicateMatch) -> str:
    return (
        f"The portal already holds this publication: research output {match.output.pk} "
        f"({match.reason}). It is not imported again; if you are one of its authors, choose "
        "“Add me as an author of that output”."
    )


def not_duplicate_answer(row: PreviewRow, answers: Sequence[str]) -> list[ResearchOutput]:
    """The held outputs one previewed entry is to be recorded "Not a duplicate" of, from the
    `PreviewRow.confirmation` values posted with it, checked against the matches found now.

    PossibleDuplicateError, said fit to show, unless the answer names exactly the title matches
    found (no answer: there must be no match): a match by identifier, an answer the page did not
    offer, a held output that is not a title match, or a match that appeared since the preview.
    """
    for match in row.duplicates:
        if match.by_identifier:
            raise PossibleDuplicateError(_identifier_refusal(match))
    shown = {match.output.pk for match in row.duplicates}
    answered: set[int] = set()
    for value in answers[:PREVIEW_LIMIT]:
        parsed = confirmed_not_duplicates([value])
        if set(parsed) != {row.index}:
            raise PossibleDuplicateError(
                "This “Not a duplicate” answer is not one this page offered; nothing was "
                "imported. Look the entry up again and answer beside the outputs it shows."
            )
        answered |= parsed[row.index]
    if answered - shown:
        listed = ", ".join(str(pk) for pk in sorted(answered - shown))
        raise PossibleDuplicateError(
            f"Research output {listed} is not a possible duplicate of this entry (only a match "
            "by title, year and first author can be answered “Not a duplicate”); nothing was "
            "imported."
        )
    if shown - answered:
        # The same answer sent twice (a double click, the back button): the first made an output
        # recorded as not a duplicate of what was answered, which is now a match of its own.
        repeated = (
            ResearchOutput.objects.filter(pk__in=shown - answered, not_duplicates__in=answered)
            .values_list("pk", flat=True)
            .first()
        )
        if repeated is not None:
            raise PossibleDuplicateError(
                f"This was imported already, as research output {repeated}; nothing more was "
                "imported."
            )
        listed = ", ".join(str(pk) for pk in sorted(shown - answered))
        raise PossibleDuplicateError(
            f"Possible duplicate of research output {listed}: nothing was imported. Add yourself "
            "as an author of that output, or tick “Not a duplicate” to import this as a new one."
            if not answered
            else f"Research output {listed} is a possible duplicate too (it was not shown when you "
            "answered); nothing was imported. Check it, then answer again."
        )
    return [match.output for match in row.duplicates]


def import_previewed(
    entry: ImportedEntry,
    answers: Sequence[str],
    *,
    index: int,
    person: Person,
    acting_user: Actor,
    source: OutputSource,
) -> ResearchOutput:
    """Import one entry a researcher previewed and pressed "Import" on (Import from Scopus, from
    ORCID): checked again for duplicates, entered with their "Not a duplicate" answer
    (`not_duplicate_answer`), whole or not at all; PortalError / ValidationError if refused."""
    with transaction.atomic():
        # Two presses of "Import" (a double click, a second tab) for one person run one after
        # the other, so the second finds the first one's output and is refused.
        list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))
        row = PreviewRow(index, entry, find_duplicates(candidate(entry)))
        return import_entry(
            entry,
            person=person,
            acting_user=acting_user,
            source=source,
            not_duplicate_of=not_duplicate_answer(row, answers),
        )


def confirmed_not_duplicates(values: Sequence[str]) -> dict[int, set[int]]:
    """The posted "Not a duplicate" answers (`PreviewRow.confirmation` values) as row index →
    held outputs; malformed values are ignored."""
    answers: dict[int, set[int]] = {}
    for value in values[:PREVIEW_LIMIT]:
        index, _, held = value.partition(":")
        pks = held.split("-")
        if index.isdigit() and pks and all(pk.isdigit() for pk in pks):
            answers.setdefault(int(index), set()).update(int(pk) for pk in pks)
    return answers


def refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{name.replace('_', ' ')}: {' '.join(messages)}"
            for name, messages in getattr(error, "message_dict", {"entry": error.messages}).items()
        )
    return str(error)


def import_rows(
    rows: Sequence[PreviewRow],
    *,
    person: Person | None,
    acting_user: Actor,
    source: OutputSource = OutputSource.IMPORT,
    progress: Callable[[int, int, list[dict[str, Any]], list[dict[str, Any]]], None] | None = None,
    not_duplicates: Mapping[int, Collection[int]] | None = None,
) -> tuple[list[ResearchOutput], list[dict[str, Any]], list[dict[str, Any]]]:
    """Import the importable rows; returns (outputs, refused entries, duplicates skipped).

    `not_duplicates` (row index → held outputs): the person's "Not a duplicate" answers. A row
    whose every match is a title match they answered for is imported and recorded as not a
    duplicate of those outputs; a row matched by an identifier is skipped whatever the answer.
    """
    imported: list[ResearchOutput] = []
    refused: list[dict[str, Any]] = []
    duplicates: list[dict[str, Any]] = []
    answers = not_duplicates or {}
    for done, row in enumerate(rows, start=1):
        entry = row.entry
        answered = answers.get(row.index, ())
        confirmed = row.may_confirm and all(match.output.pk in answered for match in row.duplicates)
        if not entry.ok:
            refused.append({**entry.to_json(), "reasons": list(entry.problems)})
        elif row.duplicates and not confirmed:
            match = row.duplicates[0]
            duplicates.append(
                {**entry.to_json(), "output": match.output.pk, "reason": match.reason}
            )
        else:
            try:
                with transaction.atomic():
                    imported.append(
                        import_entry(
                            entry,
                            person=person,
                            acting_user=acting_user,
                            source=source,
                            not_duplicate_of=[match.output for match in row.duplicates],
                        )
                    )
            except (PortalError, ValidationError) as error:
                refused.append({**entry.to_json(), "reasons": [refusal(error)]})
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(imported), refused, duplicates)
    return imported, refused, duplicates


def run_batch(batch_id: int) -> ImportBatch:
    """The background job of a large file: parse, check and import, recording progress."""
    batch = ImportBatch.objects.select_related("owner", "person").get(pk=batch_id)
    if batch.state not in (ImportBatch.State.QUEUED, ImportBatch.State.PREVIEW):
        return batch
    batch.state = ImportBatch.State.RUNNING
    batch.save(update_fields=["state"])
    try:
        entries = parse(batch.content, batch.file_format)
        batch.total = len(entries)
        batch.save(update_fields=["total"])

        def progress(
            done: int,
            imported: int,
            refused: list[dict[str, Any]],
            duplicates: list[dict[str, Any]],
        ) -> None:
            ImportBatch.objects.filter(pk=batch.pk).update(
                processed=done, imported=imported, refused=refused, duplicates=duplicates
            )

        # The duplicate check runs entry by entry, so the file's own repeats are caught too.
        imported, refused, duplicates = [], [], []
        for start in range(0, len(entries), PROGRESS_EVERY):
            chunk = preview(entries[start : start + PROGRESS_EVERY])
            done, more_refused, more_duplicates = import_rows(
                chunk, person=batch.person, acting_user=batch.owner
            )
            imported += done
            refused += more_refused
            duplicates += more_duplicates
            progress(start + len(chunk), len(imported), refused, duplicates)
        batch.refresh_from_db()
        batch.state = ImportBatch.State.DONE
        batch.outcome = (
            f"{len(imported):,} imported, {len(refused):,} refused, "
            f"{len(duplicates):,} possible duplicates skipped"
        )
    except Exception as error:  # the run's row must say it failed, whatever happened
        log.exception("import batch %s failed", batch_id)
        batch.refresh_from_db()
        batch.state = ImportBatch.State.FAILED
        batch.outcome = f"Failed: {error}"[:500]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["state", "outcome", "finished_at"])
    return batch
