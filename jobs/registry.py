"""The periodic jobs the apps register, and when each is due.

Apps register their jobs in their own `jobs.py`, which this app's `ready()` discovers; this
module imports none of them (design §4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Job:
    """A routine returning a one-line outcome, and its schedule: daily at a local time, or
    every so many minutes."""

    name: str
    routine: Callable[[], str]
    daily_at: time | None = None
    every: timedelta | None = None
    # What a run under way has done so far, in one line (the jobs page), when the job says.
    progress: Callable[[], str] | None = None

    def __post_init__(self) -> None:
        if (self.daily_at is None) == (self.every is None):
            raise ValueError(f"job {self.name}: give daily_at or every, not both or neither")

    @property
    def schedule(self) -> str:
        """The schedule in words, for the Library's jobs page."""
        return f"daily at {self.daily_at:%H:%M}" if self.daily_at else f"every {self.every}"

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
    """Make a job known to the scheduler, the commands and the jobs page."""
    _REGISTRY[job.name] = job


def daily_at(setting: str) -> time:
    """A local time from a setting such as SCHOLARHUB_ORCID_EXPORT_AT ("02:00")."""
    return time.fromisoformat(getattr(settings, setting))


def registered() -> dict[str, Job]:
    """Every registered job by name."""
    return dict(_REGISTRY)
