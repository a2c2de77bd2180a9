"""Content negotiation on the API: ORCID's six types, XML when Accept is missing or */*, the
caller's q-values, and 406 in ORCID's error shape."""

from __future__ import annotations

import json

import pytest
from lxml import etree

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

VND_XML = "application/vnd.orcid+xml"
VND_JSON = "application/vnd.orcid+json"


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        (None, VND_XML),
        ("", VND_XML),
        ("*/*", VND_XML),
        ("application/*", VND_XML),
        ("application/vnd.orcid+xml", VND_XML),
        ("application/orcid+xml", VND_XML),
        ("application/xml", VND_XML),
        ("application/vnd.orcid+json", VND_JSON),
        ("application/orcid+json", VND_JSON),
        ("application/json", VND_JSON),
        ("application/json, */*;q=0.1", VND_JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", VND_XML),
        ("application/json;q=0.5, application/xml", VND_XML),
        ("application/xml;q=0.5, application/json", VND_JSON),
        ("application/json, application/xml", VND_XML),  # a tie: ORCID prefers XML
        ("APPLICATION/JSON", VND_JSON),
        ("application/json; charset=utf-8", VND_JSON),
        ("application/xml;q=0, application/json;q=0.1", VND_JSON),
        ("application/json;q=abc, application/xml;q=0.2", VND_XML),
        ("*/*;q=0.1, application/orcid+json", VND_JSON),
    ],
)
def test_the_representation_follows_accept(client, account, accept, kind):
    # when
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = client.get(f"/pub/v3.0/{account.orcid}/record", **headers)
    # then: the body is what the Content-Type says
    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)
    if kind == VND_JSON:
        assert json.loads(response.content)["path"] == f"/{account.orcid}"
    else:
        assert etree.fromstring(response.content).tag == "{http://www.orcid.org/ns/record}record"


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        "image/png, text/*",
        "application/json;q=0",
        "application/json;q=0, application/xml;q=0, */*;q=0",
        "application/pdf",
        "\x00",
        ";;;,,,",
        "a" * 10_000,
    ],
)
def test_nothing_acceptable_is_406_in_orcids_error_shape(client, account, accept):
    response = client.get(f"/pub/v3.0/{account.orcid}/works", HTTP_ACCEPT=accept)
    assert response.status_code == 406
    document = etree.fromstring(response.content)
    assert document.findtext("{http://www.orcid.org/ns/error}response-code") == "406"


def test_errors_follow_the_negotiated_type(client, account):
    as_json = client.get(f"/pub/v3.0/{account.orcid}/work/99", HTTP_ACCEPT="application/json")
    as_xml = client.get(f"/pub/v3.0/{account.orcid}/work/99")
    assert as_json.json()["error-code"] == 9016
    assert (
        etree.fromstring(as_xml.content).findtext("{http://www.orcid.org/ns/error}error-code")
        == "9016"
    )


def test_search_negotiates_too(client, account):
    assert client.get("/pub/v3.0/search/?q=wong")["Content-Type"].startswith(VND_XML)
    response = client.get("/pub/v3.0/search/?q=wong", HTTP_ACCEPT="application/json")
    assert response.json()["num-found"] == 1
    assert client.get("/pub/v3.0/search/?q=wong", HTTP_ACCEPT="text/html").status_code == 406
