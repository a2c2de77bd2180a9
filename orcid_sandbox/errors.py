"""Errors of the ORCID registry, carrying ORCID's HTTP status and error code.

RegistryError                  .status, .code, developer and user messages
└── (raised with the code of the rule broken: 9021 duplicate, 9022 title, 9023 self id …)
"""

from __future__ import annotations


class RegistryError(Exception):
    """A request the registry refuses, as ORCID would: status, error code, messages."""

    def __init__(self, status: int, code: int, developer_message: str, user_message: str = ""):
        super().__init__(developer_message)
        self.status = status
        self.code = code
        self.developer_message = developer_message
        self.user_message = user_message or (
            "There was an error when updating the record. Please try again. If the error "
            "persists, please contact the source for assistance."
        )
