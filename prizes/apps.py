from django.apps import AppConfig


class PrizesConfig(AppConfig):
    name = "prizes"
    verbose_name = "Prizes / Honours"

    def ready(self) -> None:
        from portal import content
        from prizes.kind import KIND

        content.register(KIND.content_type())
