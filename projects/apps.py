from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from portal import validated
        from projects.kind import KIND

        validated.register(KIND)
