"""'Download CV' as PDF: what the Word CV holds, with the Chinese name in a CJK font, and hostile
profile text that cannot break it."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest
from django.db import connection
from django.urls import reverse

from portal import cv_pdf
from portal.actions import do_add_person_identifier, do_set_identifier_status
from portal.choices import IdentifierStatus, Visibility, WorkflowStatus
from portal.models import Person
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db

HKALL = "User-initiated resource sharing in Hong Kong universities"


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(content: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]  # pypdf types a dictionary entry as PdfObject
        for font in resources["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


@pytest.fixture
def chris() -> Person:
    person = make_person("Chris", "WONG", known_as="Chris WONG - demo", native_name="王大明")
    person.phone = "+852 34420000"
    person.save()
    do_add_person_identifier(person, "orcid", "0000-0000-0000-0001", acting_user=None)
    rejected = do_add_person_identifier(person, "isni", "0000000121032683", acting_user=None)
    do_set_identifier_status(rejected, IdentifierStatus.REJECTED, acting_user=None)
    return person


def test_the_pdf_cv_holds_the_public_profile(client, chris):
    # given
    make_output(chris, title=HKALL, year=2006, doi="10.1108/02641610610669750")
    make_output(chris, title="Newer article", year=2019)
    make_output(chris, title="Still in validation", workflow=WorkflowStatus.FOR_VALIDATION)
    make_output(chris, title="Campus only", visibility=Visibility.CAMPUS)
    # when
    response = client.get(reverse("portal:person-cv-pdf", args=[chris.slug]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="CV-{chris.slug}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Chris WONG - demo" in text
    assert "王大明" in text
    assert "Doctor of Philosophy (Student), Run Run Shaw Library" in text
    assert "0000-0000-0000-0001" in text
    assert "+852 34420000" in text
    assert "ISNI" not in text  # rejected by the Library
    assert HKALL in " ".join(text.split())  # a long title may wrap
    assert "https://doi.org/10.1108/02641610610669750" in text
    assert text.index("Newer article") < text.index("User-initiated")
    assert "Still in validation" not in text
    assert "Campus only" not in text


def test_the_chinese_name_is_set_in_a_cjk_font(client, chris):
    # when
    response = client.get(reverse("portal:person-cv-pdf", args=[chris.slug]))
    # then: the fonts embedded are Noto CJK (fonts-noto-cjk), not a fallback without the glyphs
    fonts = pdf_fonts(response.content)
    assert any("Noto-Sans-CJK" in font for font in fonts), fonts


def test_the_pdf_cv_of_an_unknown_person_is_404(client):
    # when
    response = client.get(reverse("portal:person-cv-pdf", args=["nobody-here"]))
    # then
    assert response.status_code == 404


def test_hostile_profile_text_does_not_break_the_pdf(client):
    # given: control characters, markup in a name, right-to-left text, a title of 1,000 characters
    # (NUL only where the database can hold it: PostgreSQL refuses it in text)
    nul = "\x00" if connection.vendor == "sqlite" else ""
    person = make_person(
        "<script>alert(1)</script>", "O'Brien & Sons", native_name=f"محمد\u202e{nul}\x1b"
    )
    person.profile_text = "Line one\x0bLine two\u202eevil\ufffe"
    person.address = "<img src=http://example.invalid/x.png>"
    person.save()
    make_output(person, title="W" * 1000)
    make_output(person, title="An RTL title: אוניברסיטה \x07 with a bell")
    # when
    response = client.get(reverse("portal:person-cv-pdf", args=[person.slug]))
    # then
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "<script>alert(1)</script>" in text  # shown as text, not taken as markup
    assert "<img src=http://example.invalid/x.png>" in text
    assert "O'Brien & Sons".upper() in text
    assert "W" * 200 in "".join(text.split())  # the long title wraps, whole
    assert "\x00" not in text
    assert "\x07" not in text


def test_the_pdf_cv_caps_the_outputs_and_says_so(client, chris, monkeypatch):
    # given: a cap of 2, lowered so the test stays small
    monkeypatch.setattr(cv_pdf, "MAX_OUTPUTS", 2)
    for year in (2001, 2002, 2003):
        make_output(chris, title=f"Article of {year}", year=year)
    # when
    response = client.get(reverse("portal:person-cv-pdf", args=[chris.slug]))
    # then
    text = pdf_text(response.content)
    assert "Article of 2003" in text
    assert "Article of 2002" in text
    assert "Article of 2001" not in text
    assert "The 2 newest research outputs" in text


def test_a_cv_at_exactly_the_cap_does_not_say_it_is_capped(client, chris, monkeypatch):
    # given
    monkeypatch.setattr(cv_pdf, "MAX_OUTPUTS", 2)
    for year in (2002, 2003):
        make_output(chris, title=f"Article of {year}", year=year)
    # when
    response = client.get(reverse("portal:person-cv-pdf", args=[chris.slug]))
    # then
    text = pdf_text(response.content)
    assert "Article of 2002" in text
    assert "newest research outputs" not in text


def test_without_pango_the_pdf_cv_says_what_to_install_and_the_word_cv_works(
    client, chris, monkeypatch
):
    # given: a machine where WeasyPrint cannot load (no Pango): importing it fails
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    assert cv_pdf.renderer_available() is False
    # when
    response = client.get(reverse("portal:person-cv-pdf", args=[chris.slug]))
    # then: a clear 503 naming the packages, and the rest of the portal is fine
    assert response.status_code == 503
    assert "libpango-1.0-0" in response.content.decode()
    assert client.get(reverse("portal:person-cv", args=[chris.slug])).status_code == 200
