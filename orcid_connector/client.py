"""ORCID's OAuth endpoints as the portal's member client sees them (Authlib over httpx).

The base URL is ORCID_WEB_URL: orcid.org serves /oauth/authorize, /oauth/token and
/oauth/revoke on the same host as the record pages, and so does the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from django.conf import settings

# What the portal asks for: read limited-access items, write works, write person items.
SCOPES = "/read-limited /activities/update /person/update"
TIMEOUT_SECONDS = 10.0
# Tests replace this with a transport standing in for ORCID.
ORCID_TRANSPORT: httpx.BaseTransport | None = None


class OrcidOAuthError(Exception):
    """ORCID refused or could not be reached; str() is fit to show the researcher."""


@dataclass(frozen=True)
class Grant:
    """The useful part of ORCID's token response."""

    orcid: str
    name: str
    scope: str
    access_token: str
    refresh_token: str
    expires_in: int | None


def _base() -> str:
    return settings.ORCID_WEB_URL.rstrip("/")


def _oauth(state: str | None = None) -> OAuth2Client:
    return OAuth2Client(
        client_id=settings.ORCID_CLIENT_ID,
        client_secret=settings.ORCID_CLIENT_SECRET,
        scope=SCOPES,
        redirect_uri=settings.ORCID_REDIRECT_URI,
        state=state,
        token_endpoint_auth_method="client_secret_post",  # noqa: S106 - a method name
        transport=ORCID_TRANSPORT,
        timeout=TIMEOUT_SECONDS,
    )


def authorization_url(state: str) -> str:
    """Where to send the researcher to sign in to ORCID and authorise the portal."""
    url, _ = _oauth(state).create_authorization_url(f"{_base()}/oauth/authorize", state=state)
    return str(url)


def exchange_code(code: str, state: str) -> Grant:
    """Trade the one-time code for tokens and the researcher's authenticated iD."""
    try:
        with _oauth(state) as client:
            token: dict[str, Any] = client.fetch_token(f"{_base()}/oauth/token", code=code)
    except OAuthError as error:
        raise OrcidOAuthError(f"ORCID refused the sign-in ({error.error}).") from None
    except httpx.HTTPError as error:
        raise OrcidOAuthError(f"ORCID could not be reached ({type(error).__name__}).") from None
    except ValueError:
        raise OrcidOAuthError("ORCID's answer could not be read.") from None
    orcid = str(token.get("orcid") or "")
    access_token = str(token.get("access_token") or "")
    if not orcid or not access_token:
        raise OrcidOAuthError("ORCID's answer had no iD or no access token.")
    expiry = str(token.get("expires_in") or "")
    return Grant(
        orcid=orcid,
        name=str(token.get("name") or "")[:300],
        scope=str(token.get("scope") or "")[:300],
        access_token=access_token,
        refresh_token=str(token.get("refresh_token") or ""),
        expires_in=int(expiry) if expiry.isdigit() and len(expiry) < 12 else None,
    )


def revoke(access_token: str) -> None:
    """Ask ORCID to revoke a token (and with it its refresh token)."""
    try:
        with httpx.Client(transport=ORCID_TRANSPORT, timeout=TIMEOUT_SECONDS) as http:
            response = http.post(
                f"{_base()}/oauth/revoke",
                data={
                    "client_id": settings.ORCID_CLIENT_ID,
                    "client_secret": settings.ORCID_CLIENT_SECRET,
                    "token": access_token,
                },
                headers={"Accept": "application/json"},
            )
    except httpx.HTTPError as error:
        raise OrcidOAuthError(f"ORCID could not be reached ({type(error).__name__}).") from None
    if response.status_code != 200:
        raise OrcidOAuthError(f"ORCID answered {response.status_code} to the revocation.")
