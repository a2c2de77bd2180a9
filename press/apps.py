from django.apps import AppConfig


class PressConfig(AppConfig):
    name = "press"
    verbose_name = "Press / Media"

    def ready(self) -> None:
        from portal import content
        from press.kind import KIND

        content.register(KIND.content_type())
