"""A row per run of a periodic job, whoever started it (scheduler, worker, command)."""

from __future__ import annotations

from django.db import models

from utilities.liveness import Holder


class JobRun(models.Model):
    """One run of a registered job: when it was queued, who runs it, and how it went."""

    job = models.CharField(max_length=50)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    outcome = models.TextField(blank=True)
    # The process running it and its last sign of life, so a killed run is recognised at once
    # (same host: the pid is gone) or after a missed heartbeat (another host).
    host = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(null=True, blank=True)
    process_started = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["job", "-queued_at"], name="job_run_latest_idx")]

    def __str__(self) -> str:
        return f"{self.job} queued {self.queued_at:%Y-%m-%d %H:%M}"

    @property
    def holder(self) -> Holder | None:
        """The process running this run, once a worker or command has started it."""
        if self.pid is None:
            return None
        return Holder(host=self.host, pid=self.pid, started=self.process_started)
