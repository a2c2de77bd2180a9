"""`scholarhub exercise-refresh`: check where every current researcher stands (a recorded job)."""

from __future__ import annotations

from jobs.commands import JobCommand


class Command(JobCommand):
    help = "Check Part 1 and Part 2 of the ORCID exercise for every current researcher."
    job = "exercise-refresh"
    label = "ORCID exercise"
