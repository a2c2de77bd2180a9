from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "datasets"
    verbose_name = "Datasets"

    def ready(self) -> None:
        from datasets.kind import KIND
        from portal import validated

        validated.register(KIND)
