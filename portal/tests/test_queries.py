"""Page query counts stay the same however much a page shows (no N+1), pinned here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.actions import do_add_person_identifier
from portal.tests.fixtures import make_output, make_person, make_unit

pytestmark = pytest.mark.django_db

# Profile page: session-less request → person, positions, links, identifiers, name variants,
# output count, output page, contributors, output identifiers; then one query per content
# section (projects, datasets, theses, activities, prizes, impact, press / media).
PROFILE_QUERIES = 9 + 7
# Output list: units for the filter, count, page, contributors, output identifiers.
OUTPUT_LIST_QUERIES = 5
PERSON_LIST_QUERIES = 7


def profile_with(outputs: int, coauthors: int):
    person = make_person("Chris", "WONG")
    do_add_person_identifier(person, "orcid", "0000-0000-0000-0001", acting_user=None)
    do_add_person_identifier(person, "scopus_author_id", "98765432100", acting_user=None)
    person.links.create(link_type="google_scholar", url="https://scholar.google.com/x")
    for index in range(outputs):
        make_output(person, title=f"Output {index}", externals=coauthors, doi=f"10.1000/{index}")
    return person


@pytest.mark.parametrize(("outputs", "coauthors"), [(3, 1), (60, 4)])
def test_profile_query_count_is_constant(client, django_assert_num_queries, outputs, coauthors):
    person = profile_with(outputs, coauthors)
    with django_assert_num_queries(PROFILE_QUERIES):
        response = client.get(person.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("outputs", [2, 40])
def test_output_list_query_count_is_constant(client, django_assert_num_queries, outputs):
    person = make_person("Alice", "LEE")
    for index in range(outputs):
        make_output(person, title=f"Paper {index}", externals=3)
    with django_assert_num_queries(OUTPUT_LIST_QUERIES):
        client.get(reverse("portal:output-list"))


@pytest.mark.parametrize("persons", [2, 30])
def test_person_list_query_count_is_constant(client, django_assert_num_queries, persons):
    for index in range(persons):
        make_person(f"Given{index}", "CHAN")
    with django_assert_num_queries(PERSON_LIST_QUERIES):
        client.get(reverse("portal:person-list"), {"q": "chan"})


# Output detail: output, contributors (with persons), identifiers.
OUTPUT_DETAIL_QUERIES = 3
# Unit page: unit, unit tree, sub-units, person count, person page, positions, links,
# identifiers, name variants, recent outputs, contributors, output identifiers; one query per
# content section (seven types).
UNIT_QUERIES = 12 + 7
# Home: recent outputs, contributors, output identifiers, three counts.
HOME_QUERIES = 6
# Edit page (logged in): session, user, person and its four prefetches, the library group check.
EDIT_QUERIES = 8
# Library console: session, user, group check, count, page, positions, links, identifiers,
# name variants, "For validation" counts per unit with their units' names (one read of the
# count table), typed IDs removed by proof; then the queue counts of projects, datasets and
# theses.
CONSOLE_QUERIES = 11 + 3


@pytest.mark.parametrize("authors", [1, 30])
def test_output_detail_query_count_is_constant(client, django_assert_num_queries, authors):
    persons = [make_person(f"Author{index}", "HO") for index in range(authors)]
    output = make_output(*persons, externals=authors, doi="10.1000/x")
    with django_assert_num_queries(OUTPUT_DETAIL_QUERIES):
        response = client.get(output.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("members", [1, 25])
def test_unit_page_query_count_is_constant(client, django_assert_num_queries, members):
    college = make_unit("College of Science")
    department = make_unit("Department of Physics", parent=college)
    for index in range(members):
        person = make_person(f"Member{index}", "LAM", unit=department)
        make_output(person, externals=2, doi=f"10.1000/{index}")
    with django_assert_num_queries(UNIT_QUERIES):
        response = client.get(college.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("outputs", [1, 12])
def test_home_query_count_is_constant(client, django_assert_num_queries, outputs):
    person = make_person("Home", "PAGE")
    for index in range(outputs):
        make_output(person, externals=3, doi=f"10.1000/{index}")
    with django_assert_num_queries(HOME_QUERIES):
        client.get(reverse("portal:home"))


@pytest.mark.parametrize("extras", [0, 3])
def test_edit_page_query_count_is_constant(client, django_assert_num_queries, extras, settings):
    # The portal's own queries; the connectors' panels pin theirs in their own tests.
    settings.PORTAL_PANELS = {}
    person = make_person("Chris", "WONG")
    schemes = [
        ("scopus_author_id", "98765432100"),
        ("isni", "0000000121032683"),
        ("researcher_id", "A-1234-2008"),
    ]
    for id_type, value in schemes[:extras]:
        do_add_person_identifier(person, id_type, value, acting_user=None)
        person.links.create(link_type="other", url=f"https://example.org/{id_type}")
    client.force_login(person.user)
    with django_assert_num_queries(EDIT_QUERIES):
        response = client.get(reverse("portal:edit-person", args=[person.slug]))
    assert response.status_code == 200


@pytest.mark.parametrize("persons", [1, 20])
def test_library_console_query_count_is_constant(
    client, django_assert_num_queries, library_user, persons
):
    for index in range(persons):
        person = make_person(f"Given{index}", "CHEUNG")
        do_add_person_identifier(
            person, "scopus_author_id", f"{10_000_000_000 + index}", acting_user=None
        )
    client.force_login(library_user)
    with django_assert_num_queries(CONSOLE_QUERIES):
        client.get(reverse("portal:library-console"), {"q": "cheung"})
