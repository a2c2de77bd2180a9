"""The cached public lists of the content types and the cached search page: a change shows at
once (each test fails if the invalidation it relies on is taken out), and a cached reading
runs a pinned number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import caching
from portal.actions import search_text_for
from portal.actions.owned import PersonEntry, do_create_owned_item, do_update_owned_item
from portal.actions.validated import PersonEntry as ValidatedEntry
from portal.actions.validated import do_create_validated_item, do_update_validated_item
from portal.actions.workflow import do_submit_for_validation, do_validate, do_withdraw
from portal.choices import OwnedItemStatus, WorkflowStatus
from portal.models import OrgUnit, Person, Position
from portal.models.owned import OwnedItem
from portal.tests.fixtures import make_library_user, make_person, make_unit
from prizes.kind import KIND as PRIZES
from projects.models import Project
from theses.models import Thesis

pytestmark = pytest.mark.django_db

PRIZE = {"organisation": "JULAC", "awarded_on": "2023-11-20"}


def page(client: Client, url: str, data: dict[str, str] | None = None) -> str:
    response = client.get(url, data or {})
    assert response.status_code == 200
    return response.content.decode()


def prize(owner: Person, title: str, *, status: str = OwnedItemStatus.PUBLIC) -> OwnedItem:
    fields = {**PRIZE, "title": title, "status": status}
    return do_create_owned_item(PRIZES.model, owner, fields, [PersonEntry(owner)], acting_user=None)


def validated_project(owner: Person, title: str, *units: OrgUnit) -> Project:
    project = do_create_validated_item(
        Project,
        owner,
        {"title": title, "start_date": datetime.date(2023, 1, 1), "units": list(units)},
        [ValidatedEntry(owner, role="Principal investigator")],
        acting_user=None,
    )
    library = make_library_user()
    do_submit_for_validation(project, acting_user=library)
    do_validate(project, acting_user=library)
    return project


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


# --- the lists ----------------------------------------------------------------------------


def test_adding_publishing_and_unpublishing_show_on_a_cached_list(client: Client) -> None:
    # given: the list cached with one prize
    chris = make_person()
    prize(chris, "Library Innovation Award")
    assert "Library Innovation Award" in page(client, "/prizes/")
    # when: a prize is added
    prize(chris, "Resource Sharing Medal")
    # then
    assert "Resource Sharing Medal" in page(client, "/prizes/")
    # when: a draft is added, then published, then made a draft again
    draft = prize(chris, "Interlending Prize", status=OwnedItemStatus.DRAFT)
    assert "Interlending Prize" not in page(client, "/prizes/")
    do_update_owned_item(draft, {"status": OwnedItemStatus.PUBLIC}, acting_user=None)
    assert "Interlending Prize" in page(client, "/prizes/")
    do_update_owned_item(draft, {"status": OwnedItemStatus.DRAFT}, acting_user=None)
    assert "Interlending Prize" not in page(client, "/prizes/")


def test_a_change_outside_the_actions_shows_on_a_cached_list(client: Client) -> None:
    chris = make_person()
    item = prize(chris, "Library Innovation Award")
    assert "Library Innovation Award" in page(client, "/prizes/")
    # when: retitled by a save (the admin, a command)
    item.title = "Renamed in the admin"
    item.save()
    # then
    assert "Renamed in the admin" in page(client, "/prizes/")


def test_renaming_a_person_shows_on_a_cached_list_and_filter(client: Client) -> None:
    # given: the list, and the list of Chris's prizes, cached
    chris = make_person()
    prize(chris, "Library Innovation Award")
    assert "Chris WONG" in page(client, "/prizes/")
    assert "Chris WONG" in page(client, "/prizes/", {"person": chris.slug})
    # when
    chris.known_as = "Christopher WONG"
    chris.save()
    # then: the row and the filter's heading name him anew
    assert "Christopher WONG" in page(client, "/prizes/")
    assert "Christopher WONG" in page(client, "/prizes/", {"person": chris.slug})


def test_a_new_position_shows_on_a_cached_unit_list(client: Client) -> None:
    # given: a unit's prizes cached, without Chris's (he is not a member)
    chris, physics = make_person(), make_unit("Physics")
    prize(chris, "Library Innovation Award")
    assert "Library Innovation Award" not in page(client, "/prizes/", {"unit": physics.slug})
    # when: he joins it
    Position.objects.create(person=chris, org_unit=physics, role="professor")
    # then
    assert "Library Innovation Award" in page(client, "/prizes/", {"unit": physics.slug})


def test_validating_withdrawing_and_new_units_show_on_a_cached_list(client: Client) -> None:
    # given: a project validated for the library, both lists cached
    chris, library_unit, physics = make_person(), make_unit(), make_unit("Physics")
    project = validated_project(chris, "HKALL next generation", library_unit)
    assert "HKALL next generation" in page(client, "/projects/")
    assert "HKALL next generation" not in page(client, "/projects/", {"unit": physics.slug})
    # when: the Library adds a unit (its relations alone change: no save of the project)
    do_update_validated_item(
        project, {"units": [library_unit, physics]}, acting_user=make_library_user()
    )
    # then
    assert "HKALL next generation" in page(client, "/projects/", {"unit": physics.slug})
    # when: withdrawn
    do_withdraw(project, acting_user=make_library_user())
    # then
    assert "HKALL next generation" not in page(client, "/projects/")


def test_a_thesis_shows_on_a_cached_list_from_its_award_date(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the portal's clock on the eve of the award (15:59 UTC is 23:59 in Hong Kong)
    eve = datetime.datetime(2026, 3, 1, 15, 59, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: eve)
    Thesis.objects.create(
        title="Resource sharing among Hong Kong academic libraries",
        student_name="Lee Siu Ming",
        degree="phd",
        award_date=datetime.date(2026, 3, 2),
        awarding_unit=make_unit(),
        owner=make_person(),
        workflow_status=WorkflowStatus.VALIDATED,
    )
    assert "Resource sharing among" not in page(client, "/theses/")
    # when: the award day begins, nothing saved
    monkeypatch.setattr(timezone, "now", lambda: eve + datetime.timedelta(minutes=1))
    # then
    assert "Resource sharing among" in page(client, "/theses/")


def test_the_cache_key_is_the_normalised_filter_and_page(client: Client) -> None:
    # given: 25 prizes, two pages
    chris = make_person()
    for number in range(25):
        prize(chris, f"Award {number:02d}")
    first = page(client, "/prizes/", {"q": "award", "person": chris.slug})
    # when: the same filters written otherwise, and bad ones
    again = count_queries(
        lambda: page(client, "/prizes/", {"q": "  award ", "person": chris.slug, "x": "1"})
    )
    second = page(client, "/prizes/", {"q": "award", "person": chris.slug, "page": "2"})
    invalid = page(client, "/prizes/", {"person": "not a slug!", "page": "x"})
    # then: one cached page for one list; links carry only the filters
    assert again == 0
    assert "Page 1 of 2" in first
    assert f"?q=award&amp;person={chris.slug}&amp;page=2" in first
    assert "Page 2 of 2" in second
    assert "25 prizes" in invalid  # the filters that do not validate are all left out
    assert "Page 1 of 2" in invalid
    assert "x=1" not in page(client, "/prizes/", {"x": "1"})


def test_a_cached_list_runs_no_queries(client: Client) -> None:
    # given
    chris = make_person()
    for number in range(3):
        prize(chris, f"Award {number}")
    lists: list[dict[str, str]] = [
        {},
        {"person": chris.slug},
        {"unit": "u-x", "q": "a", "page": "9"},
    ]
    for data in lists:
        first = count_queries(partial(page, client, "/prizes/", data))
        # when read again
        second = count_queries(partial(page, client, "/prizes/", data))
        # then
        assert first > 0
        assert second == 0


# --- the search page ----------------------------------------------------------------------


def test_a_change_of_any_type_shows_on_the_cached_search_page(client: Client) -> None:
    # given: a search cached
    chris = make_person()
    assert "0 results" in page(client, "/search/", {"q": "lending"})
    # when: a prize is added, then a project validated
    prize(chris, "Lending Award")
    assert "Lending Award" in page(client, "/search/", {"q": "lending"})
    validated_project(chris, "Lending across Hong Kong")
    assert "Lending across Hong Kong" in page(client, "/search/", {"q": "lending"})


def test_a_person_renamed_shows_on_the_cached_search_page(client: Client) -> None:
    chris = make_person()
    assert "0 researchers" in page(client, "/search/", {"q": "Christopher"})
    chris.known_as = "Christopher WONG"
    chris.search_text = search_text_for(chris)
    chris.save()
    assert "1 researcher" in page(client, "/search/", {"q": "Christopher"})


def test_a_cached_search_runs_no_search_queries(client: Client) -> None:
    chris = make_person()
    prize(chris, "Lending Award")
    first = count_queries(lambda: page(client, "/search/", {"q": "lending"}))
    second = count_queries(lambda: page(client, "/search/", {"q": "lending"}))
    assert first > 0
    assert second == 0


def test_the_generations_move_and_a_unit_renamed_moves_every_list(client: Client) -> None:
    # given
    unit = make_unit()
    lists, search = caching.content_list_generation("prizes"), caching.search_generation()
    # when
    unit.name = "Renamed"
    unit.save()
    # then
    assert caching.content_list_generation("prizes") != lists
    assert caching.search_generation() != search
    assert caching.content_list_generation("press") != lists
