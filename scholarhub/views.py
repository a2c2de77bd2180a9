"""The Library's view of the background jobs: when each last ran and how it went."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.views.library import library_only
from scholarhub.jobs import jobs
from scholarhub.models import JobRun

RECENT = 100


@library_only
@require_safe
def job_runs(request: HttpRequest) -> HttpResponse:
    schedule = [
        (job.name, f"daily at {job.daily_at:%H:%M}" if job.daily_at else f"every {job.every}")
        for job in jobs().values()
    ]
    return render(
        request,
        "scholarhub/job_runs.html",
        {"schedule": schedule, "runs": JobRun.objects.all()[:RECENT]},
    )
