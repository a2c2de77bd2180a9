"""The researcher's CV as a Word document, from the public profile ("Download CV").

Word rather than PDF: python-docx is pure Python, where WeasyPrint needs the system's Pango,
which a fresh machine running `make demo` may not have. Only what the public profile shows goes
in: public identifiers, links, and validated public research output, newest first.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from django.conf import settings
from docx import Document
from docx.shared import Pt

from portal.models import Person, PersonIdentifier, ResearchOutput
from portal.views.identifier_links import identifier_rows

MAX_OUTPUTS = 5000
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


def build(
    person: Person, identifiers: Iterable[PersonIdentifier], outputs: Iterable[ResearchOutput]
) -> bytes:
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    name = person.display_name + (f" ({person.native_name})" if person.native_name else "")
    document.add_heading(_xml_safe(name), level=0)
    for position in person.positions.all():
        document.add_paragraph(
            _xml_safe(f"{position.get_role_display()}, {position.org_unit.name}")
        )
    document.add_paragraph(settings.PORTAL_INSTITUTION_NAME)
    contact = [
        ("Address", person.address),
        ("Phone", person.phone),
        ("Email", person.email),
        *((row.label, row.text) for row in identifier_rows(identifiers)),
    ]
    document.add_heading("Contact and identifiers", level=1)
    for label, value in contact:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(_xml_safe(value))
    links = list(person.links.all())
    if links:
        document.add_heading("Other Links", level=1)
        for link in links:
            document.add_paragraph(_xml_safe(f"{link}: {link.url}"), style="List Bullet")
    if person.profile_text:
        document.add_heading("Profile", level=1)
        document.add_paragraph(_xml_safe(person.profile_text))
    document.add_heading("Research output", level=1)
    count = 0
    for output in outputs:
        document.add_paragraph(_xml_safe(citation(output)), style="List Number")
        count += 1
        if count >= MAX_OUTPUTS:
            break
    if count == 0:
        document.add_paragraph("No public research output yet.")
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
