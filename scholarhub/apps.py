from django.apps import AppConfig


class ScholarhubConfig(AppConfig):
    name = "scholarhub"
    verbose_name = "ScholarHub"
