"""The one exception the identifiers package raises.

ValueError
└── IdentifierError   a value is not a valid identifier of the scheme asked for; carries
                      .scheme, .value and .reason, and str() names the scheme and the fault
"""

from __future__ import annotations

from identifiers.schemes import Scheme


class IdentifierError(ValueError):
    """A value refused for a scheme, with a sentence saying what is wrong."""

    def __init__(self, scheme: Scheme, value: str, reason: str) -> None:
        self.scheme = scheme
        self.value = value
        self.reason = reason
        super().__init__(f"{scheme.label} {reason}")
