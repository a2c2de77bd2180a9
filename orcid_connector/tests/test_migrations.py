"""The data migration that gives each ended ORCID authorisation the kind its reason told."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from orcid_connector.choices import RevokedKind
from portal.tests.fixtures import make_person

BEFORE = [("orcid_connector", "0007_sent_marks")]
AFTER = [("orcid_connector", "0009_revoked_kind_constraint")]

REASONS = {
    "Disconnected in the portal; revoked at ORCID.": RevokedKind.DISCONNECTED,
    "Disconnected in the portal; ORCID was not told: timed out": RevokedKind.DISCONNECTED,
    "Replaced by a new authorisation.": RevokedKind.REPLACED,
    "ORCID refused the access token during export (invalid_token); reconnect needed.": (
        RevokedKind.TOKEN_REFUSED
    ),
    "The ORCID record was merged into 0000-0000-0000-0028; reconnect with the current iD.": (
        RevokedKind.RECORD_GONE
    ),
    "": RevokedKind.RECORD_GONE,  # an ended row with no reason was not asked for either
}


@pytest.mark.django_db(transaction=True)
def test_ended_authorizations_get_the_kind_their_reason_told() -> None:
    # given: the connector's tables before the kind, with one live and several ended grants
    person = make_person()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    authorizations = old.get_model("orcid_connector", "OrcidAuthorization").objects
    ended = {
        reason: authorizations.create(
            person_id=person.pk,
            orcid="0000-0002-1825-0097",
            scope="/read-limited",
            access_token_encrypted="x",
            revoked_at=timezone.now(),
            revoked_reason=reason,
        ).pk
        for reason in REASONS
    }
    live = authorizations.create(
        person_id=person.pk, orcid="0000-0002-1825-0097", scope="/read-limited"
    ).pk
    try:
        # when
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        # then
        new = executor.loader.project_state(AFTER).apps
        kinds = dict(
            new.get_model("orcid_connector", "OrcidAuthorization").objects.values_list(
                "pk", "revoked_kind"
            )
        )
        assert {reason: kinds[pk] for reason, pk in ended.items()} == REASONS
        assert kinds[live] == ""
    finally:
        # leave the database as the other tests expect it
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
