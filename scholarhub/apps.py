from datetime import timedelta

from django.apps import AppConfig


def process_scopus_feedback() -> str:
    # The Scopus sandbox's own Author Feedback team, for the demo; real Scopus runs its own.
    # Registered here because the sandbox, standing for another organisation, knows no jobs.
    from scopus_sandbox.actions import do_process_feedback

    return f"{do_process_feedback(now=False)} Author Feedback request(s) applied"


class ScholarhubConfig(AppConfig):
    name = "scholarhub"
    verbose_name = "ScholarHub"

    def ready(self) -> None:
        from scholarhub.jobs import Job, register

        register(Job("scopus-feedback", process_scopus_feedback, every=timedelta(hours=1)))
