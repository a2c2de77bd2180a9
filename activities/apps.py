from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Activities"

    def ready(self) -> None:
        from activities.kind import KIND
        from portal import content

        content.register(KIND.content_type())
