"""The researcher's CV as a PDF ("Download CV", beside the Word one in `portal.cv`).

The same content as the Word CV, from the same place (`portal.cv.gather`: profile, positions,
identifiers, outputs, and the sections of projects, prizes ... the portal's registry holds),
laid out by WeasyPrint from an HTML template. WeasyPrint rather than a pure-Python PDF writer:
it shapes text with Pango, so Chinese names (王大明), right-to-left scripts and fallbacks between
fonts come out right without choosing a font per character; it needs Debian's Pango and a CJK
font (libpango-1.0-0, libpangoft2-1.0-0, fonts-noto-cjk), which `.ci/run` installs and
`make demo` checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from django.template.loader import render_to_string

from portal.cv import CvSection, capped_note, gather
from portal.models import Person, PersonIdentifier, ResearchOutput

STYLESHEET = Path(__file__).parent / "templates" / "portal" / "cv" / "cv.css"
# Fewer than the Word CV's 5,000: WeasyPrint lays out about 75 citations a second on a busy
# machine (1,000 took 13 s at 50,000 persons), and the request waits for it.
MAX_OUTPUTS = 500
# C0/C1 controls (but tab and newline) and non-characters: harvested titles carry some, and
# they would show as boxes or upset the PDF's text layer.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text with control characters replaced by spaces."""
    return _CONTROL.sub(" ", text)


def _section(section: CvSection) -> dict[str, object]:
    return {
        "heading": section.heading,
        "entries": [(clean(entry.title), clean(entry.details)) for entry in section.entries],
        "capped_note": capped_note(section) if section.capped else "",
    }


def render_html(
    person: Person, identifiers: Iterable[PersonIdentifier], outputs: Iterable[ResearchOutput]
) -> str:
    """The CV as the HTML WeasyPrint lays out (the template escapes every value)."""
    cv = gather(person, identifiers, outputs)
    # One more than shown, to tell "exactly the cap" from "more than the cap".
    citations = [clean(line) for line in cv.citations(MAX_OUTPUTS + 1)]
    capped = len(citations) > MAX_OUTPUTS
    return render_to_string(
        "portal/cv/cv.html",
        {
            "name": clean(cv.name),
            "native_name": clean(cv.native_name),
            "institution": cv.institution,
            "positions": [clean(line) for line in cv.positions],
            "contact": [(label, clean(value)) for label, value in cv.contact],
            "links": [(clean(label), clean(url)) for label, url in cv.links],
            "profile_text": clean(cv.profile_text),
            "citations": citations[:MAX_OUTPUTS],
            "capped": capped,
            "max_outputs": MAX_OUTPUTS,
            "sections": [_section(section) for section in cv.sections],
        },
    )


# What a machine needs for the PDF CV (Debian's names); `make demo` says so when it is missing.
RENDERER_HINT = (
    "The PDF CV needs Pango and a CJK font: "
    "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"
)


class PdfRendererMissingError(RuntimeError):
    """WeasyPrint cannot load on this machine (no Pango): the Word CV still works."""


def renderer_available() -> bool:
    """Whether this machine can lay out the PDF CV."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def build(
    person: Person, identifiers: Iterable[PersonIdentifier], outputs: Iterable[ResearchOutput]
) -> bytes:
    """The CV as PDF bytes."""
    # Imported here: WeasyPrint loads Pango through cffi on import, which only this view needs;
    # a machine without Pango still serves everything else.
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as error:
        raise PdfRendererMissingError(RENDERER_HINT) from error

    html = render_html(person, identifiers, outputs)
    # No base_url and a fetcher that refuses everything: a CV never loads anything from outside.
    pdf: bytes = HTML(string=html, url_fetcher=_refuse).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))]
    )
    return pdf


def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the CV loads no resources ({url[:80]})")
