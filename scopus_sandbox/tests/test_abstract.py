"""Abstract Retrieval: one document by EID, Scopus ID, DOI or PubMed ID, in Scopus's JSON shape.

pybliometrics' AbstractRetrieval against a live sandbox is in test_pybliometrics.py; the portal's
ScopusSession against it in tests/integration/test_scopus_abstract.py.
"""

from __future__ import annotations

import pytest

from scopus_sandbox.models import Document
from scopus_sandbox.tests.fixtures import CHRIS_ID, HKALL_DOI, HKALL_EID

pytestmark = pytest.mark.django_db(databases=["scopus", "default"])

SCOPUS_ID = HKALL_EID.removeprefix("2-s2.0-")


def test_by_eid_in_the_meta_abs_view(client, world, api_key, headers):
    # given
    Document.objects.filter(scopus_id=SCOPUS_ID).update(abstract="HKALL lets users borrow.")
    # when
    response = client.get(f"/content/abstract/eid/{HKALL_EID}?view=META_ABS", headers=headers)
    # then
    assert response.status_code == 200
    body = response.json()["abstracts-retrieval-response"]
    core = body["coredata"]
    assert core["eid"] == HKALL_EID
    assert core["dc:identifier"] == f"SCOPUS_ID:{SCOPUS_ID}"
    assert core["prism:doi"] == HKALL_DOI
    assert core["prism:aggregationType"] == "Journal"
    assert core["subtype"] == "ar"
    assert core["prism:coverDate"].startswith("2006")
    assert core["openaccess"] in {"0", "1"}
    assert [link["@rel"] for link in core["link"]] == ["self", "scopus", "scopus-citedby"]
    assert core["link"][0]["@href"] == f"http://testserver/content/abstract/scopus_id/{SCOPUS_ID}"
    assert core["dc:description"] == "HKALL lets users borrow."
    authors = body["authors"]["author"]
    assert authors[0]["@auid"] == CHRIS_ID
    assert authors[0]["@seq"] == "1"
    assert authors[0]["ce:surname"] == "Wong"
    assert authors[0]["preferred-name"]["ce:given-name"] == "Chris"
    assert body["affiliation"][0]["@id"] == "60008592"
    assert body["language"] == {"@xml:lang": "eng"}
    assert response["X-RateLimit-Remaining"]


def test_the_default_view_meta_leaves_the_abstract_out(client, world, api_key, headers):
    Document.objects.filter(scopus_id=SCOPUS_ID).update(abstract="HKALL lets users borrow.")
    response = client.get(f"/content/abstract/eid/{HKALL_EID}", headers=headers)
    assert "dc:description" not in response.json()["abstracts-retrieval-response"]["coredata"]


@pytest.mark.parametrize(
    "path",
    [
        f"doi/{HKALL_DOI}",
        f"doi/{HKALL_DOI.upper()}",
        f"scopus_id/{SCOPUS_ID}",
        f"eid/{HKALL_EID}",
    ],
)
def test_every_identifier_finds_the_same_document(client, world, api_key, headers, path):
    response = client.get(f"/content/abstract/{path}", headers=headers)
    assert response.status_code == 200, response.content
    assert response.json()["abstracts-retrieval-response"]["coredata"]["eid"] == HKALL_EID


def test_by_pubmed_id_and_the_fields_a_document_may_carry(client, world, api_key, headers):
    # given: the document carries a PubMed ID, an ISBN, an article number, open access
    Document.objects.filter(scopus_id=SCOPUS_ID).update(
        pubmed_id="29284752",
        isbn="9780203881484",
        article_number="e012",
        publisher="Emerald",
        open_access=True,
        language="chi",
    )
    # when
    response = client.get("/content/abstract/pubmed_id/29284752?view=FULL", headers=headers)
    # then
    body = response.json()["abstracts-retrieval-response"]
    core = body["coredata"]
    assert (core["pubmed-id"], core["article-number"], core["dc:publisher"]) == (
        "29284752",
        "e012",
        "Emerald",
    )
    assert (core["openaccess"], core["openaccessFlag"]) == ("1", "true")
    assert body["language"]["@xml:lang"] == "chi"
    source = body["item"]["bibrecord"]["head"]["source"]
    assert source["isbn"] == [{"$": "9780203881484", "@length": "13"}]
    assert source["issn"][0]["@type"] == "print"
    groups = body["item"]["bibrecord"]["head"]["author-group"]
    assert groups[0]["affiliation"]["@afid"] == "60008592"
    assert groups[0]["author"][0]["@auid"] == CHRIS_ID


def test_entitled_and_ref_views(client, world, api_key, headers):
    entitled = client.get(f"/content/abstract/eid/{HKALL_EID}?view=ENTITLED", headers=headers)
    assert entitled.json()["document-entitlement"]["status"] == "ENTITLED"
    ref = client.get(f"/content/abstract/eid/{HKALL_EID}?view=REF", headers=headers)
    assert ref.json()["abstracts-retrieval-response"]["references"]["@total-references"] == "0"


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("eid/2-s2.0-99999999999", 404, "cannot be found"),
        ("doi/10.9999/nothing-here", 404, "cannot be found"),
        ("pii/S0306437915000460", 404, "cannot be found"),
        ("pubmed_id/1", 404, "cannot be found"),
        ("eid/33745291715", 400, "Invalid eid"),
        ("eid/2-s2.0-1%00", 400, "Invalid eid"),
        ("scopus_id/²³", 400, "Invalid scopus_id"),
        ("scopus_id/" + "9" * 5000, 400, "Invalid scopus_id"),
        ("doi/not-a-doi", 400, "Invalid DOI"),
        ("doi/10." + "x" * 400 + "/y", 400, "Invalid DOI"),
        (f"eid/{HKALL_EID}?view=BANANA", 400, "is not valid"),
        ("isbn/9780203881484", 404, "does not serve"),
    ],
)
def test_bad_and_unknown_identifiers_get_service_errors(
    client, world, api_key, headers, path, status, text
):
    response = client.get(f"/content/abstract/{path}", headers=headers)
    assert response.status_code == status
    assert text in response.json()["service-error"]["status"]["statusText"]


def test_a_key_is_required_and_counted(client, world, api_key, headers):
    assert client.get(f"/content/abstract/eid/{HKALL_EID}").status_code == 401
    first = client.get(f"/content/abstract/eid/{HKALL_EID}", headers=headers)
    second = client.get(f"/content/abstract/eid/{HKALL_EID}", headers=headers)
    assert int(second["X-RateLimit-Remaining"]) == int(first["X-RateLimit-Remaining"]) - 1
