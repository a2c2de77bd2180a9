"""The registry's data: accounts and sign-ins, OAuth clients and tokens, record items."""

from orcid_sandbox.models.accounts import Account, SignInFailure, SignInSession
from orcid_sandbox.models.oauth import AccessToken, AuthorizationCode, Client, SigningKey
from orcid_sandbox.models.record import (
    Affiliation,
    Employment,
    Funding,
    OtherId,
    ResearcherUrl,
    Work,
)

__all__ = [
    "AccessToken",
    "Affiliation",
    "Account",
    "AuthorizationCode",
    "Client",
    "Employment",
    "Funding",
    "OtherId",
    "ResearcherUrl",
    "SignInFailure",
    "SignInSession",
    "SigningKey",
    "Work",
]
