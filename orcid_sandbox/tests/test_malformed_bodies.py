"""Bodies no parser should choke on (issue 8.4): ORCID's 4xx error document, never a 500, and
nothing stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.test import Client as TestClient
from lxml import etree

from orcid_sandbox import actions
from orcid_sandbox.models import (
    AccessToken,
    Account,
    Affiliation,
    Client,
    Employment,
    Funding,
    OtherId,
    ResearcherUrl,
    Work,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

JSON = "application/vnd.orcid+json"
XML = "application/vnd.orcid+xml"
ERROR = "{http://www.orcid.org/ns/error}"
WRITES = [
    ("post", "work"),
    ("post", "works"),
    ("put", "work/1"),
    ("post", "external-identifiers"),
    ("post", "researcher-urls"),
    ("post", "employment"),
    ("put", "employment/1"),
    ("post", "funding"),
    ("put", "funding/1"),
    ("post", "distinction"),
    ("put", "membership/1"),
]
MALFORMED_JSON = {
    "100,000 [": b"[" * 100_000,
    "100,000 {": b'{"a":' * 100_000,
    "5,000-digit integer": b'{"put-code": ' + b"9" * 5_000 + b"}",
    "5,000-digit integer in a bulk": b'{"bulk": [' + b"1" * 5_000 + b"]}",
    "NaN": b'{"put-code": NaN}',
    "a float out of range": b'{"put-code": 1e400}',
    "nested 900 deep": b'{"title": ' + b"[" * 900 + b"]" * 900 + b"}",
    "Infinity": b'{"put-code": Infinity, "title": {"title": {"value": "x"}}}',
    "invalid UTF-8": b'{"title": "\xc3\x28"}',
    "UTF-16 byte order mark": '{"title": 1}'.encode("utf-16"),
    "a megabyte string": json.dumps({"title": {"title": {"value": "x" * 1_000_000}}}).encode(),
    "a lone surrogate": b'{"title": {"title": {"value": "\\ud800"}}}',
}
MALFORMED_XML = {
    "nested 10,000 deep": b"<a>" * 10_000 + b"</a>" * 10_000,
    "unclosed": b"<work:work xmlns:work='http://www.orcid.org/ns/work'>",
    "invalid UTF-8": b"<?xml version='1.0' encoding='UTF-8'?><a>\xc3\x28</a>",
    "entity expansion": (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx">'
        b'<!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]><a>&y;&y;&y;</a>'
    ),
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>'
    ),
    "not XML at all": b"{}",
}


@pytest.fixture
def writer(account: Account, portal_client: Client) -> AccessToken:
    return actions.do_issue_token(
        account, portal_client, "/activities/update /person/update /read-limited"
    )


def send(
    client: TestClient,
    account: Account,
    token: AccessToken,
    method: str,
    path: str,
    body: str | bytes | None,
    content_type: str,
    accept: str = JSON,
) -> TestResponse:
    request: Callable[..., TestResponse] = getattr(client, method)
    return request(
        f"/api/v3.0/{account.orcid}/{path}",
        data=body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {token.access_token}",
        HTTP_ACCEPT=accept,
    )


def assert_nothing_stored() -> None:
    assert not Work.objects.exists()
    assert not OtherId.objects.exists()
    assert not ResearcherUrl.objects.exists()
    assert not Employment.objects.exists()
    assert not Funding.objects.exists()
    assert not Affiliation.objects.exists()


@pytest.mark.parametrize("body", MALFORMED_JSON.values(), ids=MALFORMED_JSON.keys())
@pytest.mark.parametrize(("method", "path"), WRITES)
def test_malformed_json_is_a_400_in_orcids_shape(client, account, writer, method, path, body):
    # given: a work to PUT to, so that the body is read rather than the put-code refused
    if method == "put":
        path = path.replace("/1", f"/{prepared_item(account, writer, path)}")
    # when
    response = send(client, account, writer, method, path, body, JSON)
    # then
    assert 400 <= response.status_code < 500, response.content[:300]
    if path == "works" and response.status_code == 200:  # a bulk refuses item by item
        assert all("error" in item for item in response.json()["bulk"])
    else:
        document = response.json()
        assert document["response-code"] == response.status_code
        assert isinstance(document["error-code"], int)
        assert document["developer-message"]
    if method == "post":
        assert_nothing_stored()


def prepared_item(account: Account, token: AccessToken, path: str) -> int:
    """The put-code of an item the token's client wrote, for a PUT to read its body."""
    if path.startswith("work"):
        work = Work.objects.create(
            account=account,
            source_client=token.client,
            title="Before",
            work_type="book",
            external_ids=[{"type": "doi", "value": "10.1/x", "url": "", "relationship": "self"}],
        )
        return work.pk
    organization = {"organization_name": "CityU", "city": "HK", "country": "HK"}
    if path.startswith("funding"):
        funding = Funding.objects.create(
            account=account, source_client=token.client, title="Before", **organization
        )
        return funding.pk
    if path.startswith("membership"):
        membership = Affiliation.objects.create(
            account=account, source_client=token.client, section="membership", **organization
        )
        return membership.pk
    employment = Employment.objects.create(
        account=account,
        source_client=token.client,
        organization_name="CityU",
        city="HK",
        country="HK",
    )
    return employment.pk


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("100,000 [", b"[" * 100_000),
        ("5,000-digit integer", b'{"put-code": ' + b"9" * 5_000 + b"}"),
    ],
)
def test_the_two_bodies_that_were_500s_name_the_problem(client, account, writer, name, body):
    # when
    response = send(client, account, writer, "post", "work", body, JSON)
    # then
    assert response.status_code == 400
    assert response.json()["error-code"] == 9001
    assert "invalid JSON" in response.json()["developer-message"]


@pytest.mark.parametrize("body", MALFORMED_XML.values(), ids=MALFORMED_XML.keys())
@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "work"), ("post", "works"), ("post", "funding"), ("post", "service")],
)
def test_malformed_xml_is_a_400_in_orcids_xml(client, account, writer, method, path, body):
    # when
    response = send(client, account, writer, method, path, body, XML, accept=XML)
    # then
    assert 400 <= response.status_code < 500, response.content[:300]
    document = etree.fromstring(response.content)
    assert document.findtext(f"{ERROR}response-code") == str(response.status_code)
    assert_nothing_stored()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "image/png", "application/octet-stream"],
)
def test_a_body_of_another_type_is_415(client, account, writer, content_type):
    # given: a work that would be accepted as JSON
    body = json.dumps({"title": {"title": {"value": "A"}}})
    # when
    response = send(client, account, writer, "post", "work", body, content_type)
    # then
    assert response.status_code == 415
    assert "Unsupported Media Type" in response.json()["developer-message"]
    assert_nothing_stored()


def test_a_body_over_the_limit_is_413(client, account, writer):
    # given: more than Django reads into memory, and more than the API's own limit
    body = b'{"title": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    # when
    response = send(client, account, writer, "post", "work", body, JSON)
    # then
    assert response.status_code == 413
    assert response.json()["error-code"] == 9006


@pytest.mark.parametrize("put_code", ["9" * 5_000, "²", "¹2", "1e3", "-1", "0x10"])
def test_odd_put_codes_in_the_path_are_4xx(client, account, writer, put_code):
    # when
    answers = [
        send(client, account, writer, "get", f"work/{put_code}", None, JSON),
        send(client, account, writer, "delete", f"employment/{put_code}", None, JSON),
        send(client, account, writer, "delete", f"funding/{put_code}", None, JSON),
        send(client, account, writer, "get", f"service/{put_code}", None, JSON),
        send(client, account, writer, "get", f"works/{put_code},1", None, JSON),
    ]
    # then
    for answer in answers:
        assert answer.status_code in (200, 400, 404), answer.content[:200]
        assert answer.status_code == 200 or answer.json()["error-code"] in (9034, 9016)
