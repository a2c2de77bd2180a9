from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each app registers its periodic jobs in its own jobs.py (as NetBox does); this app
        # imports none of them by name.
        autodiscover_modules("jobs")
