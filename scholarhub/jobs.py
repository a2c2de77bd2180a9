"""Periodic jobs: a registry the apps fill, when each job is due, and the one way each runs.

Each job is one routine, recorded as a JobRun whoever starts it: the scheduler (through a
django-tasks task a `db_worker` runs), a command, or a button. Apps register their jobs in
`AppConfig.ready()`, so this module imports none of them (design §4).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from scholarhub.models import JobRun

log = logging.getLogger(__name__)
# A run still unfinished after this long is taken for dead (its worker was killed).
STALE_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class Job:
    """A routine returning a one-line outcome, and its schedule: daily at a local time, or
    every so many minutes."""

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


_REGISTRY: dict[str, Job] = {}


def register(job: Job) -> None:
    _REGISTRY[job.name] = job


def daily_at(setting: str) -> time:
    """A local time from a setting such as SCHOLARHUB_ORCID_EXPORT_AT ("02:00")."""
    return time.fromisoformat(getattr(settings, setting))


def jobs() -> dict[str, Job]:
    return dict(_REGISTRY)


def run(run_id: int) -> JobRun:
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
    return job_run


def _claim(name: str) -> JobRun | None:
    """A new queued run of the job, unless one is queued or running (and not stale)."""
    with transaction.atomic():
        unfinished = JobRun.objects.select_for_update().filter(
            job=name, finished_at__isnull=True, queued_at__gte=timezone.now() - STALE_AFTER
        )
        if unfinished.exists():
            return None
        return JobRun.objects.create(job=name)


def enqueue(name: str) -> JobRun | None:
    """Queue a job for the worker now; None when a run of it is already under way."""
    from scholarhub.tasks import run_job

    job_run = _claim(name)
    if job_run is not None:
        run_job.enqueue(job_run.pk)
    return job_run


def run_now(name: str) -> JobRun | None:
    """Run a job in this process (the commands), recorded like any other run."""
    job_run = _claim(name)
    return run(job_run.pk) if job_run is not None else None


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Queue every job that is due; returns their names."""
    now = now or timezone.now()
    queued = []
    for job in jobs().values():
        latest = JobRun.objects.filter(job=job.name).order_by("-queued_at").first()
        if job.due(now, latest.queued_at if latest else None) and enqueue(job.name):
            queued.append(job.name)
    return queued


class JobCommand(BaseCommand):
    """A management command that runs one registered job, recorded like any other run."""

    job = ""
    label = ""

    def handle(self, *args: Any, **options: Any) -> None:
        job_run = run_now(self.job)
        if job_run is None:
            raise CommandError(f"A run of {self.job} is already under way.")
        if job_run.failed:
            raise CommandError(job_run.outcome)
        self.stdout.write(f"{self.label}: {job_run.outcome}")
