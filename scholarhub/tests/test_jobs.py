"""The periodic jobs: when each is due, the scheduler queuing it, and runs recorded as rows."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from scholarhub import jobs
from scholarhub.models import JobRun

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
    job = jobs.Job("nightly", lambda: "ok", daily_at=time(2, 0))
    assert job.due(now, last) is due


def test_interval_job_is_due_after_its_interval():
    job = jobs.Job("hourly", lambda: "ok", every=timedelta(hours=1))
    assert job.due(at(10, 0), None) is True
    assert job.due(at(10, 59), at(10, 0)) is False
    assert job.due(at(11, 0), at(10, 0)) is True


def test_a_job_needs_exactly_one_schedule():
    with pytest.raises(ValueError, match="give daily_at or every"):
        jobs.Job("both", lambda: "", daily_at=time(1), every=timedelta(hours=1))
    with pytest.raises(ValueError, match="give daily_at or every"):
        jobs.Job("neither", lambda: "")


@pytest.mark.django_db(databases=["default", "orcid", "scopus"])
def test_scheduler_once_queues_every_job_and_the_worker_records_them(capsys):
    # when: a first tick (the tests' task backend runs a task as soon as it is queued)
    call_command("scheduler", "--once")
    # then: every job ran once, recorded with its outcome
    out = capsys.readouterr().out
    runs = {run.job: run for run in JobRun.objects.all()}
    assert set(runs) == {"orcid-export", "exercise-refresh", "scopus-search", "scopus-feedback"}
    for name, run in runs.items():
        assert f"queued {name}" in out
        assert run.finished_at is not None
        assert not run.failed, run.outcome
    assert runs["orcid-export"].outcome.startswith("0 record(s)")
    # and a second tick right after queues nothing
    call_command("scheduler", "--once")
    assert JobRun.objects.count() == 4


@pytest.mark.django_db
def test_a_failing_job_is_recorded_not_raised(monkeypatch):
    def broken() -> str:
        raise RuntimeError("ORCID is on fire")

    monkeypatch.setattr(
        jobs, "jobs", lambda: {"broken": jobs.Job("broken", broken, every=timedelta(hours=1))}
    )
    assert jobs.enqueue_due() == ["broken"]
    run = JobRun.objects.get()
    assert run.failed
    assert run.outcome == "RuntimeError: ORCID is on fire"


@pytest.mark.django_db
def test_the_library_reads_the_job_runs(client):
    from portal.tests.fixtures import make_library_user, make_person
    from portal.tests.test_accessibility import assert_accessible

    JobRun.objects.create(job="orcid-export", failed=True, outcome="RuntimeError: down")
    researcher = make_person("Mei", "CHAN")
    client.force_login(researcher.user)
    assert client.get("/backend/library/jobs/").status_code == 403
    client.force_login(make_library_user())
    page = client.get("/backend/library/jobs/").content.decode()
    assert "Failed:" in page
    assert "RuntimeError: down" in page
    assert "daily at 02:00" in page
    assert_accessible(page)
    assert "/backend/library/jobs/" in client.get("/backend/").content.decode()
