"""The portal's data: persons and units, research outputs, the audit log."""

from portal.models.audit import AuditEntry
from portal.models.outputs import Contributor, OutputIdentifier, ResearchOutput
from portal.models.persons import (
    NameVariant,
    OrgUnit,
    Person,
    PersonIdentifier,
    PersonLink,
    Position,
)

__all__ = [
    "AuditEntry",
    "Contributor",
    "NameVariant",
    "OrgUnit",
    "OutputIdentifier",
    "Person",
    "PersonIdentifier",
    "PersonLink",
    "Position",
    "ResearchOutput",
]
