"""The researcher's CV ("Download CV"): what it holds, gathered once, and its Word layout.

`gather` reads what the public profile shows and nothing it hides: the name (with the
native-language name), positions, contact and public identifiers, links, profile text, validated
public research output, and one section per content type the portal's registry
(`portal.content`) holds, with that type's public items of the person (projects, activities,
prizes / honours, student theses once awarded, datasets, impact, press / media). Both formats
lay out the same `CvContent`: `build` here as Word, `portal.cv_pdf` as PDF.

The reads are bounded whatever the person has: the profile's prefetches, one query (and its
prefetches) per registered type capped at MAX_SECTION_ITEMS, and the outputs read in chunks.

Word as well as PDF: python-docx is pure Python, where WeasyPrint needs the system's Pango,
which a fresh machine running `make demo` may not have.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from docx import Document
from docx.shared import Pt

from portal import content
from portal.models import Person, PersonIdentifier, ResearchOutput
from portal.models.owned import period_text
from portal.views.identifier_links import identifier_rows

MAX_OUTPUTS = 5000
# Items of one type a CV lists; the rest are on the portal. Bounds the rows read and, for the
# PDF, the layout time (WeasyPrint lays out some 75 entries a second on a busy machine).
MAX_SECTION_ITEMS = 100
# Facts a detail page shows that are prose, not facts: a CV lists what, when, who, not abstracts.
PROSE_FACTS = frozenset({"Description", "Abstract"})
# Characters XML 1.0 cannot hold; python-docx refuses them, and harvested titles carry some.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def citation(output: ResearchOutput) -> str:
    """One output as a reference line: authors (year). Title. Host, volume(issue), pages. DOI."""
    authors = "; ".join(row.name_as_printed for row in output.contributors.all())
    title = f"{output.title}: {output.subtitle}" if output.subtitle else output.title
    parts = [f"{authors} ({output.publication_year}). {title}."]
    host = output.host_title
    if output.volume:
        host += f", {output.volume}"
        if output.issue:
            host += f"({output.issue})"
    if output.pages:
        host += f", {output.pages}"
    if host.strip(", "):
        parts.append(f"{host.strip(', ')}.")
    doi = next((i.value for i in output.identifiers.all() if i.id_type == "doi"), "")
    if doi:
        parts.append(f"https://doi.org/{doi}")
    return " ".join(parts)


@dataclass(frozen=True)
class CvEntry:
    """One item of a section: its title and (label, text) facts, the person's role first."""

    title: str
    facts: tuple[tuple[str, str], ...]

    @property
    def details(self) -> str:
        """The facts as one line: "Role: Principal investigator · Acronym: HKALL · ..."."""
        return " · ".join(f"{label}: {text}" for label, text in self.facts)


@dataclass(frozen=True)
class CvSection:
    """A content type's part of the CV: its menu label and the person's public items."""

    heading: str
    plural: str
    entries: tuple[CvEntry, ...]
    # More than MAX_SECTION_ITEMS: the CV lists the first ones and says the rest are online.
    capped: bool


@dataclass(frozen=True)
class CvContent:
    """Everything a CV shows, in either format; text as stored (each layout escapes it)."""

    name: str
    native_name: str
    institution: str
    positions: tuple[str, ...]
    contact: tuple[tuple[str, str], ...]
    links: tuple[tuple[str, str], ...]
    profile_text: str
    sections: tuple[CvSection, ...]
    # Newest first, read lazily: each format stops at its own cap.
    outputs: Iterable[ResearchOutput]

    def citations(self, limit: int) -> Iterator[str]:
        """The first `limit` outputs as reference lines."""
        for count, output in enumerate(self.outputs, start=1):
            if count > limit:
                return
            yield citation(output)


def _position_line(position: Any) -> str:
    line = f"{position.get_role_display()}, {position.org_unit.name}"
    period = period_text(position.start_date, position.end_date)
    return f"{line} ({period})" if period else line


def _entry(item: Any, person_id: int) -> CvEntry:
    """An item of any registered type: its title, the person's role on it, its short facts."""
    people = item.people_rows() if hasattr(item, "people_rows") else []
    role = next((row.role for row in people if row.person_id == person_id and row.role), "")
    facts = item.facts() if hasattr(item, "facts") else []
    shown = [("Role", role)] if role else []
    shown += [(label, text) for label, text in facts if label not in PROSE_FACTS and text]
    return CvEntry(str(getattr(item, "title", item)), tuple(shown))


def _sections(person: Person) -> tuple[CvSection, ...]:
    found = []
    for kind in content.registered():
        items = list(kind.items_of_person(person.pk)[: MAX_SECTION_ITEMS + 1])
        if items:
            found.append(
                CvSection(
                    heading=kind.label,
                    plural=kind.plural,
                    entries=tuple(_entry(item, person.pk) for item in items[:MAX_SECTION_ITEMS]),
                    capped=len(items) > MAX_SECTION_ITEMS,
                )
            )
    return tuple(found)


def gather(
    person: Person, identifiers: Iterable[PersonIdentifier], outputs: Iterable[ResearchOutput]
) -> CvContent:
    """What a CV of the person shows (`person` with the profile's prefetches, `identifiers` the
    public ones, `outputs` the public ones newest first): the one source of both formats."""
    contact = [
        ("Address", person.address),
        ("Phone", person.phone),
        ("Email", person.email),
        *((row.label, row.text) for row in identifier_rows(identifiers)),
    ]
    return CvContent(
        name=person.display_name,
        native_name=person.native_name,
        institution=settings.PORTAL_INSTITUTION_NAME,
        positions=tuple(_position_line(position) for position in person.positions.all()),
        contact=tuple((label, value) for label, value in contact if value),
        links=tuple((str(link), link.url) for link in person.links.all()),
        profile_text=person.profile_text,
        sections=_sections(person),
        outputs=outputs,
    )


def build(
    person: Person, identifiers: Iterable[PersonIdentifier], outputs: Iterable[ResearchOutput]
) -> bytes:
    """The CV as a Word document."""
    cv = gather(person, identifiers, outputs)
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    name = cv.name + (f" ({cv.native_name})" if cv.native_name else "")
    document.add_heading(_xml_safe(name), level=0)
    document.add_paragraph(_xml_safe(cv.institution))
    if cv.positions:
        document.add_heading("Positions", level=1)
        for position in cv.positions:
            document.add_paragraph(_xml_safe(position))
    document.add_heading("Contact and identifiers", level=1)
    for label, value in cv.contact:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_xml_safe(value))
    if cv.links:
        document.add_heading("Other Links", level=1)
        for label, url in cv.links:
            document.add_paragraph(_xml_safe(f"{label}: {url}"), style="List Bullet")
    if cv.profile_text:
        document.add_heading("Profile", level=1)
        document.add_paragraph(_xml_safe(cv.profile_text))
    document.add_heading("Research output", level=1)
    count = 0
    for line in cv.citations(MAX_OUTPUTS):
        document.add_paragraph(_xml_safe(line), style="List Number")
        count += 1
    if count == 0:
        document.add_paragraph("No public research output yet.")
    for section in cv.sections:
        document.add_heading(section.heading, level=1)
        for entry in section.entries:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(_xml_safe(entry.title)).bold = True
            if entry.details:
                paragraph.add_run().add_break()
                paragraph.add_run(_xml_safe(entry.details))
        if section.capped:
            document.add_paragraph(capped_note(section))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def capped_note(section: CvSection) -> str:
    """What a capped section says under its entries."""
    return f"The first {MAX_SECTION_ITEMS} {section.plural}; the full list is on the portal."
