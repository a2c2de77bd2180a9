"""The sandboxes served in-process to the portal's connectors, over httpx's WSGI transport.

Each sandbox answers with its own URLconf, inside the test's transaction, as Django's test
client does: Django's handler would otherwise close the connections the test is using.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pytest_django.fixtures import Settings

from orcid_connector.client import OrcidSession
from orcid_sandbox import actions as registry
from orcid_sandbox.models import Account, Client
from orcid_sandbox.tests.fixtures import in_test_transaction
from portal.models import Person
from portal.tests.fixtures import make_person
from tests.integration.fixtures import CHRIS_ORCID, PORTAL_CLIENT_ID, connect_with_sandbox_token


def in_process(urlconf: str) -> httpx.WSGITransport:
    return httpx.WSGITransport(app=in_test_transaction(urlconf))


@pytest.fixture(autouse=True)
def sandboxes(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the connectors at both sandboxes; no waiting between retries."""
    settings.ORCID_API_URL = "http://testserver/api/v3.0"
    settings.SCOPUS_API_URL = "http://testserver/content"
    settings.SCOPUS_SANDBOX_BASE_URL = "http://testserver"
    settings.ORCID_SANDBOX_RATE_LIMIT = 0
    settings.ORCID_EXPORT_RATE = 0
    settings.ORCID_HTTP_TRANSPORT = in_process("config.urls_orcid")
    settings.SCOPUS_HTTP_TRANSPORT = in_process("config.urls_scopus")


@pytest.fixture
def orcid_session(settings: Settings) -> Iterator[OrcidSession]:
    """The portal's ORCID session on the in-process sandbox, not waiting between retries."""
    with OrcidSession.from_settings(sleep=lambda seconds: None) as session:
        yield session


@pytest.fixture(autouse=True)
def portal_client_id(settings: Settings) -> None:
    settings.ORCID_CLIENT_ID = PORTAL_CLIENT_ID


@pytest.fixture
def account() -> Account:
    return registry.do_create_account(
        email="chriswong@cityu.edu.hk",
        password="demo-orcid",
        given_names="Chris",
        family_name="WONG",
        orcid=CHRIS_ORCID,
    )


@pytest.fixture
def portal_client() -> Client:
    client, _ = registry.do_register_client(
        client_id=PORTAL_CLIENT_ID,
        client_secret="portal-secret",
        name="CityU Scholars",
        website="http://127.0.0.1:8000",
        redirect_uris=["http://127.0.0.1:8000/backend/orcid/callback"],
    )
    return client


@pytest.fixture
def chris(account: Account, portal_client: Client) -> Person:
    """Chris, connected: a token issued by the sandbox, held encrypted by the portal."""
    person = make_person()
    connect_with_sandbox_token(person, account, portal_client)
    return person
