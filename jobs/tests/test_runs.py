"""The periodic jobs: when each is due, the scheduler queuing it, and runs recorded as rows."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jobs import registry, runs
from jobs.models import JobRun
from utilities.liveness import Holder

HONG_KONG = ZoneInfo("Asia/Hong_Kong")


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=HONG_KONG)


@pytest.mark.parametrize(
    ("now", "last", "due"),
    [
        (at(1, 59), at(2, 0, day=23), False),  # before tonight's slot, last night's ran
        (at(2, 0), at(2, 0, day=23), True),  # tonight's slot reached
        (at(2, 1), at(2, 0), False),  # queued already tonight
        (at(9, 0), None, True),  # never ran: queue at once
        (at(1, 0), at(1, 30, day=22), True),  # last night's slot was missed (machine off)
    ],
)
def test_daily_job_is_due_once_per_slot(settings, now, last, due):
    settings.TIME_ZONE = "Asia/Hong_Kong"
    job = registry.Job("nightly", lambda: "ok", daily_at=time(2, 0))
    assert job.due(now, last) is due


def test_interval_job_is_due_after_its_interval():
    job = registry.Job("hourly", lambda: "ok", every=timedelta(hours=1))
    assert job.due(at(10, 0), None) is True
    assert job.due(at(10, 59), at(10, 0)) is False
    assert job.due(at(11, 0), at(10, 0)) is True


def test_a_job_needs_exactly_one_schedule():
    with pytest.raises(ValueError, match="give daily_at or every"):
        registry.Job("both", lambda: "", daily_at=time(1), every=timedelta(hours=1))
    with pytest.raises(ValueError, match="give daily_at or every"):
        registry.Job("neither", lambda: "")


@pytest.mark.django_db(databases=["default", "orcid", "scopus"])
def test_scheduler_once_queues_every_job_and_the_worker_records_them(capsys):
    # when: a first tick (the tests' task backend runs a task as soon as it is queued)
    call_command("scheduler", "--once")
    # then: every job ran once, recorded with its outcome
    out = capsys.readouterr().out
    by_job = {run.job: run for run in JobRun.objects.all()}
    # (the Scopus sandbox's feedback processing is the sandbox's own, not the portal's job)
    # (each app registers its own; these are the portal's and its connectors' daily ones)
    assert {"orcid-export", "exercise-refresh", "scopus-search", "output-digest"} <= set(by_job)
    for name, run in by_job.items():
        assert f"queued {name}" in out
        assert run.finished_at is not None
        assert not run.failed, run.outcome
    assert "0 record(s), 0 call(s)" in by_job["orcid-export"].outcome
    # and a second tick right after queues nothing
    call_command("scheduler", "--once")
    assert JobRun.objects.count() == len(by_job)


@pytest.mark.django_db
def test_a_failing_job_is_recorded_not_raised(monkeypatch):
    def broken() -> str:
        raise RuntimeError("ORCID is on fire")

    monkeypatch.setattr(
        runs,
        "registered",
        lambda: {"broken": registry.Job("broken", broken, every=timedelta(hours=1))},
    )
    assert runs.enqueue_due() == ["broken"]
    run = JobRun.objects.get()
    assert run.failed
    assert run.outcome == "RuntimeError: ORCID is on fire"


# --- one run at a time, and a dead run never blocks the next --------------------------------


@pytest.fixture
def nightly(monkeypatch: pytest.MonkeyPatch) -> registry.Job:
    """A registered job of its own, so the tests do not depend on the apps' jobs."""
    job = registry.Job("nightly-test", lambda: "done", every=timedelta(hours=1))
    monkeypatch.setattr(runs, "registered", lambda: {job.name: job})
    return job


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.django_db
def test_claim_refuses_while_a_fresh_run_waits_for_a_worker(nightly):
    # given
    waiting = JobRun.objects.create(job=nightly.name)
    # when
    with pytest.raises(runs.JobUnderWayError) as refusal:
        runs.claim(nightly.name)
    # then: the refusal says which run, and until when it is waited for
    assert f"already queued (run {waiting.pk}" in str(refusal.value)
    assert "given up if no worker starts it by" in str(refusal.value)
    assert JobRun.objects.count() == 1


@pytest.mark.django_db
def test_claim_takes_over_at_once_from_a_killed_process(nightly):
    # given: a run started by a process that has since died (kill -9 leaves it unfinished)
    me = Holder.current()
    killed = JobRun.objects.create(
        job=nightly.name,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        host=me.host,
        pid=dead_pid(),
        process_started="1",
    )
    # when: the next run is claimed a moment later
    fresh = runs.claim(nightly.name)
    # then: the dead run is recorded as abandoned, with the reason, and the new one goes ahead
    killed.refresh_from_db()
    assert killed.finished_at is not None
    assert killed.failed
    assert killed.outcome == f"Abandoned: its process (pid {killed.pid} on {me.host}) is gone."
    assert fresh.pk != killed.pk
    assert fresh.finished_at is None


@pytest.mark.django_db
def test_claim_refuses_while_a_live_local_process_runs_it(nightly):
    # given: this very process holds the run
    me = Holder.current()
    JobRun.objects.create(
        job=nightly.name,
        started_at=timezone.now(),
        host=me.host,
        pid=me.pid,
        process_started=me.started,
    )
    # when / then
    with pytest.raises(runs.JobUnderWayError, match=rf"started .* by pid {me.pid} on "):
        runs.claim(nightly.name)


@pytest.mark.django_db
def test_another_hosts_run_is_trusted_until_its_heartbeat_stops(nightly):
    # given: a run on another machine, last heard of a minute ago
    now = timezone.now()
    remote = JobRun.objects.create(
        job=nightly.name,
        started_at=now - timedelta(hours=1),
        heartbeat_at=now - timedelta(minutes=1),
        host="worker-2.invalid",
        pid=4242,
    )
    # when / then: refused, saying until when its heartbeat is awaited
    with pytest.raises(runs.JobUnderWayError, match="if its heartbeat stops"):
        runs.claim(nightly.name)
    # given: its heartbeat is now older than the timeout
    JobRun.objects.filter(pk=remote.pk).update(
        heartbeat_at=now - runs.HEARTBEAT_TIMEOUT - timedelta(seconds=1)
    )
    # when
    runs.claim(nightly.name)
    # then
    remote.refresh_from_db()
    assert remote.failed
    assert "has sent no heartbeat since" in remote.outcome


@pytest.mark.django_db
def test_a_run_no_worker_picked_up_is_given_up(nightly):
    # given: queued long ago, never started (no worker was running)
    stale = JobRun.objects.create(job=nightly.name)
    JobRun.objects.filter(pk=stale.pk).update(
        queued_at=timezone.now() - runs.QUEUED_TIMEOUT - timedelta(minutes=1)
    )
    # when
    runs.claim(nightly.name)
    # then
    stale.refresh_from_db()
    assert stale.failed
    assert "no worker started it" in stale.outcome


@pytest.mark.django_db
def test_an_abandoned_run_reached_late_by_its_worker_is_not_run(nightly):
    # given: a run given up on, whose task a worker only now takes
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        return "ran"

    job = registry.Job(nightly.name, work, every=timedelta(hours=1))
    abandoned = JobRun.objects.create(
        job=job.name, finished_at=timezone.now(), failed=True, outcome="Abandoned: test."
    )
    # when
    result = runs.run(abandoned.pk)
    # then
    assert calls == []
    assert result.outcome == "Abandoned: test."


@pytest.mark.django_db
def test_a_run_records_its_holder(nightly):
    # when
    done = runs.run_now(nightly.name)
    # then
    me = Holder.current()
    assert (done.host, done.pid, done.process_started) == (me.host, me.pid, me.started)
    assert done.outcome == "done"
    assert not done.failed
    assert done.heartbeat_at is not None


def test_claim_of_an_unknown_job_says_which_exist(nightly):
    with pytest.raises(runs.UnknownJobError, match="known: nightly-test"):
        runs.claim("no-such-job")


@pytest.mark.django_db
def test_job_command_refusal_says_why_and_until_when(nightly):
    # given
    from jobs.commands import JobCommand

    JobRun.objects.create(job=nightly.name)
    command = type("Command", (JobCommand,), {"job": nightly.name, "label": "Test"})()
    # when / then
    with pytest.raises(CommandError, match="already queued .* given up if no worker starts it"):
        command.handle()
