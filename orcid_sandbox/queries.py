"""Reads the registry's pages share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db.models import Q, QuerySet

from orcid_sandbox.choices import Scope, Visibility
from orcid_sandbox.models import AccessToken, Account, Client
from orcid_sandbox.models.record import SourcedItem

Item = TypeVar("Item", bound=SourcedItem)

SCOPE_LABELS = dict(Scope.choices)


@dataclass(frozen=True)
class TrustedGrant:
    """One organization with live access to a record: what it may do, since when."""

    client: Client
    granted: datetime
    scopes: list[str]

    @property
    def scope_labels(self) -> list[tuple[str, str]]:
        """(description, scope) pairs, as the page lists them."""
        return [(SCOPE_LABELS.get(scope, scope), scope) for scope in self.scopes]


def trusted_grants(account: Account) -> list[TrustedGrant]:
    """The "Trusted organizations" of a record: clients holding live tokens, in one query."""
    tokens = (
        AccessToken.objects.filter(account=account, revoked_at__isnull=True)
        .select_related("client")
        .order_by("client__name", "issued_at")
    )
    by_client: dict[int, tuple[Client, datetime, set[str]]] = {}
    for token in tokens:
        if not token.is_active:
            continue
        client, granted, scopes = by_client.get(
            token.client_id, (token.client, token.issued_at, set())
        )
        by_client[token.client_id] = (
            client,
            min(granted, token.issued_at),
            scopes | token.scopes(),
        )
    return [
        TrustedGrant(client=client, granted=granted, scopes=sorted(scopes))
        for client, granted, scopes in by_client.values()
    ]


def holds_live_grant(account: Account, client: Client, scopes: set[str]) -> bool:
    """Whether the researcher already gave this client a live token covering these scopes:
    ORCID then skips the consent page (its "persistent tokens")."""
    tokens = AccessToken.objects.filter(account=account, client=client, revoked_at__isnull=True)
    return any(token.is_active and scopes <= token.scopes() for token in tokens)


def visible_to(
    items: QuerySet[Item], *, public_only: bool, client: Client | None
) -> QuerySet[Item]:
    """Filter items by visibility: public items for everyone, "trusted parties" items unless
    `public_only`, and whatever their visibility the items `client` is the source of."""
    condition = Q(visibility=Visibility.PUBLIC)
    if not public_only:
        condition |= Q(visibility=Visibility.LIMITED)
    if client is not None:
        condition |= Q(source_client=client)
    return items.filter(condition)
