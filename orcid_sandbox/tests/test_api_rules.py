"""API v3.0 and OAuth rules found in review: a source reads its own private items, the order of
work groups, the activities sections, tokens and codes with bytes no token has, text XML cannot
carry, mutated official samples, odd put-codes and arbitrary JSON bodies."""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client as TestClient
from lxml import etree

from orcid_sandbox import actions
from orcid_sandbox.choices import Visibility
from orcid_sandbox.grouping import group_works
from orcid_sandbox.models import AccessToken, Account, Client, Work
from orcid_sandbox.tests.fixtures import make_token

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse
    from hypothesis.strategies import SearchStrategy

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

JSON = "application/vnd.orcid+json"
XML = "application/vnd.orcid+xml"


def a_work(
    account: Account,
    client: Client | None,
    title: str,
    year: str = "",
    month: str = "",
    doi: str = "",
    visibility: Visibility = Visibility.PUBLIC,
) -> Work:
    return Work.objects.create(
        account=account,
        source_client=client,
        title=title,
        work_type="journal-article",
        publication_year=year,
        publication_month=month,
        visibility=visibility,
        external_ids=[
            {"type": "doi", "value": doi or f"10.1/{title}", "url": "", "relationship": "self"}
        ],
    )


def get(client: TestClient, path: str, token: AccessToken | None = None) -> TestResponse:
    headers = {"Accept": JSON}
    if token is not None:
        headers["Authorization"] = f"Bearer {token.access_token}"
    return client.get(path, headers=headers)


def test_source_reads_its_own_private_work_on_the_member_api(
    client, account, portal_client, scopus_client
):
    # given: the researcher made the portal's work private; the token cannot read limited data
    work = a_work(account, portal_client, "Hidden", visibility=Visibility.PRIVATE)
    writer = make_token(account, portal_client, "/activities/update")
    stranger = make_token(account, scopus_client, "/activities/update /read-limited")
    path = f"/{account.orcid}/work/{work.pk}"
    # when
    own = get(client, f"/api/v3.0{path}", writer)
    other = get(client, f"/api/v3.0{path}", stranger)
    public = get(client, f"/pub/v3.0{path}", writer)
    listed = get(client, f"/api/v3.0/{account.orcid}/works", writer).json()
    # then: only its source sees it, and only on the member API; the others get ORCID's 403s
    assert own.status_code == 200
    assert own.json()["visibility"] == "private"
    assert (other.status_code, other.json()["error-code"]) == (403, 9013)
    assert (public.status_code, public.json()["error-code"]) == (403, 9039)
    assert [g["work-summary"][0]["put-code"] for g in listed["group"]] == [work.pk]


def test_limited_items_need_the_owners_read_limited_token(client, account, portal_client):
    # given
    other = actions.do_create_account(
        email="other@example.org", password="long-enough-pw", given_names="Other"
    )
    work = a_work(account, None, "Trusted only", visibility=Visibility.LIMITED)
    owners = make_token(account, portal_client, "/read-limited")
    someone_elses = make_token(other, portal_client, "/read-limited")
    path = f"/api/v3.0/{account.orcid}/work/{work.pk}"
    # when
    answers = [
        get(client, path, owners),
        get(client, path, someone_elses),
        get(client, f"/pub/v3.0/{account.orcid}/work/{work.pk}"),
        get(client, f"/api/v3.0/{account.orcid}/works/{work.pk}", someone_elses),
    ]
    # then
    assert answers[0].status_code == 200
    assert (answers[1].status_code, answers[1].json()["error-code"]) == (403, 9038)
    assert (answers[2].status_code, answers[2].json()["error-code"]) == (403, 9039)
    assert answers[3].json()["bulk"][0]["error"]["error-code"] == 9038


def test_groups_are_newest_first_then_by_title(account, portal_client):
    # given
    works = [
        a_work(account, portal_client, "b-2006", "2006"),
        a_work(account, portal_client, "a-2006", "2006"),
        a_work(account, portal_client, "z-2006-05", "2006", "05"),
        a_work(account, portal_client, "undated"),
        a_work(account, portal_client, "c-2010", "2010"),
    ]
    # when
    order = [group.preferred.title for group in group_works(works)]
    # then
    assert order == ["c-2010", "z-2006-05", "a-2006", "b-2006", "undated"]


@pytest.mark.parametrize("token", ["a\x00b", "\x00", "x" * 5000, "Bearer", "' OR 1=1 --"])
def test_strange_bearer_tokens_are_invalid_not_failures(client, account, settings, token):
    # given: the rate limit on, so the caller's bucket is looked up by its token as well
    settings.ORCID_SANDBOX_RATE_LIMIT = 1000
    # when
    response = client.get(
        f"/api/v3.0/{account.orcid}/works", HTTP_ACCEPT=JSON, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    # then
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


@pytest.mark.parametrize("field", ["client_id", "client_secret", "token"])
def test_revoke_with_nul_bytes_is_refused_not_a_failure(client, portal_client, field):
    # given
    form = {"client_id": "APP-SCHOLARHUBDEMO01", "client_secret": "portal-secret", "token": "t"}
    form[field] = "a\x00b"
    # when
    response = client.post("/oauth/revoke", form)
    # then: a bad client is 401; a bad token revokes nothing (RFC 7009 answers 200 anyway)
    assert response.status_code == (200 if field == "token" else 401)


@pytest.mark.parametrize(
    ("grant", "field"),
    [
        ("authorization_code", "code"),
        ("refresh_token", "refresh_token"),
        ("authorization_code", "redirect_uri"),
    ],
)
@pytest.mark.parametrize("value", ["a\x00b", "x" * 5000, "ÄÖÜ"])
def test_token_endpoint_refuses_odd_codes_with_rfc6749_bodies(
    client, portal_client, grant, field, value
):
    # given: a genuine client with a code or refresh token nobody issued
    form = {
        "client_id": "APP-SCHOLARHUBDEMO01",
        "client_secret": "portal-secret",
        "grant_type": grant,
        "code": "AbC123",
        "refresh_token": "not-issued",
        "redirect_uri": "http://127.0.0.1:8000/backend/orcid/callback",
    }
    form[field] = value
    # when
    response = client.post("/oauth/token", form)
    # then
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_grant", "invalid_request")


@pytest.mark.parametrize("put_code", ["²", "٣", "99999999999999999999", "-1", "1.0"])
@pytest.mark.parametrize(
    "kind", ["work", "works", "external-identifiers", "researcher-urls", "employment"]
)
def test_odd_put_codes_are_client_errors(client, account, portal_client, put_code, kind):
    # given
    token = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    headers = {"HTTP_ACCEPT": JSON, "HTTP_AUTHORIZATION": f"Bearer {token.access_token}"}
    path = f"/api/v3.0/{account.orcid}/{kind}/{put_code}"
    # when
    answers = [
        client.get(path, **headers),
        client.put(path, data="{}", content_type=JSON, **headers),
        client.delete(path, **headers),
    ]
    # then: 400 (not a put-code) or 404 (no such item), in ORCID's error shape; reading
    # works/{put-codes} answers a bulk holding the error instead
    if kind == "works":
        bulk = answers.pop(0)
        assert bulk.status_code == 200
        assert bulk.json()["bulk"][0]["error"]["error-code"] in (9034, 9016)
    for answer in answers:
        assert answer.status_code in (400, 404)
        assert answer.json()["error-code"] in (9034, 9016)


def json_documents() -> SearchStrategy[Any]:
    """Arbitrary JSON, biased towards the keys and shapes of ORCID documents."""
    from hypothesis import strategies as st

    keys = st.sampled_from(
        [
            "title",
            "value",
            "type",
            "external-ids",
            "external-id",
            "external-id-type",
            "external-id-value",
            "external-id-relationship",
            "external-id-url",
            "publication-date",
            "year",
            "month",
            "day",
            "put-code",
            "contributors",
            "contributor",
            "credit-name",
            "contributor-orcid",
            "path",
            "contributor-attributes",
            "citation",
            "citation-value",
            "organization",
            "address",
            "country",
            "city",
            "name",
            "url",
            "url-name",
            "bulk",
            "work",
            "start-date",
            "visibility",
        ]
    )
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=30)
        | st.sampled_from(["self", "doi", "journal-article", "10.1/x", "2006", "HK", "https://x"])
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(keys | st.text(max_size=8), children, max_size=6)
        ),
        max_leaves=25,
    )


def test_arbitrary_json_bodies_never_fail(client, account, portal_client):
    from hypothesis import HealthCheck, given, settings

    token = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    headers = {"HTTP_ACCEPT": JSON, "HTTP_AUTHORIZATION": f"Bearer {token.access_token}"}
    paths = ["work", "works", "external-identifiers", "researcher-urls", "employment"]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(document=json_documents())
    def posting(document):
        import json

        body = json.dumps(document)
        for path in paths:
            answer = client.post(
                f"/api/v3.0/{account.orcid}/{path}", data=body, content_type=JSON, **headers
            )
            # then: accepted or a client error in ORCID's shape, never a failure
            assert answer.status_code in (200, 201, 400, 409), (path, body)
            if answer.status_code >= 400:
                assert "error-code" in answer.json()

    posting()


def test_prompt_none_with_a_nul_client_id_is_refused(client, portal_client):
    # when
    response = client.get(
        "/oauth/authorize",
        {
            "client_id": "APP-\x00",
            "response_type": "code",
            "scope": "/authenticate",
            "redirect_uri": "http://127.0.0.1:8000/backend/orcid/callback",
            "prompt": "none",
        },
    )
    # then
    assert response.status_code == 400
    assert "Location" not in response


def test_activities_have_every_section_of_orcids_sample(client, account, portal_client):
    # given: ORCID's own full record sample
    import json

    sample = (
        Path(__file__).resolve().parents[3]
        / "shared/orcid-model/orcid-model/src/main/resources/record_3.0/samples/read_samples"
        / "record-full-3.0.json"
    )
    if not sample.exists():
        pytest.skip(f"ORCID's samples are not at {sample} (the shared folder beside the repo)")
    full = json.loads(sample.read_text(encoding="utf-8"))
    expected = full["activities-summary"]
    a_work(account, portal_client, "Dated", "2006")
    # when
    whole = get(client, f"/pub/v3.0/{account.orcid}/record").json()
    record = whole["activities-summary"]
    # then: the record's parts, and the same sections in the same order with the sample's keys
    assert list(whole) == list(full)
    assert list(whole["history"]) == list(full["history"])
    assert list(record) == list(expected)
    for name, section in expected.items():
        if isinstance(section, dict) and name != "last-modified-date":
            assert list(record[name]) == list(section), name
    assert record["last-modified-date"] == record["works"]["last-modified-date"]


@pytest.mark.parametrize("path", ["/oauth/token", "/api/oauth/token", "/pub/oauth/token"])
def test_token_endpoint_answers_on_the_api_bases_too(client, portal_client, path):
    # when
    response = client.post(
        path,
        {
            "client_id": "APP-SCHOLARHUBDEMO01",
            "client_secret": "portal-secret",
            "grant_type": "client_credentials",
            "scope": "/read-public",
        },
    )
    # then
    assert response.status_code == 200
    assert response.json()["scope"] == "/read-public"
    assert response.json()["orcid"] is None


@pytest.mark.parametrize("text", ["a\x01b", "a\x0bb", "\ud800", "a\ufffeb", "x\x00y", "\x1f"])
def test_json_text_that_xml_cannot_carry_is_refused(client, account, portal_client, text):
    # given
    import json

    token = make_token(account, portal_client, "/activities/update /person/update")
    work = {
        "title": {"title": {"value": text}},
        "type": "journal-article",
        "external-ids": {
            "external-id": [
                {
                    "external-id-type": "doi",
                    "external-id-value": "10.1/x",
                    "external-id-relationship": "self",
                }
            ]
        },
    }
    # when
    response = client.post(
        f"/api/v3.0/{account.orcid}/work",
        data=json.dumps(work),
        content_type=JSON,
        HTTP_ACCEPT=JSON,
        HTTP_AUTHORIZATION=f"Bearer {token.access_token}",
    )
    # then: refused, naming the character; nothing stored
    assert response.status_code == 400
    assert response.json()["error-code"] == 9047
    assert "U+" in response.json()["developer-message"]
    assert not Work.objects.exists()


def test_xml_documents_survive_control_characters_typed_into_forms(client, account, portal_client):
    # given: names and a client name holding characters XML 1.0 cannot carry
    account.given_names = "Chris\x01"
    account.other_names = "Wong\x0b, C."
    account.save()
    portal_client.name = "CityU\x1f Scholars"
    portal_client.save()
    a_work(account, portal_client, "Work\x02")
    # when
    answers = [client.get(f"/pub/v3.0/{account.orcid}/{part}") for part in ("record", "works")]
    # then: the documents are served, the characters replaced
    for answer in answers:
        assert answer.status_code == 200
        assert "\ufffd" in answer.content.decode()


WRITE_SAMPLES = (
    Path(__file__).resolve().parents[3]
    / "shared/orcid-model/orcid-model/src/main/resources/record_3.0/samples/write_samples"
)
ODD_TEXTS = ["", " ", "x" * 3000, "\u202e", "-1", "99999999999999999999", "²", "<", "self"]
ODD_TEXTS += ["part-of", "doi", "2006", "13", "00"]


def mutated(sample: str, chance: random.Random) -> bytes:
    """An official write sample with a few elements dropped, doubled or given odd text."""
    root = etree.parse(str(WRITE_SAMPLES / sample)).getroot()
    for _ in range(chance.randint(1, 4)):
        node = chance.choice([item for item in root.iter() if isinstance(item.tag, str)])
        parent = node.getparent()
        draw = chance.random()
        if draw < 0.3 and parent is not None:
            parent.remove(node)
        elif draw < 0.6:
            node.text = chance.choice(ODD_TEXTS)
        elif draw < 0.8 and parent is not None:
            parent.append(etree.fromstring(etree.tostring(node)))
        elif node.attrib:
            node.attrib[chance.choice(list(node.attrib))] = chance.choice(ODD_TEXTS)
    document: bytes = etree.tostring(root)
    return document


@pytest.mark.parametrize("seed", range(8))
def test_mutated_official_samples_are_refused_or_read_back_as_valid_xml(
    client, account, portal_client, seed
):
    # given
    if not WRITE_SAMPLES.exists():
        pytest.skip(f"ORCID's write samples are not at {WRITE_SAMPLES} (shared folder absent)")
    from orcid_sandbox.tests.xsd import assert_valid

    chance = random.Random(seed)
    token = make_token(account, portal_client, "/activities/update /person/update /read-limited")
    headers = {"HTTP_ACCEPT": XML, "HTTP_AUTHORIZATION": f"Bearer {token.access_token}"}
    samples = {
        "work-full-3.0.xml": "work",
        "work-simple-3.0.xml": "work",
        "bulk-work-3.0.xml": "works",
        "employment-3.0.xml": "employment",
        "external-identifier-3.0.xml": "external-identifiers",
        "researcher-url-3.0.xml": "researcher-urls",
    }
    for sample, path in samples.items():
        for _ in range(3):
            # when
            answer = client.post(
                f"/api/v3.0/{account.orcid}/{path}",
                data=mutated(sample, chance),
                content_type=XML,
                **headers,
            )
            # then: a client error, or stored and read back as valid XML
            assert answer.status_code in (200, 201, 400, 409)
            if answer.status_code == 201:
                stored = client.get(answer["Location"].removeprefix("http://testserver"), **headers)
                assert_valid(stored.content)
    for part in ("record", "works", "person", "activities"):
        assert_valid(client.get(f"/api/v3.0/{account.orcid}/{part}", **headers).content)


def test_hidden_person_items_get_orcids_403s(client, account, portal_client, scopus_client):
    # given: an Other ID the researcher keeps to trusted parties, written by Scopus
    from orcid_sandbox.models import OtherId

    item = OtherId.objects.create(
        account=account,
        source_client=scopus_client,
        id_type="Scopus Author ID",
        value="98765432100",
        url="https://www.scopus.com/authid/detail.uri?authorId=98765432100",
        visibility=Visibility.LIMITED,
    )
    reader = make_token(account, portal_client, "/read-limited")
    writer = make_token(account, portal_client, "/person/update")
    path = f"/{account.orcid}/external-identifiers/{item.pk}"
    # when / then
    assert get(client, f"/api/v3.0{path}", reader).status_code == 200
    assert get(client, f"/api/v3.0{path}", writer).json()["error-code"] == 9038
    assert get(client, f"/pub/v3.0{path}").json()["error-code"] == 9039
    assert (
        get(client, f"/api/v3.0/{account.orcid}/external-identifiers/999999", reader).json()[
            "error-code"
        ]
        == 9016
    )
