from django.apps import AppConfig


class ScopusSandboxConfig(AppConfig):
    name = "scopus_sandbox"
    verbose_name = "Scopus sandbox"
