"""What every importer produces: one entry of a file or an online source, checked field by field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from portal.actions import ContributorEntry, normalise_output_identifier
from portal.choices import OutputIdentifierType, OutputType, PublicationStatus
from portal.errors import InvalidIdentifierError
from portal.models import Person
from portal.models.outputs import ResearchOutput

MAX_AUTHORS = 500
# Field lengths of the model, so an over-long value is refused here with a message, not later.
LIMITS = {
    name: ResearchOutput._meta.get_field(name).max_length  # type: ignore[union-attr]
    for name in (
        "title",
        "subtitle",
        "host_title",
        "volume",
        "issue",
        "pages",
        "publisher",
        "article_number",
        "keywords",
        "edition",
        "event",
        "awarding_institution",
    )
}


@dataclass(frozen=True)
class ImportedAuthor:
    """An author as the source prints them."""

    family_name: str
    given_names: str = ""
    affiliation: str = ""


@dataclass(frozen=True)
class ImportedEntry:
    """One output read from a file or a service: what it says, and why it cannot be imported
    (problems), with the line (or position) it starts at."""

    line: int
    label: str
    fields: Mapping[str, Any]
    authors: tuple[ImportedAuthor, ...]
    identifiers: tuple[tuple[str, str], ...]
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def title(self) -> str:
        return str(self.fields.get("title", ""))

    @property
    def year(self) -> int | None:
        value = self.fields.get("publication_year")
        return value if isinstance(value, int) else None

    @property
    def first_author(self) -> str:
        return self.authors[0].family_name if self.authors else ""

    def contributors(self, person: Person | None) -> list[ContributorEntry]:
        """The authors in order; the importing researcher's own line linked to their profile
        (the first author line with their family name), or added last if absent."""
        linked = False
        entries = []
        for author in self.authors:
            is_them = (
                person is not None
                and not linked
                and author.family_name.casefold() == person.family_name.casefold()
            )
            entries.append(
                ContributorEntry(
                    family_name=author.family_name,
                    given_names=author.given_names,
                    person=person if is_them else None,
                    external_affiliation="" if is_them else author.affiliation[:255],
                )
            )
            linked = linked or is_them
        return entries

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "label": self.label, "title": self.title, "year": self.year}


@dataclass
class EntryBuilder:
    """Collects one entry's values, refusing each bad one with its own reason."""

    line: int
    label: str
    fields: dict[str, Any] = field(default_factory=dict)
    authors: list[ImportedAuthor] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def text(self, name: str, value: object) -> None:
        cleaned = clean_text(value)
        if not cleaned:
            return
        limit = LIMITS.get(name)
        if limit and len(cleaned) > limit:
            self.problems.append(f"{name.replace('_', ' ')} is longer than {limit} characters")
            return
        self.fields[name] = cleaned

    def year(self, value: object) -> None:
        raw = clean_text(value)
        match = re.fullmatch(r"(\d{4})(?:[-/].*)?", raw)
        latest = timezone.now().year + 2
        if not raw:
            self.problems.append("no year of publication")
        elif match is None or not 1000 <= int(match.group(1)) <= latest:
            self.problems.append(f"the year “{raw[:20]}” is not a year between 1000 and {latest}")
        else:
            self.fields["publication_year"] = int(match.group(1))

    def month(self, value: object) -> None:
        raw = clean_text(value).lower()[:3]
        months = "janfebmaraprmayjunjulaugsepoctnovdec"
        if raw.isdigit() and 1 <= int(raw) <= 12:
            self.fields["publication_month"] = int(raw)
        elif len(raw) == 3 and raw in months and months.index(raw) % 3 == 0:
            self.fields["publication_month"] = months.index(raw) // 3 + 1

    def identifier(self, id_type: OutputIdentifierType, value: object) -> None:
        raw = clean_text(value)
        if not raw:
            return
        try:
            normalised = normalise_output_identifier(id_type, raw)
        except InvalidIdentifierError as error:
            self.problems.append(f"{id_type.label} “{raw[:60]}”: {error}")
            return
        if (id_type, normalised) not in self.identifiers:
            self.identifiers.append((id_type.value, normalised))

    def author(self, family: str, given: str = "", affiliation: str = "") -> None:
        family, given = clean_text(family), clean_text(given)
        if not family and given:
            family, given = given, ""
        if not family:
            return
        if len(family) > 150 or len(given) > 150:
            self.problems.append(f"the author name “{family[:40]}…” is too long")
            return
        self.authors.append(ImportedAuthor(family, given, clean_text(affiliation)))

    def build(self, output_type: OutputType) -> ImportedEntry:
        self.fields["output_type"] = output_type.value
        self.fields.setdefault("publication_status", PublicationStatus.PUBLISHED.value)
        if not self.fields.get("title"):
            self.problems.insert(0, "no title")
        if "publication_year" not in self.fields and not any(
            "year" in problem for problem in self.problems
        ):
            self.problems.append("no year of publication")
        if not self.authors:
            self.problems.append("no authors")
        elif len(self.authors) > MAX_AUTHORS:
            self.problems.append(f"more than {MAX_AUTHORS} authors")
        return ImportedEntry(
            line=self.line,
            label=self.label,
            fields=dict(self.fields),
            authors=tuple(self.authors),
            identifiers=tuple(self.identifiers),
            problems=tuple(self.problems),
        )


def clean_text(value: object) -> str:
    """One line of printable text: braces of BibTeX, control characters and runs of space gone."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    text = str(value).replace("{", "").replace("}", "")
    text = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(text.split())


def split_name(name: str) -> tuple[str, str]:
    """'Family, Given' or 'Given Family' as (family, given)."""
    name = clean_text(name)
    if "," in name:
        family, _, given = name.partition(",")
        return family.strip(), given.strip()
    parts = name.rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (name, "")


def problems_of(entries: Iterable[ImportedEntry]) -> list[dict[str, Any]]:
    """The refused entries as the job and the preview list them: line, what, why."""
    return [
        {**entry.to_json(), "reasons": list(entry.problems)} for entry in entries if entry.problems
    ]


def identifier_list(values: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{OutputIdentifierType(kind).label} {value}" for kind, value in values)
