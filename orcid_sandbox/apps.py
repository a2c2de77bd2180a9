from django.apps import AppConfig


class OrcidSandboxConfig(AppConfig):
    name = "orcid_sandbox"
    verbose_name = "ORCID sandbox"
