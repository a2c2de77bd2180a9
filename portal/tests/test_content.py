"""The registry of content types: what an app built on the portal registers, and what the
portal makes of it without importing the app (a type over research outputs stands in here)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from portal import content
from portal.models import ResearchOutput
from portal.queries import public_outputs
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db


def stand_in(key: str = "stand-in", label: str = "Student Theses") -> content.ContentType:
    return content.ContentType(
        key=key,
        label=label,
        singular="thesis",
        plural="theses",
        list_url="portal:output-list",
        public_items=lambda: public_outputs().order_by("-pk"),
        person_lookup="contributors__person",
        unit_lookup="contributors__person__positions__org_unit",
        search_fields=("title",),
        item_template="portal/owned/_item.html",
        watch=((ResearchOutput, lambda output: []),),
    )


@pytest.fixture
def registered_stand_in() -> Iterator[content.ContentType]:
    kind = stand_in()
    # The theses app holds "Student Theses" when installed: set it aside while the stand-in does.
    real = content.get("theses")
    content.unregister("theses")
    content.register(kind)
    yield kind
    content.unregister(kind.key)
    if real is not None:
        content.register(real)


def test_a_label_outside_the_seeds_menu_is_refused() -> None:
    with pytest.raises(content.ContentTypeError, match="not one of the seed's menu items"):
        content.register(stand_in(label="Blog posts"))
    with pytest.raises(content.ContentTypeError):
        content.register(stand_in(label="Researchers"))  # the portal's own page
    assert content.get("stand-in") is None


def test_two_types_may_not_claim_one_menu_item(registered_stand_in: content.ContentType) -> None:
    with pytest.raises(content.ContentTypeError, match="already shows the menu item"):
        content.register(stand_in(key="another"))
    # registering the same type again changes nothing
    content.register(registered_stand_in)
    assert content.get("stand-in") is registered_stand_in


def test_types_come_in_the_seeds_menu_order(registered_stand_in: content.ContentType) -> None:
    labels = [kind.label for kind in content.registered()]
    assert labels == sorted(labels, key=content.SEED_MENU.index)
    assert registered_stand_in.menu_position == content.SEED_MENU.index("Student Theses")


def test_the_menu_shows_a_registered_type_in_its_place(
    client: Client, registered_stand_in: content.ContentType
) -> None:
    page = client.get("/").content.decode()
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    assert nav.index(">Research Output</a>") < nav.index(">Student Theses</a>")
    content.unregister("stand-in")
    page = client.get("/").content.decode()
    assert "Student Theses" not in page


def test_items_of_a_person_are_counted_once_however_many_lookups_match(
    registered_stand_in: content.ContentType,
) -> None:
    # given: Chris on one output twice over (two contributor rows)
    chris = make_person()
    output = make_output(chris, chris)
    # when
    items = registered_stand_in.items_of_person(chris.pk)
    # then
    assert list(items) == [output]


def test_sections_count_only_when_more_are_hidden(
    registered_stand_in: content.ContentType,
) -> None:
    chris = make_person()
    for number in range(content.SECTION_ITEMS):
        make_output(chris, title=f"Study {number}")
    few = content.sections(lambda kind: kind.items_of_person(chris.pk), "person=x")
    make_output(chris, title="One more")
    more = [
        section
        for section in content.sections(lambda kind: kind.items_of_person(chris.pk), "person=x")
        if section.content_type.key == "stand-in"
    ]
    ours = [section for section in few if section.content_type.key == "stand-in"]
    assert ours[0].count == content.SECTION_ITEMS
    assert more[0].count == content.SECTION_ITEMS + 1
    assert len(more[0].items) == content.SECTION_ITEMS
    assert more[0].more_url == "/outputs/?person=x"


def test_search_matches_every_word_in_any_search_field(
    registered_stand_in: content.ContentType,
) -> None:
    chris = make_person()
    make_output(chris, title="Resource sharing in Hong Kong")
    make_output(chris, title="Resource planning")
    assert registered_stand_in.search("resource HONG").count() == 1
    assert registered_stand_in.search("resource").count() == 2
    assert registered_stand_in.search("").count() == 2


def test_a_section_stops_counting_at_the_cap(
    registered_stand_in: content.ContentType, monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    # given: more matching items than the cap
    monkeypatch.setattr(content, "COUNT_CAP", content.SECTION_ITEMS + 2)
    chris = make_person()
    for number in range(content.SECTION_ITEMS + 4):
        make_output(chris, title=f"Lending study {number}")
    # when
    found = [
        section
        for section in content.sections(lambda kind: kind.search("lending"), "q=lending")
        if section.content_type.key == "stand-in"
    ]
    page = client.get("/search/", {"q": "lending"}).content.decode()
    # then: the cap and a "+", on the search page too
    assert found[0].count == content.SECTION_ITEMS + 2
    assert found[0].capped
    assert f"Student Theses ({content.SECTION_ITEMS + 2}+)" in page
    assert f"Research Output ({content.SECTION_ITEMS + 2}+)" in page
