"""Reading a connected record's Other IDs for the exercise's Part 2 check (not export history)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from django.conf import settings

from orcid_connector import crypto, member_api
from orcid_connector.models import OrcidAuthorization


class OrcidReadError(Exception):
    """The record could not be read; str() says why."""


@dataclass(frozen=True)
class OtherId:
    id_type: str
    value: str
    source: str
    # The writing client's id (empty when the researcher typed it in on ORCID).
    source_client_id: str = ""


def other_ids(authorization: OrcidAuthorization) -> list[OtherId]:
    """The record's external identifiers as the portal's token may read them."""
    try:
        token = crypto.decrypt(authorization.access_token_encrypted)
        member_api.wait_for_turn()
        with httpx.Client(
            transport=member_api.ORCID_TRANSPORT, timeout=member_api.TIMEOUT_SECONDS
        ) as http:
            response = http.get(
                f"{settings.ORCID_API_URL.rstrip('/')}/{authorization.orcid}/external-identifiers",
                headers={"Authorization": f"Bearer {token}", "Accept": member_api.JSON_TYPE},
            )
    except crypto.TokenKeyError as error:
        raise OrcidReadError(str(error)) from None
    except httpx.HTTPError as error:
        raise OrcidReadError(f"ORCID could not be reached ({type(error).__name__})") from None
    if response.status_code != 200:
        raise OrcidReadError(f"ORCID answered {response.status_code}")
    try:
        items = response.json().get("external-identifier", [])
    except (ValueError, AttributeError):
        raise OrcidReadError("ORCID's answer could not be read") from None
    return [
        OtherId(
            id_type=str(item.get("external-id-type", "")),
            value=str(item.get("external-id-value", "")),
            source=str(((item.get("source") or {}).get("source-name") or {}).get("value", "")),
            source_client_id=str(
                ((item.get("source") or {}).get("source-client-id") or {}).get("path", "")
            ),
        )
        for item in items
        if isinstance(item, dict)
    ]
