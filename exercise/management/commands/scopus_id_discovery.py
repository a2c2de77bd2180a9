"""`scholarhub scopus-id-discovery`: look for the Scopus Author IDs of researchers without one."""

from __future__ import annotations

from jobs.commands import JobCommand


class Command(JobCommand):
    help = (
        "Find the Scopus author profiles holding the validated outputs of researchers who have "
        "no Scopus Author ID on their profile (a recorded job)."
    )
    job = "scopus-id-discovery"
    label = "Scopus Author ID discovery"
