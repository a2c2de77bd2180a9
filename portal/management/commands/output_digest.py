"""`scholarhub output-digest`: mail the Library what waits for validation (a recorded job)."""

from __future__ import annotations

from jobs.commands import JobCommand


class Command(JobCommand):
    help = "Mail the Library the daily digest of research output waiting for validation."
    job = "output-digest"
    label = "Validation digest"
