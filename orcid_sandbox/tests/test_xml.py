"""Every XML document the registry writes validates against ORCID's own XSDs."""

from __future__ import annotations

import pytest
from django.test import Client as TestClient
from lxml import etree

from orcid_sandbox.models import AccessToken, Account, Client, OtherId, Work
from orcid_sandbox.tests.fixtures import JSON, call, make_token, work_payload
from orcid_sandbox.tests.xsd import MODEL, assert_valid

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

XML = "application/vnd.orcid+xml"

if not MODEL.exists():
    pytest.skip(
        f"ORCID's XSDs are not at {MODEL} (the shared folder beside the repository)",
        allow_module_level=True,
    )


@pytest.fixture
def seeded(
    client: TestClient, account: Account, portal_client: Client, scopus_client: Client
) -> tuple[AccessToken, AccessToken]:
    writer = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    scopus = make_token(account, scopus_client, "/activities/update /person/update")
    call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/work",
        writer,
        work_payload()
        | {"publication-date": {"year": {"value": "2006"}, "month": {"value": "04"}}},
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


def test_json_still_served_when_asked(client, account):
    assert client.get(f"/pub/v3.0/{account.orcid}/works", HTTP_ACCEPT=JSON).json()["group"] == []


@pytest.fixture
def full_record(
    client: TestClient, account: Account, seeded: tuple[AccessToken, AccessToken]
) -> tuple[AccessToken, AccessToken]:
    """Chris's record with every kind of item: works from two sources, Other IDs, links,
    keywords, other names, country, an employment."""
    writer, scopus = seeded
    account.other_names = "Wong, C.\nWong Tai Ming"
    account.keywords = "resource sharing\nlibraries"
    account.country = "HK"
    account.biography = "Librarian."
    account.save()
    call(client, "post", f"/api/v3.0/{account.orcid}/work", scopus, work_payload())
    call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/external-identifiers",
        scopus,
        {
            "external-id-type": "Scopus Author ID",
            "external-id-value": "98765432100",
            "external-id-url": {"value": "https://www.scopus.com/authid/detail.uri?authorId=9"},
            "external-id-relationship": "self",
        },
    )
    call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/researcher-urls",
        writer,
        {"url-name": "CityU Scholars", "url": {"value": "https://scholars.cityu.edu.hk/chris"}},
    )
    response = call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/employment",
        writer,
        {
            "department-name": "Run Run Shaw Library",
            "role-title": "Librarian",
            "start-date": {"year": {"value": "2001"}, "month": {"value": "09"}},
            "organization": {
                "name": "City University of Hong Kong",
                "address": {"city": "Kowloon", "country": "HK"},
                "disambiguated-organization": {
                    "disambiguated-organization-identifier": "53025",
                    "disambiguation-source": "RINGGOLD",
                },
            },
        },
    )
    assert response.status_code == 201, response.content
    return writer, scopus


def test_every_read_document_validates(client, account, full_record):
    # given: a record holding every kind of item
    writer, _ = full_record
    work = Work.objects.first()
    assert work is not None
    other_id = OtherId.objects.get()
    paths = [
        "",
        "record",
        "person",
        "activities",
        "works",
        f"work/{work.pk}",
        f"work/summary/{work.pk}",
        f"works/{work.pk},{work.pk + 1000}",
        "external-identifiers",
        f"external-identifiers/{other_id.pk}",
        "researcher-urls",
        f"researcher-urls/{account.researcher_urls.get().pk}",
        "keywords",
        "other-names",
        "employments",
        f"employment/{account.employments.get().pk}",
    ]
    for path in paths:
        for base, token in (("api", writer), ("pub", None)):
            # when
            response = call(
                client, "get", f"/{base}/v3.0/{account.orcid}/{path}", token, accept=XML
            )
            # then
            assert response.status_code == 200, (path, response.content)
            assert_valid(response.content)
    record = assert_valid(
        call(client, "get", f"/pub/v3.0/{account.orcid}/record", accept=XML).content
    )
    text = etree.tostring(record).decode()
    for expected in ("98765432100", "Wong Tai Ming", "resource sharing", "53025", "HK"):
        assert expected in text


def test_search_documents_validate(client, account, full_record):
    for path in ("search/?q=wong", "expanded-search/?q=wong"):
        response = client.get(f"/pub/v3.0/{path}", HTTP_ACCEPT=XML)
        assert response.status_code == 200, response.content
        document = assert_valid(response.content)
        assert document.get("num-found") == "1"


def test_deprecated_record_error_validates(client, account):
    account.primary_orcid = "0000-0002-1825-0097"
    account.save()
    response = client.get(f"/pub/v3.0/{account.orcid}/record", HTTP_ACCEPT=XML)
    assert response.status_code == 301
    assert (
        b"9007"
        in assert_valid(response.content)
        .findtext("{http://www.orcid.org/ns/error}error-code")
        .encode()
    )


def test_seeded_demo_records_validate_as_xml(client):
    # given: the registry seeded from a cast, as `seed-demo` does
    from orcid_sandbox.demo import seed_from_cast
    from orcid_sandbox.models import Account
    from orcid_sandbox.tests.fixtures import CAST

    seed_from_cast(CAST)
    # when / then: every section of every seeded record is valid ORCID XML
    for account in Account.objects.all():
        for path in ("record", "person", "activities", "works", "external-identifiers"):
            response = client.get(f"/pub/v3.0/{account.orcid}/{path}", HTTP_ACCEPT=XML)
            assert response.status_code == 200
            assert_valid(response.content)
        for work in account.works.all():
            response = client.get(f"/pub/v3.0/{account.orcid}/work/{work.pk}", HTTP_ACCEPT=XML)
            assert_valid(response.content)
