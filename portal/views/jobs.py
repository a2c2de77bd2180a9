"""The Library's view of the background jobs: when each is due, and how the latest runs went."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jobs.models import JobRun
from jobs.registry import registered
from portal.views.library import library_only

RECENT = 100


@library_only
@require_safe
def job_runs(request: HttpRequest) -> HttpResponse:
    """The schedule of every registered job and the latest runs with their outcomes; a run
    under way shows what its job says of its progress."""
    jobs = registered()
    runs = list(JobRun.objects.all()[:RECENT])
    for run in runs:
        job = jobs.get(run.job)
        under_way = run.started_at is not None and run.finished_at is None
        run.progress = job.progress() if under_way and job and job.progress else ""  # type: ignore[attr-defined]
    return render(
        request, "portal/library/job_runs.html", {"schedule": list(jobs.values()), "runs": runs}
    )
