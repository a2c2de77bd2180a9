"""The nightly ORCID export, registered with the job framework.

Each night visits only the records that need it (marked by the actions that changed them,
never exported, or stopped last time); on ORCID_EXPORT_FULL_DAY it compares every record item
by item and reads each record's sections, to repair what a missed mark or a failed night left
behind and what was deleted on ORCID's side."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from jobs.registry import Job, daily_at, register

if TYPE_CHECKING:
    from orcid_connector.models import ExportRun

DAYS = [name.lower() for name in calendar.day_name]  # monday … sunday
JOB = "orcid-export"


@dataclass(frozen=True)
class Asked:
    """What `scholarhub orcid-export` asks of the run it starts as the job: the weekly full
    run on any day, and a listener told after each record (its progress bar)."""

    full: bool = False
    progress: Callable[[ExportRun], None] | None = None


# The routine takes no arguments (the scheduler and the worker call it so); the command runs
# it in its own thread through the job framework, which records the run like any other.
_asked: ContextVar[Asked | None] = ContextVar("orcid_export_asked", default=None)


@contextmanager
def asked(
    full: bool = False, progress: Callable[[ExportRun], None] | None = None
) -> Iterator[None]:
    """Within: the job's routine runs as the command asked."""
    token = _asked.set(Asked(full, progress))
    try:
        yield
    finally:
        _asked.reset(token)


def full_day() -> int:
    """The weekday (Monday 0) of the full run, from ORCID_EXPORT_FULL_DAY."""
    name = str(getattr(settings, "ORCID_EXPORT_FULL_DAY", "sunday")).strip().lower()
    if name not in DAYS:
        raise ImproperlyConfigured(
            f"ORCID_EXPORT_FULL_DAY is {name!r}: give a day of the week in English, "
            f"one of {', '.join(DAYS)}."
        )
    return DAYS.index(name)


def export_everyone(today: date | None = None) -> str:
    from orcid_connector.choices import ExportTrigger
    from orcid_connector.export import run_export

    wanted = _asked.get() or Asked()
    full = wanted.full or (today or timezone.localdate()).weekday() == full_day()
    result = run_export(
        trigger=ExportTrigger.SCHEDULE, full=full, repair=full, progress=wanted.progress
    )
    problems = result.problems()
    more = f"; {len(problems)} record(s) with problems, first: {problems[0]}" if problems else ""
    if full:
        repaired = sum(outcome.repaired for outcome in result.outcomes.values())
        again = f"; {repaired} item(s) deleted on ORCID written again"
        return f"Weekly full run: {result.run.summary}{again}{more}"
    return f"Changed records only: {result.run.summary}{more}"


def export_progress() -> str:
    """The running export job's records done of all, calls made and projected end: its own
    run, not an "Export now" under way beside it, nor a run killed before it (which never
    finished)."""
    from jobs.models import JobRun
    from orcid_connector.choices import ExportTrigger
    from orcid_connector.models import ExportRun

    job = (
        JobRun.objects.filter(job=JOB, started_at__isnull=False, finished_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if job is None or job.started_at is None:
        return ""
    run = (
        ExportRun.objects.filter(
            trigger=ExportTrigger.SCHEDULE, finished_at__isnull=True, started_at__gte=job.started_at
        )
        .order_by("-started_at")
        .first()
    )
    return run.progress(timezone.now()) if run is not None else ""


register(
    Job(
        JOB,
        export_everyone,
        daily_at=daily_at("SCHOLARHUB_ORCID_EXPORT_AT"),
        progress=export_progress,
    )
)
