from django.apps import AppConfig


class OrcidConnectorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orcid_connector"
    verbose_name = "ORCID connector"

    def ready(self) -> None:
        # Connect the receivers: put-codes follow merged outputs (merging), and the actions
        # mark the records they change for the nightly export (dirty, issue 14).
        from orcid_connector import dirty, merging  # noqa: F401
