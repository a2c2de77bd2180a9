"""A row per run of a periodic job, whoever started it (scheduler, worker, command)."""

from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    job = models.CharField(max_length=50)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["job", "-queued_at"], name="job_run_latest_idx")]

    def __str__(self) -> str:
        return f"{self.job} queued {self.queued_at:%Y-%m-%d %H:%M}"
