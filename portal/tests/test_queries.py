"""Page query counts stay the same however much a page shows (no N+1), pinned here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.actions import do_add_person_identifier
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db

# Profile page: session-less request → person, positions, links, identifiers, name variants,
# output count, output page, contributors, output identifiers.
PROFILE_QUERIES = 9
OUTPUT_LIST_QUERIES = 4
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
