from django.apps import AppConfig


class ThesesConfig(AppConfig):
    name = "theses"
    verbose_name = "Student Theses"

    def ready(self) -> None:
        from portal import validated
        from theses.kind import KIND

        validated.register(KIND)
