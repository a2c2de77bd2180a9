"""Fundings and the affiliation sections beside employment (distinctions, educations, invited
positions, memberships, qualifications, services): stored and served as ORCID does, in JSON and
XML valid against ORCID's XSDs, with ORCID's validation and error codes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as TestClient

from orcid_sandbox.models import AccessToken, Account, Affiliation, Client, Funding
from orcid_sandbox.tests.fixtures import PASSWORD, call, make_token
from orcid_sandbox.tests.xsd import MODEL, assert_valid

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

XML = "application/vnd.orcid+xml"
SECTIONS = [
    "distinction",
    "education",
    "invited-position",
    "membership",
    "qualification",
    "service",
]


@pytest.fixture
def writer(account: Account, portal_client: Client) -> AccessToken:
    return make_token(account, portal_client, "/activities/update /read-limited")


@pytest.fixture
def scopus(account: Account, scopus_client: Client) -> AccessToken:
    return make_token(account, scopus_client, "/activities/update")


def organization(**changes: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "name": "Research Grants Council",
        "address": {"city": "Wan Chai", "country": "HK"},
        "disambiguated-organization": {
            "disambiguated-organization-identifier": "https://ror.org/00a6xyz12",
            "disambiguation-source": "ROR",
        },
    }
    node.update(changes)
    return node


def funding(grant: str = "CityU 11200323", **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "grant",
        "title": {"title": {"value": "Resource sharing among Hong Kong libraries"}},
        "short-description": "A shared catalogue for eight universities.",
        "amount": {"value": "850000", "currency-code": "HKD"},
        "start-date": {"year": {"value": "2023"}, "month": {"value": "09"}},
        "end-date": {"year": {"value": "2026"}, "month": {"value": "08"}},
        "external-ids": {
            "external-id": [
                {
                    "external-id-type": "grant_number",
                    "external-id-value": grant,
                    "external-id-relationship": "self",
                },
                {
                    "external-id-type": "source-work-id",
                    "external-id-value": "scholarhub-project-1",
                    "external-id-relationship": "self",
                },
            ]
        },
        "contributors": {
            "contributor": [
                {
                    "contributor-orcid": {"path": "0000-0000-0000-0001"},
                    "credit-name": {"value": "Chris WONG"},
                    "contributor-attributes": {"contributor-role": "lead"},
                }
            ]
        },
        "organization": organization(),
    }
    payload.update(changes)
    return payload


def affiliation(key: str = "scholarhub-prize-1", **changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "role-title": "Outstanding Librarian Award",
        "start-date": {"year": {"value": "2024"}, "month": {"value": "05"}, "day": {"value": "02"}},
        "organization": organization(name="Hong Kong Library Association"),
        "url": {"value": "https://www.hkla.org/award"},
        "external-ids": {
            "external-id": [
                {
                    "external-id-type": "source-work-id",
                    "external-id-value": key,
                    "external-id-relationship": "self",
                }
            ]
        },
    }
    payload.update(changes)
    return payload


def api(account: Account, rest: str) -> str:
    return f"/api/v3.0/{account.orcid}/{rest}"


# --- fundings ------------------------------------------------------------------------------------


def test_funding_post_read_update_delete(
    client: TestClient, account: Account, writer: AccessToken
) -> None:
    # when
    response = call(client, "post", api(account, "funding"), writer, funding())
    # then: 201 with the put-code in Location, readable alone and in the grouped listing
    assert response.status_code == 201
    item = Funding.objects.get()
    assert response["Location"].endswith(f"/v3.0/{account.orcid}/funding/{item.pk}")
    document = call(client, "get", api(account, f"funding/{item.pk}"), writer).json()
    assert document["title"]["title"]["value"] == "Resource sharing among Hong Kong libraries"
    assert document["amount"] == {"value": "850000", "currency-code": "HKD"}
    assert document["source"]["source-client-id"]["path"] == "APP-SCHOLARHUBDEMO01"
    assert document["contributors"]["contributor"][0]["contributor-attributes"] == {
        "contributor-role": "lead"
    }
    listing = call(client, "get", f"/pub/v3.0/{account.orcid}/fundings").json()
    assert [len(group["funding-summary"]) for group in listing["group"]] == [1]
    assert listing["group"][0]["funding-summary"][0]["put-code"] == item.pk
    # when: the source replaces it
    changed = funding() | {"put-code": item.pk, "type": "award"}
    updated = call(client, "put", api(account, f"funding/{item.pk}"), writer, changed)
    # then
    assert updated.status_code == 200
    assert updated.json()["type"] == "award"
    # when: the source deletes it
    deleted = call(client, "delete", api(account, f"funding/{item.pk}"), writer)
    # then
    assert deleted.status_code == 204
    assert call(client, "get", api(account, f"funding/{item.pk}"), writer).status_code == 404


def test_fundings_group_by_shared_grant_number_across_sources(
    client: TestClient, account: Account, writer: AccessToken, scopus: AccessToken
) -> None:
    # given: the portal and another source both list the same grant; a third grant alone
    call(client, "post", api(account, "funding"), writer, funding())
    call(client, "post", api(account, "funding"), scopus, funding())
    call(
        client,
        "post",
        api(account, "funding"),
        writer,
        funding(
            "OTHER 1",
            **{
                "external-ids": {
                    "external-id": [
                        {
                            "external-id-type": "grant_number",
                            "external-id-value": "OTHER 1",
                            "external-id-relationship": "self",
                        }
                    ]
                }
            },
        ),
    )
    # when
    listing = call(client, "get", f"/pub/v3.0/{account.orcid}/fundings").json()
    # then: two groups, the shared grant holding both sources
    sizes = sorted(len(group["funding-summary"]) for group in listing["group"])
    assert sizes == [1, 2]
    shared = next(g for g in listing["group"] if len(g["funding-summary"]) == 2)
    sources = {s["source"]["source-name"]["value"] for s in shared["funding-summary"]}
    assert sources == {"CityU Scholars", "Scopus - Elsevier"}
    # and the activities summary carries the same section
    activities = call(client, "get", f"/pub/v3.0/{account.orcid}/activities").json()
    assert len(activities["fundings"]["group"]) == 2


def test_funding_duplicate_self_id_is_409_9021_with_the_put_code(
    client: TestClient, account: Account, writer: AccessToken, scopus: AccessToken
) -> None:
    # given
    call(client, "post", api(account, "funding"), writer, funding())
    first = Funding.objects.get()
    # when: the same source posts it again; another source posts the same grant
    again = call(client, "post", api(account, "funding"), writer, funding())
    other = call(client, "post", api(account, "funding"), scopus, funding())
    # then
    assert again.status_code == 409
    assert again.json()["error-code"] == 9021
    assert f"put-code {first.pk}" in again.json()["developer-message"]
    assert other.status_code == 201
    # and a PUT that would duplicate another of its fundings is refused too
    call(
        client,
        "post",
        api(account, "funding"),
        writer,
        funding(
            "B-2",
            **{
                "external-ids": {
                    "external-id": [
                        {
                            "external-id-type": "grant_number",
                            "external-id-value": "B-2",
                            "external-id-relationship": "self",
                        }
                    ]
                }
            },
        ),
    )
    second = Funding.objects.get(title__isnull=False, external_ids__0__value="B-2")
    clash = funding() | {"put-code": second.pk}
    assert (
        call(client, "put", api(account, f"funding/{second.pk}"), writer, clash).status_code == 409
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"title": {"title": {"value": ""}}}, 9022),
        ({"title": None}, 9022),
        ({"type": "gift"}, 9037),
        ({"type": None}, 9037),
        ({"external-ids": {"external-id": []}}, 9023),
        ({"external-ids": None}, 9023),
        (
            {
                "external-ids": {
                    "external-id": [
                        {
                            "external-id-type": "made-up",
                            "external-id-value": "1",
                            "external-id-relationship": "self",
                        }
                    ]
                }
            },
            9023,
        ),
        ({"amount": {"value": "12", "currency-code": ""}}, 9020),
        ({"amount": {"value": "", "currency-code": "HKD"}}, 9020),
        ({"amount": {"value": "lots", "currency-code": "HKD"}}, 9054),
        ({"organization": None}, 9046),
        ({"organization": organization(**{"disambiguated-organization": None})}, 9045),
        ({"start-date": None}, 9050),
        ({"start-date": {"year": {"value": "2023"}, "month": {"value": "13"}}}, 9049),
        ({"end-date": {"year": {"value": "2001"}}}, 9055),
        ({"put-code": 12}, 9024),
        (
            {
                "contributors": {
                    "contributor": [{"contributor-attributes": {"contributor-role": "boss"}}]
                }
            },
            9058,
        ),
        ({"title": {"title": {"value": "x" * 1001}}}, 9020),
        ({"url": {"value": "javascript:alert(1)"}}, 9020),
    ],
)
def test_funding_validation_errors(
    client: TestClient, account: Account, writer: AccessToken, changes: dict[str, Any], code: int
) -> None:
    # when
    response = call(client, "post", api(account, "funding"), writer, funding(**changes))
    # then
    assert response.status_code == 400, response.content
    assert response.json()["error-code"] == code
    assert not Funding.objects.exists()


def test_funding_put_rules(
    client: TestClient, account: Account, writer: AccessToken, scopus: AccessToken
) -> None:
    # given
    call(client, "post", api(account, "funding"), writer, funding())
    item = Funding.objects.get()
    url = api(account, f"funding/{item.pk}")
    # when / then: put-code mismatch, missing, not the source, visibility change, absent
    assert (
        call(client, "put", url, writer, funding() | {"put-code": item.pk + 1}).json()["error-code"]
        == 9019
    )
    assert call(client, "put", url, writer, funding()).json()["error-code"] == 9019
    foreign = call(client, "put", url, scopus, funding() | {"put-code": item.pk})
    assert (foreign.status_code, foreign.json()["error-code"]) == (403, 9010)
    hiding = call(
        client, "put", url, writer, funding() | {"put-code": item.pk, "visibility": "private"}
    )
    assert (hiding.status_code, hiding.json()["error-code"]) == (403, 9035)
    missing = call(
        client, "put", api(account, "funding/999999"), writer, funding() | {"put-code": 999999}
    )
    assert (missing.status_code, missing.json()["error-code"]) == (404, 9016)
    assert call(client, "delete", url, scopus).json()["error-code"] == 9010
    # and the put-code given as a string is the URL's
    same = call(client, "put", url, writer, funding() | {"put-code": str(item.pk)})
    assert same.status_code == 200


def test_writing_a_funding_needs_the_activities_scope_and_the_member_api(
    client: TestClient, account: Account, portal_client: Client
) -> None:
    # given
    reader = make_token(account, portal_client, "/read-limited /person/update")
    # when
    refused = call(client, "post", api(account, "funding"), reader, funding())
    public = call(client, "post", f"/pub/v3.0/{account.orcid}/funding", reader, funding())
    # then
    assert (refused.status_code, refused.json()["error-code"]) == (403, 9005)
    assert public.status_code == 405
    assert not Funding.objects.exists()


def test_a_private_funding_is_hidden_from_the_public_api(
    client: TestClient, account: Account, writer: AccessToken
) -> None:
    # given: the researcher makes the portal's funding private
    call(client, "post", api(account, "funding"), writer, funding())
    Funding.objects.update(visibility="private")
    item = Funding.objects.get()
    # when
    listing = call(client, "get", f"/pub/v3.0/{account.orcid}/fundings").json()
    one = call(client, "get", f"/pub/v3.0/{account.orcid}/funding/{item.pk}")
    own = call(client, "get", api(account, "fundings"), writer).json()
    # then: the public sees nothing, the source still sees its own
    assert listing["group"] == []
    assert (one.status_code, one.json()["error-code"]) == (403, 9039)
    assert len(own["group"]) == 1


# --- the affiliation sections ---------------------------------------------------------------------


@pytest.mark.parametrize("section", SECTIONS)
def test_affiliation_section_post_read_update_delete(
    client: TestClient, account: Account, writer: AccessToken, section: str
) -> None:
    # when
    response = call(client, "post", api(account, section), writer, affiliation())
    # then
    assert response.status_code == 201
    item = Affiliation.objects.get()
    assert item.section == section
    assert response["Location"].endswith(f"/{section}/{item.pk}")
    plural = f"{section}s"
    listing = call(client, "get", f"/pub/v3.0/{account.orcid}/{plural}").json()
    summary = listing["affiliation-group"][0]["summaries"][0][f"{section}-summary"]
    assert summary["role-title"] == "Outstanding Librarian Award"
    assert summary["path"] == f"/{account.orcid}/{section}/{item.pk}"
    assert (
        listing["affiliation-group"][0]["external-ids"]["external-id"][0]["external-id-value"]
        == "scholarhub-prize-1"
    )
    # only its own section lists it, and other sections' paths do not find it
    others = [s for s in SECTIONS if s != section]
    for other in others:
        assert (
            call(client, "get", f"/pub/v3.0/{account.orcid}/{other}s").json()["affiliation-group"]
            == []
        )
        assert call(client, "get", api(account, f"{other}/{item.pk}"), writer).status_code == 404
    # when: updated and deleted by its source
    body = affiliation() | {"put-code": item.pk, "role-title": "Renamed award"}
    updated = call(client, "put", api(account, f"{section}/{item.pk}"), writer, body)
    assert updated.status_code == 200
    assert updated.json()["role-title"] == "Renamed award"
    assert call(client, "delete", api(account, f"{section}/{item.pk}"), writer).status_code == 204
    assert not Affiliation.objects.exists()


@pytest.mark.parametrize("section", ["distinction", "membership"])
def test_affiliation_duplicate_self_id_is_409_within_its_section(
    client: TestClient, account: Account, writer: AccessToken, scopus: AccessToken, section: str
) -> None:
    # given
    call(client, "post", api(account, section), writer, affiliation())
    first = Affiliation.objects.get()
    # when
    again = call(client, "post", api(account, section), writer, affiliation())
    elsewhere = call(client, "post", api(account, "service"), writer, affiliation())
    other_source = call(client, "post", api(account, section), scopus, affiliation())
    # then: only the same source in the same section conflicts
    assert (again.status_code, again.json()["error-code"]) == (409, 9021)
    assert f"put-code {first.pk}" in again.json()["developer-message"]
    assert elsewhere.status_code == 201
    assert other_source.status_code == 201


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"organization": None}, 9046),
        ({"organization": organization(**{"disambiguated-organization": None})}, 9045),
        (
            {"organization": organization(address={"city": "Wan Chai", "country": "Hong Kong"})},
            9046,
        ),
        ({"start-date": None, "end-date": {"year": {"value": "2025"}}}, 9050),
        ({"end-date": {"year": {"value": "2020"}}}, 9055),
        ({"start-date": {"year": {"value": "24"}}}, 9049),
        ({"put-code": 5}, 9024),
        ({"role-title": "r" * 1001}, 9020),
        ({"external-ids": {"external-id": [{"external-id-type": "doi"}]}}, 9023),
    ],
)
def test_affiliation_validation_errors(
    client: TestClient, account: Account, writer: AccessToken, changes: dict[str, Any], code: int
) -> None:
    response = call(client, "post", api(account, "distinction"), writer, affiliation(**changes))
    assert response.status_code == 400, response.content
    assert response.json()["error-code"] == code
    assert not Affiliation.objects.exists()


def test_affiliation_put_rules(
    client: TestClient, account: Account, writer: AccessToken, scopus: AccessToken
) -> None:
    # given
    call(client, "post", api(account, "membership"), writer, affiliation())
    item = Affiliation.objects.get()
    url = api(account, f"membership/{item.pk}")
    # when / then
    assert (
        call(client, "put", url, writer, affiliation() | {"put-code": 1 + item.pk}).json()[
            "error-code"
        ]
        == 9019
    )
    assert (
        call(client, "put", url, scopus, affiliation() | {"put-code": item.pk}).json()["error-code"]
        == 9010
    )
    assert call(client, "delete", url, scopus).status_code == 403
    assert call(client, "get", api(account, "membership/abc"), writer).json()["error-code"] == 9034
    assert call(client, "delete", api(account, "membership/9" * 30), writer).status_code == 404


# --- XML: served valid against the XSDs, and accepted as request bodies -------------------------


@pytest.fixture
def filled(
    client: TestClient, account: Account, writer: AccessToken, scopus: AccessToken
) -> dict[str, int]:
    """A record with a funding from two sources and one item in each affiliation section."""
    call(client, "post", api(account, "funding"), writer, funding())
    call(client, "post", api(account, "funding"), scopus, funding())
    codes = {
        "funding": Funding.objects.filter(source_client__client_id="APP-SCHOLARHUBDEMO01").get().pk
    }
    for section in SECTIONS:
        call(client, "post", api(account, section), writer, affiliation(f"key-{section}"))
        codes[section] = Affiliation.objects.get(section=section).pk
    return codes


@pytest.mark.skipif(not MODEL.exists(), reason="ORCID's XSDs are not beside the repository")
def test_every_new_document_validates_against_the_xsds(
    client: TestClient, account: Account, writer: AccessToken, filled: dict[str, int]
) -> None:
    paths = ["fundings", f"funding/{filled['funding']}", f"funding/summary/{filled['funding']}"]
    paths += [f"{section}s" for section in SECTIONS]
    paths += [f"{section}/{filled[section]}" for section in SECTIONS]
    paths += ["activities", "record"]
    for path in paths:
        response = call(client, "get", api(account, path), writer, accept=XML)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/vnd.orcid+xml")
        assert_valid(response.content)
    # errors of the new endpoints too
    assert_valid(call(client, "get", api(account, "funding/0"), writer, accept=XML).content)


@pytest.mark.skipif(not MODEL.exists(), reason="ORCID's XSDs are not beside the repository")
def test_orcids_own_write_samples_are_accepted_as_xml_and_json(
    client: TestClient, account: Account, writer: AccessToken
) -> None:
    samples = MODEL / "record_3.0" / "samples" / "write_samples"
    for name, path in [
        ("funding-3.0.xml", "funding"),
        ("distinction-3.0.xml", "distinction"),
        ("membership-3.0.xml", "membership"),
        ("service-3.0.xml", "service"),
        ("invited-position-3.0.xml", "invited-position"),
        ("education-3.0.xml", "education"),
        ("qualification-3.0.xml", "qualification"),
    ]:
        response = client.post(
            api(account, path),
            data=(samples / name).read_bytes(),
            content_type="application/vnd.orcid+xml",
            HTTP_ACCEPT="application/json",
            HTTP_AUTHORIZATION=f"Bearer {writer.access_token}",
        )
        assert response.status_code == 201, (name, response.content)
        # and what was stored from ORCID's richest samples reads back valid, in full
        one = call(client, "get", response["Location"].split("testserver")[-1], writer, accept=XML)
        assert_valid(one.content)
    activities = call(client, "get", api(account, "activities"), writer, accept=XML)
    assert_valid(activities.content)
    sample = (samples / "funding-3.0-simple.json").read_bytes()
    Funding.objects.all().delete()
    response = client.post(
        api(account, "funding"),
        data=sample,
        content_type="application/vnd.orcid+json",
        HTTP_AUTHORIZATION=f"Bearer {writer.access_token}",
    )
    assert response.status_code == 201, response.content
    assert Funding.objects.get().currency_code == "ADP"


# --- the record page ----------------------------------------------------------------------------


def test_record_page_lists_the_sections_as_orcid_does(
    client: TestClient, account: Account, filled: dict[str, int]
) -> None:
    # when
    page = client.get(f"/{account.orcid}").content.decode()
    # then: orcid.org's headings, in its order, and the funding's grant and source
    headings = ["Education and qualifications (2)", "Professional activities (4)", "Funding (1)"]
    positions = [page.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Resource sharing among Hong Kong libraries" in page
    assert "CITYU 11200323" in page.upper()
    assert "Preferred source (of 2)" in page
    assert "Hong Kong Library Association" in page


def test_record_page_hides_private_items_from_visitors(
    client: TestClient, account: Account, filled: dict[str, int]
) -> None:
    # given
    Affiliation.objects.filter(section="distinction").update(visibility="private")
    Funding.objects.update(visibility="limited")
    # when
    page = client.get(f"/{account.orcid}").content.decode()
    # then
    assert "Professional activities (3)" in page
    assert "Resource sharing among Hong Kong libraries" not in page


# --- hostile and boundary input on the new endpoints -------------------------------------------


NASTY_TEXT = ["\x00", "a\x00b", "\ud800", "\x1b[31m", "x" * 100_000, "<script>alert(1)</script>"]


@pytest.mark.parametrize("text", NASTY_TEXT)
@pytest.mark.parametrize("path", ["funding", "distinction", "service"])
def test_hostile_text_in_fields_is_refused_or_kept_exactly(
    client: TestClient, account: Account, writer: AccessToken, text: str, path: str
) -> None:
    # given: the text in the title (funding) or role title (affiliations) and the org name
    if path == "funding":
        body = funding(title={"title": {"value": text}}, organization=organization(name=text))
    else:
        body = affiliation() | {"role-title": text, "organization": organization(name=text)}
    # when
    response = call(client, "post", api(account, path), writer, body)
    # then: a 4xx in ORCID's shape and nothing stored, or stored exactly as sent
    if response.status_code == 201:
        item = Funding.objects.get() if path == "funding" else Affiliation.objects.get()
        assert item.organization_name == text
        page = client.get(f"/{account.orcid}").content.decode()
        assert "<script>alert(1)</script>" not in page
    else:
        assert 400 <= response.status_code < 500
        assert isinstance(response.json()["error-code"], int)
        assert not Funding.objects.exists()
        assert not Affiliation.objects.exists()
    assert ("\x00" in text or len(text) > 1000 or "\ud800" in text or "\x1b" in text) == (
        response.status_code != 201
    )


@pytest.mark.parametrize(
    "body",
    [
        b"<funding:funding xmlns:funding='http://www.orcid.org/ns/funding'>",
        b"<a>&#0;</a>",
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
        b"<funding:funding xmlns:funding='http://www.orcid.org/ns/funding'/>",
    ],
)
def test_malformed_or_empty_xml_bodies_are_refused(
    client: TestClient, account: Account, writer: AccessToken, body: bytes
) -> None:
    for path in ("funding", "membership"):
        response = client.post(
            api(account, path),
            data=body,
            content_type="application/vnd.orcid+xml",
            HTTP_ACCEPT="application/json",
            HTTP_AUTHORIZATION=f"Bearer {writer.access_token}",
        )
        assert response.status_code == 400, response.content
    assert not Funding.objects.exists()
    assert not Affiliation.objects.exists()


def test_boundary_lengths_are_kept_exactly(
    client: TestClient, account: Account, writer: AccessToken
) -> None:
    # given: fields at ORCID's limits
    body = funding(title={"title": {"value": "t" * 1000}}) | {
        "organization-defined-type": {"value": "o" * 255}
    }
    # when
    response = call(client, "post", api(account, "funding"), writer, body)
    # then
    assert response.status_code == 201
    item = Funding.objects.get()
    assert (len(item.title), len(item.organization_defined_type)) == (1000, 255)
    over = funding(grant="X2") | {"organization-defined-type": {"value": "o" * 256}}
    assert call(client, "post", api(account, "funding"), writer, over).json()["error-code"] == 9020


def test_the_owner_hides_and_deletes_items_on_the_record_page(
    client: TestClient, account: Account, writer: AccessToken, filled: dict[str, int]
) -> None:
    # given: the researcher signed in on their record page
    client.post("/signin", {"username": account.orcid, "password": PASSWORD})
    page = client.get(f"/{account.orcid}").content.decode()
    assert f"/{account.orcid}/fundings/{filled['funding']}/delete" in page
    # when: they make the membership private and delete the portal's funding
    hidden = client.post(
        f"/{account.orcid}/affiliations/{filled['membership']}/visibility",
        {"visibility": "private"},
    )
    deleted = client.post(f"/{account.orcid}/fundings/{filled['funding']}/delete")
    # then: the public API no longer shows them, and the portal's next PUT finds a 404
    assert (hidden.status_code, deleted.status_code) == (302, 302)
    public = call(client, "get", f"/pub/v3.0/{account.orcid}/memberships").json()
    assert public["affiliation-group"] == []
    put = call(
        client,
        "put",
        api(account, f"funding/{filled['funding']}"),
        writer,
        funding() | {"put-code": filled["funding"]},
    )
    assert (put.status_code, put.json()["error-code"]) == (404, 9016)
