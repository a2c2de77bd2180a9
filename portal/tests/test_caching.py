"""The public profile's cache: served without the reads while nothing changed, never stale
after a change that the page shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.actions import do_update_profile
from portal.models import ResearchOutput
from portal.tests.fixtures import make_output, make_person, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["test cache", "production cache"])
def backend(request) -> None:
    """Every test here runs twice: on the tests' in-memory cache and on the cache the services
    run with."""
    if request.param == "production cache":
        request.getfixturevalue("production_cache")


def profile(client, person) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/persons/{person.slug}/").content.decode()
    return page, len(queries)


def test_a_second_reading_runs_only_the_person_lookup(client):
    # given
    chris = make_person()
    for number in range(30):
        make_output(chris, title=f"Study {number}")
    # when
    first, first_queries = profile(client, chris)
    second, second_queries = profile(client, chris)
    # then: the same page, from the cache
    assert second == first
    assert "Study 29" in second
    assert second_queries == 1 < first_queries


def test_a_profile_change_shows_at_once(client):
    chris = make_person()
    profile(client, chris)
    do_update_profile(chris, {"profile_text": "Works on HKALL."}, acting_user=chris.user)
    page, _ = profile(client, chris)
    assert "Works on HKALL." in page


def test_a_co_authors_change_to_a_shared_output_shows_on_both_pages(client):
    # given: Chris and Mei share an output; both pages cached
    chris, mei = make_person(), make_person("Mei", "CHAN")
    shared = make_output(chris, mei, title="Shared study")
    profile(client, chris)
    profile(client, mei)
    # when: the title is corrected
    shared.title = "Shared study, corrected"
    shared.save()
    # then
    assert "Shared study, corrected" in profile(client, chris)[0]
    assert "Shared study, corrected" in profile(client, mei)[0]


def test_a_renamed_unit_shows_on_every_page(client):
    unit = make_unit("Department of Physics")
    chris = make_person(unit=unit)
    profile(client, chris)
    unit.name = "Department of Physics and Astronomy"
    unit.save()
    assert "Department of Physics and Astronomy" in profile(client, chris)[0]


def test_a_withdrawn_output_leaves_the_page(client):
    chris = make_person()
    output = make_output(chris, title="To be withdrawn")
    assert "To be withdrawn" in profile(client, chris)[0]
    ResearchOutput.objects.get(pk=output.pk).delete()
    assert "To be withdrawn" not in profile(client, chris)[0]


def test_the_reader_specific_header_is_never_cached(client):
    # given: an anonymous reader fills the cache
    chris = make_person()
    anonymous, _ = profile(client, chris)
    assert "Log out" not in anonymous
    # when: Chris reads his own page, logged in
    client.force_login(chris.user)
    mine, _ = profile(client, chris)
    # then: his header, the cached body
    assert "Log out" in mine


def test_pages_of_the_output_list_are_cached_apart(client, settings):
    settings.PORTAL_OUTPUTS_PER_PAGE = 2
    chris = make_person()
    for number in range(3):
        make_output(chris, title=f"Paper {number}", year=2000 + number)
    first = client.get(f"/persons/{chris.slug}/").content.decode()
    second = client.get(f"/persons/{chris.slug}/", {"page": 2}).content.decode()
    assert first != second
    # (newest first: Paper 0 is on the second page only)
    assert "Paper 0" not in first
    assert "Paper 0" in second
