from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Scholars portal"

    def ready(self) -> None:
        from portal import caching

        caching.connect()
