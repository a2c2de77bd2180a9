"""API v3.0 beyond works: person sections, researcher URLs, employments, content negotiation,
deprecated records, XML request bodies (including hostile ones), search."""

from __future__ import annotations

from typing import Any

import pytest

from orcid_sandbox import actions
from orcid_sandbox.models import AccessToken, Account, Client, Employment, ResearcherUrl, Work
from orcid_sandbox.tests.fixtures import JSON, call, make_token, work_payload

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

XML = "application/vnd.orcid+xml"


@pytest.fixture
def writer(account: Account, portal_client: Client) -> AccessToken:
    return make_token(account, portal_client, "/activities/update /person/update /read-limited")


def employment(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
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
    }
    payload.update(changes)
    return payload


def test_employment_post_read_and_delete(client, account, writer):
    # when
    response = call(client, "post", f"/api/v3.0/{account.orcid}/employment", writer, employment())
    # then
    assert response.status_code == 201
    item = Employment.objects.get()
    assert response["Location"].endswith(f"/employment/{item.pk}")
    groups = call(client, "get", f"/pub/v3.0/{account.orcid}/employments").json()
    summary = groups["affiliation-group"][0]["summaries"][0]["employment-summary"]
    assert (
        summary["organization"]["disambiguated-organization"][
            "disambiguated-organization-identifier"
        ]
        == "53025"
    )
    assert summary["start-date"]["month"]["value"] == "09"
    deleted = call(client, "delete", f"/api/v3.0/{account.orcid}/employment/{item.pk}", writer)
    assert deleted.status_code == 204
    assert not Employment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        # ORCID's mapping: InvalidOrgException 9046, InvalidDisambiguatedOrgException 9045.
        ({"organization": None}, 9046),
        ({"organization": {"name": "", "address": {"city": "Kowloon", "country": "HK"}}}, 9046),
        ({"organization": {"name": "X", "address": {"city": "Kowloon", "country": "Hong"}}}, 9046),
        ({"organization": {"name": "X", "address": {"city": "Kowloon", "country": "HK"}}}, 9045),
        (
            {
                "organization": {
                    "name": "X",
                    "address": {"city": "K", "country": "HK"},
                    "disambiguated-organization": {"disambiguation-source": "MADE-UP"},
                }
            },
            9045,
        ),
        ({"start-date": {"year": {"value": "01"}}}, 9049),
        ({"start-date": {"year": {"value": "2001"}, "day": {"value": "01"}}}, 9049),
        ({"start-date": None, "end-date": {"year": {"value": "2001"}}}, 9050),
        (
            {
                "start-date": {"year": {"value": "2010"}},
                "end-date": {"year": {"value": "2001"}},
            },
            9055,
        ),
        ({"put-code": 3}, 9024),
    ],
)
def test_employment_validation_errors(client, account, writer, changes, code):
    response = call(
        client, "post", f"/api/v3.0/{account.orcid}/employment", writer, employment(**changes)
    )
    assert response.status_code == 400
    assert response.json()["error-code"] == code
    assert not Employment.objects.exists()


def test_researcher_urls_post_duplicate_and_source_rules(client, account, writer, scopus_client):
    # given
    body = {"url-name": "CityU Scholars", "url": {"value": "https://scholars.cityu.edu.hk/chris"}}
    first = call(client, "post", f"/api/v3.0/{account.orcid}/researcher-urls", writer, body)
    assert first.status_code == 201
    # when: the same URL again, then a client that is not the source deletes it
    again = call(client, "post", f"/api/v3.0/{account.orcid}/researcher-urls", writer, body)
    scopus = make_token(account, scopus_client, "/person/update")
    item = ResearcherUrl.objects.get()
    foreign = call(client, "delete", f"/api/v3.0/{account.orcid}/researcher-urls/{item.pk}", scopus)
    # then
    assert again.status_code == 409
    assert again.json()["error-code"] == 9030
    assert foreign.status_code == 403
    assert foreign.json()["error-code"] == 9010
    listed = call(client, "get", f"/pub/v3.0/{account.orcid}/researcher-urls").json()
    assert listed["researcher-url"][0]["url-name"] == "CityU Scholars"


@pytest.mark.parametrize(
    "body",
    [{"url": {"value": "javascript:alert(1)"}}, {"url": {"value": ""}}, {"url-name": "x"}, []],
)
def test_researcher_url_validation(client, account, writer, body):
    response = call(client, "post", f"/api/v3.0/{account.orcid}/researcher-urls", writer, body)
    assert response.status_code == 400
    assert not ResearcherUrl.objects.exists()


def test_names_keywords_and_country_follow_the_names_visibility(client, account, writer):
    # given
    account.keywords = "resource sharing"
    account.other_names = "Wong Tai Ming"
    account.country = "HK"
    account.names_visibility = "limited"
    account.save()
    # when
    public = call(client, "get", f"/pub/v3.0/{account.orcid}/person").json()
    trusted = call(client, "get", f"/api/v3.0/{account.orcid}/person", writer).json()
    # then
    assert public["name"] is None
    assert public["keywords"]["keyword"] == []
    assert public["addresses"]["address"] == []
    assert trusted["name"]["given-names"]["value"] == "Chris"
    assert trusted["keywords"]["keyword"][0]["content"] == "resource sharing"
    assert trusted["other-names"]["other-name"][0]["content"] == "Wong Tai Ming"
    assert trusted["addresses"]["address"][0]["country"]["value"] == "HK"


def test_keywords_and_other_names_sections(client, account):
    account.keywords = "a\nb"
    account.save()
    words = call(client, "get", f"/pub/v3.0/{account.orcid}/keywords").json()
    assert [item["put-code"] for item in words["keyword"]] == [1, 2]
    assert call(client, "get", f"/pub/v3.0/{account.orcid}/other-names").json()["other-name"] == []


def test_put_may_not_change_visibility(client, account, writer):
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    work = Work.objects.get()
    body = work_payload() | {"put-code": work.pk, "visibility": "private"}
    response = call(client, "put", f"/api/v3.0/{account.orcid}/work/{work.pk}", writer, body)
    assert response.status_code == 403
    assert response.json()["error-code"] == 9035
    work.refresh_from_db()
    assert work.visibility == "public"


@pytest.mark.parametrize(
    ("accept", "status", "kind"),
    [
        ("text/html", 406, "application/vnd.orcid+json"),
        ("application/json", 200, "application/vnd.orcid+json"),
        ("application/orcid+json", 200, "application/vnd.orcid+json"),
        ("application/xml", 200, "application/vnd.orcid+xml"),
        ("*/*", 200, "application/vnd.orcid+xml"),
    ],
)
def test_content_negotiation(client, account, accept, status, kind):
    response = client.get(f"/pub/v3.0/{account.orcid}/record", HTTP_ACCEPT=accept)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith(kind)


def test_deprecated_record_answers_301_with_9007(client, account):
    account.primary_orcid = "0000-0002-1825-0097"
    account.save()
    response = call(client, "get", f"/api/v3.0/{account.orcid}/record")
    assert response.status_code == 301
    assert response.json()["error-code"] == 9007
    assert "0000-0002-1825-0097" in response.json()["developer-message"]


@pytest.mark.parametrize(
    "body",
    [
        b"<work:work",
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<work xmlns="http://www.orcid.org/ns/work"><title>&x;</title></work>',
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
        b'&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w>&c;</w>',
        "<w>\u0000</w>".encode(),
        b"\xff\xfe<w/>",
        b"",
    ],
)
def test_hostile_xml_bodies_get_clear_errors(client, account, writer, body):
    # when
    response = client.post(
        f"/api/v3.0/{account.orcid}/work",
        data=body,
        content_type=XML,
        HTTP_AUTHORIZATION=f"Bearer {writer.access_token}",
        HTTP_ACCEPT=JSON,
    )
    # then: a 400 in ORCID's shape, nothing stored, no file content echoed
    assert response.status_code == 400
    assert response.json()["error-code"] in (9020, 9022, 9047)
    assert b"root:" not in response.content
    assert not Work.objects.exists()


# --- search --------------------------------------------------------------------------------


@pytest.fixture
def people(account: Account) -> tuple[Account, Account, Account]:
    account.keywords = "resource sharing"
    account.save()
    hidden = actions.do_create_account(
        email="hidden@example.org", password="x" * 10, given_names="Wong", family_name="Secret"
    )
    hidden.names_visibility = "private"
    hidden.save()
    other = actions.do_create_account(
        email="lee@example.org", password="x" * 10, given_names="Mei", family_name="LEE"
    )
    return account, hidden, other


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("wong", ["0000-0000-0000-0001"]),
        ("family-name:WONG", ["0000-0000-0000-0001"]),
        ("given-names:chris AND family-name:wong", ["0000-0000-0000-0001"]),
        ("family-name:wong AND given-names:mei", []),
        ("family-name:lee OR keyword:resource", ["0000-0000-0000-0001", "LEE"]),
        ("orcid:0000-0000-0000-0001", ["0000-0000-0000-0001"]),
        ("unknown-field:x", []),
    ],
)
def test_search_matches_public_data_only(client, people, query, expected):
    _, _, other = people
    expected = [other.orcid if item == "LEE" else item for item in expected]
    response = client.get("/pub/v3.0/search/", {"q": query}, HTTP_ACCEPT=JSON)
    assert response.status_code == 200
    body = response.json()
    assert sorted(row["orcid-identifier"]["path"] for row in body["result"]) == sorted(expected)
    assert body["num-found"] == len(expected)


def test_expanded_search_rows(client, people):
    response = client.get("/pub/v3.0/expanded-search", {"q": "wong"}, HTTP_ACCEPT=JSON)
    rows = response.json()["expanded-result"]
    assert [row["credit-name"] for row in rows] == ["Chris WONG - demo"]


def test_search_paging_and_errors(client, people, portal_client):
    # every record matches *:*, one row per page
    page = client.get("/pub/v3.0/search/", {"q": "*:*", "rows": "1"}, HTTP_ACCEPT=JSON).json()
    assert page["num-found"] == 3
    assert len(page["result"]) == 1
    for params, code in (
        ({"q": ""}, 9012),
        ({"q": "x", "start": "10001"}, 9043),
        ({"q": "x", "rows": "abc"}, 9012),
        ({"q": "x" * 2000}, 9012),
    ):
        response = client.get("/pub/v3.0/search/", params, HTTP_ACCEPT=JSON)
        assert response.status_code == 400
        assert response.json()["error-code"] == code
    member = client.get("/api/v3.0/search/", {"q": "wong"}, HTTP_ACCEPT=JSON)
    assert member.status_code == 401
    token = make_token(None, portal_client, "/read-public")
    member = client.get(
        "/api/v3.0/search/",
        {"q": "wong"},
        HTTP_ACCEPT=JSON,
        HTTP_AUTHORIZATION=f"Bearer {token.access_token}",
    )
    assert member.json()["num-found"] == 1


def test_ten_thousand_works_is_the_limit(client, account, writer, portal_client):
    # given: a record holding exactly 10,000 works
    Work.objects.bulk_create(
        Work(
            account=account,
            source_client=None,
            title=f"Work {number}",
            work_type="other",
            external_ids=[],
        )
        for number in range(10_000)
    )
    # when
    one_more = call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    bulk = call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/works",
        writer,
        {"bulk": [{"work": work_payload()}]},
    )
    # then
    assert one_more.status_code == 409
    assert one_more.json()["error-code"] == 9048
    assert bulk.status_code == 409
    assert Work.objects.count() == 10_000


def test_employment_put_records_a_leavers_end_date(client, account, writer, scopus_client):
    # given
    call(client, "post", f"/api/v3.0/{account.orcid}/employment", writer, employment())
    item = Employment.objects.get()
    url = f"/api/v3.0/{account.orcid}/employment/{item.pk}"
    leaving = employment(**{"put-code": str(item.pk), "end-date": {"year": {"value": "2024"}}})
    # when
    response = call(client, "put", url, writer, leaving)
    # then
    assert response.status_code == 200
    assert response.json()["end-date"]["year"]["value"] == "2024"
    item.refresh_from_db()
    assert item.end_date == "2024"
    # and the rules of PUT apply
    wrong_code = call(client, "put", url, writer, employment(**{"put-code": item.pk + 1}))
    no_code = call(client, "put", url, writer, employment())
    scopus = make_token(account, scopus_client, "/activities/update")
    foreign = call(client, "put", url, scopus, employment(**{"put-code": item.pk}))
    hidden = call(
        client, "put", url, writer, employment(**{"put-code": item.pk, "visibility": "private"})
    )
    assert [r.json()["error-code"] for r in (wrong_code, no_code, foreign, hidden)] == [
        9019,
        9019,
        9010,
        9035,
    ]
    item.refresh_from_db()
    assert item.end_date == "2024"
    assert item.visibility == "public"


def test_other_id_and_researcher_url_put(client, account, writer):
    other_id = {
        "external-id-type": "ResearcherID",
        "external-id-value": "A-1234-2010",
        "external-id-url": {"value": "https://www.webofscience.com/wos/author/record/A-1234-2010"},
        "external-id-relationship": "self",
    }
    created = call(
        client, "post", f"/api/v3.0/{account.orcid}/external-identifiers", writer, other_id
    )
    put_code = int(created["Location"].rsplit("/", 1)[1])
    changed = {**other_id, "external-id-value": "A-1234-2011", "put-code": put_code}
    response = call(
        client, "put", f"/api/v3.0/{account.orcid}/external-identifiers/{put_code}", writer, changed
    )
    assert response.status_code == 200
    assert response.json()["external-id-value"] == "A-1234-2011"
    link = call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/researcher-urls",
        writer,
        {"url-name": "Old", "url": {"value": "https://old.example"}},
    )
    link_code = int(link["Location"].rsplit("/", 1)[1])
    renamed = call(
        client,
        "put",
        f"/api/v3.0/{account.orcid}/researcher-urls/{link_code}",
        writer,
        {"put-code": link_code, "url-name": "New", "url": {"value": "https://new.example"}},
    )
    assert renamed.json()["url-name"] == "New"
    assert ResearcherUrl.objects.get().url == "https://new.example"


def test_work_summary_endpoint(client, account, writer):
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    work = Work.objects.get()
    summary = call(client, "get", f"/pub/v3.0/{account.orcid}/work/summary/{work.pk}").json()
    assert summary["put-code"] == work.pk
    assert summary["display-index"] == "1"
    assert "contributors" not in summary
    missing = call(client, "get", f"/pub/v3.0/{account.orcid}/work/summary/{work.pk + 1}")
    assert missing.status_code == 404
