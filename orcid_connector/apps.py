from django.apps import AppConfig


class OrcidConnectorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orcid_connector"
    verbose_name = "ORCID connector"
