"""Reading a connected record's Other IDs for the exercise's Part 2 check (not export history)."""

from __future__ import annotations

from orcid_connector import crypto
from orcid_connector.client import OrcidError, OrcidSession
from orcid_connector.models import OrcidAuthorization
from orcid_connector.records import OtherId

# The name the exercise catches; every failure of the read is an OrcidError.
OrcidReadError = OrcidError


def other_ids(
    authorization: OrcidAuthorization, *, session: OrcidSession | None = None
) -> list[OtherId]:
    """The record's external identifiers as the portal's token may read them."""
    try:
        token = crypto.decrypt(authorization.access_token_encrypted)
    except crypto.TokenKeyError as error:
        raise OrcidError(str(error)) from None
    if session is not None:
        return session.read_external_identifiers(authorization.orcid, token)
    with OrcidSession.from_settings() as own:
        return own.read_external_identifiers(authorization.orcid, token)
