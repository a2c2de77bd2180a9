"""Errors of the ORCID registry, carrying ORCID's HTTP status and error code.

RegistryError                  .status, .code (an ErrorCode), developer and user messages
└── (raised with the code of the rule broken: DUPLICATE_ACTIVITY, TITLE_REQUIRED, …)
"""

from __future__ import annotations

from orcid_sandbox.choices import ErrorCode


class RegistryError(Exception):
    """A request the registry refuses, as ORCID would: status, error code, messages."""

    def __init__(
        self, status: int, code: ErrorCode, developer_message: str, user_message: str = ""
    ) -> None:
        super().__init__(developer_message)
        self.status = status
        self.code = code
        self.developer_message = developer_message
        self.user_message = user_message or (
            "There was an error when updating the record. Please try again. If the error "
            "persists, please contact the source for assistance."
        )
