from django.apps import AppConfig


class ImpactsConfig(AppConfig):
    name = "impacts"
    verbose_name = "Impact"

    def ready(self) -> None:
        from impacts.kind import KIND
        from portal import content

        content.register(KIND.content_type())
