"""Several records exported at once, sharing one session (and so one token bucket).

ORCID is faked at the transport; the portal's data is committed (transactional test) so the
worker threads, each with its own database connection, can read it."""

from __future__ import annotations

import itertools
import threading

import httpx
import pytest

from orcid_connector.actions import do_connect_orcid
from orcid_connector.client import OrcidSession
from orcid_connector.export import run_export
from orcid_connector.models import ExportCall, ExportedItem
from orcid_connector.records import Grant
from portal.choices import PublicationStatus, Visibility, WorkflowStatus
from portal.models import ResearchOutput
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db(transaction=True)

ORCIDS = ["0000-0002-1825-0097", "0000-0001-5109-3700"]


class ConcurrentOrcid:
    """ORCID answering every write; the first bulk POST of each record waits until the other
    record's has arrived too, so the test fails (BrokenBarrierError) if they are not at once."""

    def __init__(self) -> None:
        self.together = threading.Barrier(len(ORCIDS), timeout=10)
        self.put_codes = itertools.count(1)
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            put_code = next(self.put_codes)
        path = request.url.path
        if request.method == "POST" and path.endswith("/works"):
            self.together.wait()
            return httpx.Response(200, json={"bulk": [{"work": {"put-code": put_code}}]})
        if request.method == "GET":
            return httpx.Response(200, json={"affiliation-group": []})
        return httpx.Response(201, headers={"Location": f"{request.url}/{put_code}"})


def in_memory_sqlite() -> bool:
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLite

    database = connections[DEFAULT_DB_ALIAS]
    return isinstance(database, SQLite) and database.is_in_memory_db()


def test_records_are_exported_at_once_and_every_call_is_counted(settings):
    if in_memory_sqlite():
        pytest.skip(
            "SQLite's shared in-memory test database locks whole tables across threads; the "
            "file database the portal runs on (WAL, IMMEDIATE) does not (bench/orcid_export.py)"
        )
    # given: two connected researchers, one exportable output each
    settings.ORCID_EXPORT_RATE = 0
    for orcid in ORCIDS:
        person = make_person()
        output = make_output(person, title=f"Output of {orcid}")
        ResearchOutput.objects.filter(pk=output.pk).update(
            workflow_status=WorkflowStatus.VALIDATED,
            visibility=Visibility.PUBLIC,
            publication_status=PublicationStatus.PUBLISHED,
        )
        do_connect_orcid(
            person,
            Grant(orcid, "", "/activities/update /person/update", f"token-{orcid}", "", None),
            acting_user=None,
        )
    session = OrcidSession.from_settings(
        transport=httpx.MockTransport(ConcurrentOrcid()), sleep=lambda seconds: None
    )
    # when
    with session:
        run = run_export(trigger="test", session=session, workers=2).run
    # then: both records were written, and the run counted every call the threads made
    assert (run.persons, run.records_done, run.failed) == (2, 2, 0)
    assert ExportedItem.objects.filter(put_code__isnull=False).count() == run.created
    assert run.calls == ExportCall.objects.count() > 0
