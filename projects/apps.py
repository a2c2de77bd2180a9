from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from portal import content
        from projects.kind import KIND

        content.register(KIND.content_type())
