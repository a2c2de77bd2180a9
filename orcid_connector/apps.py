from django.apps import AppConfig


class OrcidConnectorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orcid_connector"
    verbose_name = "ORCID connector"

    def ready(self) -> None:
        # Connects the receiver that moves ORCID put-codes when the Library merges outputs.
        from orcid_connector import merging  # noqa: F401
