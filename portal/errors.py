"""Errors the portal's actions raise; views turn them into messages next to the field at fault.

PortalError
├── InvalidIdentifierError     a value the identifiers package refused (carries its message)
├── DuplicateIdentifierError   the identifier is already on this or another profile
└── NotAllowedError            the acting user may not make this change
"""

from __future__ import annotations


class PortalError(Exception):
    """Base of the portal's domain errors; str() is a sentence fit to show the user."""


class InvalidIdentifierError(PortalError):
    """The value is not a valid identifier of the chosen type."""


class DuplicateIdentifierError(PortalError):
    """The identifier is already recorded, on this profile or another one."""


class NotAllowedError(PortalError):
    """The acting user may not make this change."""
