"""Work in proportion to change (issue 14): the actions mark the records they change in their
own transaction, the nightly run visits only marked records and leaves one whose digest is
unchanged alone without loading its items, and once a week it visits every record in full.

ORCID is faked at the transport (it answers every write); the sandbox-backed export tests are in
tests/integration/test_orcid_export.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import JobRun
from orcid_connector.actions import do_disconnect_orcid
from orcid_connector.choices import RevokedKind
from orcid_connector.client import OrcidSession
from orcid_connector.dirty import mark, persons_of
from orcid_connector.export import (
    DesiredStates,
    desired_items,
    desired_items_many,
    export_record,
    run_export,
    settle,
)
from orcid_connector.jobs import DAYS, export_everyone, export_progress, full_day
from orcid_connector.management.commands.orcid_export import progress_bar
from orcid_connector.models import ExportedItem, ExportRun, ExportState
from orcid_connector.tests.fixtures import connect
from portal.actions import do_add_author, do_add_person_identifier, do_update_profile
from portal.audit import record_change
from portal.choices import AuditAction, PersonIdentifierType, PublicationStatus
from portal.models import Person, Position, ResearchOutput
from portal.tests.fixtures import make_library_user, make_output, make_person, make_unit

pytestmark = pytest.mark.django_db


SUNDAY = date(2026, 12, 6)
MONDAY = date(2026, 12, 7)


def connected(person: Person | None = None) -> Person:
    return connect(person or make_person("Mei", "CHAN"))


def exported(output: ResearchOutput) -> ResearchOutput:
    ResearchOutput.objects.filter(pk=output.pk).update(
        publication_status=PublicationStatus.PUBLISHED
    )
    return output


def marks(person: Person) -> int:
    state = ExportState.objects.filter(person=person).first()
    return state.marks if state is not None and state.dirty_since is not None else 0


def clean_all() -> None:
    ExportState.objects.update(dirty_since=None)


# --- marking ---------------------------------------------------------------------------------


def test_an_action_marks_the_connected_researcher_in_its_transaction() -> None:
    mei, lee = connected(), make_person("Lee", "KA")  # Lee has not connected ORCID
    clean_all()
    do_add_person_identifier(
        mei, PersonIdentifierType.SCOPUS_AUTHOR_ID, "98765432100", acting_user=None
    )
    do_add_person_identifier(
        lee, PersonIdentifierType.SCOPUS_AUTHOR_ID, "98765432101", acting_user=None
    )
    state = ExportState.objects.get(person=mei)
    assert state.dirty_since is not None
    assert state.marks >= 1
    assert not ExportState.objects.filter(person=lee).exists()


def test_a_rolled_back_action_leaves_no_mark() -> None:
    mei = connected()
    clean_all()
    before = ExportState.objects.get(person=mei).marks
    inside = []

    def failing_request() -> None:
        with transaction.atomic():
            do_update_profile(mei, {"phone": "+852 3442 0000"}, acting_user=None)
            inside.append(marks(mei))  # marked inside the transaction …
            raise RuntimeError("the request failed after the action")

    with pytest.raises(RuntimeError):
        failing_request()
    assert inside == [before + 1]
    state = ExportState.objects.get(person=mei)
    assert (state.dirty_since, state.marks) == (None, before)  # … and gone with it


def test_adding_an_author_marks_every_connected_author_of_the_output() -> None:
    mei, lee, ann = connected(), connected(make_person("Lee", "KA")), make_person("Ann", "HO")
    output = make_output(mei, ann)
    clean_all()
    do_add_author(output, lee, acting_user=None)
    assert marks(mei)
    assert marks(lee)
    assert not ExportState.objects.filter(person=ann).exists()  # not connected


def test_a_change_to_an_output_marks_an_author_removed_from_it_who_still_holds_its_work() -> None:
    mei, lee = connected(), connected(make_person("Lee", "KA"))
    output = make_output(mei)
    ExportedItem.objects.create(person=lee, orcid="0000-0001-5109-3700", kind="work",
                                key=f"output:{output.pk}", put_code=7)  # fmt: skip
    clean_all()
    record_change(actor=None, action=AuditAction.UPDATE, target=output, person=None)
    assert marks(mei)
    assert marks(lee)


def test_an_authenticated_orcid_marks_the_co_authors_whose_works_name_it() -> None:
    mei, lee, far = connected(), make_person("Lee", "KA"), connected()
    make_output(mei, lee)
    make_output(far)
    clean_all()
    do_add_person_identifier(
        lee, PersonIdentifierType.ORCID, "0000-0001-5109-3700", acting_user=None
    )
    assert marks(mei)  # Mei's work now names Lee's iD
    assert not marks(far)


def test_any_object_with_people_marks_them_a_unit_its_members_a_position_its_holder() -> None:
    unit = make_unit("School of Data Science")
    mei, lee = connected(make_person("Mei", "CHAN", unit=unit)), connected()
    assert persons_of(unit) == {mei.pk}
    position = Position.objects.get(person=lee)
    assert persons_of(position) == {lee.pk}
    clean_all()
    record_change(actor=None, action=AuditAction.UPDATE, target=unit, person=None)
    assert marks(mei)
    assert not marks(lee)


def test_marking_many_is_one_statement_and_keeps_the_first_mark_time() -> None:
    people = [connected() for _ in range(3)]
    clean_all()
    first = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    mark([p.pk for p in people], now=first)
    with CaptureQueriesContext(connection) as queries:
        mark([p.pk for p in people], now=datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    assert len(queries) == 1
    states = ExportState.objects.filter(person__in=people)
    assert {s.dirty_since for s in states} == {first}
    mark([])  # nothing to mark: no statement, no error


# --- the nightly run -------------------------------------------------------------------------


def test_the_nightly_run_visits_only_marked_or_never_exported_records(export_orcid) -> None:
    fake, session = export_orcid
    mei, lee = connected(), connected(make_person("Lee", "KA"))
    exported(make_output(mei, title="Mei's article"))
    first = run_export(trigger="test", session=session, full=False).run
    assert (first.records_total, first.created, first.failed) == (2, first.created, 0)
    assert ExportState.objects.filter(dirty_since__isnull=True, digest__gt="").count() == 2
    fake.calls.clear()
    # nothing changed: nothing visited, no call
    with CaptureQueriesContext(connection) as queries:
        quiet = run_export(trigger="test", session=session, full=False).run
    assert (quiet.records_total, quiet.calls, fake.calls) == (0, 0, [])
    assert len(queries) == 4  # the run row, its total, the selection, the finish
    # Lee's output is changed through an action: only Lee's record is visited and written
    output = exported(make_output(lee, title="Lee's article"))
    record_change(actor=None, action=AuditAction.UPDATE, target=output, person=None)
    busy = run_export(trigger="test", session=session, full=False).run
    assert (busy.records_total, busy.created) == (1, 1)
    assert fake.calls == [f"POST /api/v3.0/{lee.orcid_authorizations.get().orcid}/works"]
    assert not marks(lee)


def test_a_marked_record_whose_digest_is_unchanged_is_left_alone_without_loading_items(
    export_orcid,
) -> None:
    fake, session = export_orcid
    mei = connected()
    for n in range(3):
        exported(make_output(mei, title=f"Article {n}"))
    run_export(trigger="test", session=session, full=False)
    fake.calls.clear()
    do_update_profile(mei, {"phone": "+852 3442 0000"}, acting_user=None)  # not exported
    assert marks(mei)
    with CaptureQueriesContext(connection) as queries:
        result = run_export(trigger="test", session=session, full=False)
    outcome = result.outcomes[mei.pk]
    assert outcome.by_digest
    assert outcome.unchanged == 5
    assert fake.calls == []
    assert not marks(mei)
    items_table = ExportedItem._meta.db_table
    assert not [q for q in queries if items_table in q["sql"]]
    with CaptureQueriesContext(connection) as building:
        desired_items(mei)  # what the portal wants on the record (grows with the sections)
    # pinned: the run (3), the selection, the lease (1: a free one is claimed in one
    # statement), the state, the batch's marks and desired state (a batch of one here), the
    # state settled, the lease freed, the run (2)
    assert len(queries) == 10 + len(building)


def test_a_batch_builds_each_records_desired_state_as_the_record_alone_would() -> None:
    # given: two co-authors with an output each and one together, and two more researchers
    mei, lee = connected(), connected(make_person("Lee", "KA"))
    exported(make_output(mei, title="Mei's"))
    exported(make_output(lee, title="Lee's"))
    exported(make_output(mei, lee, title="Together"))
    others = [connected(make_person("Ann", "HO")), connected(make_person("Bo", "LAM"))]
    for other in others:
        exported(make_output(other, mei, title=f"{other.given_names} and Mei"))
    alone = {person.pk: desired_items(person) for person in (mei, lee)}
    # when
    with CaptureQueriesContext(connection) as one:
        desired_items_many([mei])
    with CaptureQueriesContext(connection) as four:
        batch = desired_items_many([mei, lee, *others])
    # then: the same items with the same content, for the same queries as one record,
    # however many records and outputs
    for person_id, items in alone.items():
        assert {pair: item.content_hash for pair, item in batch[person_id].items()} == {
            pair: item.content_hash for pair, item in items.items()
        }
    assert len(batch[mei.pk]) == len(alone[mei.pk]) == 6  # 4 works, profile page, employment
    assert len(four) == len(one)


def test_a_record_marked_after_its_batch_was_read_is_built_again(export_orcid) -> None:
    # given: two exported records, and a batch holding both their desired states
    fake, session = export_orcid
    mei, lee = connected(), connected(make_person("Lee", "KA"))
    exported(make_output(mei, title="Mei's"))
    output = exported(make_output(lee, title="Lee's"))
    run_export(trigger="test", session=session, full=False)
    fake.calls.clear()
    batch = DesiredStates([mei, lee], 25)
    assert batch.take(mei) is not None  # Mei's export reads the batch
    # when: Lee's output is corrected (and his record marked) before his export starts
    ResearchOutput.objects.filter(pk=output.pk).update(title="Lee's, corrected")
    mark([lee.pk])
    authorization = lee.orcid_authorizations.get()
    outcome = export_record(authorization, session, full=False, prefetched=batch)
    # then: his export saw the correction, not the batch's older state
    assert (outcome.updated, outcome.by_digest) == (1, False)
    assert [call.split()[0] for call in fake.calls] == ["PUT"]


def test_a_mark_made_while_the_record_is_exported_stays_for_the_next_run(export_orcid) -> None:
    _, session = export_orcid
    mei = connected()
    run_export(trigger="test", session=session, full=False)
    seen = ExportState.objects.get(person=mei).marks
    mark([mei.pk])  # an action commits during the export, after it read the state
    settle(mei.pk, mei.orcid_authorizations.get().orcid, seen, "digest", complete=True)
    assert marks(mei) == seen + 1


def test_a_record_whose_export_stopped_forgets_its_digest_and_stays_marked(export_orcid) -> None:
    fake, session = export_orcid
    mei = connected()
    exported(make_output(mei))
    fake.unavailable = True
    outcome = run_export(trigger="test", session=session, full=False).outcomes[mei.pk]
    assert outcome.stopped
    state = ExportState.objects.get(person=mei)
    assert (state.digest, state.dirty_since is not None) == ("", True)
    fake.unavailable = False
    again = run_export(trigger="test", session=session, full=False).run
    assert (again.records_total, again.failed) == (1, 0)
    assert not marks(mei)


def test_a_record_connected_again_with_another_id_is_visited(export_orcid) -> None:
    _, session = export_orcid
    mei = connected()
    run_export(trigger="test", session=session, full=False)
    do_disconnect_orcid(
        mei.orcid_authorizations.get(), "test", kind=RevokedKind.DISCONNECTED, acting_user=None
    )
    clean_all()
    connected(mei)
    clean_all()  # even without the connection's own mark, the iD differs from the digest's
    run = run_export(trigger="test", session=session, full=False).run
    assert (run.records_total, run.failed) == (1, 0)


# --- the weekly full run and the jobs page ---------------------------------------------------


def test_on_the_full_day_every_record_is_read_and_compared_item_by_item(
    export_orcid, settings, monkeypatch
) -> None:
    fake, session = export_orcid
    settings.ORCID_EXPORT_FULL_DAY = "Sunday"
    monkeypatch.setattr(OrcidSession, "from_settings", classmethod(lambda cls, **_: session))
    monkeypatch.setattr(session, "close", lambda: None)
    mei = connected()
    exported(make_output(mei))
    run_export(trigger="test", session=session, full=False)
    assert export_everyone(today=MONDAY).startswith("Changed records only: 0 record(s)")
    fake.calls.clear()
    line = export_everyone(today=SUNDAY)
    # this fake ORCID lists nothing when read: the work, the page and the employment are
    # taken as deleted on ORCID and written again (tests/integration: the real sandbox)
    assert line.startswith("Weekly full run: 1 record(s)")
    assert "3 item(s) deleted on ORCID written again" in line
    assert sum(call.startswith("GET") for call in fake.calls) == 3  # one read per section
    run = ExportRun.objects.order_by("-pk").first()
    assert run is not None
    assert (run.records_total, run.created) == (1, 3)


def test_the_command_runs_the_weekly_full_run_on_demand_with_a_progress_bar(
    export_orcid, settings, monkeypatch, capsys
) -> None:
    # given: an exported record with nothing marked, on a day that is not the full run's
    fake, session = export_orcid
    settings.ORCID_EXPORT_FULL_DAY = DAYS[(timezone.localdate().weekday() + 3) % 7]
    monkeypatch.setattr(OrcidSession, "from_settings", classmethod(lambda cls, **_: session))
    monkeypatch.setattr(session, "close", lambda: None)
    mei = connected()
    exported(make_output(mei))
    run_export(trigger="test", session=session, full=False)
    fake.calls.clear()
    # when: the command as the scheduler runs it
    call_command("orcid_export")
    # then: the changed records only (none), no call
    assert "ORCID export: Changed records only: 0 record(s)" in capsys.readouterr().out
    assert fake.calls == []
    # when: the full run asked for
    call_command("orcid_export", "--full")
    # then: the record read section by section and compared, with a bar showing it done
    captured = capsys.readouterr()
    assert "ORCID export: Weekly full run: 1 record(s)" in captured.out
    assert sum(call.startswith("GET") for call in fake.calls) == 3
    assert f"[{'#' * 30}] 100% 1 of 1 record(s)" in captured.err
    # and for one researcher: --full reads the record's sections too
    fake.calls.clear()
    call_command("orcid_export", "--person", mei.staff_id, "--full")
    assert sum(call.startswith("GET") for call in fake.calls) == 3
    with pytest.raises(CommandError, match="No researcher with EID or profile slug: nobody"):
        call_command("orcid_export", "--full", "--person", "nobody")


def test_the_progress_bar_fills_with_the_records_done() -> None:
    started = timezone.now()
    run = ExportRun(started_at=started, records_total=4, records_done=1, calls=9)
    assert progress_bar(run, width=8).startswith("[##......]  25% 1 of 4 record(s), 9 call(s)")
    empty = ExportRun(started_at=started)
    assert progress_bar(empty, width=4).startswith("[####] 100% 0 of 0 record(s)")


@pytest.mark.parametrize("day", ["", "Sonntag", "7", "sunday; DROP TABLE"])
def test_a_full_day_that_is_not_a_day_is_a_clear_configuration_error(settings, day: str) -> None:
    settings.ORCID_EXPORT_FULL_DAY = day
    with pytest.raises(ImproperlyConfigured, match="day of the week in English"):
        full_day()


def test_the_jobs_page_shows_the_running_exports_records_calls_and_projected_end(client) -> None:
    started = timezone.now() - timedelta(minutes=10)
    run = ExportRun.objects.create(trigger="schedule", records_total=400, records_done=100)
    ExportRun.objects.filter(pk=run.pk).update(started_at=started, calls=250)
    JobRun.objects.create(job="orcid-export", started_at=started, pid=1, host="worker")
    assert export_progress().startswith("100 of 400 record(s), 250 call(s); projected end")
    client.force_login(make_library_user())
    page = client.get("/backend/library/jobs/").content.decode()
    assert "100 of 400 record(s), 250 call(s); projected end" in page
    ExportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    JobRun.objects.update(finished_at=timezone.now(), outcome="done")
    assert "projected end" not in client.get("/backend/library/jobs/").content.decode()
