from django.apps import AppConfig


def export_everyone() -> str:
    from orcid_connector.export import run_export

    run = run_export(trigger="schedule").run
    return (
        f"{run.persons} record(s), {run.calls} call(s): {run.created} created, "
        f"{run.updated} updated, {run.deleted} deleted, {run.unchanged} unchanged, "
        f"{run.failed} failed"
    )


class OrcidConnectorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orcid_connector"
    verbose_name = "ORCID connector"

    def ready(self) -> None:
        from scholarhub.jobs import Job, daily_at, register

        register(
            Job("orcid-export", export_everyone, daily_at=daily_at("SCHOLARHUB_ORCID_EXPORT_AT"))
        )
