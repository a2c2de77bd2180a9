from django.apps import AppConfig


class ExerciseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exercise"
    verbose_name = "ORCID exercise"

    def ready(self) -> None:
        from exercise import live

        live.connect()
