"""ORCID's official write samples (orcid-model) are accepted and read back equal; the one the
real API refuses (a work with only a part-of id) gets the real API's error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from orcid_sandbox import xml
from orcid_sandbox.models import AccessToken, Account, Client
from orcid_sandbox.parsing import value_of
from orcid_sandbox.tests.fixtures import make_token

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

SAMPLES = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "orcid-model"
    / "orcid-model"
    / "src"
    / "main"
    / "resources"
    / "record_3.0"
    / "samples"
    / "write_samples"
)
if not SAMPLES.exists():
    pytest.skip(
        f"ORCID's write samples are not at {SAMPLES} (the shared folder beside the repository)",
        allow_module_level=True,
    )

JSON = "application/vnd.orcid+json"
XML = "application/vnd.orcid+xml"
WORK_SAMPLES = [
    "work-simple-3.0.xml",
    "work-full-3.0.xml",
    "work-full-3.0.json",
    "work-51-contributors-3.0.json",
    "work-with-NISO-roles-51-contributors-3.0.json",
]
BULK_SAMPLES = [
    "bulk-work-3.0.xml",
    "bulk-work-3.0.json",
    "bulk-works-3-works-3.0.json",
    "bulk-works-100-works-3.0.json",
]
PERSON_SAMPLES = {
    "external-identifier-3.0.xml": "external-identifiers",
    "external-identifier-3.0.json": "external-identifiers",
    "researcher-url-3.0.xml": "researcher-urls",
    "researcher-url-3.0.json": "researcher-urls",
    "researcher-url-3.0-no-name.xml": "researcher-urls",
    "researcher-url-no-name-3.0.json": "researcher-urls",
    "employment-3.0.xml": "employment",
    "employment-3.0.json": "employment",
}


@pytest.fixture
def token(account: Account, portal_client: Client) -> AccessToken:
    return make_token(account, portal_client, "/activities/update /person/update /read-limited")


def load(name: str) -> Any:
    """A sample in JSON shape (XML samples read the way the server reads them)."""
    content = (SAMPLES / name).read_bytes()
    if name.endswith(".xml"):
        return xml.parse_body(content)
    return json.loads(content)


def post(client, account, token, endpoint: str, name: str):
    return client.post(
        f"/api/v3.0/{account.orcid}/{endpoint}",
        data=(SAMPLES / name).read_bytes(),
        content_type=XML if name.endswith(".xml") else JSON,
        HTTP_AUTHORIZATION=f"Bearer {token.access_token}",
        HTTP_ACCEPT=XML if name.endswith(".xml") else JSON,
    )


def read_back(client, token, location: str, as_xml: bool) -> Any:
    response = client.get(
        location.removeprefix("http://testserver"),
        HTTP_AUTHORIZATION=f"Bearer {token.access_token}",
        HTTP_ACCEPT=XML if as_xml else JSON,
    )
    assert response.status_code == 200, response.content
    if as_xml:
        return xml.element_to_json(etree.fromstring(response.content))
    return response.json()


def listed(node: Any, key: str) -> list[Any]:
    items = (node or {}).get(key) if isinstance(node, dict) else None
    if items is None:
        return []
    return items if isinstance(items, list) else [items]


def essence(work: dict[str, Any]) -> dict[str, Any]:
    """What a client wrote in a work, in a form both shapes (JSON, XML) reduce to."""
    title = work.get("title") or {}
    citation = work.get("citation") or {}
    date = work.get("publication-date") or {}
    return {
        "title": value_of(title.get("title")),
        "subtitle": value_of(title.get("subtitle")),
        "translated-title": value_of(title.get("translated-title")),
        "journal-title": value_of(work.get("journal-title")),
        "short-description": value_of(work.get("short-description")),
        "citation": (
            value_of(citation.get("citation-type")),
            str(citation.get("citation-value") or "").strip(),
        ),
        "type": value_of(work.get("type")),
        "date": tuple(value_of(date.get(part)) for part in ("year", "month", "day")),
        "ids": sorted(
            (
                value_of(item.get("external-id-type")),
                value_of(item.get("external-id-value")),
                value_of(item.get("external-id-url")),
                value_of(item.get("external-id-relationship")),
            )
            for item in listed(work.get("external-ids"), "external-id")
        ),
        "url": value_of(work.get("url")),
        "contributors": [
            (
                value_of((item.get("contributor-orcid") or {}).get("path")),
                value_of(item.get("credit-name")),
                value_of((item.get("contributor-attributes") or {}).get("contributor-sequence")),
                value_of((item.get("contributor-attributes") or {}).get("contributor-role")),
            )
            for item in listed(work.get("contributors"), "contributor")
        ],
        "language-code": value_of(work.get("language-code")),
        "country": value_of(work.get("country")),
    }


@pytest.mark.parametrize("name", WORK_SAMPLES)
def test_work_samples_are_accepted_and_read_back_equal(client, account, token, name):
    # given: one of ORCID's own work samples
    sample = load(name)
    # when: it is posted, then read back
    response = post(client, account, token, "work", name)
    # then
    assert response.status_code == 201, response.content
    stored = read_back(client, token, response["Location"], name.endswith(".xml"))
    assert essence(stored) == essence(sample)


@pytest.mark.parametrize("name", BULK_SAMPLES)
def test_bulk_samples_are_accepted_item_by_item(client, account, token, name):
    # given
    items = load(name)["bulk"]
    # when
    response = post(client, account, token, "works", name)
    # then: each item is the stored work, except works with no self id, refused with 9023
    assert response.status_code == 200, response.content
    if name.endswith(".xml"):
        results = xml.parse_body(response.content)["bulk"]
    else:
        results = response.json()["bulk"]
    assert len(results) == len(items)
    for item, result in zip(items, results, strict=True):
        relationships = {
            value_of(external_id.get("external-id-relationship"))
            for external_id in listed(item["work"].get("external-ids"), "external-id")
        }
        if "self" in relationships:
            assert "work" in result, result
            assert essence(result["work"]) == essence(item["work"])
        else:
            assert int(value_of(result["error"]["error-code"])) == 9023


@pytest.mark.parametrize(("name", "endpoint"), PERSON_SAMPLES.items())
def test_person_and_employment_samples_are_accepted(client, account, token, name, endpoint):
    # given
    sample = load(name)
    # when
    response = post(client, account, token, endpoint, name)
    # then
    assert response.status_code == 201, response.content
    stored = read_back(client, token, response["Location"], name.endswith(".xml"))
    if endpoint == "external-identifiers":
        keys = (
            "external-id-type",
            "external-id-value",
            "external-id-url",
            "external-id-relationship",
        )
        assert [value_of(stored.get(key)) for key in keys] == [
            value_of(sample.get(key)) for key in keys
        ]
    elif endpoint == "researcher-urls":
        assert value_of(stored.get("url")) == value_of(sample.get("url"))
        assert value_of(stored.get("url-name")) == value_of(sample.get("url-name"))
    else:
        for key in ("department-name", "role-title"):
            assert value_of(stored.get(key)) == value_of(sample.get(key))
        assert value_of(stored["organization"]["name"]) == value_of(sample["organization"]["name"])
        for part in ("year", "month", "day"):
            assert value_of((stored.get("start-date") or {}).get(part)) == value_of(
                (sample.get("start-date") or {}).get(part)
            )
