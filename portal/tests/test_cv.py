"""'Download CV': the public profile as a Word document, and nothing the profile hides."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.urls import reverse

from portal import content
from portal.actions import do_add_person_identifier, do_set_identifier_status
from portal.choices import IdentifierStatus, Visibility, WorkflowStatus
from portal.models import Person
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db


def paragraphs(response) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]


@pytest.fixture
def chris() -> Person:
    person = make_person("Chris", "WONG", known_as="Chris WONG - demo", native_name="王大明")
    person.phone, person.address = "+852 34420000", "LIB-P000"
    person.save()
    do_add_person_identifier(person, "orcid", "0000-0000-0000-0001", acting_user=None)
    rejected = do_add_person_identifier(person, "isni", "0000000121032683", acting_user=None)
    do_set_identifier_status(rejected, IdentifierStatus.REJECTED, acting_user=None)
    person.links.create(link_type="google_scholar", url="https://scholar.google.com/x")
    return person


def test_the_cv_holds_the_public_profile_newest_output_first(client, chris):
    make_output(chris, title="Older article", year=2006, doi="10.1108/02641610610669750")
    make_output(chris, title="Newer article", year=2019)
    make_output(
        chris, title="Still in validation", year=2020, workflow=WorkflowStatus.FOR_VALIDATION
    )
    make_output(chris, title="Campus only", year=2021, visibility=Visibility.CAMPUS)
    # when
    response = client.get(reverse("portal:person-cv", args=[chris.slug]))
    # then
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert f'filename="CV-{chris.slug}.docx"' in response["Content-Disposition"]
    text = paragraphs(response)
    assert text[0] == "Chris WONG - demo (王大明)"
    assert "Doctor of Philosophy (Student), Run Run Shaw Library" in text
    assert "ORCID iD: 0000-0000-0000-0001" in text
    assert "Phone: +852 34420000" in text
    assert not any("ISNI" in line for line in text)  # rejected by the Library
    assert any(line.startswith("Google Scholar: https://scholar.google.com/x") for line in text)
    outputs = text[text.index("Research output") + 1 :]
    assert len(outputs) == 2
    assert "(2019). Newer article." in outputs[0]
    assert "(2006). Older article." in outputs[1]
    assert outputs[1].endswith("https://doi.org/10.1108/02641610610669750")
    assert outputs[1].startswith("WONG, Chris")


def test_an_empty_profile_says_so(client):
    person = make_person("Mei", "CHAN")
    text = paragraphs(client.get(reverse("portal:person-cv", args=[person.slug])))
    assert text[-1] == "No public research output yet."


def test_unknown_or_hostile_slugs_are_404(client):
    for slug in ("nobody", "a" * 300):
        assert client.get(f"/persons/{slug}/cv.docx").status_code == 404
    assert client.get("/persons/%00/cv.docx").status_code == 404


@pytest.mark.parametrize("outputs", [1, 30])
def test_the_cv_query_count_is_constant(client, chris, django_assert_max_num_queries, outputs):
    for n in range(outputs):
        make_output(chris, title=f"Article {n}", year=2000 + n % 20)
    # person and its four prefetches, the count-free output query and its two prefetches, and
    # one query per registered content type, whose sections are empty here (with items: pinned
    # in tests/test_cv_content.py)
    with django_assert_max_num_queries(8 + len(content.registered())):
        client.get(reverse("portal:person-cv", args=[chris.slug]))


def test_the_profile_page_links_both_cvs_with_distinct_accessible_names(client, chris):
    # when
    page = client.get(chris.get_absolute_url()).content.decode()
    # then: both links read "Download CV", and a screen reader tells Word from PDF
    links = {
        href: label
        for href, label in re.findall(r'<a [^>]*href="([^"]+)" aria-label="([^"]+)"[^>]*>', page)
    }
    cv_links = re.findall(r"<a [^>]*>([^<]*)</a>", page)
    assert links[reverse("portal:person-cv", args=[chris.slug])] == "Download CV as Word"
    assert links[reverse("portal:person-cv-pdf", args=[chris.slug])] == "Download CV as PDF"
    assert cv_links.count("Download CV") == 2


def test_control_characters_in_profile_or_titles_do_not_break_the_cv(client, chris):
    chris.profile_text = "Vertical\x0btab and form\x0cfeed"
    chris.save()
    make_output(chris, title="Harvested\x0c title", year=2020)
    response = client.get(reverse("portal:person-cv", args=[chris.slug]))
    assert response.status_code == 200
    assert any("Harvested  title" in line for line in paragraphs(response))
