"""The public portal: pages, search, paging, JSON-LD, escaping."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from portal.actions import do_add_person_identifier
from portal.choices import Visibility, WorkflowStatus
from portal.tests.fixtures import make_output, make_person, make_unit

pytestmark = pytest.mark.django_db


def jsonld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_profile_shows_every_field(client, researcher, settings):
    # given
    settings.ORCID_WEB_URL = "http://127.0.0.1:8001"
    settings.SCOPUS_WEB_URL = "http://127.0.0.1:8002"
    researcher.address, researcher.phone = "LIB-P000", "+852 34420000"
    researcher.save()
    researcher.links.create(
        link_type="google_scholar", url="https://scholar.google.com/x", label="Google Scholar"
    )
    do_add_person_identifier(researcher, "orcid", "0000-0000-0000-0001", acting_user=None)
    do_add_person_identifier(researcher, "scopus_author_id", "98765432100", acting_user=None)
    make_output(
        researcher,
        title="User-initiated resource sharing",
        year=2006,
        doi="10.1108/02641610610669750",
    )
    # when
    html = client.get(researcher.get_absolute_url()).content.decode()
    # then
    assert "Chris WONG - demo" in html
    assert "王大明" in html
    assert "Doctor of Philosophy (Student)" in html
    for label in (
        "Other Links",
        "Google Scholar",
        "Address",
        "LIB-P000",
        "Phone",
        "+852 34420000",
        "ORCID iD",
        "Scopus Author ID",
        "User-initiated resource sharing",
    ):
        assert label in html
    assert 'href="http://127.0.0.1:8001/0000-0000-0000-0001"' in html
    assert 'href="http://127.0.0.1:8002/authid/detail.uri?authorId=98765432100"' in html
    data = jsonld_of(html)
    assert data["@type"] == "Person"
    assert "http://127.0.0.1:8001/0000-0000-0000-0001" in data["sameAs"]


def test_profile_lists_only_public_validated_outputs_newest_first(client, researcher):
    make_output(researcher, title="Older", year=2001)
    make_output(researcher, title="Newer", year=2020)
    make_output(researcher, title="Draft", workflow=WorkflowStatus.FOR_VALIDATION)
    make_output(researcher, title="Campus only", visibility=Visibility.CAMPUS)
    html = client.get(researcher.get_absolute_url()).content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "Draft" not in html
    assert "Campus only" not in html


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0", "1e9", "%00"])
def test_profile_paging_survives_bad_page_numbers(client, researcher, page):
    make_output(researcher)
    response = client.get(researcher.get_absolute_url(), {"page": page})
    assert response.status_code == 200


def test_unknown_profile_is_404(client):
    assert client.get("/persons/nobody/").status_code == 404


def test_names_are_escaped(client):
    person = make_person("<script>alert(1)</script>", "X</script>")
    output = make_output(person, title="</script><script>alert(2)</script>")
    profile = client.get(person.get_absolute_url()).content.decode()
    detail = client.get(output.get_absolute_url()).content.decode()
    for html in (profile, detail):
        assert "<script>alert" not in html
        jsonld_of(html)  # the JSON-LD still parses: nothing broke out of it


@pytest.mark.parametrize(
    "query", ["0000-0000-0000-0001", "https://orcid.org/0000-0000-0000-0001", "0000000000000001"]
)
def test_search_finds_person_by_orcid_in_any_form(client, researcher, query):
    do_add_person_identifier(researcher, "orcid", "0000-0000-0000-0001", acting_user=None)
    make_person("Mary", "CHAN")
    html = client.get(reverse("portal:person-list"), {"q": query}).content.decode()
    assert "Chris WONG - demo" in html
    assert "Mary" not in html


def test_search_by_native_name_and_unit(client, researcher):
    faculty = make_unit("College of Science")
    department = make_unit("Department of Physics", parent=faculty)
    physicist = make_person("Alice", "LEE", unit=department)
    html = client.get(reverse("portal:person-list"), {"q": "王大明"}).content.decode()
    assert "Chris WONG - demo" in html
    html = client.get(reverse("portal:person-list"), {"unit": faculty.slug}).content.decode()
    assert physicist.display_name in html
    assert "Chris WONG" not in html


@pytest.mark.parametrize(
    "query", ["%", "_", "'; DROP TABLE portal_person; --", '"', "x" * 500, "\x00"]
)
def test_hostile_searches_are_harmless(client, researcher, query):
    assert client.get(reverse("portal:person-list"), {"q": query}).status_code == 200
    assert client.get(reverse("portal:output-list"), {"q": query, "year": query}).status_code == 200
    assert client.get(reverse("portal:person-list"), {"unit": query}).status_code == 200


def test_output_pages(client, researcher):
    output = make_output(researcher, title="HKALL", doi="10.1108/02641610610669750")
    listing = client.get(
        reverse("portal:output-list"), {"q": "hkall", "year": "2020"}
    ).content.decode()
    assert "HKALL" in listing
    detail = client.get(output.get_absolute_url()).content.decode()
    assert 'href="https://doi.org/10.1108/02641610610669750"' in detail
    assert jsonld_of(detail)["@type"] == "ScholarlyArticle"
    draft = make_output(researcher, workflow=WorkflowStatus.ENTRY_IN_PROGRESS)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_home_and_units_render(client, researcher):
    make_output(researcher)
    assert client.get("/").status_code == 200
    assert client.get(reverse("portal:unit-list")).status_code == 200
    unit = researcher.positions.first().org_unit
    html = client.get(unit.get_absolute_url()).content.decode()
    assert "Chris WONG - demo" in html
