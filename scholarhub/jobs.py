"""The periodic jobs, when they are due, and the one way each of them runs.

Each job is one routine (the same the matching command calls) recorded as a JobRun. The
scheduler enqueues due jobs as django-tasks tasks; a `db_worker` runs them (design §4).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from scholarhub.models import JobRun

log = logging.getLogger(__name__)


def _orcid_export() -> str:
    from orcid_connector.export import run_export

    run = run_export(trigger="schedule").run
    return (
        f"{run.persons} record(s), {run.calls} call(s): {run.created} created, "
        f"{run.updated} updated, {run.deleted} deleted, {run.failed} failed"
    )


def _exercise_refresh() -> str:
    from exercise.status import refresh

    summary = refresh()
    return (
        f"{summary.persons} researcher(s): Part 1 complete {summary.part1_complete}, "
        f"Part 2 complete {summary.part2_complete}, not checked {summary.not_checked}"
    )


def _scopus_search() -> str:
    from scopus_connector.search import search

    summary = search()
    return (
        f"{summary.researchers} researcher(s), {summary.documents} document(s) seen: "
        f"{summary.new_candidates} new candidate(s), {summary.already_in_portal} already held"
    )


def _scopus_feedback() -> str:
    # The Scopus sandbox's own Author Feedback team, for the demo; real Scopus runs its own.
    from scopus_sandbox.actions import do_process_feedback

    return f"{do_process_feedback(now=False)} Author Feedback request(s) applied"


@dataclass(frozen=True)
class Job:
    """A routine and its schedule: daily at a local time, or every so many minutes."""

    name: str
    routine: Callable[[], str]
    daily_at: time | None = None
    every: timedelta | None = None

    def __post_init__(self) -> None:
        if (self.daily_at is None) == (self.every is None):
            raise ValueError(f"job {self.name}: give daily_at or every, not both or neither")

    def due(self, now: datetime, last_queued: datetime | None) -> bool:
        """Due when the last queuing is older than the interval, or before the latest slot."""
        if self.daily_at is None:
            return last_queued is None or now - last_queued >= (self.every or timedelta(0))
        local = timezone.localtime(now)
        slot = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        if local < slot:
            slot -= timedelta(days=1)
        return last_queued is None or last_queued < slot


def _at(setting: str) -> time:
    return time.fromisoformat(getattr(settings, setting))


def jobs() -> dict[str, Job]:
    every = [
        Job("orcid-export", _orcid_export, daily_at=_at("SCHOLARHUB_ORCID_EXPORT_AT")),
        Job("exercise-refresh", _exercise_refresh, daily_at=_at("SCHOLARHUB_EXERCISE_REFRESH_AT")),
        Job("scopus-search", _scopus_search, daily_at=_at("SCHOLARHUB_SCOPUS_SEARCH_AT")),
        Job("scopus-feedback", _scopus_feedback, every=timedelta(hours=1)),
    ]
    return {job.name: job for job in every}


def run(run_id: int) -> str:
    """Run a queued job and record how it went; a failure is recorded, not raised."""
    job_run = JobRun.objects.get(pk=run_id)
    job_run.started_at = timezone.now()
    job_run.save(update_fields=["started_at"])
    try:
        job_run.outcome = jobs()[job_run.job].routine()
    except Exception as error:  # noqa: BLE001 - any failure is recorded for the Library to see
        log.exception("job %s failed", job_run.job)
        job_run.failed = True
        job_run.outcome = f"{type(error).__name__}: {error}"[:2000]
    job_run.finished_at = timezone.now()
    job_run.save(update_fields=["outcome", "failed", "finished_at"])
    return job_run.outcome


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Queue every job that is due; returns their names."""
    from scholarhub.tasks import run_job

    now = now or timezone.now()
    queued = []
    for job in jobs().values():
        latest = JobRun.objects.filter(job=job.name).order_by("-queued_at").first()
        if job.due(now, latest.queued_at if latest else None):
            job_run = JobRun.objects.create(job=job.name)
            run_job.enqueue(job_run.pk)
            queued.append(job.name)
    return queued
