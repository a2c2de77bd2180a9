"""The exceptions of the identifiers package.

ValueError
├── IdentifierError   the input is not a valid identifier of the scheme asked for. Carries
│                     .scheme (Scheme), .value (the input as given, cut to 50 characters when
│                     absurdly long) and .reason; str() is one sentence, the scheme's label and
│                     the reason: "ORCID iD check digit should be 1, not 0". Safe to show to
│                     the person who typed the value (pages escape it like any other text).
└── (plain ValueError) a programming error, never the user's: an unknown scheme name passed
                      to normalise() / display() / url_for(), or orcid_check_digit() given
                      anything but 15 digits.

Callers that handle user input catch IdentifierError only, so a programming error still
surfaces as one.
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

    def __reduce__(self) -> tuple[type[IdentifierError], tuple[Scheme, str, str]]:
        # Exceptions pickle their args; ours are not the constructor's, so say what they are.
        return (type(self), (self.scheme, self.value, self.reason))
