from django.apps import AppConfig


class ScopusConnectorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scopus_connector"
    verbose_name = "Scopus connector"
