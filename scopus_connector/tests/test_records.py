"""Reading Scopus's answers into records: the shapes real Scopus varies between, and bodies that
cannot be read. (The sandbox's own answers are read in tests/integration/test_scopus_abstract.py.)
"""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from scopus_connector.client import ScopusNotFoundError, ScopusResponseError, ScopusSession


def session_answering(body: object) -> ScopusSession:
    return ScopusSession(
        base_url="https://api.example.org/content",
        key="key",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=body)),
        sleep=lambda seconds: None,
    )


def test_single_items_come_as_objects_and_pages_from_the_bibrecord():
    # given: one author as an object (not a list), one keyword, no coredata page range
    body = {
        "abstracts-retrieval-response": {
            "coredata": {
                "eid": "2-s2.0-85000000001",
                "dc:identifier": "SCOPUS_ID:85000000001",
                "dc:title": "A chapter",
                "prism:coverDate": [{"$": "2019-07-01"}],
                "prism:isbn": {"$": "9780203881484"},
                "prism:issn": "01689002 18729576",
                "openaccess": "1",
                "pubmed-id": "29284752",
            },
            "authors": {
                "author": {
                    "@seq": "1",
                    "@auid": "57000000001",
                    "ce:surname": "Chan",
                    "preferred-name": {"ce:given-name": "Mei", "ce:surname": "Chan"},
                    "affiliation": {"@id": "60008592"},
                }
            },
            "authkeywords": {"author-keyword": {"$": "libraries"}},
            "language": {"@xml:lang": "eng"},
            "item": {
                "bibrecord": {
                    "head": {
                        "abstracts": "From the head.",
                        "source": {"volisspag": {"pagerange": {"@first": "7", "@last": "19"}}},
                    }
                }
            },
        }
    }
    # when
    abstract = session_answering(body).get_abstract_by_eid("2-s2.0-85000000001")
    # then
    assert abstract.cover_date == date(2019, 7, 1)
    assert abstract.isbns == ("9780203881484",)
    assert abstract.issns == ("0168-9002", "1872-9576")
    assert abstract.pages == "7-19"
    assert abstract.abstract == "From the head."
    assert abstract.keywords == ("libraries",)
    assert abstract.open_access is True
    assert abstract.pmid == "29284752"
    (author,) = abstract.authors
    assert (author.author_id, author.given_name, author.affiliation_ids) == (
        "57000000001",
        "Mei",
        ("60008592",),
    )


def test_authors_from_the_author_groups_when_the_list_is_absent():
    body = {
        "abstracts-retrieval-response": {
            "coredata": {"eid": "2-s2.0-1", "dc:title": "T"},
            "item": {
                "bibrecord": {
                    "head": {
                        "author-group": [
                            {
                                "affiliation": {"@afid": "60000001"},
                                "author": [
                                    {"@seq": "2", "@auid": "2", "ce:surname": "B"},
                                    {"@seq": "1", "@auid": "1", "ce:surname": "A"},
                                ],
                            },
                            {
                                "affiliation": {"@afid": "60000002"},
                                "author": {"@seq": "1", "@auid": "1", "ce:surname": "A"},
                            },
                        ]
                    }
                }
            },
        }
    }
    abstract = session_answering(body).get_abstract_by_eid("2-s2.0-1")
    assert [(a.position, a.surname, a.affiliation_ids) for a in abstract.authors] == [
        (1, "A", ("60000001", "60000002")),
        (2, "B", ("60000001",)),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"abstracts-retrieval-response": []},
        {"abstracts-retrieval-response": {"coredata": {}}},
        {"abstracts-retrieval-response": {"coredata": {"dc:title": "no EID"}}},
        {"abstracts-retrieval-response": {"coredata": {"eid": "2-s2.0-1"}, "authors": 7}},
        [],
    ],
)
def test_bodies_that_cannot_be_read(body):
    with pytest.raises(ScopusResponseError, match="could not be read"):
        session_answering(body).get_abstract_by_doi("10.1/x")


def test_a_doi_keeps_its_slash_and_other_characters_are_escaped():
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(404)

    session = ScopusSession(
        base_url="https://api.example.org/content",
        key="key",
        transport=httpx.MockTransport(handler),
    )
    with pytest.raises(ScopusNotFoundError, match="404"):
        session.get_abstract_by_doi("10.1002/(SICI)1097-4571?x#y")
    assert (
        requests[0]
        .url.raw_path.decode()
        .startswith("/content/abstract/doi/10.1002/%28SICI%291097-4571%3Fx%23y")
    )
    assert requests[0].url.params["view"] == "FULL"
