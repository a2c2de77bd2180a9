"""A long first export (issue 14: some 195,000 calls over hours): stopped part-way it resumes with
the records it had not finished and writes nothing twice, it keeps nothing of a finished record
in memory, and the Library's jobs page follows the run the job is running.

ORCID is faked at the transport; the sandbox-backed kill and lease tests are in
tests/integration/test_orcid_export.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import JobRun
from orcid_connector.choices import ExportTrigger
from orcid_connector.export import (
    MAX_PROBLEMS,
    DesiredStates,
    export_record,
    run_export,
)
from orcid_connector.jobs import export_progress
from orcid_connector.models import ExportedItem, ExportRun, OrcidAuthorization
from orcid_connector.tests.fixtures import connect
from portal.choices import PublicationStatus
from portal.models import Person, ResearchOutput
from portal.tests.fixtures import make_output, make_person
from utilities.liveness import Holder

pytestmark = pytest.mark.django_db


def connected(given: str, works: int) -> Person:
    person = connect(make_person(given, "CHAN"))
    for n in range(works):
        output = make_output(person, title=f"{given}'s article {n}")
        ResearchOutput.objects.filter(pk=output.pk).update(
            publication_status=PublicationStatus.PUBLISHED
        )
    return person


class Killed(BaseException):
    """Stands in for SIGKILL between two records (BaseException: nothing catches it)."""


def test_a_first_export_stopped_part_way_resumes_with_the_rest_and_writes_nothing_twice(
    export_orcid,
) -> None:
    # given: five researchers never exported, 3 works each
    fake, session = export_orcid
    persons = [connected(name, works=3) for name in ("Ann", "Bo", "Cy", "Di", "Ed")]

    def kill_after_two(run: ExportRun) -> None:
        if run.records_done == 2:
            raise Killed

    # when: the first nightly run is killed after its second record
    with pytest.raises(Killed):
        run_export(trigger=ExportTrigger.SCHEDULE, session=session, full=False,
                   progress=kill_after_two)  # fmt: skip
    killed = ExportRun.objects.get()
    ExportRun.objects.filter(pk=killed.pk).update(finished_at=None)  # as SIGKILL leaves it
    # then: the next night visits only the three records it had not finished
    resumed = run_export(trigger=ExportTrigger.SCHEDULE, session=session, full=False).run
    assert (resumed.records_total, resumed.records_done, resumed.failed) == (3, 3, 0)
    # and every work is on ORCID exactly once, each record's put-codes stored
    assert len(fake.works) == 15
    assert set(fake.works.values()) == {1}
    for person in persons:
        assert ExportedItem.objects.filter(person=person, kind="work").count() == 3
    # and a third night has nothing to do
    assert run_export(trigger=ExportTrigger.SCHEDULE, session=session, full=False).run.calls == 0


def test_a_record_done_or_skipped_leaves_nothing_of_its_desired_state_held(export_orcid) -> None:
    # given: two records read in one batch, the second one's lease held by a live export
    _, session = export_orcid
    mei, lee = connected("Mei", works=2), connected("Lee", works=2)
    lees = OrcidAuthorization.objects.get(person=lee)
    holder = Holder.current()
    OrcidAuthorization.objects.filter(pk=lees.pk).update(
        export_lease_until=timezone.now() + timedelta(minutes=20),
        export_lease_host=holder.host,
        export_lease_pid=holder.pid,
        export_lease_process_started=holder.started,
    )
    batch = DesiredStates([mei, lee], 25)
    # when: Mei's export reads the batch
    export_record(OrcidAuthorization.objects.get(person=mei), session, prefetched=batch)
    # then: only Lee's state is held, and once his export is refused, nothing
    assert len(batch) == 1
    outcome = export_record(lees, session, prefetched=batch)
    assert outcome.stopped
    assert len(batch) == 0
    # and a record refused before its batch was read is left out of it
    again = DesiredStates([mei, lee], 25)
    export_record(lees, session, prefetched=again)
    export_record(OrcidAuthorization.objects.get(person=mei), session, prefetched=again)
    assert len(again) == 0


def test_a_record_with_many_refused_works_keeps_a_bounded_account_of_them(export_orcid) -> None:
    # given: ORCID refuses every work of a researcher with 25 of them
    fake, session = export_orcid
    fake.refuse_works = True
    mei = connected("Mei", works=25)
    # when
    result = run_export(trigger=ExportTrigger.SCHEDULE, session=session)
    # then: all counted as failed, the first ones described, the command's line still says why
    outcome = result.outcomes[mei.pk]
    assert outcome.failed == result.run.failed == 25
    assert len(outcome.problems) == MAX_PROBLEMS
    [line] = result.problems()
    assert line.startswith(f"person {mei.pk}: work output:")
    assert "no" in line


def test_the_jobs_page_follows_the_jobs_own_run(client) -> None:
    # given: a run killed last night (never finished), tonight's job and its run, and an
    # "Export now" for one researcher started beside it
    now = timezone.now()
    killed = ExportRun.objects.create(trigger=ExportTrigger.SCHEDULE, records_total=50_000)
    ExportRun.objects.filter(pk=killed.pk).update(
        started_at=now - timedelta(days=1), records_done=1_200, calls=4_800
    )
    JobRun.objects.create(job="orcid-export", started_at=now - timedelta(minutes=10), pid=1)
    tonight = ExportRun.objects.create(trigger=ExportTrigger.SCHEDULE, records_total=48_800)
    ExportRun.objects.filter(pk=tonight.pk).update(
        started_at=now - timedelta(minutes=10), records_done=100, calls=390
    )
    ExportRun.objects.create(trigger=ExportTrigger.EXPORT_NOW, records_total=1)
    # when / then: tonight's records and calls
    assert export_progress().startswith("100 of 48800 record(s), 390 call(s); projected end")
    # when the job has ended: nothing, though the killed run never finished
    JobRun.objects.update(finished_at=now, outcome="done")
    assert export_progress() == ""
