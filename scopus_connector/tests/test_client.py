"""`ScopusSession` against every kind of answer Scopus can give, over a mock transport.

The real exchange with the Scopus sandbox is in tests/integration/ (test_exercise.py,
test_scopus_search.py, test_scopus_abstract.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from pytest_django.fixtures import Settings

from scopus_connector.choices import AuthorStatus
from scopus_connector.client import (
    ScopusAuthenticationError,
    ScopusConfigurationError,
    ScopusError,
    ScopusNotFoundError,
    ScopusQuotaError,
    ScopusRequestError,
    ScopusResponseError,
    ScopusServerError,
    ScopusSession,
    ScopusTransportError,
    ScopusUnavailableError,
)

Answer = httpx.Response | Exception


class Scopus:
    """A stand-in for Scopus: answers in turn (the last one repeats), records every request."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def session_with(settings: Settings) -> Callable[..., tuple[ScopusSession, Scopus, list[float]]]:
    settings.SCOPUS_API_KEY = "key"
    settings.SCOPUS_API_URL = "https://api.example.org/content"

    def make(*answers: Answer) -> tuple[ScopusSession, Scopus, list[float]]:
        scopus = Scopus(*answers)
        slept: list[float] = []
        session = ScopusSession.from_settings(
            transport=httpx.MockTransport(scopus), sleep=slept.append
        )
        return session, scopus, slept

    return make


def retrieval(orcid: str | None, identifier: str = "98765432100") -> dict[str, Any]:
    return {
        "author-retrieval-response": [
            {
                "coredata": {"dc:identifier": f"AUTHOR_ID:{identifier}", "orcid": orcid},
                "author-profile": {
                    "preferred-name": {"surname": "Wong", "given-name": "Chris"},
                    "affiliation-history": {"affiliation": {"@affiliation-id": "60008592"}},
                },
            }
        ]
    }


def test_found_profile_with_its_orcid_and_the_key_sent(session_with, settings):
    # given
    session, scopus, _ = session_with(httpx.Response(200, json=retrieval("0000-0000-0000-0001")))
    # when
    author = session.get_author("98765432100")
    # then
    assert author.status == AuthorStatus.FOUND
    assert author.orcid == "0000-0000-0000-0001"
    assert author.affiliation_ids == ("60008592",)  # a single affiliation comes as a dict
    request = scopus.requests[0]
    assert (
        request.url == "https://api.example.org/content/author/author_id/98765432100?view=ENHANCED"
    )
    assert request.headers["X-ELS-APIKey"] == "key"
    assert request.headers["Accept"] == "application/json"
    assert settings.PORTAL_SITE_NAME in request.headers["User-Agent"]
    assert f"mailto:{settings.PORTAL_LIBRARY_EMAIL}" in request.headers["User-Agent"]


def test_the_answer_is_frozen(
    session_with: Callable[..., tuple[ScopusSession, Scopus, list[float]]],
) -> None:
    # given
    session, _, _ = session_with(httpx.Response(200, json=retrieval(None)))
    author = session.get_author("98765432100")
    # when / then
    with pytest.raises(AttributeError):
        author.orcid = "0000-0000-0000-0002"  # type: ignore[misc]


def test_merged_profile_names_the_survivor(session_with):
    session, _, _ = session_with(httpx.Response(200, json=retrieval(None, "11111111111")))
    author = session.get_author("98765432100")
    assert (author.status, author.author_id, author.orcid) == (
        AuthorStatus.MERGED,
        "11111111111",
        "",
    )


def test_split_profile_lists_the_candidates(session_with):
    urls = [{"$": "https://api.elsevier.com/content/author/author_id:57000000001"}]
    session, _, _ = session_with(
        httpx.Response(200, json={"author-retrieval-response": {"alias": {"prism:url": urls}}})
    )
    author = session.get_author("98765432100")
    assert (author.status, author.candidates) == (AuthorStatus.SPLIT, ("57000000001",))


def test_not_found(session_with):
    session, _, _ = session_with(httpx.Response(404, json={"service-error": {"status": {}}}))
    assert session.get_author("98765432100").status == AuthorStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("response", "error", "message"),
    [
        (
            httpx.Response(401, json={"service-error": {"status": {"statusText": "Invalid"}}}),
            ScopusAuthenticationError,
            "Scopus answered 401: Invalid.",
        ),
        (
            httpx.Response(429, headers={"X-ELS-Status": "QUOTA_EXCEEDED - Quota Exceeded"}),
            ScopusQuotaError,
            "429 QUOTA_EXCEEDED",
        ),
        (httpx.Response(503, text="busy"), ScopusServerError, "Scopus answered 503"),
        (
            httpx.Response(200, text="<html>not json</html>"),
            ScopusResponseError,
            "could not be read",
        ),
        (httpx.Response(200, json={"unexpected": []}), ScopusResponseError, "could not be read"),
        (
            httpx.ConnectError("refused"),
            ScopusTransportError,
            "could not be reached (ConnectError)",
        ),
        (httpx.ReadTimeout("slow"), ScopusTransportError, "could not be reached (ReadTimeout)"),
    ],
)
def test_failures_say_what_went_wrong(session_with, response, error, message):
    # given
    session, _, _ = session_with(response)
    # when / then
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")) as raised:
        session.get_author("98765432100")
    assert isinstance(raised.value, ScopusError)


def test_the_exception_tree():
    assert issubclass(ScopusTransportError, ScopusUnavailableError)
    assert issubclass(ScopusServerError, ScopusUnavailableError)
    assert issubclass(ScopusQuotaError, ScopusUnavailableError)
    for error in (ScopusAuthenticationError, ScopusNotFoundError, ScopusRequestError):
        assert not issubclass(error, ScopusUnavailableError)
        assert issubclass(error, ScopusError)


def test_network_faults_and_5xx_are_retried_a_bounded_number_of_times(session_with):
    # given: a dropped connection, then a 502, then the answer
    session, scopus, slept = session_with(
        httpx.ConnectError("reset"),
        httpx.Response(502),
        httpx.Response(200, json=retrieval(None)),
    )
    # when
    author = session.get_author("98765432100")
    # then: three tries, with a growing pause between them, and the answer read
    assert author.status == AuthorStatus.FOUND
    assert len(scopus.requests) == 3
    assert slept == [1.0, 2.0]


def test_retries_stop_after_the_limit(session_with):
    session, scopus, slept = session_with(httpx.Response(503))
    with pytest.raises(ScopusServerError):
        session.get_author("98765432100")
    assert len(scopus.requests) == 3
    assert len(slept) == 2


@pytest.mark.parametrize("status", [400, 401, 404, 429])
def test_client_errors_are_not_retried(session_with, status):
    session, scopus, slept = session_with(httpx.Response(status))
    with pytest.raises(ScopusError):
        session.search_documents("AU-ID(1)").__next__()
    assert len(scopus.requests) == 1
    assert slept == []


def test_the_demo_key_file_is_used_when_no_key_is_configured(settings, tmp_path):
    # given: no key at all
    settings.SCOPUS_API_KEY = ""
    settings.VAR_DIR = tmp_path
    scopus = Scopus(httpx.Response(404))
    # when / then
    with pytest.raises(ScopusConfigurationError, match="No Scopus API key"):
        ScopusSession.from_settings(transport=httpx.MockTransport(scopus)).get_author("1")
    assert scopus.requests == []
    # when: the demo's key file appears
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "scopus-api-key.txt").write_text("demo-key\n")
    ScopusSession.from_settings(transport=httpx.MockTransport(scopus)).get_author("1")
    # then
    assert scopus.requests[0].headers["X-ELS-APIKey"] == "demo-key"


def page(eids: list[str], following: str) -> httpx.Response:
    entries = [
        {
            "eid": eid,
            "dc:title": f"Paper {eid}",
            "prism:coverDate": "2020-05-01",
            "subtype": "ar",
            "prism:issn": "01689002",
            "openaccess": "1",
            "openaccessFlag": True,
            "author": [
                {"@seq": "1", "authid": "98765432100", "surname": "Wong", "given-name": "Chris"},
                {"@seq": "2", "authid": "57000000001", "surname": "Lee", "afid": [{"$": "60"}]},
            ],
        }
        for eid in eids
    ]
    body: dict[str, Any] = {
        "search-results": {"entry": entries or [{"error": "Result set was empty"}]}
    }
    if following:
        body["search-results"]["cursor"] = {"@next": following}
    return httpx.Response(200, json=body)


class ClosingCounted(httpx.MockTransport):
    """A mock transport that counts how often a client closed it (once per client)."""

    closed = 0

    def close(self) -> None:
        self.closed += 1


def test_a_cursor_walk_keeps_one_client_and_follows_the_cursor(settings):
    # given: two full pages and a short last one
    settings.SCOPUS_API_KEY = "key"
    full = [f"2-s2.0-{n:011d}" for n in range(25)]
    scopus = Scopus(page(full, "c2"), page([e + "b" for e in full], "c3"), page(["2-s2.0-9"], ""))
    transport = ClosingCounted(scopus)
    session = ScopusSession.from_settings(transport=transport)
    # when
    documents = list(session.search_documents("AU-ID(98765432100)"))
    # then: 51 documents over three requests, the cursor followed, and the client still open
    # (a client per request would have closed the transport after each page)
    assert len(documents) == 51
    assert [r.url.params["cursor"] for r in scopus.requests] == ["*", "c2", "c3"]
    assert {r.url.params["view"] for r in scopus.requests} == {"COMPLETE"}
    assert transport.closed == 0
    session.close()
    assert transport.closed == 1
    first = documents[0]
    assert first.cover_date == date(2020, 5, 1)
    assert first.issns == ("0168-9002",)
    assert first.open_access is True
    assert [a.author_id for a in first.authors] == ["98765432100", "57000000001"]
    assert first.authors[1].affiliation_ids == ("60",)
    assert first.author_ids == {"98765432100", "57000000001"}


def test_an_empty_search_yields_nothing(session_with):
    session, scopus, _ = session_with(page([], ""))
    assert list(session.search_author_documents("98765432100")) == []
    assert scopus.requests[0].url.params["query"] == "AU-ID(98765432100)"


def test_an_author_documents_search_refuses_what_is_not_an_author_id(session_with):
    session, scopus, _ = session_with(page([], ""))
    with pytest.raises(ScopusRequestError, match="not a Scopus Author ID"):
        session.search_author_documents("1) OR ALL(x")
    assert scopus.requests == []


def test_a_refused_query_says_what_scopus_said(session_with):
    body = {"service-error": {"status": {"statusCode": "INVALID_INPUT", "statusText": "Bad year"}}}
    session, _, _ = session_with(httpx.Response(400, json=body))
    with pytest.raises(ScopusRequestError, match="Scopus answered 400: Bad year"):
        list(session.search_documents("PUBYEAR IS 0000"))


def test_calls_are_logged_by_the_event_hooks(session_with, caplog):
    # given
    session, _, _ = session_with(httpx.Response(200, json=retrieval(None)))
    # when
    with caplog.at_level(logging.INFO, logger="scopus_connector.http"):
        session.get_author("98765432100")
    # then: the request and its answer, never the key
    lines = [record.getMessage() for record in caplog.records]
    assert any("Scopus request GET" in line and "98765432100" in line for line in lines)
    assert any("Scopus answered GET" in line and ": 200" in line for line in lines)
    assert not any("key" in line.lower() and "X-ELS" in line for line in lines)
