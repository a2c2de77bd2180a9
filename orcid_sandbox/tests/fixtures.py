"""Fixtures and helpers for tests that talk to the ORCID sandbox: accounts, clients, tokens,
API calls, and its WSGI app inside the test's transaction (registered in the root conftest)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client as TestClient

from orcid_sandbox import actions
from orcid_sandbox.models import AccessToken, Account, Client

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PASSWORD = "demo-orcid-password"
PORTAL_REDIRECT = "http://127.0.0.1:8000/backend/orcid/callback"


@pytest.fixture
def account() -> Account:
    return actions.do_create_account(
        email="chriswong@cityu.edu.hk",
        password=PASSWORD,
        given_names="Chris",
        family_name="WONG",
        credit_name="Chris WONG - demo",
        orcid="0000-0000-0000-0001",
    )


@pytest.fixture
def portal_client() -> Client:
    client, _ = actions.do_register_client(
        client_id="APP-SCHOLARHUBDEMO01",
        client_secret="portal-secret",
        name="CityU Scholars",
        website="http://127.0.0.1:8000",
        redirect_uris=[PORTAL_REDIRECT],
    )
    return client


@pytest.fixture
def scopus_client() -> Client:
    client, _ = actions.do_register_client(
        client_id="0000-0002-5982-8983",
        client_secret="scopus-secret",
        name="Scopus - Elsevier",
        website="http://127.0.0.1:8002",
        redirect_uris=["http://127.0.0.1:8002/orcid/callback"],
        allow_assertion_origin=True,
    )
    return client


def make_token(account: Account | None, client: Client, scope: str) -> AccessToken:
    return AccessToken.objects.create(
        access_token=str(uuid.uuid4()),
        refresh_token=str(uuid.uuid4()),
        client=client,
        account=account,
        scope=scope,
        expires_in=631138518,
    )


def in_test_transaction(urlconf: str | None = None) -> WSGIApplication:
    """This process's WSGI app for httpx.WSGITransport, inside the test's transaction, answering
    with `urlconf` when given (a test that serves two services in one process).

    Django's handler closes database connections when a request starts and ends; in a test
    that would end the test's transaction, so (as Django's own test client does) each call
    runs with that switched off, the response read to the end before it is switched back on.
    """
    from contextlib import nullcontext

    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections
    from django.test import override_settings

    application = get_wsgi_application()

    def in_test_transaction(
        environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            with override_settings(ROOT_URLCONF=urlconf) if urlconf else nullcontext():
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    response.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    return in_test_transaction


@pytest.fixture
def wsgi_app() -> WSGIApplication:
    """The service's WSGI app for httpx.WSGITransport, inside the test's transaction."""
    return in_test_transaction()


JSON = "application/vnd.orcid+json"


def work_payload(doi: str = "10.1108/02641610610669750", **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title": {"title": {"value": "User-initiated resource sharing in Hong Kong universities"}},
        "journal-title": {"value": "Interlending and Document Supply"},
        "type": "journal-article",
        "publication-date": {"year": {"value": "2006"}},
        "external-ids": {
            "external-id": [
                {
                    "external-id-type": "doi",
                    "external-id-value": doi,
                    "external-id-relationship": "self",
                },
                {
                    "external-id-type": "eid",
                    "external-id-value": "2-s2.0-33745291715",
                    "external-id-relationship": "self",
                },
            ]
        },
    }
    payload.update(changes)
    return payload


def call(
    client: TestClient,
    method: str,
    path: str,
    token: AccessToken | None = None,
    body: object = None,
    accept: str = JSON,
) -> TestResponse:
    headers = {"HTTP_ACCEPT": accept}
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token.access_token}"
    data = body if isinstance(body, str | bytes) else json.dumps(body) if body is not None else None
    send: Callable[..., TestResponse] = getattr(client, method)
    return send(path, data=data, content_type=JSON, **headers)


# A small cast file for the sandbox's seed-demo command.
CAST = {
    "institution": {"country": "HK"},
    "clients": [
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "client_secret": "s",
            "name": "CityU Scholars",
            "website": "http://127.0.0.1:8000",
            "redirect_uris": ["http://127.0.0.1:8000/cb"],
            "allow_assertion_origin": False,
        },
    ],
    "researchers": [
        {
            "given_names": "Chris",
            "family_name": "WONG",
            "credit_name": "Chris WONG - demo",
            "email": "chriswong@cityu.edu.hk",
            "orcid": "0000-0000-0000-0001",
            "orcid_password": "demo-orcid",
            "other_names": ["Wong, C."],
            "outputs": [
                {
                    "title": "HKALL",
                    "journal": "IDS",
                    "year": 2006,
                    "type": "journal-article",
                    "doi": "10.1108/02641610610669750",
                    "eid": "2-s2.0-33745291715",
                    "issn": "0264-1615",
                }
            ],
        },
    ],
}
