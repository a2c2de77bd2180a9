"""Running a registered job: one routine, recorded as a JobRun whoever starts it.

The scheduler queues runs for a `db_worker` (through the django-tasks task in `jobs.tasks`), a
command runs one in its own process, a button queues one. Only one run of a job is under way at
a time; a run whose process died is recognised at once (same host: its pid is gone) or after a
missed heartbeat (another host), marked abandoned, and the new run goes ahead.

Exceptions:
    JobError
    ├── UnknownJobError      no job of that name is registered
    └── JobUnderWayError     a live run of the job holds it; says which and until when
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import connections, transaction
from django.utils import timezone

from jobs.models import JobRun
from jobs.registry import registered
from utilities.liveness import Holder

log = logging.getLogger(__name__)

# A running job writes a heartbeat this often; another host's run that missed a few is dead.
HEARTBEAT_EVERY = timedelta(seconds=30)
HEARTBEAT_TIMEOUT = timedelta(minutes=3)
# A queued run no worker picked up in this long is given up (the worker is down).
QUEUED_TIMEOUT = timedelta(minutes=30)


class JobError(Exception):
    """Base of the job framework's errors."""


class UnknownJobError(JobError):
    """No job of that name is registered."""


class JobUnderWayError(JobError):
    """A live run of the job is under way; the message says which, since when and until when."""

    def __init__(self, message: str, blocking: JobRun) -> None:
        super().__init__(message)
        self.blocking = blocking


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S %Z}"


def _why_dead(job_run: JobRun, now: datetime) -> str | None:
    """Why an unfinished run is taken for dead, or None while it may still be alive."""
    holder = job_run.holder
    if holder is None:
        if now - job_run.queued_at > QUEUED_TIMEOUT:
            return f"no worker started it within {QUEUED_TIMEOUT} of being queued"
        return None
    if holder.is_dead():
        return f"its process ({holder}) is gone"
    last_sign = job_run.heartbeat_at or job_run.started_at or job_run.queued_at
    if not holder.is_local() and now - last_sign > HEARTBEAT_TIMEOUT:
        return f"its process ({holder}) has sent no heartbeat since {_when(last_sign)}"
    return None


def _refusal(job_run: JobRun) -> str:
    """Why a new run of the job cannot start now, and until when."""
    holder = job_run.holder
    if holder is None:
        return (
            f"A run of {job_run.job} is already queued (run {job_run.pk}, queued "
            f"{_when(job_run.queued_at)}) and waits for a worker; it is given up if no worker "
            f"starts it by {_when(job_run.queued_at + QUEUED_TIMEOUT)}."
        )
    started = job_run.started_at or job_run.queued_at
    until = (
        "until it finishes (its process is alive on this machine)"
        if holder.is_local()
        else "until it finishes, or until "
        f"{_when((job_run.heartbeat_at or started) + HEARTBEAT_TIMEOUT)} if its heartbeat stops"
    )
    return (
        f"A run of {job_run.job} is already under way (run {job_run.pk}, started "
        f"{_when(started)} by {holder}); a new run waits {until}."
    )


def claim(name: str) -> JobRun:
    """A new queued run of the job; JobUnderWayError while a live run of it is unfinished.

    Unfinished runs whose process is dead are marked abandoned here, so a killed run never
    blocks the next one.
    """
    if name not in registered():
        raise UnknownJobError(f"No job named {name!r}; known: {', '.join(sorted(registered()))}")
    now = timezone.now()
    with transaction.atomic():
        unfinished = JobRun.objects.select_for_update().filter(job=name, finished_at__isnull=True)
        for job_run in unfinished:
            reason = _why_dead(job_run, now)
            if reason is None:
                raise JobUnderWayError(_refusal(job_run), job_run)
            job_run.finished_at = now
            job_run.failed = True
            job_run.outcome = f"Abandoned: {reason}."
            job_run.save(update_fields=["finished_at", "failed", "outcome"])
            log.warning("job run %s of %s abandoned: %s", job_run.pk, name, reason)
        return JobRun.objects.create(job=name)


@contextmanager
def _heartbeat(run_id: int, every: timedelta) -> Iterator[None]:
    """Refresh the run's heartbeat from a side thread while the routine works."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every.total_seconds()):
                JobRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now())
        except Exception:  # a missed heartbeat must never fail the job itself
            log.exception("heartbeat of job run %s failed", run_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"job-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run(run_id: int, *, heartbeat_every: timedelta = HEARTBEAT_EVERY) -> JobRun:
    """Run a claimed job in this process and record how it went; a failure is recorded, not
    raised. A run already finished (abandoned meanwhile) is left as it is."""
    job_run = JobRun.objects.get(pk=run_id)
    if job_run.finished_at is not None:
        return job_run
    holder = Holder.current()
    job_run.started_at = job_run.heartbeat_at = timezone.now()
    job_run.host, job_run.pid, job_run.process_started = holder.host, holder.pid, holder.started
    job_run.save(update_fields=["started_at", "heartbeat_at", "host", "pid", "process_started"])
    try:
        with _heartbeat(run_id, heartbeat_every):
            job_run.outcome = registered()[job_run.job].routine()
    except Exception as error:  # any failure is recorded for the Library to see
        log.exception("job %s failed", job_run.job)
        job_run.failed = True
        job_run.outcome = f"{type(error).__name__}: {error}"[:2000]
    job_run.finished_at = timezone.now()
    job_run.save(update_fields=["outcome", "failed", "finished_at"])
    return job_run


def enqueue(name: str) -> JobRun:
    """Queue a run of the job for the worker now; JobUnderWayError while one is under way."""
    from jobs.tasks import run_job

    job_run = claim(name)
    run_job.enqueue(job_run.pk)
    return job_run


def run_now(name: str) -> JobRun:
    """Run a job in this process (the commands), recorded like any other run."""
    return run(claim(name).pk)


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Queue every job that is due; returns their names."""
    now = now or timezone.now()
    queued = []
    for job in registered().values():
        latest = JobRun.objects.filter(job=job.name).order_by("-queued_at").first()
        if not job.due(now, latest.queued_at if latest else None):
            continue
        try:
            enqueue(job.name)
        except JobUnderWayError:
            continue
        queued.append(job.name)
    return queued
