from django.apps import AppConfig


class ExerciseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exercise"
    verbose_name = "ORCID exercise"
