"""The data migration that encrypts the ORCID tokens wizard sessions held in plain text."""

from __future__ import annotations

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from scopus_sandbox import crypto
from scopus_sandbox.database import scopus_alias

BEFORE = [("scopus_sandbox", "0002_abstract_retrieval_fields")]
AFTER = [("scopus_sandbox", "0003_encrypted_orcid_tokens")]


@pytest.mark.django_db(databases=["scopus", "default"], transaction=True)
def test_plain_tokens_are_encrypted_in_place():
    # given: the sandbox's database before the migration, with a signed-in session's plain token
    alias = scopus_alias()
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    profile = (
        old.get_model("scopus_sandbox", "AuthorProfile")
        .objects.using(alias)
        .create(author_id="98765432100", surname="Wong")
    )
    sessions = old.get_model("scopus_sandbox", "WizardSession").objects.using(alias)
    sessions.create(
        token="t1", start_profile=profile, orcid="0000-0000-0000-0001", access_token="plain-1"
    )
    sessions.create(token="t2", start_profile=profile)  # never signed in
    try:
        # when
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        # then: the plain column is gone, the token readable only through the key
        new = executor.loader.project_state(AFTER).apps
        rows = {
            s.token: s.access_token_encrypted
            for s in new.get_model("scopus_sandbox", "WizardSession").objects.using(alias)
        }
        assert "plain-1" not in rows["t1"]
        assert crypto.decrypt(rows["t1"]) == "plain-1"
        assert rows["t2"] == ""
        with connection.cursor() as cursor:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(
                    cursor, "scopus_sandbox_wizardsession"
                )
            ]
        assert "access_token" not in columns
    finally:
        # leave the database as the other tests expect it
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("scopus_sandbox"))
