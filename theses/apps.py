from django.apps import AppConfig


class ThesesConfig(AppConfig):
    name = "theses"
    verbose_name = "Student Theses"

    def ready(self) -> None:
        from portal import content
        from theses.kind import KIND

        content.register(KIND.content_type())
