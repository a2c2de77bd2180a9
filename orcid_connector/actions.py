"""Connecting and disconnecting a researcher's ORCID iD; each change is in the audit log."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from orcid_connector import crypto
from orcid_connector.choices import RevokedKind
from orcid_connector.client import OrcidError, OrcidSession
from orcid_connector.models import OrcidAuthorization
from orcid_connector.records import Grant
from portal.actions import do_record_authenticated_orcid
from portal.audit import Actor, acting_account, record_change, snapshot
from portal.choices import AuditAction
from portal.models import Person

log = logging.getLogger(__name__)
AUDITED = ["orcid", "scope", "revoked_at", "revoked_reason", "revoked_kind"]


@transaction.atomic
def do_connect_orcid(person: Person, grant: Grant, *, acting_user: Actor) -> OrcidAuthorization:
    """Record the grant (tokens encrypted) and the iD as authenticated on the profile."""
    identifier = do_record_authenticated_orcid(person, grant.orcid, acting_user=acting_user)
    for old in OrcidAuthorization.objects.select_for_update().filter(
        person=person, revoked_at__isnull=True
    ):
        _mark_revoked(old, RevokedKind.REPLACED, "Replaced by a new authorisation.", acting_user)
        # ORCID asks integrations to keep one token per researcher and revoke the rest; after
        # the commit, so a failed connection keeps the old one working.
        revoke_later(old.access_token_encrypted)
    expires_at = timezone.now() + timedelta(seconds=grant.expires_in) if grant.expires_in else None
    authorization = OrcidAuthorization.objects.create(
        person=person,
        orcid=identifier.value,
        orcid_name=grant.name,
        scope=grant.scope,
        access_token_encrypted=crypto.encrypt(grant.access_token),
        refresh_token_encrypted=crypto.encrypt(grant.refresh_token),
        expires_at=expires_at,
        granted_by=acting_account(acting_user),
    )
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=authorization,
        person=person,
        after=snapshot(authorization, AUDITED),
    )
    return authorization


def revoke_later(encrypted_token: str) -> None:
    """Revoke a token at ORCID once the current transaction has committed (best effort: a
    token ORCID cannot be told about stays listed under the researcher's trusted parties)."""

    def revoke() -> None:
        try:
            with OrcidSession.from_settings() as orcid:
                orcid.revoke_token(crypto.decrypt(encrypted_token))
        except (OrcidError, crypto.TokenKeyError):
            log.warning("a replaced ORCID token could not be revoked at ORCID")

    transaction.on_commit(revoke)


def _mark_revoked(
    authorization: OrcidAuthorization, kind: RevokedKind, reason: str, acting_user: Actor
) -> None:
    before = snapshot(authorization, AUDITED)
    authorization.revoked_at = timezone.now()
    authorization.revoked_kind = kind
    authorization.revoked_reason = reason[:300]
    authorization.save(update_fields=["revoked_at", "revoked_kind", "revoked_reason"])
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=authorization,
        person=authorization.person,
        before=before,
        after=snapshot(authorization, AUDITED),
    )


@transaction.atomic
def do_disconnect_orcid(
    authorization: OrcidAuthorization,
    reason: str,
    *,
    kind: RevokedKind,
    acting_user: Actor,
) -> None:
    """Stop using the grant. The iD stays on the profile: it was proven to be the researcher's.
    `kind` says whether someone asked for it (a "Disconnect") or ORCID ended it (the reason
    then tells the researcher what to mend)."""
    locked = OrcidAuthorization.objects.select_for_update().get(pk=authorization.pk)
    if locked.revoked_at is None:
        _mark_revoked(locked, kind, reason, acting_user)


def active_authorization(person: Person) -> OrcidAuthorization | None:
    return OrcidAuthorization.objects.filter(person=person, revoked_at__isnull=True).first()
