"""Names the integration tests share: the demo researcher's iD and the portal's ORCID client, and
Part 1 done the short way (a token the sandbox issued, held by the portal)."""

from __future__ import annotations

import uuid

from orcid_connector.actions import do_connect_orcid
from orcid_connector.records import Grant
from orcid_sandbox.models import AccessToken, Account, Client
from portal.models import Person

CHRIS_ORCID = "0000-0000-0000-0001"
PORTAL_CLIENT_ID = "APP-SCHOLARHUBDEMO01"


def connect_with_sandbox_token(person: Person, account: Account, portal_client: Client) -> None:
    """Part 1 done: a token the sandbox issued for Chris's account, held encrypted by the portal."""
    token = AccessToken.objects.create(
        access_token=str(uuid.uuid4()),
        refresh_token=str(uuid.uuid4()),
        client=portal_client,
        account=account,
        scope="/read-limited /activities/update /person/update",
        expires_in=631138518,
    )
    do_connect_orcid(
        person,
        Grant(
            orcid=CHRIS_ORCID,
            name="Chris WONG",
            scope=token.scope,
            access_token=token.access_token,
            refresh_token=token.refresh_token or "",
            expires_in=631138518,
        ),
        acting_user=None,
    )
