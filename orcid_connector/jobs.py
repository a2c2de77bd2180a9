"""The nightly ORCID export of every connected researcher, registered with the job framework."""

from jobs.registry import Job, daily_at, register


def export_everyone() -> str:
    from orcid_connector.choices import ExportTrigger
    from orcid_connector.export import run_export

    run = run_export(trigger=ExportTrigger.SCHEDULE).run
    return (
        f"{run.persons} record(s), {run.calls} call(s): {run.created} created, "
        f"{run.updated} updated, {run.deleted} deleted, {run.unchanged} unchanged, "
        f"{run.failed} failed"
    )


register(Job("orcid-export", export_everyone, daily_at=daily_at("SCHOLARHUB_ORCID_EXPORT_AT")))
