"""'Download CV' as PDF: the public profile through `portal.cv_pdf`, beside the Word one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from portal import cv_pdf
from portal.queries import outputs_of_person, profile_persons, public_identifiers


def person_cv_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Download CV": the public profile as a PDF, with what the Word CV holds."""
    person = get_object_or_404(profile_persons(), slug=slug)
    outputs = outputs_of_person(person).order_by("-publication_year", "-publication_month", "-pk")
    try:
        content = cv_pdf.build(person, public_identifiers(person), outputs.iterator(chunk_size=500))
    except cv_pdf.PdfRendererMissingError as error:
        return HttpResponse(
            f"{error}. The Word CV works without it.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="CV-{person.slug}.pdf"'
    return response
