"""ORCID faked at the transport for the export's tests, and researchers connected to it."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from pytest_django.fixtures import Settings

from identifiers import orcid_from_digits
from orcid_connector.actions import do_connect_orcid
from orcid_connector.client import OrcidSession
from orcid_connector.records import Grant
from portal.models import Person

# Valid iDs of a test range, one per connected researcher.
ORCIDS = (orcid_from_digits(f"000000021825{number:03d}") for number in itertools.count(1))


class FakeOrcid:
    """ORCID answering every write: it records each call, counts each work it is sent (by
    record and source-work-id, so a work written twice shows); `unavailable` answers 503,
    `refuse_works` answers each work of a bulk with an error."""

    def __init__(self) -> None:
        self.put_codes = itertools.count(1)
        self.calls: list[str] = []
        self.works: Counter[tuple[str, str]] = Counter()
        self.unavailable = False
        self.refuse_works = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(f"{request.method} {request.url.path}")
        if self.unavailable:
            return httpx.Response(503, json={"error": "down"})
        if request.method == "POST" and request.url.path.endswith("/works"):
            return httpx.Response(200, json={"bulk": self._bulk(request)})
        if request.method == "GET":
            # An empty listing of any section: works ("group") or affiliations.
            return httpx.Response(200, json={"group": [], "affiliation-group": []})
        if request.method == "PUT":
            return httpx.Response(200, json={})
        put_code = next(self.put_codes)
        return httpx.Response(201, headers={"Location": f"{request.url}/{put_code}"})

    def _bulk(self, request: httpx.Request) -> list[dict[str, object]]:
        orcid = request.url.path.split("/")[3]
        answers: list[dict[str, object]] = []
        for entry in json.loads(request.content)["bulk"]:
            if self.refuse_works:
                answers.append({"error": {"error-code": 9001, "developer-message": "no"}})
                continue
            ids = entry["work"]["external-ids"]["external-id"]
            self.works[(orcid, ids[0]["external-id-value"])] += 1
            answers.append({"work": {"put-code": next(self.put_codes)}})
        return answers


@pytest.fixture
def export_orcid(settings: Settings) -> Iterator[tuple[FakeOrcid, OrcidSession]]:
    """The fake and a session to it: no pace, no retries, no sleeping."""
    settings.ORCID_EXPORT_RATE = 0
    settings.ORCID_EXPORT_RETRIES = 0
    fake = FakeOrcid()
    with OrcidSession.from_settings(
        transport=httpx.MockTransport(fake), sleep=lambda seconds: None
    ) as session:
        yield fake, session


def connect(person: Person) -> Person:
    """Connect this researcher's ORCID (a new iD of the test range) with write scopes."""
    grant = Grant(next(ORCIDS), "", "/activities/update /person/update", "token", "", None)
    do_connect_orcid(person, grant, acting_user=None)
    return person
