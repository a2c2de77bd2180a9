"""OrcidSession against ORCID's answers, faked at the transport (httpx.MockTransport)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import httpx
import pytest

from orcid_connector.choices import ExportKind
from orcid_connector.client import (
    OrcidDuplicateError,
    OrcidNotFoundError,
    OrcidRecordGoneError,
    OrcidRefusedError,
    OrcidSession,
    OrcidTokenError,
    OrcidUnavailableError,
)
from orcid_connector.records import CallRecord, ExternalId, Work, WorkContributor

ORCID = "0000-0002-1825-0097"
TOKEN = "f5af9f51-07e6-4332-8f1a-c0c11c1e3728"  # noqa: S105 - a made-up token
API = "https://api.orcid.test/v3.0"

Handler = Callable[[httpx.Request], httpx.Response]


class Fake:
    """ORCID as a list of answers, one per request, and a record of what was asked."""

    def __init__(self, *answers: httpx.Response | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        return answer(request) if callable(answer) else answer


def session(fake: Fake, sleeps: list[float], calls: list[CallRecord]) -> OrcidSession:
    return OrcidSession(
        web_url="https://orcid.test",
        api_url=API,
        client_id="APP-SCHOLARHUBDEMO01",
        client_secret="secret",  # noqa: S106 - a made-up secret
        redirect_uri="https://portal.test/backend/orcid/callback",
        transport=httpx.MockTransport(fake),
        retries=2,
        sleep=sleeps.append,
        on_call=calls.append,
    )


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def calls() -> list[CallRecord]:
    return []


def error(status: int, code: int, message: str, **headers: str) -> httpx.Response:
    body = {"response-code": status, "developer-message": message, "error-code": code}
    return httpx.Response(status, json=body, headers=headers)


def test_every_call_names_the_portal_and_is_reported_by_the_event_hook(sleeps, calls, settings):
    # given
    fake = Fake(httpx.Response(200, json={"external-identifier": []}))
    # when
    with session(fake, sleeps, calls) as orcid:
        assert orcid.read_external_identifiers(ORCID, TOKEN) == []
    # then
    (request,) = fake.requests
    assert settings.PORTAL_SITE_NAME in request.headers["User-Agent"]
    assert f"mailto:{settings.PORTAL_LIBRARY_EMAIL}" in request.headers["User-Agent"]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert calls == [CallRecord(ORCID, "GET", f"/{ORCID}/external-identifiers", 200, "ok")]


def test_busy_answers_are_retried_after_retry_after_then_given_up(sleeps, calls):
    # given: ORCID busy three times (one call and two retries)
    fake = Fake(*[error(503, 9012, "busy", **{"Retry-After": "7"}) for _ in range(3)])
    # when
    with session(fake, sleeps, calls) as orcid, pytest.raises(OrcidUnavailableError):
        orcid.read_items(ORCID, TOKEN, ExportKind.WORK)
    # then: it waited what ORCID asked, twice, and every attempt is in the history
    assert sleeps == [7.0, 7.0]
    assert [call.status for call in calls] == [503, 503, 503]


def test_no_answer_is_retried_with_back_off_and_recorded(sleeps, calls):
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    fake = Fake(timeout, timeout, httpx.Response(200, json={"group": []}))
    with session(fake, sleeps, calls) as orcid:
        assert orcid.read_items(ORCID, TOKEN, ExportKind.WORK) == []
    assert sleeps == [1.0, 2.0]
    assert [call.status for call in calls] == [None, None, 200]
    assert calls[0].outcome == "no answer: ReadTimeout"


def test_a_write_without_retries_is_tried_once(sleeps, calls):
    fake = Fake(error(500, 9008, "oops"))
    with session(fake, sleeps, calls) as orcid, pytest.raises(OrcidUnavailableError):
        orcid.create_item(ORCID, TOKEN, ExportKind.EMPLOYMENT, {}, retry=False)
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    ("answer", "raised", "text"),
    [
        (httpx.Response(401, json={"error": "invalid_token"}), OrcidTokenError, "invalid_token"),
        (
            httpx.Response(400, json={"error": "invalid_token", "error_description": "gone"}),
            OrcidTokenError,
            "gone",
        ),
        (
            httpx.Response(
                301, headers={"Location": f"{API}/0000-0000-0000-0028/external-identifiers"}
            ),
            OrcidRecordGoneError,
            "merged into 0000-0000-0000-0028",
        ),
        (error(409, 9044, "deactivated"), OrcidRecordGoneError, "is deactivated"),
        (error(409, 9030, "duplicate"), OrcidDuplicateError, "duplicate"),
        (error(400, 9001, "bad JSON"), OrcidRefusedError, "bad JSON"),
        (httpx.Response(201), OrcidRefusedError, "ORCID answered 201"),
    ],
)
def test_each_refusal_is_its_own_error(sleeps, calls, answer, raised, text):
    with session(Fake(answer), sleeps, calls) as orcid, pytest.raises(raised, match=text):
        orcid.create_item(ORCID, TOKEN, ExportKind.OTHER_ID, {"external-id-type": "x"})


def test_a_created_item_gives_its_put_code_from_the_location(sleeps, calls):
    created = httpx.Response(201, headers={"Location": f"{API}/{ORCID}/researcher-urls/4711"})
    with session(Fake(created), sleeps, calls) as orcid:
        assert orcid.create_item(ORCID, TOKEN, ExportKind.RESEARCHER_URL, {}) == 4711


def test_a_bulk_answers_each_work_and_a_refused_bulk_is_one_error(sleeps, calls):
    # given
    fake = Fake(
        httpx.Response(
            200,
            json={
                "bulk": [
                    {"work": {"put-code": 12}},
                    {"error": {"error-code": 9021, "developer-message": "duplicate"}},
                ]
            },
        ),
        error(400, 9047, "the text may not hold the character U+000B"),
    )
    with session(fake, sleeps, calls) as orcid:
        # when
        first, second = orcid.create_works(ORCID, TOKEN, [{}, {}])
        # then
        assert first.put_code == 12
        assert (second.put_code, second.error_code, second.message) == (None, "9021", "duplicate")
        with pytest.raises(OrcidRefusedError) as refused:
            orcid.create_works(ORCID, TOKEN, [{}])
    assert (refused.value.status, refused.value.code) == (400, "9047")


def test_a_deleted_item_is_not_found(sleeps, calls):
    fake = Fake(error(404, 9016, "no such put-code"))
    with session(fake, sleeps, calls) as orcid, pytest.raises(OrcidNotFoundError):
        orcid.delete_item(ORCID, TOKEN, ExportKind.WORK, 5)


SUMMARIES = {
    "group": [
        {"work-summary": [{"put-code": 11}, {"put-code": 12}]},
        {"work-summary": [{"put-code": "13"}, {"put-code": None}, "junk"]},
    ]
}
FULL = {
    "put-code": 11,
    "title": {"title": {"value": "Linking identifiers"}, "subtitle": None},
    "type": "journal-article",
    "journal-title": {"value": "JASIST"},
    "publication-date": {"year": {"value": "2024"}, "month": {"value": "03"}, "day": None},
    "external-ids": {
        "external-id": [
            {
                "external-id-type": "doi",
                "external-id-value": "10.1002/asi.24601",
                "external-id-relationship": "self",
                "external-id-url": {"value": "https://doi.org/10.1002/asi.24601"},
            }
        ]
    },
    "source": {
        "source-client-id": {"path": "0000-0002-5982-8983"},
        "source-name": {"value": "Scopus - Elsevier"},
        "assertion-origin-name": {"value": "Chris WONG"},
    },
    "contributors": {
        "contributor": [
            {
                "credit-name": {"value": "Chris WONG"},
                "contributor-orcid": {"path": ORCID},
                "contributor-attributes": {
                    "contributor-sequence": "first",
                    "contributor-role": "author",
                },
            }
        ]
    },
}


def test_read_works_gives_every_work_in_full_as_frozen_records(sleeps, calls):
    # given: three works in two groups, then their full documents (one put-code refused)
    fake = Fake(
        httpx.Response(200, json=SUMMARIES),
        httpx.Response(
            200,
            json={
                "bulk": [
                    {"work": FULL},
                    {"work": {**FULL, "put-code": 12, "title": None}},
                    {"error": {"error-code": 9016}},
                ]
            },
        ),
    )
    # when
    with session(fake, sleeps, calls) as orcid:
        works = orcid.read_works(ORCID, TOKEN)
    # then
    assert fake.requests[1].url.path == f"/v3.0/{ORCID}/works/11,12,13"
    assert [work.put_code for work in works] == [11, 12]
    work = works[0]
    assert isinstance(work, Work)
    assert (work.title, work.journal_title, work.work_type) == (
        "Linking identifiers",
        "JASIST",
        "journal-article",
    )
    assert (work.publication_date.year, work.publication_date.month) == (2024, 3)
    assert work.external_ids == (
        ExternalId("doi", "10.1002/asi.24601", "self", "https://doi.org/10.1002/asi.24601"),
    )
    assert work.contributors == (WorkContributor("Chris WONG", ORCID, "first", "author"),)
    assert (work.source.name, work.source.assertion_origin_name) == (
        "Scopus - Elsevier",
        "Chris WONG",
    )
    assert works[1].title == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        work.title = "changed"  # type: ignore[misc]


def test_unreadable_answers_are_empty_not_a_crash(sleeps, calls):
    fake = Fake(httpx.Response(200, text="<html>not json</html>"), httpx.Response(200, json=[1]))
    with session(fake, sleeps, calls) as orcid:
        assert orcid.read_works(ORCID, TOKEN) == []
        assert orcid.read_external_identifiers(ORCID, TOKEN) == []
