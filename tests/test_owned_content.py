"""The four types researchers publish directly (activities, prizes, impact, press), held to the
same behaviour: entry in the backend, audit, draft/public by the owner, public list and detail
pages, a section on person and unit pages, the search box, the profile cache, pinned queries.

The types share their machinery (portal.owned); each is run through the same checks here, with
the fields that make a valid entry of it. Type-specific rules are in each app's tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from activities.kind import KIND as ACTIVITIES
from impacts.kind import KIND as IMPACTS
from portal import content
from portal.actions.owned import (
    PersonEntry,
    do_create_owned_item,
    do_delete_owned_item,
    do_update_owned_item,
)
from portal.choices import OwnedItemStatus
from portal.errors import NotAllowedError
from portal.models import AuditEntry, Person
from portal.models.owned import OwnedItem
from portal.owned import OwnedKind
from portal.tests.fixtures import PASSWORD, make_library_user, make_person, make_unit
from press.kind import KIND as PRESS
from prizes.kind import KIND as PRIZES

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    kind: OwnedKind
    # Fields of a valid item as the actions take them, and as the form posts them.
    fields: dict[str, Any]
    post: dict[str, str]

    def __str__(self) -> str:
        return self.kind.key


CASES = [
    Case(
        ACTIVITIES,
        {
            "title": "Keynote on resource sharing",
            "kind": "talk",
            "start_date": "2024-03-01",
            "organisation": "HKALL Forum",
            "city": "Hong Kong",
            "country": "HK",
        },
        {
            "title": "Keynote on resource sharing",
            "kind": "talk",
            "start_date": "2024-03-01",
            "end_date": "2024-03-02",
            "organisation": "HKALL Forum",
            "city": "Hong Kong",
            "country": "HK",
            "description": "",
        },
    ),
    Case(
        PRIZES,
        {
            "title": "Library Innovation Award",
            "organisation": "JULAC",
            "awarded_on": "2023-11-20",
        },
        {
            "title": "Library Innovation Award",
            "organisation": "JULAC",
            "city": "",
            "country": "HK",
            "awarded_on": "2023-11-20",
            "description": "",
        },
    ),
    Case(
        IMPACTS,
        {
            "title": "Interlending across Hong Kong",
            "description": "Eight libraries share their collections.",
            "start_date": "2006-01-01",
        },
        {
            "title": "Interlending across Hong Kong",
            "description": "Eight libraries share their collections.",
            "start_date": "2006-01-01",
            "end_date": "",
            "related_outputs": "",
            "related_projects": "",
        },
    ),
    Case(
        PRESS,
        {
            "title": "Libraries that lend to each other",
            "outlet": "South China Morning Post",
            "published_on": "2024-05-02",
            "url": "https://www.example.com/article",
        },
        {
            "title": "Libraries that lend to each other",
            "outlet": "South China Morning Post",
            "published_on": "2024-05-02",
            "url": "https://www.example.com/article",
            "description": "",
        },
    ),
]
case_param = pytest.mark.parametrize("case", CASES, ids=str)


def create(
    case: Case,
    owner: Person,
    *people: Person,
    status: str = OwnedItemStatus.PUBLIC,
    **changes: Any,
) -> OwnedItem:
    fields = {**case.fields, "status": status, **changes}
    entries = [PersonEntry(person) for person in (people or (owner,))]
    return do_create_owned_item(case.kind.model, owner, fields, entries, acting_user=None)


def logged_in(person: Person) -> Client:
    client = Client()
    assert person.user is not None
    client.force_login(person.user)
    return client


def count_queries(action: Callable[[], Any]) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return result, len(queries)


# --- registry and menu -------------------------------------------------------------------


def test_the_menu_is_the_seeds(client: Client) -> None:
    # given / when
    page = client.get("/").content.decode()
    # then: every menu item of the seed's portal in its order (Projects, Student Theses and
    # Datasets are another app's; whichever are installed take their place in the order)
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    shown = [label for label in content.SEED_MENU if f">{label}</a>" in nav]
    positions = [nav.index(f">{label}</a>") for label in shown]
    assert positions == sorted(positions)
    for label in (
        "Home",
        "Researchers",
        "Research Units",
        "Research Output",
        "Activities",
        "Prizes / Honours",
        "Impact",
        "Press / Media",
    ):
        assert label in shown


@case_param
def test_the_menu_marks_the_types_pages_as_current(client: Client, case: Case) -> None:
    # given
    page = client.get(f"/{case.kind.path}/").content.decode()
    # then
    assert f'aria-current="page">{case.kind.label}</a>' in page


def test_a_type_not_registered_leaves_the_menu_search_and_sections(client: Client) -> None:
    # given: Press / Media's app taken away, one of its items on Chris's page
    chris = make_person()
    create(CASES[3], chris)
    content.unregister("press")
    try:
        # when
        home = client.get("/").content.decode()
        profile = client.get(f"/persons/{chris.slug}/").content.decode()
        results = client.get("/search/", {"q": "libraries"}).content.decode()
    finally:
        content.register(PRESS.content_type())
    # then
    assert "Press / Media" not in home
    assert "Libraries that lend to each other" not in profile
    assert "Press / Media" not in results


# --- actions ---------------------------------------------------------------------------------


@case_param
def test_create_update_delete_each_write_one_audit_entry(case: Case) -> None:
    # given
    chris = make_person()
    before = AuditEntry.objects.count()
    # when
    item = do_create_owned_item(
        case.kind.model,
        chris,
        {**case.fields},
        [PersonEntry(chris, "Speaker" if case.kind.roles else "")],
        acting_user=chris.user,
    )
    changed = do_update_owned_item(item, {"title": "A better title"}, None, acting_user=chris.user)
    unchanged = do_update_owned_item(
        item, {"title": "A better title"}, None, acting_user=chris.user
    )
    do_delete_owned_item(item, acting_user=chris.user)
    # then
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [entry.action for entry in entries] == ["create", "update", "delete"]
    assert all(entry.actor == chris.user and entry.person == chris for entry in entries)
    assert entries[1].before == {"title": case.fields["title"]}
    assert entries[1].after == {"title": "A better title"}
    assert changed == ["title"]
    assert unchanged == []
    assert not case.kind.model._default_manager.exists()


@case_param
def test_a_new_item_is_a_draft_unless_published(case: Case) -> None:
    chris = make_person()
    item = do_create_owned_item(
        case.kind.model, chris, case.fields, [PersonEntry(chris)], acting_user=chris.user
    )
    assert item.status == OwnedItemStatus.DRAFT
    assert not case.kind.public_items().exists()


@case_param
def test_another_researcher_may_not_change_an_item(case: Case) -> None:
    # given
    chris, mei = make_person(), make_person("Mei", "CHAN")
    item = create(case, chris)
    # when / then
    with pytest.raises(NotAllowedError):
        do_update_owned_item(item, {"title": "Mine now"}, None, acting_user=mei.user)
    with pytest.raises(NotAllowedError):
        do_delete_owned_item(item, acting_user=mei.user)
    with pytest.raises(NotAllowedError):
        do_create_owned_item(
            case.kind.model, chris, case.fields, [PersonEntry(chris)], acting_user=mei.user
        )
    item.refresh_from_db()
    assert item.title == case.fields["title"]


@case_param
def test_the_library_may_change_anyones_item(case: Case) -> None:
    chris = make_person()
    item = create(case, chris)
    library = make_library_user()
    assert do_update_owned_item(item, {"title": "Corrected"}, None, acting_user=library)


@case_param
def test_fields_outside_the_form_are_refused(case: Case) -> None:
    chris = make_person()
    item = create(case, chris)
    other = make_person("Mei", "CHAN")
    with pytest.raises(NotAllowedError):
        do_update_owned_item(item, {"owner": other}, None, acting_user=chris.user)


@case_param
def test_an_invalid_change_leaves_the_item_and_the_log_as_they_were(case: Case) -> None:
    # given
    chris = make_person()
    item = create(case, chris)
    before = AuditEntry.objects.count()
    # when: a title far too long, with a valid change of persons
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        do_update_owned_item(
            item,
            {"title": "x" * 501},
            [PersonEntry(make_person("Mei", "CHAN"))],
            acting_user=chris.user,
        )
    # then
    item.refresh_from_db()
    assert item.title == case.fields["title"]
    assert [row.person for row in item.people_rows()] == [chris]
    assert AuditEntry.objects.count() == before


@case_param
def test_no_persons_or_the_same_person_twice_is_refused(case: Case) -> None:
    chris = make_person()
    with pytest.raises(NotAllowedError):
        do_create_owned_item(case.kind.model, chris, case.fields, [], acting_user=chris.user)
    with pytest.raises(NotAllowedError):
        do_create_owned_item(
            case.kind.model,
            chris,
            case.fields,
            [PersonEntry(chris), PersonEntry(chris)],
            acting_user=chris.user,
        )


# --- public pages ------------------------------------------------------------------------


@case_param
def test_the_public_list_shows_public_items_only(client: Client, case: Case) -> None:
    # given
    chris = make_person()
    create(case, chris, title="Shown to all")
    create(case, chris, title="Still a draft", status=OwnedItemStatus.DRAFT)
    # when
    page = client.get(f"/{case.kind.path}/").content.decode()
    # then
    assert "Shown to all" in page
    assert "Still a draft" not in page
    assert f"1 {case.kind.singular}" in page


@case_param
def test_a_draft_is_hidden_from_the_public_and_previewed_by_its_owner(
    client: Client, case: Case
) -> None:
    chris = make_person()
    draft = create(case, chris, status=OwnedItemStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    mei = make_person("Mei", "CHAN")
    assert logged_in(mei).get(draft.get_absolute_url()).status_code == 404
    preview = logged_in(chris).get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Draft" in preview.content.decode()


@case_param
def test_the_detail_page_shows_the_facts_and_the_persons(client: Client, case: Case) -> None:
    chris, mei = make_person(), make_person("Mei", "CHAN")
    item = create(case, chris, chris, mei)
    page = client.get(item.get_absolute_url()).content.decode()
    assert case.fields["title"] in page
    assert f"/persons/{chris.slug}/" in page
    assert f"/persons/{mei.slug}/" in page
    for label, _ in item.facts():
        assert label in page


@case_param
def test_the_list_filters_by_person_unit_and_words(client: Client, case: Case) -> None:
    # given
    physics = make_unit("Department of Physics")
    chris, mei = make_person(), make_person("Mei", "CHAN", unit=physics)
    create(case, chris, title="Chris alone")
    create(case, mei, title="Mei alone")
    url = f"/{case.kind.path}/"
    # when
    by_person = client.get(url, {"person": chris.slug}).content.decode()
    by_unit = client.get(url, {"unit": physics.slug}).content.decode()
    by_words = client.get(url, {"q": "mei ALONE"}).content.decode()
    # then
    assert "Chris alone" in by_person
    assert "Mei alone" not in by_person
    assert "Mei alone" in by_unit
    assert "Chris alone" not in by_unit
    assert "Mei alone" in by_words
    assert "Chris alone" not in by_words


@case_param
def test_list_and_detail_queries_do_not_grow_with_items(client: Client, case: Case) -> None:
    # given
    chris = make_person()
    url = f"/{case.kind.path}/"
    create(case, chris, chris, make_person("Mei", "CHAN"))
    _, few = count_queries(lambda: client.get(url))
    for number in range(15):
        create(case, chris, chris, make_person("Co", f"WORKER{number}"), title=f"Item {number}")
    # when
    _, many = count_queries(lambda: client.get(url))
    item = case.kind.model._default_manager.first()
    assert item is not None
    _, detail = count_queries(lambda: client.get(item.get_absolute_url()))
    # then: a count, the page, its persons (and the type's own prefetches)
    assert many == few == 3 + len(case.kind.prefetch)
    assert detail == 2 + len(case.kind.prefetch)


# --- person and unit pages, search, cache ------------------------------------------------------


@case_param
def test_the_profile_shows_a_section_with_the_count(client: Client, case: Case) -> None:
    # given: seven public items and a draft
    chris = make_person()
    for number in range(7):
        create(case, chris, title=f"Public item {number}")
    create(case, chris, title="A draft", status=OwnedItemStatus.DRAFT)
    # when
    page = client.get(f"/persons/{chris.slug}/").content.decode()
    # then
    assert f'<h2 id="profile-{case.kind.key}">{case.kind.label}</h2>' in page
    assert f"7 {case.kind.plural}" in page
    assert page.count("Public item") == content.SECTION_ITEMS
    assert "A draft" not in page
    assert f"/{case.kind.path}/?person={chris.slug}" in page


@case_param
def test_the_unit_page_shows_the_units_items(client: Client, case: Case) -> None:
    library = make_unit("Run Run Shaw Library")
    chris = make_person(unit=library)
    create(case, chris, title="Of the library")
    create(case, make_person("Mei", "CHAN"), title="Of elsewhere")
    page = client.get(f"/units/{library.slug}/").content.decode()
    assert "Of the library" in page
    assert "Of elsewhere" not in page
    assert f"1 {case.kind.singular}" in page


@case_param
def test_publishing_unpublishing_and_new_persons_show_on_cached_profiles(
    client: Client, case: Case
) -> None:
    # given: both pages cached while the item is a draft
    chris, mei = make_person(), make_person("Mei", "CHAN")
    item = create(case, chris, status=OwnedItemStatus.DRAFT)
    for person in (chris, mei):
        assert case.fields["title"] not in client.get(f"/persons/{person.slug}/").content.decode()
    # when: published
    do_update_owned_item(item, {"status": OwnedItemStatus.PUBLIC}, None, acting_user=chris.user)
    # then
    assert case.fields["title"] in client.get(f"/persons/{chris.slug}/").content.decode()
    # when: Mei is added, then the item is retitled
    do_update_owned_item(item, {}, [PersonEntry(chris), PersonEntry(mei)], acting_user=chris.user)
    assert case.fields["title"] in client.get(f"/persons/{mei.slug}/").content.decode()
    item.title = "Retitled outside the actions"
    item.save()
    # then: the change shows on both (the registry watches the models too)
    for person in (chris, mei):
        assert (
            "Retitled outside the actions"
            in client.get(f"/persons/{person.slug}/").content.decode()
        )
    # when: deleted
    do_delete_owned_item(item, acting_user=chris.user)
    for person in (chris, mei):
        assert (
            "Retitled outside the actions"
            not in client.get(f"/persons/{person.slug}/").content.decode()
        )


def test_a_cached_profile_runs_no_section_queries(client: Client) -> None:
    chris = make_person()
    for case in CASES:
        create(case, chris)
    _, first = count_queries(lambda: client.get(f"/persons/{chris.slug}/"))
    _, second = count_queries(lambda: client.get(f"/persons/{chris.slug}/"))
    assert second == 1 < first


def test_profile_queries_are_pinned_whatever_the_items(client: Client) -> None:
    # given: one item of each type, then many
    chris = make_person()
    for case in CASES:
        create(case, chris)
    from django.core.cache import cache

    cache.clear()
    _, few = count_queries(lambda: client.get(f"/persons/{chris.slug}/"))
    for number in range(8):
        for case in CASES:
            create(case, chris, chris, make_person("Co", f"WORKER{number}"))
    cache.clear()
    # when
    _, many = count_queries(lambda: client.get(f"/persons/{chris.slug}/"))
    # then: a long section adds only its count
    assert many == few + len(CASES)


def test_the_search_box_finds_every_type_with_counts(client: Client) -> None:
    # given: one item of each type with "Lending" in the title, and one researcher named so
    chris = make_person()
    make_person("Lending", "PERSON")
    for case in CASES:
        create(case, chris, title=f"Lending {case.kind.key}")
    create(CASES[0], chris, title="Lending draft", status=OwnedItemStatus.DRAFT)
    # when
    page = client.get("/search/", {"q": "lending"}).content.decode()
    # then
    assert "Researchers (1)" in page
    assert "Research Output (0)" in page
    for case in CASES:
        assert f"{case.kind.label} (1)" in page
        assert f"Lending {case.kind.key}" in page
    assert "Lending draft" not in page
    assert "5 results" in page


def test_the_search_page_queries_are_pinned(client: Client) -> None:
    chris = make_person()
    for case in CASES:
        create(case, chris, title="Lending")
    _, few = count_queries(lambda: client.get("/search/", {"q": "lending"}))
    for number in range(6):
        for case in CASES:
            create(case, chris, title=f"Lending {number}")
    _, many = count_queries(lambda: client.get("/search/", {"q": "lending"}))
    # the matching ids (which are the count) and the first items with their prefetches, a type
    assert many == few


@pytest.mark.parametrize(
    "query", ["", " ", "x" * 201, "\x00", "%", "_", "' OR 1=1 --", "<script>alert(1)</script>"]
)
def test_the_search_page_takes_hostile_input(client: Client, query: str) -> None:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


# --- the researcher backend ----------------------------------------------------------------


@case_param
def test_a_researcher_adds_edits_and_deletes_an_item(case: Case) -> None:
    # given
    chris = make_person()
    browser = logged_in(chris)
    base = f"/backend/{case.kind.path}/"
    # when: added
    response = browser.post(
        f"{base}add/",
        {**case.post, "status": "public", "people": f"{chris.slug}"},
    )
    # then
    assert response.status_code == 302
    item = case.kind.model._default_manager.get()
    assert item.owner == chris
    assert item.is_public
    assert case.fields["title"] in browser.get(base).content.decode()
    # when: edited with a colleague added by profile address
    mei = make_person("Mei", "CHAN")
    response = browser.post(
        f"{base}{item.pk}/edit/",
        {
            **case.post,
            "title": "Edited",
            "status": "draft",
            "people": f"{chris.slug}\nhttp://testserver/persons/{mei.slug}/",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Edited"
    assert [row.person for row in item.people_rows()] == [chris, mei]
    # when: deleted
    assert browser.get(f"{base}{item.pk}/delete/").status_code == 200
    assert browser.post(f"{base}{item.pk}/delete/").status_code == 302
    assert not case.kind.model._default_manager.exists()


@case_param
def test_the_backend_is_for_logged_in_owners(client: Client, case: Case) -> None:
    chris = make_person()
    item = create(case, chris)
    base = f"/backend/{case.kind.path}/"
    assert client.get(f"{base}add/").status_code == 302  # to the login page
    mei = logged_in(make_person("Mei", "CHAN"))
    assert mei.get(f"{base}{item.pk}/edit/").status_code == 403
    assert mei.post(f"{base}{item.pk}/delete/").status_code == 403
    assert mei.get(f"{base}999999/edit/").status_code == 404
    staff = User.objects.create_user("no-profile", password=PASSWORD)
    other = Client()
    other.force_login(staff)
    assert other.get(f"{base}add/").status_code == 403
    assert case.kind.model._default_manager.filter(pk=item.pk).exists()


HOSTILE_PEOPLE = [
    ("", "This field is required."),
    ("nobody-at-all", "no researcher has this profile"),
    ("javascript:alert(1)", "is not a researcher&#x27;s profile address"),
    ("../../etc/passwd", "is not a researcher&#x27;s profile address"),
    ("a" * 151, "is not a researcher&#x27;s profile address"),
    ("\x00", "Null characters are not allowed"),
]


@case_param
@pytest.mark.parametrize(("people", "message"), HOSTILE_PEOPLE)
def test_bad_persons_are_refused_and_the_rest_is_kept(
    case: Case, people: str, message: str
) -> None:
    # given
    chris = make_person()
    browser = logged_in(chris)
    # when
    response = browser.post(
        f"/backend/{case.kind.path}/add/", {**case.post, "status": "public", "people": people}
    )
    # then: the form again, with the reason and what was typed
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert case.post["title"] in page
    assert not case.kind.model._default_manager.exists()


@case_param
def test_persons_named_twice_or_with_an_overlong_role(case: Case) -> None:
    chris = make_person()
    browser = logged_in(chris)
    twice = browser.post(
        f"/backend/{case.kind.path}/add/",
        {**case.post, "status": "public", "people": f"{chris.slug}\n{chris.slug}"},
    ).content.decode()
    assert "this person is named twice" in twice
    long_role = browser.post(
        f"/backend/{case.kind.path}/add/",
        {**case.post, "status": "public", "people": f"{chris.slug}, {'r' * 201}"},
    ).content.decode()
    expected = "at most 200 characters" if case.kind.roles else "no role is recorded here"
    assert expected in long_role
    assert not case.kind.model._default_manager.exists()


@case_param
@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "x" * 501},
        {"status": "published-everywhere"},
    ],
    ids=["empty title", "long title", "unknown status"],
)
def test_bad_fields_are_refused_and_the_rest_is_kept(case: Case, changes: dict[str, str]) -> None:
    chris = make_person()
    browser = logged_in(chris)
    data = {**case.post, "status": "public", "people": chris.slug, **changes}
    response = browser.post(f"/backend/{case.kind.path}/add/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "field-error" in page
    assert chris.slug in page
    assert not case.kind.model._default_manager.exists()


@case_param
def test_an_empty_post_is_a_form_error(case: Case) -> None:
    chris = make_person()
    response = logged_in(chris).post(f"/backend/{case.kind.path}/add/", {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_the_backend_home_links_each_types_own_list() -> None:
    chris = make_person()
    page = logged_in(chris).get("/backend/").content.decode()
    for case in CASES:
        assert f"/backend/{case.kind.path}/" in page
