"""Scopus Search `sort=` with start and cursor paging, and the cursor's refusals."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.test import Client as TestClient
from django.test.utils import CaptureQueriesContext

from scopus_sandbox.models import Document
from scopus_sandbox.paging import PagingError, parse_sort

pytestmark = pytest.mark.django_db(databases=["scopus", "default"])

CITYU = "AF-ID(60008592)"  # the City University documents of the test world
SEARCH = "/content/search/scopus"


def _eids(client: TestClient, headers: dict[str, str], **params: str | int) -> list[str]:
    body = client.get(SEARCH, {"query": CITYU, **params}, headers=headers).json()
    return [entry["eid"] for entry in body["search-results"]["entry"] if "eid" in entry]


def _walk_cursor(
    client: TestClient, headers: dict[str, str], count: int, **params: str | int
) -> list[str]:
    """Every EID a cursor walk yields, following `@next` until a short page."""
    cursor, seen = "*", list[str]()
    for _ in range(50):
        body = client.get(
            SEARCH, {"query": CITYU, "count": count, "cursor": cursor, **params}, headers=headers
        ).json()["search-results"]
        page = [entry["eid"] for entry in body["entry"] if "eid" in entry]
        seen += page
        if len(page) < count:
            return seen
        cursor = body["cursor"]["@next"]
    raise AssertionError("the cursor never ended")


def _expected(key: Callable[[Document], Any]) -> list[str]:
    documents = list(Document.objects.filter(authorships__affiliations__afid="60008592").distinct())
    return [d.eid for d in sorted(documents, key=key)]


@pytest.fixture
def tied(world: dict[str, Any]) -> list[Document]:
    """Citation counts with ties across page boundaries (three documents share 7)."""
    documents = list(Document.objects.filter(authorships__affiliations__afid="60008592").distinct())
    for number, document in enumerate(documents):
        document.cited_by = 7 if number % 2 == 0 else number
        document.save(update_fields=["cited_by"])
    return documents


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("coverDate", lambda d: (d.cover_date, d.pk)),
        ("-coverDate", lambda d: (-d.cover_date.toordinal(), d.pk)),
        ("-citedby-count", lambda d: (-d.cited_by, d.pk)),
        ("citedby-count,-coverDate", lambda d: (d.cited_by, -d.cover_date.toordinal(), d.pk)),
        ("-pubyear,title", lambda d: (-d.year, d.title.lower(), d.pk)),
        ("title", lambda d: (d.title.lower(), d.pk)),
        ("relevancy", lambda d: d.pk),
        ("relevancy,-citedby-count", lambda d: (-d.cited_by, d.pk)),
    ],
)
def test_sort_orders_start_and_cursor_pages_alike(client, tied, api_key, headers, sort, key):
    # given the order the documents should come in
    expected = _expected(key)
    # when they are fetched in one page, two at a time by start, and two at a time by cursor
    whole = _eids(client, headers, sort=sort, count=200)
    by_start = [
        eid
        for start in range(0, 6, 2)
        for eid in _eids(client, headers, sort=sort, count=2, start=start)
    ]
    by_cursor = _walk_cursor(client, headers, 2, sort=sort)
    # then every way gives the same order, each document exactly once
    assert whole == expected
    assert by_start == expected
    assert by_cursor == expected


def test_sort_cursor_survives_ties_at_every_page_size(client, tied, api_key, headers):
    expected = _expected(lambda d: (-d.cited_by, d.pk))
    for count in (1, 2, 3, 5, 6, 7):
        # when
        walked = _walk_cursor(client, headers, count, sort="-citedby-count")
        # then
        assert walked == expected, count


@pytest.mark.parametrize("spelling", ["+coverDate", " coverDate", "COVERDATE", "coverdate "])
def test_sort_plus_space_and_case_mean_ascending(client, world, api_key, headers, spelling):
    # when ("+" unencoded in a URL arrives as a space)
    eids = _eids(client, headers, sort=spelling)
    # then
    assert eids == _expected(lambda d: (d.cover_date, d.pk))


@pytest.mark.parametrize(
    ("sort", "text"),
    [
        ("citations", "Sort field 'citations' is not valid"),
        ("-", "is not valid"),
        ("coverDate,", "is not valid"),
        ("coverDate,,title", "is not valid"),
        ("coverDate,-coverDate", "given twice"),
        ("coverDate,title,pubyear,citedby-count", "At most 3"),
        ("title" + " " * 300, "longer than"),
        ("--coverDate", "is not valid"),
        ("<script>", "is not valid"),
        ("cover\x00Date", "is not valid"),
    ],
)
def test_sort_refusals_are_400(client, world, api_key, headers, sort, text):
    # when
    response = client.get(SEARCH, {"query": CITYU, "sort": sort}, headers=headers)
    # then
    assert response.status_code == 400
    status = response.json()["service-error"]["status"]
    assert status["statusCode"] == "INVALID_INPUT"
    assert text in status["statusText"]


def test_empty_sort_keeps_index_order(client, world, api_key, headers):
    assert _eids(client, headers, sort="") == _expected(lambda d: d.pk)


def test_cursor_of_another_sort_or_query_is_refused(client, world, api_key, headers):
    # given a cursor made for -coverDate
    body = client.get(
        SEARCH, {"query": CITYU, "count": 2, "cursor": "*", "sort": "-coverDate"}, headers=headers
    ).json()["search-results"]
    cursor = body["cursor"]["@next"]
    # when it is replayed with another sort, with none, and with another query
    other_sort = client.get(
        SEARCH, {"query": CITYU, "cursor": cursor, "sort": "coverDate"}, headers=headers
    )
    no_sort = client.get(SEARCH, {"query": CITYU, "cursor": cursor}, headers=headers)
    other_query = client.get(
        SEARCH,
        {"query": "AU-ID(98765432100)", "cursor": cursor, "sort": "-coverDate"},
        headers=headers,
    )
    # then each says why
    for response in (other_sort, no_sort, other_query):
        assert response.status_code == 400
        assert "another query or sort" in response.json()["service-error"]["status"]["statusText"]


def _forge(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _digest_of_real_cursor(client: TestClient, headers: dict[str, str], sort: str) -> str:
    body = client.get(
        SEARCH, {"query": CITYU, "count": "1", "cursor": "*", "sort": sort}, headers=headers
    ).json()["search-results"]
    raw = body["cursor"]["@next"]
    digest: str = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))["d"]
    return digest


@pytest.mark.parametrize(
    "forged",
    [
        {"k": ["not-a-date"], "pk": 1},
        {"k": [7], "pk": 1},
        {"k": ["2006-01-01"], "pk": -1},
        {"k": ["2006-01-01"], "pk": 2**80},
        {"k": ["2006-01-01"], "pk": True},
        {"k": ["2006-01-01"], "pk": "1"},
        {"k": [], "pk": 1},
        {"k": None, "pk": 1},
    ],
)
def test_forged_cursor_values_are_400(client, world, api_key, headers, forged):
    # given a cursor with the right digest and wrong values
    cursor = _forge({"d": _digest_of_real_cursor(client, headers, "coverDate"), **forged})
    # when
    response = client.get(
        SEARCH, {"query": CITYU, "cursor": cursor, "sort": "coverDate"}, headers=headers
    )
    # then
    assert response.status_code == 400


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not-a-cursor!",
        "x" * 5_000,
        "é",
        "\x00",
        _forge([1, 2]),
        _forge("pk:1"),
        base64.urlsafe_b64encode(b"[" * 2_000).decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        _forge({"d": "0" * 16, "k": [], "pk": 99999999999}),
    ],
)
def test_garbage_cursors_are_400(client, world, api_key, headers, cursor):
    # when
    response = client.get(SEARCH, {"query": CITYU, "cursor": cursor}, headers=headers)
    # then
    assert response.status_code == 400
    assert response.json()["service-error"]["status"]["statusCode"] == "INVALID_INPUT"


def test_cursor_next_links_carry_the_sort(client, world, api_key, headers):
    # when
    body = client.get(
        SEARCH, {"query": CITYU, "count": 2, "cursor": "*", "sort": "-coverDate"}, headers=headers
    ).json()["search-results"]
    # then the absolute next link continues the same sorted walk
    nxt = next(link["@href"] for link in body["link"] if link["@ref"] == "next")
    follow = client.get(nxt.removeprefix("http://testserver"), headers=headers)
    assert follow.status_code == 200
    expected = _expected(lambda d: (-d.cover_date.toordinal(), d.pk))
    assert [e["eid"] for e in follow.json()["search-results"]["entry"]] == expected[2:4]


def test_sorted_search_queries_do_not_grow_with_page_size(client, world, api_key, headers):
    # given
    connection = connections["scopus"]

    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                SEARCH,
                {"query": CITYU, "count": count, "sort": "-citedby-count", "view": "COMPLETE"},
                headers=headers,
            )
        assert response.status_code == 200
        return len(captured)

    queries(1)  # the key's first use of the week opens its quota window
    # when / then
    assert queries(1) == queries(6)


def test_parse_sort_canonical_keys():
    # when
    keys = parse_sort("-coverDate, citedby-count ,relevancy")
    # then relevancy orders nothing, the others keep their direction
    assert [(k.field.name, k.descending) for k in keys] == [
        ("coverDate", True),
        ("citedby-count", False),
    ]
    with pytest.raises(PagingError):
        parse_sort("relevancy,relevancy")
