"""The ORCID connector's vocabularies."""

from django.db import models


class ExportKind(models.TextChoices):
    """What sort of item the export writes to a record (one member-API section each)."""

    WORK = "work", "Work"
    OTHER_ID = "external-identifier", "Other ID"
    RESEARCHER_URL = "researcher-url", "Website"
    EMPLOYMENT = "employment", "Employment"
    FUNDING = "funding", "Funding"
    DISTINCTION = "distinction", "Distinction"
    MEMBERSHIP = "membership", "Membership"
    SERVICE = "service", "Service"
    INVITED_POSITION = "invited-position", "Invited position"


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


class RevokedKind(models.TextChoices):
    """Why the portal stopped using an ORCID authorisation. The first two were asked for (the
    researcher's or the Library's "Disconnect", a new grant taking its place); the others
    are lost connections the researcher must mend by connecting again."""

    DISCONNECTED = "disconnected", "Disconnected in the portal"
    REPLACED = "replaced", "Replaced by a new authorisation"
    TOKEN_REFUSED = "token-refused", "ORCID refused the access token"
    RECORD_GONE = "record-gone", "The ORCID record was merged or deactivated"
