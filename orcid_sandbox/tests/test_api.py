"""API v3.0: works and Other IDs, ORCID's validation and error codes, grouping, sources,
visibility, and hostile input."""

from __future__ import annotations

import pytest

from orcid_sandbox.grouping import group_works
from orcid_sandbox.models import AccessToken, Account, Client, OtherId, Work
from orcid_sandbox.tests.fixtures import JSON, call, make_token, work_payload

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])


@pytest.fixture
def writer(account: Account, portal_client: Client) -> AccessToken:
    return make_token(account, portal_client, "/activities/update /person/update /read-limited")


def test_post_work_201_with_absolute_location(client, account, writer):
    response = call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    assert response.status_code == 201
    work = Work.objects.get()
    assert response["Location"] == f"http://testserver/api/v3.0/{account.orcid}/work/{work.pk}"
    read = call(client, "get", f"/api/v3.0/{account.orcid}/work/{work.pk}", writer).json()
    assert read["put-code"] == work.pk
    assert read["source"]["source-client-id"]["path"] == "APP-SCHOLARHUBDEMO01"
    assert read["source"]["assertion-origin-orcid"] is None


def test_duplicate_post_is_409_9021_naming_the_put_code(client, account, writer):
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    existing = Work.objects.get()
    again = call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/work",
        writer,
        work_payload(doi="https://doi.org/10.1108/02641610610669750"),
    )
    assert again.status_code == 409
    body = again.json()
    assert body["error-code"] == 9021
    assert f"put-code {existing.pk}" in body["developer-message"]


def test_same_ids_from_another_source_is_no_duplicate(client, account, writer, scopus_client):
    scopus = make_token(account, scopus_client, "/activities/update")
    assert (
        call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload()).status_code
        == 201
    )
    assert (
        call(client, "post", f"/api/v3.0/{account.orcid}/work", scopus, work_payload()).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"title": {"title": {"value": ""}}}, 400, 9022),
        ({"title": None}, 400, 9022),
        ({"type": "novel"}, 400, 9037),
        ({"external-ids": {"external-id": []}}, 400, 9023),
        (
            {
                "external-ids": {
                    "external-id": [
                        {
                            "external-id-type": "issn",
                            "external-id-value": "0264-1615",
                            "external-id-relationship": "part-of",
                        }
                    ]
                }
            },
            400,
            9023,
        ),
        (
            {
                "external-ids": {
                    "external-id": [
                        {
                            "external-id-type": "nonsense",
                            "external-id-value": "1",
                            "external-id-relationship": "self",
                        }
                    ]
                }
            },
            400,
            9023,
        ),
        ({"put-code": 12345}, 400, 9024),
        ({"publication-date": {"year": {"value": "06"}}}, 400, 9049),
        ({"publication-date": {"year": {"value": "2006"}, "day": {"value": "05"}}}, 400, 9049),
        ({"publication-date": {"year": {"value": "2006"}, "month": {"value": "13"}}}, 400, 9049),
    ],
)
def test_work_validation_errors(client, account, writer, changes, status, code):
    response = call(
        client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload(**changes)
    )
    assert response.status_code == status
    assert response.json()["error-code"] == code
    assert not Work.objects.exists()


def test_put_needs_matching_put_code_and_ownership(client, account, writer, scopus_client):
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    work = Work.objects.get()
    mismatch = call(
        client,
        "put",
        f"/api/v3.0/{account.orcid}/work/{work.pk}",
        writer,
        work_payload() | {"put-code": work.pk + 1},
    )
    assert mismatch.json()["error-code"] == 9019
    updated = call(
        client,
        "put",
        f"/api/v3.0/{account.orcid}/work/{work.pk}",
        writer,
        work_payload() | {"put-code": str(work.pk), "title": {"title": {"value": "New title"}}},
    )
    assert updated.status_code == 200
    assert updated.json()["title"]["title"]["value"] == "New title"
    other = make_token(account, scopus_client, "/activities/update")
    forbidden = call(client, "delete", f"/api/v3.0/{account.orcid}/work/{work.pk}", other)
    assert forbidden.status_code == 403
    assert forbidden.json()["error-code"] == 9010
    assert (
        call(client, "delete", f"/api/v3.0/{account.orcid}/work/{work.pk}", writer).status_code
        == 204
    )
    assert not Work.objects.exists()


def test_scope_and_record_checks(client, account, portal_client):
    reader = make_token(account, portal_client, "/read-limited")
    response = call(client, "post", f"/api/v3.0/{account.orcid}/work", reader, work_payload())
    assert response.status_code == 403
    assert response.json()["error-code"] == 9005
    from orcid_sandbox import actions

    other = actions.do_create_account(
        email="mary@example.edu", password="x" * 10, given_names="Mary"
    )
    elsewhere = call(
        client,
        "post",
        f"/api/v3.0/{other.orcid}/work",
        make_token(account, portal_client, "/activities/update"),
        work_payload(),
    )
    assert elsewhere.status_code == 401
    assert elsewhere.json()["error-code"] == 9017
    anonymous = call(client, "get", f"/api/v3.0/{account.orcid}/works")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"] == "invalid_token"


def test_bulk_post_has_per_item_results(client, account, writer):
    bulk = {
        "bulk": [
            {"work": work_payload()},
            {"work": work_payload()},  # duplicate of the first, within the same request
            {"work": work_payload(doi="10.1000/other", type="bogus")},
            {
                "work": work_payload(
                    doi="10.1000/third",
                    **{
                        "external-ids": {
                            "external-id": [
                                {
                                    "external-id-type": "doi",
                                    "external-id-value": "10.1000/third",
                                    "external-id-relationship": "self",
                                }
                            ]
                        }
                    },
                )
            },
        ]
    }
    response = call(client, "post", f"/api/v3.0/{account.orcid}/works", writer, bulk)
    assert response.status_code == 200
    items = response.json()["bulk"]
    assert "work" in items[0]
    assert items[1]["error"]["error-code"] == 9021
    assert items[2]["error"]["error-code"] == 9037
    assert "work" in items[3]
    assert Work.objects.count() == 2
    too_many = call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/works",
        writer,
        {"bulk": [{"work": work_payload()}] * 101},
    )
    assert too_many.status_code == 400


def test_grouping_merges_transitively_and_ignores_part_of(account, portal_client, scopus_client):
    def work(ids: list[tuple[str, str, str]], client: Client | None = None, index: int = 1) -> Work:
        return Work.objects.create(
            account=account,
            source_client=client,
            title="T",
            work_type="journal-article",
            external_ids=[{"type": t, "value": v, "url": "", "relationship": r} for t, v, r in ids],
            display_index=index,
        )

    a = work([("doi", "10.1/a", "self")], portal_client)
    b = work(
        [("doi", "10.1/A", "self"), ("eid", "2-s2.0-1234567890", "self")], scopus_client, index=5
    )
    c = work([("eid", "2-s2.0-1234567890", "self")])
    d = work([("issn", "0264-1615", "part-of")])
    e = work([("issn", "0264-1615", "part-of")])
    groups = group_works([a, b, c, d, e])
    sets = sorted(sorted(w.pk for w in group.works) for group in groups)
    assert sets == sorted([sorted([a.pk, b.pk, c.pk]), [d.pk], [e.pk]])
    merged = next(group for group in groups if len(group.works) == 3)
    assert merged.preferred == b  # highest display-index


def test_works_endpoint_groups_and_shows_sources(client, account, writer, scopus_client):
    scopus = make_token(account, scopus_client, "/activities/update")
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    call(client, "post", f"/api/v3.0/{account.orcid}/work", scopus, work_payload())
    groups = call(client, "get", f"/pub/v3.0/{account.orcid}/works").json()["group"]
    assert len(groups) == 1
    sources = [summary["source"] for summary in groups[0]["work-summary"]]
    by_scopus = next(
        source for source in sources if source["source-name"]["value"] == "Scopus - Elsevier"
    )
    assert by_scopus["source-client-id"]["path"] == "0000-0002-5982-8983"
    assert by_scopus["assertion-origin-orcid"]["path"] == account.orcid
    assert by_scopus["assertion-origin-name"]["value"] == "Chris WONG"


def test_visibility_rules(client, account, writer, portal_client):
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    Work.objects.update(visibility="limited")
    assert call(client, "get", f"/pub/v3.0/{account.orcid}/works").json()["group"] == []
    assert len(call(client, "get", f"/api/v3.0/{account.orcid}/works", writer).json()["group"]) == 1
    Work.objects.update(visibility="private")
    outsider = make_token(None, portal_client, "/read-public")
    assert (
        len(call(client, "get", f"/api/v3.0/{account.orcid}/works", writer).json()["group"]) == 1
    )  # its own
    assert call(client, "get", f"/pub/v3.0/{account.orcid}/works", outsider).json()["group"] == []


def test_other_ids_from_scopus(client, account, scopus_client):
    scopus = make_token(account, scopus_client, "/person/update /activities/update")
    body = {
        "external-id-type": "Scopus Author ID",
        "external-id-value": "98765432100",
        "external-id-url": {
            "value": "http://www.scopus.com/inward/authorDetails.url?authorID=98765432100&partnerID=MN8TOARS"
        },
        "external-id-relationship": "self",
    }
    response = call(client, "post", f"/api/v3.0/{account.orcid}/external-identifiers", scopus, body)
    assert response.status_code == 201
    assert response["Location"].endswith(f"/external-identifiers/{OtherId.objects.get().pk}")
    again = call(client, "post", f"/api/v3.0/{account.orcid}/external-identifiers", scopus, body)
    assert again.json()["error-code"] == 9030
    listed = call(client, "get", f"/pub/v3.0/{account.orcid}/external-identifiers").json()
    assert listed["external-identifier"][0]["source"]["source-name"]["value"] == "Scopus - Elsevier"
    page = client.get(f"/{account.orcid}").content.decode()
    assert "Other IDs" in page
    assert "Scopus Author ID: 98765432100" in page
    bad = call(
        client,
        "post",
        f"/api/v3.0/{account.orcid}/external-identifiers",
        scopus,
        {**body, "external-id-value": "1", "external-id-relationship": "part-of"},
    )
    assert bad.json()["error-code"] == 9023


@pytest.mark.parametrize("body", ["{not json", b"\xff\xfe", "[]", '{"bulk": 5}', "null"])
def test_hostile_bodies_get_clear_errors(client, account, writer, body):
    for path in ("work", "works", "external-identifiers"):
        response = call(client, "post", f"/api/v3.0/{account.orcid}/{path}", writer, body)
        assert response.status_code == 400
        assert response.json()["error-code"] in {9001, 9022, 9047, 9023}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/pub/v3.0/0000-0000-0000-0000/works", 400),
        ("/pub/v3.0/0000-0002-1825-0097/works", 404),
        ("/pub/v3.0/0000-0000-0000-0001/nonsense", 404),
        ("/pub/v3.0/0000-0000-0000-0001/work/abc", 400),
        ("/pub/v3.0/0000-0000-0000-0001/work/999999", 404),
        ("/pub/v3.0/<script>/works", 400),
    ],
)
def test_bad_paths(client, account, path, status):
    response = call(client, "get", path)
    assert response.status_code == status
    assert "error-code" in response.json()


def test_xml_request_body_is_read_and_validated(client, account, writer):
    # given: an XML work without a title
    body = '<work:work xmlns:work="http://www.orcid.org/ns/work"><work:type>book</work:type></work:work>'
    # when
    response = client.post(
        f"/api/v3.0/{account.orcid}/work",
        data=body,
        content_type="application/vnd.orcid+xml",
        HTTP_AUTHORIZATION=f"Bearer {writer.access_token}",
        HTTP_ACCEPT=JSON,
    )
    # then: the XML was read, and ORCID's title rule applies
    assert response.status_code == 400
    assert response.json()["error-code"] == 9022


def test_deprecated_record_answers_301(client, account):
    account.primary_orcid = "0000-0002-1825-0097"
    account.save()
    response = call(client, "get", f"/pub/v3.0/{account.orcid}/works")
    assert response.status_code == 301
    assert response["Location"].endswith("/pub/v3.0/0000-0002-1825-0097/works")


def test_api_writes_need_no_csrf_token(account, writer):
    from django.test import Client as StrictClient

    strict = StrictClient(enforce_csrf_checks=True)
    response = call(strict, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    assert response.status_code == 201


def test_put_by_another_source_is_403_9010_and_changes_nothing(
    client, account, writer, scopus_client
):
    # given: the portal's work
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    work = Work.objects.get()
    scopus = make_token(account, scopus_client, "/activities/update")
    # when: Scopus tries to overwrite it
    body = work_payload() | {"put-code": work.pk, "title": {"title": {"value": "Hijacked"}}}
    response = call(client, "put", f"/api/v3.0/{account.orcid}/work/{work.pk}", scopus, body)
    # then
    assert response.status_code == 403
    assert response.json()["error-code"] == 9010
    work.refresh_from_db()
    assert work.title != "Hijacked"


def test_put_that_would_duplicate_another_work_is_409_9021(client, account, writer):
    # given: two works of the portal
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    first = Work.objects.get()
    other = work_payload(
        doi="10.1000/second",
        **{
            "external-ids": {
                "external-id": [
                    {
                        "external-id-type": "doi",
                        "external-id-value": "10.1000/second",
                        "external-id-relationship": "self",
                    }
                ]
            }
        },
    )
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, other)
    second = Work.objects.exclude(pk=first.pk).get()
    # when: the second is edited to carry the first's DOI
    body = work_payload() | {"put-code": second.pk}
    response = call(client, "put", f"/api/v3.0/{account.orcid}/work/{second.pk}", writer, body)
    # then: refused, naming the work it would duplicate
    assert response.status_code == 409
    assert response.json()["error-code"] == 9021
    assert f"put-code {first.pk}" in response.json()["developer-message"]


@pytest.mark.parametrize(
    ("scope", "path", "body"),
    [
        ("/read-limited", "external-identifiers", {}),
        ("/activities/update", "external-identifiers", {}),
        ("/activities/update", "researcher-urls", {}),
        ("/person/update", "work", work_payload()),
        ("/person/update", "works", {"bulk": []}),
        ("/person/update", "employment", {}),
        ("/authenticate", "work", work_payload()),
        ("/read-public", "work", work_payload()),
    ],
)
def test_writes_without_their_scope_are_403_9005(client, account, portal_client, scope, path, body):
    token = make_token(account, portal_client, scope)
    response = call(client, "post", f"/api/v3.0/{account.orcid}/{path}", token, body)
    assert response.status_code == 403
    assert response.json()["error-code"] == 9005
    assert not Work.objects.exists()


def test_public_api_refuses_writes(client, account, writer):
    response = call(client, "post", f"/pub/v3.0/{account.orcid}/work", writer, work_payload())
    assert response.status_code == 405
    assert not Work.objects.exists()


def test_writes_to_a_deprecated_record_answer_301_and_store_nothing(client, account, writer):
    account.primary_orcid = "0000-0002-1825-0097"
    account.save()
    response = call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, work_payload())
    assert response.status_code == 301
    assert response.json()["error-code"] == 9007
    assert response["Location"].endswith("/api/v3.0/0000-0002-1825-0097/work")
    assert not Work.objects.exists()


def test_source_and_visibility_in_the_body_are_ignored_on_post(
    client, account, writer, scopus_client
):
    # given: a body claiming to come from Scopus and to be private
    body = work_payload(
        visibility="private",
        source={
            "source-client-id": {"path": scopus_client.client_id},
            "source-name": {"value": "Scopus - Elsevier"},
        },
    )
    # when
    call(client, "post", f"/api/v3.0/{account.orcid}/work", writer, body)
    # then: the token's client is the source, and the record's default visibility applies
    work = Work.objects.get()
    assert work.source_client is not None
    assert work.source_client.client_id == "APP-SCHOLARHUBDEMO01"
    assert work.assertion_origin is None
    assert work.visibility == "public"
