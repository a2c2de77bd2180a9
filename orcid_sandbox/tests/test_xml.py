"""Every XML document the registry writes validates against ORCID's own XSDs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from orcid_sandbox.models import OtherId, Work
from orcid_sandbox.tests.conftest import make_token
from orcid_sandbox.tests.test_api import JSON, call, work_payload

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

MODEL = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "orcid-model"
    / "orcid-model"
    / "src"
    / "main"
    / "resources"
)
SCHEMAS = {
    "http://www.orcid.org/ns/activities": "record_3.0/activities-3.0.xsd",
    "http://www.orcid.org/ns/work": "record_3.0/work-3.0.xsd",
    "http://www.orcid.org/ns/external-identifier": "record_3.0/person-external-identifier-3.0.xsd",
    "http://www.orcid.org/ns/error": "record_3.0/error-3.0.xsd",
    "http://www.orcid.org/ns/bulk": "record_3.0/bulk-3.0.xsd",
}
XML = "application/vnd.orcid+xml"

if not MODEL.exists():
    pytest.skip(
        f"ORCID's XSDs are not at {MODEL} (the shared folder beside the repository)",
        allow_module_level=True,
    )


def assert_valid(content: bytes) -> etree._Element:
    document = etree.fromstring(content)
    namespace = etree.QName(document).namespace
    schema = etree.XMLSchema(etree.parse(str(MODEL / SCHEMAS[namespace])))
    assert schema.validate(document), schema.error_log
    return document


@pytest.fixture
def seeded(client, account, portal_client, scopus_client):
    writer = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    scopus = make_token(account, scopus_client, "/activities/update /person/update")
    call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/work",
        writer,
        work_payload(**{"publication-date": {"year": {"value": "2006"}, "month": {"value": "04"}}}),
    )
    return writer, scopus


@pytest.mark.parametrize("accept", [XML, "application/xml", "application/orcid+xml", "*/*", None])
def test_works_xml_validates(client, account, seeded, accept):
    writer, scopus = seeded
    call(client, "post", f"/api/v3.0/{account.orcid}/work", scopus, work_payload())
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get(f"/pub/v3.0/{account.orcid}/works", **headers)
    assert response["Content-Type"].startswith("application/vnd.orcid+xml")
    document = assert_valid(response.content)
    summaries = document.findall(".//{http://www.orcid.org/ns/work}work-summary")
    assert len(summaries) == 2


def test_work_external_ids_bulk_and_error_xml_validate(client, account, seeded):
    writer, scopus = seeded
    work = Work.objects.get()
    assert_valid(
        call(client, "get", f"/api/v3.0/{account.orcid}/work/{work.pk}", writer, accept=XML).content
    )
    call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/external-identifiers",
        scopus,
        {
            "external-id-type": "Scopus Author ID",
            "external-id-value": "98765432100",
            "external-id-url": {
                "value": "http://www.scopus.com/inward/authorDetails.url?authorID=98765432100&partnerID=MN8TOARS"
            },
            "external-id-relationship": "self",
        },
    )
    assert OtherId.objects.exists()
    assert_valid(
        call(
            client, "get", f"/api/v3.0/{account.orcid}/external-identifiers", writer, accept=XML
        ).content
    )
    bulk = call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/works",
        writer,
        {"bulk": [{"work": work_payload()}, {"work": work_payload(doi="10.1000/new")}]},
        accept=XML,
    )
    document = assert_valid(bulk.content)
    assert document.find("{http://www.orcid.org/ns/error}error") is not None
    error = call(client, "get", f"/pub/v3.0/{account.orcid}/work/999999", accept=XML)
    assert error.status_code == 404
    assert_valid(error.content)
    assert_valid(
        call(
            client, "get", f"/api/v3.0/{account.orcid}/works/{work.pk},999", writer, accept=XML
        ).content
    )


def test_documents_without_xml_yet_say_so_in_valid_xml(client, account):
    response = client.get(f"/pub/v3.0/{account.orcid}/record", HTTP_ACCEPT=XML)
    assert response.status_code == 406
    assert b"served as JSON only" in assert_valid_error(response.content)


def assert_valid_error(content: bytes) -> bytes:
    assert_valid(content)
    return content


def test_json_still_served_when_asked(client, account):
    assert client.get(f"/pub/v3.0/{account.orcid}/works", HTTP_ACCEPT=JSON).json()["group"] == []
