"""The public portal: pages, search, paging, JSON-LD, escaping."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from portal.actions import do_add_person_identifier, do_set_identifier_status, search_text_for
from portal.choices import IdentifierStatus, PositionRole, Visibility, WorkflowStatus
from portal.models import OutputIdentifier, Position
from portal.tests.fixtures import make_output, make_person, make_unit
from portal.views.public import PERSONS_PER_PAGE

pytestmark = pytest.mark.django_db


def jsonld_of(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    document: dict[str, Any] = json.loads(match.group(1))
    return document


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


def test_search_finds_name_variants_and_scopus_ids(client, researcher):
    # given
    researcher.name_variants.create(family_name="Wong", given_names="Tai Ming")
    researcher.search_text = search_text_for(researcher)
    researcher.save(update_fields=["search_text"])
    do_add_person_identifier(researcher, "scopus_author_id", "98765432100", acting_user=None)
    make_person("Mary", "CHAN")
    # when / then
    for query in ("tai ming", "98765432100", "9-s2.0-98765432100"):
        html = client.get(reverse("portal:person-list"), {"q": query}).content.decode()
        assert "Chris WONG - demo" in html, query
        assert "Mary" not in html, query


@pytest.mark.parametrize("query", ["%", "_", "'", '"', "%%", "\\"])
def test_search_wildcards_and_quotes_are_literal(client, researcher, query):
    # given: a name with a quote in it
    make_person("Siobhan", "O'BRIEN")
    # when
    html = client.get(reverse("portal:person-list"), {"q": query}).content.decode()
    # then: % and _ match only themselves, the quote finds O'Brien
    if query == "'":
        assert "O&#x27;BRIEN" in html
        assert "Chris WONG" not in html
    else:
        assert "0 researchers" in html


def test_search_with_an_orcid_of_a_wrong_check_digit_finds_nobody(client, researcher):
    do_add_person_identifier(researcher, "orcid", "0000-0000-0000-0001", acting_user=None)
    html = client.get(reverse("portal:person-list"), {"q": "0000-0000-0000-0000"}).content.decode()
    assert "0 researchers" in html


def test_person_list_pages_and_keeps_filters(client):
    unit = make_unit("College of Engineering")
    for index in range(PERSONS_PER_PAGE + 3):
        make_person(f"Given{index:02d}", "CHAN", unit=unit)
    first = client.get(reverse("portal:person-list"), {"q": "chan", "unit": unit.slug})
    html = first.content.decode()
    assert f"{PERSONS_PER_PAGE + 3} researchers" in html
    assert f"q=chan&amp;unit={unit.slug}&amp;page=2" in html
    last = client.get(
        reverse("portal:person-list"), {"q": "chan", "unit": unit.slug, "page": "99999"}
    )
    assert "Page 2 of 2" in last.content.decode()


def test_unit_page_includes_sub_units_people_and_outputs(client):
    # given
    college = make_unit("College of Science")
    physics = make_unit("Department of Physics", parent=college)
    physicist = make_person("Alice", "LEE", unit=physics)
    make_output(physicist, title="Quantum dots in Kowloon")
    make_output(physicist, title="Hidden draft", workflow=WorkflowStatus.ENTRY_IN_PROGRESS)
    # when
    html = client.get(college.get_absolute_url()).content.decode()
    # then
    assert "Department of Physics" in html
    assert physicist.display_name in html
    assert "Quantum dots in Kowloon" in html
    assert "Hidden draft" not in html
    assert client.get(college.get_absolute_url(), {"page": "x"}).status_code == 200
    assert client.get("/units/no-such-unit/").status_code == 404


def test_unit_list_shows_the_hierarchy_in_order(client):
    college = make_unit("College of Science")
    make_unit("Department of Physics", parent=college)
    make_unit("Aardvark Centre")
    html = client.get(reverse("portal:unit-list")).content.decode()
    assert html.index("Aardvark Centre") < html.index("College of Science")
    assert html.index("College of Science") < html.index("Department of Physics")
    assert "unit-tree__item--depth-1" in html


def test_output_list_filters_by_year_and_type(client, researcher):
    make_output(researcher, title="Old journal paper", year=2006)
    make_output(researcher, title="New journal paper", year=2021)
    url = reverse("portal:output-list")
    html = client.get(url, {"year": "2006", "type": "journal-article"}).content.decode()
    assert "Old journal paper" in html
    assert "New journal paper" not in html
    assert "0 research outputs" in client.get(url, {"type": "book"}).content.decode()
    # an unknown type or a malformed year is ignored, not an error
    for params in ({"type": "<script>"}, {"year": "20o6"}, {"year": "-1"}, {"page": "1e99"}):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("</header>", 1)[1]


def test_output_detail_lists_authors_in_order_and_links_internal_ones(client, researcher):
    # given
    colleague = make_person("Alice", "LEE")
    output = make_output(colleague, researcher, title="HKALL", externals=2)
    OutputIdentifier.objects.create(output=output, id_type="eid", value="2-s2.0-33745291715")
    # when
    html = client.get(output.get_absolute_url()).content.decode()
    # then
    authors = html[html.index('<ol class="authors">') :]
    assert authors.index("LEE, Alice") < authors.index("WONG, Chris") < authors.index("Outsider")
    assert f'href="{researcher.get_absolute_url()}"' in authors
    assert "2-s2.0-33745291715" in html
    data = jsonld_of(html)
    assert [author["name"] for author in data["author"]][:2] == ["Alice LEE", "Chris WONG"]
    assert data["author"][1]["url"].endswith(researcher.get_absolute_url())
    assert "url" not in data["author"][2]
    assert data["datePublished"] == "2020"
    assert {"@type": "PropertyValue", "propertyID": "eid", "value": "2-s2.0-33745291715"} in (
        data["identifier"]
    )


def test_profile_jsonld_has_affiliation_identifiers_and_links(client, researcher):
    do_add_person_identifier(researcher, "scopus_author_id", "98765432100", acting_user=None)
    researcher.links.create(link_type="google_scholar", url="https://scholar.google.com/x")
    data = jsonld_of(client.get(researcher.get_absolute_url()).content.decode())
    assert data["name"] == "Chris WONG - demo"
    assert data["alternateName"] == "王大明"
    assert data["jobTitle"] == "Doctor of Philosophy (Student)"
    assert data["affiliation"][0]["name"] == "Run Run Shaw Library"
    assert data["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "Scopus Author ID", "value": "98765432100"}
    ]
    assert "https://scholar.google.com/x" in data["sameAs"]


def test_profile_output_list_is_paged(client, researcher, settings):
    settings.PORTAL_OUTPUTS_PER_PAGE = 2
    for year in (2001, 2002, 2003):
        make_output(researcher, title=f"Paper of {year}", year=year)
    first = client.get(researcher.get_absolute_url()).content.decode()
    second = client.get(researcher.get_absolute_url(), {"page": "2"}).content.decode()
    assert "Paper of 2003" in first
    assert "Paper of 2001" not in first
    assert "Paper of 2001" in second
    assert "Page 2 of 2" in second


def test_public_header_has_the_site_name_nav_and_login_link(client):
    html = client.get("/").content.decode()
    assert "CityU Scholars" in html
    for label in ("Home", "Researchers", "Research Units", "Research Output", "RESEARCHER LOGIN"):
        assert f">{label}</a>" in html


def test_unit_page_lists_each_person_and_output_once(client):
    # given: a researcher holding two positions in the unit, co-writing with a colleague there
    college = make_unit("College of Science")
    physics = make_unit("Department of Physics", parent=college)
    alice = make_person("Alice", "LEE", unit=physics)
    Position.objects.create(person=alice, org_unit=college, role=PositionRole.PROFESSOR)
    bob = make_person("Bob", "HO", unit=physics)
    make_output(alice, bob, title="Shared paper")
    # when
    html = client.get(college.get_absolute_url()).content.decode()
    # then
    assert html.count(f'href="{alice.get_absolute_url()}"') == 2  # her card, and the author line
    assert html.count("Shared paper") == 1


def test_rejected_identifiers_are_neither_shown_nor_searchable(client, researcher, library_user):
    # given: the Library found this Scopus Author ID belongs to someone else
    identifier = do_add_person_identifier(
        researcher, "scopus_author_id", "98765432100", acting_user=None
    )
    do_add_person_identifier(researcher, "isni", "0000000121032683", acting_user=None)
    do_set_identifier_status(
        identifier, IdentifierStatus.REJECTED, acting_user=library_user, evidence="Not theirs"
    )
    # when
    html = client.get(researcher.get_absolute_url()).content.decode()
    found = client.get(reverse("portal:person-list"), {"q": "98765432100"}).content.decode()
    # then: gone from the page and its JSON-LD, while the other identifier stays
    assert "98765432100" not in html
    assert "0000 0001 2103 2683" in html
    assert [item["propertyID"] for item in jsonld_of(html)["identifier"]] == ["ISNI"]
    assert "0 researchers" in found


def test_output_list_filters_by_unit_including_sub_units(client, researcher):
    # given
    college = make_unit("College of Science")
    physics = make_unit("Department of Physics", parent=college)
    physicist = make_person("Alice", "LEE", unit=physics)
    make_output(physicist, title="Physics paper")
    make_output(researcher, title="Library paper")
    url = reverse("portal:output-list")
    # when
    html = client.get(url, {"unit": college.slug}).content.decode()
    # then
    assert "Physics paper" in html
    assert "Library paper" not in html
    assert f'<option value="{college.slug}" selected>' in html
    unit_page = client.get(college.get_absolute_url()).content.decode()
    assert f"?unit={college.slug}" in unit_page
    # an unknown or malformed unit is ignored, not an error
    for unit in ("no-such-unit", "<script>", "x" * 500):
        response = client.get(url, {"unit": unit})
        assert response.status_code == 200
        assert "2 research outputs" in response.content.decode()
