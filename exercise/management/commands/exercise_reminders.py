"""`scholarhub exercise-reminders`: send the campaigns' due invitations and reminders."""

from __future__ import annotations

from jobs.commands import JobCommand


class Command(JobCommand):
    help = "Send every exercise invitation and reminder that is due (a recorded job)."
    job = "exercise-reminders"
    label = "Exercise campaigns"
