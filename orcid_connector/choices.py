"""The ORCID connector's vocabularies."""

from django.db import models


class ExportKind(models.TextChoices):
    """What sort of item the export writes to a record (one member-API section each)."""

    WORK = "work", "Work"
    OTHER_ID = "external-identifier", "Other ID"
    RESEARCHER_URL = "researcher-url", "Website"
    EMPLOYMENT = "employment", "Employment"


class ExportTrigger(models.TextChoices):
    """Who or what started an export run."""

    SCHEDULE = "schedule", "Nightly schedule"
    COMMAND = "command", "Command line"
    EXPORT_NOW = "export-now", '"Export now"'
    BENCH = "bench", "Benchmark"
    TEST = "test", "Test"


class DuplicateCode(models.TextChoices):
    """ORCID's error codes for "you already wrote this" (the put-code is then adopted)."""

    DUPLICATE_WORK = "9021", "Duplicate external id on a work"
    DUPLICATE_PERSON_ITEM = "9030", "Duplicate person item"
