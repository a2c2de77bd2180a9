"""The nightly ORCID export of every connected researcher, registered with the job framework."""

from jobs.registry import Job, daily_at, register


def export_everyone() -> str:
    from orcid_connector.choices import ExportTrigger
    from orcid_connector.export import run_export

    result = run_export(trigger=ExportTrigger.SCHEDULE)
    problems = result.problems()
    more = f"; {len(problems)} record(s) with problems, first: {problems[0]}" if problems else ""
    return result.run.summary + more


register(Job("orcid-export", export_everyone, daily_at=daily_at("SCHOLARHUB_ORCID_EXPORT_AT")))
