"""The portal's data: persons and units, research outputs, the audit log."""

from portal.models.audit import AuditEntry
from portal.models.outputs import (
    Contributor,
    ImportBatch,
    OutputComment,
    OutputIdentifier,
    ResearchOutput,
)
from portal.models.persons import (
    NameVariant,
    OrgUnit,
    Person,
    PersonIdentifier,
    PersonLink,
    Position,
)
from portal.models.queue import ValidationQueueCount

__all__ = [
    "AuditEntry",
    "Contributor",
    "ImportBatch",
    "NameVariant",
    "OrgUnit",
    "OutputComment",
    "OutputIdentifier",
    "Person",
    "PersonIdentifier",
    "PersonLink",
    "Position",
    "ResearchOutput",
    "ValidationQueueCount",
]
