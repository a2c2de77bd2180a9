"""The search box across every type: what a word matches, the filters of a type's public list,
capped counts, and on PostgreSQL the trigram index each search can use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal import content
from portal.models import ResearchOutput
from portal.queries import public_outputs, search_outputs
from portal.search_indexes import AddSearchIndex, searched_text
from portal.tests.fixtures import make_output, make_person, make_unit

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)


def over_outputs(*fields: str) -> content.ContentType:
    """A content type over public research outputs (the portal's tests import no app)."""
    return content.ContentType(
        key="stand-in",
        label="Student Theses",
        singular="thesis",
        plural="theses",
        list_url="portal:output-list",
        public_items=lambda: public_outputs().order_by("-pk"),
        person_lookup="contributors__person",
        unit_lookup="contributors__person__positions__org_unit",
        search_fields=fields,
        item_template="portal/owned/_item.html",
    )


def titles(items: QuerySet[Any]) -> set[str]:
    return {item.title for item in items}


# --- what a word matches ------------------------------------------------------------------


def test_each_word_may_match_a_different_field_but_none_spans_two() -> None:
    # given: a title ending in "sharing", a journal starting with "Hong"
    output = make_output(make_person(), title="Resource sharing")
    ResearchOutput.objects.filter(pk=output.pk).update(host_title="Hong Kong Libraries")
    kind = over_outputs("title", "host_title")
    # when / then: words in either field, any case
    assert titles(kind.search("SHARING hong")) == {"Resource sharing"}
    assert titles(kind.search("kong")) == {"Resource sharing"}
    # the fields are not one run of letters: no word across the end of one and start of another
    assert titles(kind.search("sharingHong")) == set()
    assert titles(kind.search("sharing hong taipei")) == set()


@pytest.mark.parametrize(("word", "found"), [("100%", {"100% open"}), ("a_b", {"a_b test"})])
def test_pattern_characters_are_matched_as_typed(word: str, found: set[str]) -> None:
    # given: titles a LIKE pattern would confuse
    chris = make_person()
    for title in ("100% open", "1000 open", "a_b test", "axb test"):
        make_output(chris, title=title)
    # when / then
    assert titles(over_outputs("title").search(word)) == found
    assert titles(search_outputs(word)) == found


def test_searched_text_needs_a_field() -> None:
    with pytest.raises(ValueError, match="at least one field"):
        searched_text(())


# --- a type's public list: one filter form for every type -----------------------------------


def test_the_public_list_narrows_by_words_person_and_unit() -> None:
    # given
    physics = make_unit("Department of Physics")
    chris, mei = make_person(), make_person("Mei", "CHAN", unit=physics)
    make_output(chris, title="Chris alone")
    make_output(mei, title="Mei alone")
    kind = over_outputs("title")
    # when
    by_words = kind.public_list({"q": "ALONE mei"})
    by_person = kind.public_list({"person": chris.slug})
    by_unit = kind.public_list({"unit": physics.slug, "q": "alone"})
    # then
    assert titles(by_words.items) == {"Mei alone"}
    assert (by_person.person, titles(by_person.items)) == (chris, {"Chris alone"})
    assert (by_unit.unit, titles(by_unit.items)) == (physics, {"Mei alone"})
    assert by_unit.context()["query"] == "alone"


@pytest.mark.parametrize(
    "data",
    [
        {"person": "nobody-here"},  # no such researcher: ignored
        {"unit": "no-such-unit"},
        {"person": "../../etc/passwd"},  # not a slug: every filter left out
        {"unit": "<script>", "q": "alone"},
        {"q": "x" * 201, "person": "nobody"},
    ],
)
def test_bad_or_unknown_filters_show_the_whole_list(data: dict[str, str]) -> None:
    # given
    make_output(make_person(), title="Chris alone")
    # when
    listing = over_outputs("title").public_list(data)
    # then
    assert titles(listing.items) == {"Chris alone"}
    assert listing.person is None
    assert listing.unit is None


# --- counts stop at the cap, unsorted -------------------------------------------------------


def test_a_capped_count_neither_sorts_nor_counts_past_the_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: more matches than a section shows and than the cap
    monkeypatch.setattr(content, "COUNT_CAP", content.SECTION_ITEMS + 2)
    chris = make_person()
    for number in range(content.SECTION_ITEMS + 4):
        make_output(chris, title=f"Lending {number}")
    items = over_outputs("title").search("lending")
    first = list(items[: content.SECTION_ITEMS + 1])
    # when
    with CaptureQueriesContext(connection) as queries:
        counted = content.capped_count(first, items)
    # then
    assert counted == (content.SECTION_ITEMS + 2, True)
    (sql,) = [query["sql"] for query in queries]
    assert "COUNT(" in sql.upper()
    assert f"LIMIT {content.SECTION_ITEMS + 3}" in sql.upper()
    assert "ORDER BY" not in sql.upper()


@pytest.mark.parametrize("cap", [3, 50])
def test_a_search_section_reads_ids_unsorted_then_the_first_in_order(
    monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    # given: nine matches, newest last made; a cap under and over that
    monkeypatch.setattr(content, "COUNT_CAP", cap)
    chris = make_person()
    for number in range(9):
        make_output(chris, title=f"Lending {number}", year=2000 + number)
    make_output(chris, title="Borrowing")
    # when
    with CaptureQueriesContext(connection) as queries:
        first, count, capped = content.found_in_search(search_outputs("lending"))
    # then: the newest five, in order, whichever way they were found
    assert [output.title for output in first] == [f"Lending {n}" for n in (8, 7, 6, 5, 4)]
    assert (count, capped) == (min(9, cap), cap < 9)
    ids_sql = queries[0]["sql"].upper()
    assert f"LIMIT {cap + 1}" in ids_sql
    assert "ORDER BY" not in ids_sql


def test_a_search_section_without_matches_costs_one_query() -> None:
    make_output(make_person(), title="Borrowing")
    with CaptureQueriesContext(connection) as queries:
        found = content.found_in_search(over_outputs("title").search("lending"))
    assert found == ([], 0, False)
    assert len(queries) == 1


def test_the_search_pages_queries_do_not_grow_with_matches(client: Client) -> None:
    # given: a word matching one output and one researcher
    chris = make_person("Lending", "WONG")
    make_output(chris, title="Lending one")
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "lending"})
    # when: it matches many more
    for number in range(content.SECTION_ITEMS * 3):
        make_output(chris, make_person("Lending", f"CHAN{number}"), title=f"Lending {number}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/search/", {"q": "lending"}).content.decode()
    # then: the matching ids are the count; nothing is added
    assert len(many) == len(few)
    assert "Research Output (16)" in page


# --- PostgreSQL: every search can use a trigram index ----------------------------------------


def trigram_indexes_of(model: type[Any]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [model._meta.db_table, "%gin_trgm_ops%"],
        )
        return [name for (name,) in cursor.fetchall()]


def plan_without_scans(items: QuerySet[Any]) -> str:
    """The plan PostgreSQL makes when reading the table, or a B-tree in order, is ruled out:
    only bitmap scans are left, so it names the index it can use for the words, if any."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    return items.order_by().explain()


def searches() -> list[tuple[str, Callable[[str], QuerySet[Any]]]]:
    """Each type's search by its words alone: over all its items (the public ones are chosen by
    a status whose own index PostgreSQL prefers on an empty table), as the type matches words."""
    found: list[tuple[str, Callable[[str], QuerySet[Any]]]] = [("outputs", search_outputs)]
    for kind in content.registered():
        model = kind.public_items().model
        every = replace(kind, public_items=model._default_manager.all)
        found.append((kind.key, every.search))
    return found


@postgresql_only
@pytest.mark.parametrize("key", [key for key, _ in searches()])
def test_every_types_search_can_use_its_trigram_index(key: str) -> None:
    # given
    search = dict(searches())[key]
    model = search("x").model
    indexes = trigram_indexes_of(model)
    # when
    plan = plan_without_scans(search("lending library"))
    # then: one index, and the words' conditions use it
    assert len(indexes) == 1, indexes
    assert f"Bitmap Index Scan on {indexes[0]}" in plan, plan
    assert "Seq Scan" not in plan, plan


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_operation_builds_and_drops_its_index_concurrently() -> None:
    # given: the operation a content app's migration holds, under a name of its own
    operation = AddSearchIndex("researchoutput", ("title", "subtitle"), "test_output_trgm_idx")
    state = ProjectState.from_apps(apps)
    # when: applied outside a transaction, as `atomic = False` migrations are
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("portal", editor, state, state)
    built = trigram_indexes_of(ResearchOutput)
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("portal", editor, state, state)
    # then
    assert "test_output_trgm_idx" in built
    assert "test_output_trgm_idx" not in trigram_indexes_of(ResearchOutput)
    assert operation.describe() == (
        "Trigram search index test_output_trgm_idx on researchoutput (title, subtitle)"
    )
