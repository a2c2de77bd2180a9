"""`scholarhub scopus-search`: publications under verified Scopus Author IDs (a recorded job)."""

from __future__ import annotations

from jobs.commands import JobCommand


class Command(JobCommand):
    help = "Search Scopus for every verified Scopus Author ID; new documents become candidates."
    job = "scopus-search"
    label = "Scopus search"
