"""The Scopus APIs: shapes real clients parse, paging, forwarding, keys, quotas, hostile input."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client as TestClient

from scopus_sandbox import actions
from scopus_sandbox.choices import FeedbackKindChoices
from scopus_sandbox.models import AuthorProfile
from scopus_sandbox.tests.fixtures import API_KEY, CHRIS_ID, HKALL_DOI, HKALL_EID

pytestmark = pytest.mark.django_db(databases=["scopus", "default"])


def test_author_retrieval_enhanced_has_fields_clients_need(client, world, api_key, headers):
    # given Chris's profile in the index
    # when it is retrieved in the ENHANCED view
    response = client.get(f"/content/author/author_id/{CHRIS_ID}?view=ENHANCED", headers=headers)
    # then the body is a one-element list with the coredata, links in order, and the profile
    assert response.status_code == 200
    items = response.json()["author-retrieval-response"]
    assert isinstance(items, list)
    assert len(items) == 1
    item = items[0]
    assert item["coredata"]["dc:identifier"] == f"AUTHOR_ID:{CHRIS_ID}"
    assert [link["@rel"] for link in item["coredata"]["link"]] == [
        "scopus-author",
        "self",
        "search",
        "coauthor-search",
    ]
    assert item["coredata"]["link"][1]["@href"].startswith("http://testserver/")
    assert int(item["coredata"]["document-count"]) == 4  # 6 outputs, 2 on the split profile
    assert "h-index" in item
    assert "coauthor-count" in item
    profile = item["author-profile"]
    assert profile["preferred-name"]["surname"] == "Wong"
    assert profile["preferred-name"]["given-name"] == "Chris"
    current = profile["affiliation-current"]["affiliation"]
    assert current["@affiliation-id"] == "60008592"
    assert current["ip-doc"]["preferred-name"]["$"] == "City University of Hong Kong"
    assert "date-created" in profile
    for area in item["subject-areas"]["subject-area"]:
        assert int(area["@code"])
        assert area["@abbrev"]
        assert area["$"]


def test_author_retrieval_light_puts_names_at_top_level(client, world, api_key, headers):
    # when
    response = client.get(f"/content/author/author_id/{CHRIS_ID}", headers=headers)
    # then
    item = response.json()["author-retrieval-response"][0]
    assert item["preferred-name"]["surname"] == "Wong"
    assert item["affiliation-current"]["affiliation-city"] == "Kowloon"
    assert "author-profile" not in item
    assert "h-index" not in item


def test_author_retrieval_metrics_has_no_names(client, world, api_key, headers):
    # when
    response = client.get(f"/content/author/author_id/{CHRIS_ID}?view=METRICS", headers=headers)
    # then
    item = response.json()["author-retrieval-response"][0]
    assert "h-index" in item
    assert "link" not in item["coredata"]
    assert "subject-areas" not in item


def test_author_retrieval_field_keeps_only_named_fields(client, world, api_key, headers):
    # when
    response = client.get(
        f"/content/author/author_id/{CHRIS_ID}?view=STANDARD&field=document-count,eid",
        headers=headers,
    )
    # then
    item = response.json()["author-retrieval-response"][0]
    assert set(item["coredata"]) == {"document-count", "eid"}
    assert "author-profile" not in item


def test_author_retrieval_by_orcid_after_link(client, world, api_key, headers):
    # given the ORCID link applied from the feedback queue
    profile = AuthorProfile.objects.get(author_id=CHRIS_ID)
    url = "/content/author/orcid/0000-0000-0000-0001"
    assert client.get(url, headers=headers).status_code == 404
    actions.do_submit_feedback(
        profile, FeedbackKindChoices.LINK_ORCID, {"orcid": "0000-0000-0000-0001"}, acting_as="test"
    )
    actions.do_process_feedback(now=True)
    # when
    response = client.get(url, headers=headers)
    # then
    coredata = response.json()["author-retrieval-response"][0]["coredata"]
    assert coredata["orcid"] == "0000-0000-0000-0001"
    assert coredata["dc:identifier"] == f"AUTHOR_ID:{CHRIS_ID}"


def test_author_retrieval_unknown_id_is_scopus_404(client, world, api_key, headers):
    # when
    response = client.get("/content/author/author_id/12345678901", headers=headers)
    # then
    assert response.status_code == 404
    status = response.json()["service-error"]["status"]
    assert status["statusCode"] == "RESOURCE_NOT_FOUND"


@pytest.mark.parametrize("view", ["FULL", "ENTITLED2", "<script>", "x" * 5000])
def test_author_retrieval_unknown_view_is_400(client, world, api_key, headers, view):
    # when
    response = client.get(f"/content/author/author_id/{CHRIS_ID}", {"view": view}, headers=headers)
    # then
    assert response.status_code == 400
    assert response.json()["service-error"]["status"]["statusCode"] == "INVALID_INPUT"


@pytest.mark.parametrize("bad", ["abc", "1" * 30, "0000-0000-0000-0002"])
def test_author_retrieval_malformed_ids_are_400(client, world, api_key, headers, bad):
    # when
    by_id = client.get(f"/content/author/author_id/{bad}", headers=headers)
    by_orcid = client.get(f"/content/author/orcid/{bad}", headers=headers)
    # then
    assert by_id.status_code in {400, 404}
    assert by_orcid.status_code == 400


def test_merged_profile_forwards_to_survivor(client, world, api_key, headers):
    # given Chris's split profile merged into his main one
    survivor = AuthorProfile.objects.get(author_id=CHRIS_ID)
    old = AuthorProfile.objects.get(author_id="55912345600")
    actions.do_merge_profiles(survivor, [old], acting_as="test")
    # when the old id is retrieved
    response = client.get("/content/author/author_id/55912345600?view=ENHANCED", headers=headers)
    # then the survivor answers, naming the old id as historical
    coredata = response.json()["author-retrieval-response"][0]["coredata"]
    assert coredata["dc:identifier"] == f"AUTHOR_ID:{CHRIS_ID}"
    assert coredata["historical-identifier"] == [{"$": "AUTHOR_ID:55912345600"}]
    assert coredata["document-count"] == "6"


def test_split_profile_answers_alias_list(client, world, api_key, headers):
    # given a profile split in two
    profile = AuthorProfile.objects.get(author_id=CHRIS_ID)
    authorships = list(profile.authorships.values_list("pk", flat=True))
    new = actions.do_split_profile(profile, [authorships[:2], authorships[2:]], acting_as="test")
    # when
    response = client.get(f"/content/author/author_id/{CHRIS_ID}", headers=headers)
    # then
    body = response.json()["author-retrieval-response"]
    assert isinstance(body, dict)
    # as pybliometrics reads them: the text after the last ":"
    ids = [item["$"].split(":")[-1] for item in body["alias"]["prism:url"]]
    assert sorted(ids) == sorted(p.author_id for p in new)


def test_author_search_by_orcid_and_name(client, world, api_key, headers):
    # given
    AuthorProfile.objects.filter(author_id=CHRIS_ID).update(orcid="0000-0000-0000-0001")
    # when
    by_orcid = client.get(
        "/content/search/author", {"query": "ORCID(0000-0000-0000-0001)"}, headers=headers
    ).json()["search-results"]
    by_name = client.get(
        "/content/search/author",
        {"query": "AUTHLASTNAME(Wong) AND AUTHFIRST(C) AND AF-ID(60008592)"},
        headers=headers,
    ).json()["search-results"]
    # then
    assert by_orcid["opensearch:totalResults"] == "1"
    entry = by_orcid["entry"][0]
    assert entry["dc:identifier"] == f"AUTHOR_ID:{CHRIS_ID}"
    assert entry["document-count"] == "4"
    assert entry["orcid"] == "0000-0000-0000-0001"
    assert entry["affiliation-current"]["affiliation-name"] == "City University of Hong Kong"
    assert [e["dc:identifier"] for e in by_name["entry"]] == [f"AUTHOR_ID:{CHRIS_ID}"]


def test_author_search_boolean_operators(client, world, api_key, headers):
    # when
    wongs = client.get(
        "/content/search/author", {"query": "AUTHLASTNAME(Wong)"}, headers=headers
    ).json()["search-results"]
    not_cityu = client.get(
        "/content/search/author",
        {"query": "AUTHLASTNAME(Wong) AND NOT AFFIL(City University)"},
        headers=headers,
    ).json()["search-results"]
    either = client.get(
        "/content/search/author",
        {"query": "(AU-ID(98765432100) OR AU-ID(57000015838))"},
        headers=headers,
    ).json()["search-results"]
    # then Chris's two profiles and the Peking namesake; without CityU, the other two
    assert int(wongs["opensearch:totalResults"]) == 3
    assert int(not_cityu["opensearch:totalResults"]) == 2
    assert int(either["opensearch:totalResults"]) == 2


def test_scopus_search_finds_hkall_by_doi_eid_title_year(client, world, api_key, headers):
    for query in [
        f"DOI({HKALL_DOI})",
        f"EID({HKALL_EID})",
        'TITLE("resource sharing") AND PUBYEAR = 2006',
        "AU-ID(98765432100) AND PUBYEAR < 2007",
        "AF-ID(60008592) AND TITLE(HKALL)",
    ]:
        # when
        body = client.get("/content/search/scopus", {"query": query}, headers=headers).json()[
            "search-results"
        ]
        # then
        assert body["opensearch:totalResults"] == "1", query
        entry = body["entry"][0]
        assert entry["eid"] == HKALL_EID
        assert entry["prism:doi"] == HKALL_DOI
        assert entry["citedby-count"].isdigit()
        assert entry["openaccess"] == "0"
        assert entry["subtype"] == "ar"


def test_scopus_search_complete_lists_authors(client, world, api_key, headers):
    # when
    body = client.get(
        "/content/search/scopus",
        {"query": "DOI(10.1000/chris.1)", "view": "COMPLETE"},
        headers=headers,
    ).json()["search-results"]
    # then
    authors = body["entry"][0]["author"]
    assert [a["surname"] for a in authors] == ["Wong", "Leung"]
    assert authors[0]["authid"] == CHRIS_ID
    assert authors[0]["afid"] == [{"@_fa": "true", "$": "60008592"}]


def test_scopus_search_empty_result_shape(client, world, api_key, headers):
    # when
    body = client.get(
        "/content/search/scopus", {"query": "TITLE(nothing-like-this)"}, headers=headers
    ).json()["search-results"]
    # then
    assert body["opensearch:totalResults"] == "0"
    assert body["entry"] == [{"@_fa": "true", "error": "Result set was empty"}]


def test_scopus_search_start_paging_follows_absolute_next_links(client, world, api_key, headers):
    # given
    url = "/content/search/scopus?query=AF-ID(60008592)&count=2"
    seen: list[str] = []
    # when the next links are followed to the end
    while url:
        body = client.get(url, headers=headers).json()["search-results"]
        seen += [entry["eid"] for entry in body["entry"]]
        nxt = [link["@href"] for link in body["link"] if link["@ref"] == "next"]
        assert all(href.startswith("http://testserver/") for href in nxt)
        url = nxt[0].removeprefix("http://testserver") if nxt else ""
    # then every document came exactly once
    assert len(seen) == len(set(seen)) == int(body["opensearch:totalResults"]) == 5


def test_scopus_search_cursor_paging(client, world, api_key, headers):
    # given
    cursor = "*"
    seen: list[str] = []
    # when
    for _ in range(10):
        body = client.get(
            "/content/search/scopus",
            {"query": "AF-ID(60008592)", "count": 2, "cursor": cursor},
            headers=headers,
        ).json()["search-results"]
        page = [e["eid"] for e in body["entry"] if "eid" in e]
        if not page:
            break
        seen += page
        cursor = body["cursor"]["@next"]
    # then
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"count": "²"}, "whole number"),
        ({"count": "١٢"}, "whole number"),
        ({"start": "1e3"}, "whole number"),
        ({"start": "\x00"}, "whole number"),
        ({"count": "201"}, "Exceeds the maximum"),
        ({"count": "26", "view": "COMPLETE"}, "Exceeds the maximum"),
        ({"count": "99999999999999"}, "whole number"),
        ({"count": "-1"}, "whole number"),
        ({"start": "5000"}, "Exceeds the maximum"),
        ({"cursor": "not-a-cursor!"}, "cursor"),
        ({"view": "FULL"}, "View"),
    ],
)
def test_scopus_search_hostile_paging_is_400(client, world, api_key, headers, params, text):
    # when
    response = client.get(
        "/content/search/scopus", {"query": "AF-ID(60008592)", **params}, headers=headers
    )
    # then
    assert response.status_code == 400
    assert text in response.json()["service-error"]["status"]["statusText"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "AU-ID(",
        "AU-ID(1) AND",
        "AND AU-ID(1)",
        "FOO(1)",
        "((AU-ID(1))",
        "PUBYEAR > abcd",
        "AU-ID(1) AU-ID(2)",
        "EID(33745291715)",
        "TITLE(" + "x" * 5000 + ")",
        "AU-ID(1) OR " * 300 + "AU-ID(1)",
        "\x00",
        "AU-ID(1))",
        "(AU-ID(1)",
        ")",
        "   ",
        "x" * 10_000,
        "TITLE(" + "x" * 9_993 + ")",
        "TITLE(a\x00b)",
        "AU-ID(98765432100\x00)",
        "ORCID(\x00)",
        "AUTHLASTNAME(Wong\x1b)",
        "(" * 60 + "AU-ID(1)" + ")" * 60,
        "(" * 1_000,
        "TÍTLE(x)",
        "作者(王)",
    ],
)
def test_malformed_queries_are_400_never_500(client, world, api_key, headers, query):
    for endpoint in ("/content/search/scopus", "/content/search/author"):
        # when
        response = client.get(endpoint, {"query": query}, headers=headers)
        # then
        assert response.status_code == 400, (endpoint, query)
        assert response.json()["service-error"]["status"]["statusCode"] == "INVALID_INPUT"


def test_missing_and_bad_keys_are_401(client, world, api_key):
    # when
    missing = client.get(f"/content/author/author_id/{CHRIS_ID}")
    bad = client.get(f"/content/author/author_id/{CHRIS_ID}", headers={"X-ELS-APIKey": "nope"})
    huge = client.get(f"/content/author/author_id/{CHRIS_ID}", {"apiKey": "k" * 500})
    as_param = client.get(f"/content/author/author_id/{CHRIS_ID}", {"apiKey": api_key.key})
    # then
    for response in (missing, bad, huge):
        assert response.status_code == 401
        assert response.json()["service-error"]["status"]["statusCode"] == "AUTHENTICATION_ERROR"
    assert as_param.status_code == 200


def test_quota_spent_gives_429_with_els_status(client, world):
    # given a key with a quota of two requests a week
    actions.do_create_api_key(label="tiny", weekly_quota=2, key="tinykey")
    headers = {"X-ELS-APIKey": "tinykey"}
    url = f"/content/author/author_id/{CHRIS_ID}"
    # when
    first = client.get(url, headers=headers)
    second = client.get(url, headers=headers)
    third = client.get(url, headers=headers)
    other_api = client.get("/content/search/scopus", {"query": "AU-ID(1)"}, headers=headers)
    # then
    assert first["X-RateLimit-Limit"] == "2"
    assert (first["X-RateLimit-Remaining"], second["X-RateLimit-Remaining"]) == ("1", "0")
    assert third.status_code == 429
    assert third["X-ELS-Status"] == "QUOTA_EXCEEDED - Quota Exceeded"
    assert int(third["X-RateLimit-Reset"]) == int(first["X-RateLimit-Reset"])
    assert "X-RateLimit-Remaining" not in third
    assert other_api.status_code == 200  # quotas are per API


def test_writes_are_refused(client, world, api_key, headers):
    # when
    response = client.post(f"/content/author/author_id/{CHRIS_ID}", headers=headers)
    # then
    assert response.status_code == 405


def test_affiliation_retrieval(client, world, api_key, headers):
    # when
    found = client.get("/content/affiliation/affiliation_id/60008592", headers=headers)
    missing = client.get("/content/affiliation/affiliation_id/60000000", headers=headers)
    # then
    body = found.json()["affiliation-retrieval-response"]
    assert body["affiliation-name"] == "City University of Hong Kong"
    assert body["coredata"]["dc:identifier"] == "AFFILIATION_ID:60008592"
    assert int(body["coredata"]["document-count"]) >= 5
    assert missing.status_code == 404


def test_next_link_parameters_survive(client, world, api_key, headers):
    # when
    body = client.get(
        "/content/search/scopus", {"query": "AF-ID(60008592)", "count": 1}, headers=headers
    ).json()["search-results"]
    # then
    nxt = next(link["@href"] for link in body["link"] if link["@ref"] == "next")
    params = parse_qs(urlparse(nxt).query)
    assert params["start"] == ["1"]
    assert params["count"] == ["1"]
    assert "apiKey" not in params


def test_scopus_search_by_orcid_finds_articles_once_linked(client, world, api_key, headers):
    # given
    query = {"query": "ORCID(0000-0000-0000-0001)"}
    before = client.get("/content/search/scopus", query, headers=headers).json()
    profile = AuthorProfile.objects.get(author_id=CHRIS_ID)
    actions.do_submit_feedback(
        profile, FeedbackKindChoices.LINK_ORCID, {"orcid": "0000-0000-0000-0001"}, acting_as="test"
    )
    actions.do_process_feedback(now=True)
    # when
    after = client.get("/content/search/scopus", query, headers=headers).json()
    # then
    assert before["search-results"]["opensearch:totalResults"] == "0"
    eids = {entry["eid"] for entry in after["search-results"]["entry"]}
    assert HKALL_EID in eids
    assert len(eids) == 4


def test_quota_resets_a_week_after_first_use(client, world):
    # given a key whose quota was spent eight days ago
    from django.utils import timezone

    from scopus_sandbox.models import ApiKeyUsage

    key = actions.do_create_api_key(label="old", weekly_quota=3, key="oldkey")
    ApiKeyUsage.objects.create(
        api_key=key,
        api="author_retrieval",
        window_started=timezone.now() - datetime.timedelta(days=8),
        used=3,
    )
    # when
    response = client.get(
        f"/content/author/author_id/{CHRIS_ID}", headers={"X-ELS-APIKey": "oldkey"}
    )
    # then a new week started with this request
    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "2"


def _search(
    client: TestClient, headers: dict[str, str], endpoint: str, query: str
) -> tuple[int, list[str | None]]:
    response = client.get(f"/content/search/{endpoint}", {"query": query}, headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()["search-results"]
    return int(body["opensearch:totalResults"]), [e.get("dc:identifier") for e in body["entry"]]


def test_author_search_every_field(client, world, api_key, headers):
    # given
    AuthorProfile.objects.filter(author_id=CHRIS_ID).update(orcid="0000-0000-0000-0001")
    chris = f"AUTHOR_ID:{CHRIS_ID}"
    # when / then: each field finds Chris, and what it should not find stays out
    assert _search(client, headers, "author", f"AU-ID({CHRIS_ID})") == (1, [chris])
    assert _search(client, headers, "author", "ORCID(0000-0000-0000-0001)") == (1, [chris])
    assert chris in _search(client, headers, "author", "AUTH(Wong, Chris)")[1]
    assert chris in _search(client, headers, "author", "AUTH(Wong C)")[1]
    assert chris not in _search(client, headers, "author", "AUTH(Wong, Wei)")[1]
    assert _search(client, headers, "author", "AUTHLASTNAME(wong) AND AUTHFIRST(Wei)")[0] == 1
    assert chris in _search(client, headers, "author", "AFFIL(City University of Hong Kong)")[1]
    assert chris not in _search(client, headers, "author", "AF-ID(60025084)")[1]
    assert _search(client, headers, "author", "AUTHLASTNAME(Wong) OR AUTHLASTNAME(Tang)")[0] == 4


def test_scopus_search_boolean_operators(client, world, api_key, headers):
    # when
    either, _ = _search(client, headers, "scopus", f"DOI({HKALL_DOI}) OR DOI(10.1000/chris.1)")
    chris, _ = _search(client, headers, "scopus", f"AU-ID({CHRIS_ID})")
    not_hkall, _ = _search(client, headers, "scopus", f"AU-ID({CHRIS_ID}) AND NOT TITLE(HKALL)")
    nested, _ = _search(
        client,
        headers,
        "scopus",
        f"(PUBYEAR > 2008 AND PUBYEAR < 2011) AND (AU-ID({CHRIS_ID}) OR AU-ID(55912345600))",
    )
    # then
    assert either == 2
    assert not_hkall == chris - 1
    assert nested == 2  # the 2009 and 2010 studies, whichever of Chris's profiles holds them


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("scopus", "TITLE(café) OR AUTH(王, 小明)"),
        ("scopus", "TITLE(Ünïcödé ✓)"),
        ("scopus", "PUBYEAR > ٢٠٠٦"),
        ("author", "AUTHLASTNAME(Wöng) AND AFFIL(香港)"),
        ("author", "AUTH(Ωμέγα)"),
        ("scopus", "TITLE(" + "x" * 3_993 + ")"),  # exactly the 4,000-character limit
    ],
)
def test_non_ascii_and_boundary_queries_are_answered(
    client, world, api_key, headers, endpoint, query
):
    # when
    response = client.get(f"/content/search/{endpoint}", {"query": query}, headers=headers)
    # then
    assert response.status_code == 200
    assert "opensearch:totalResults" in response.json()["search-results"]


def test_author_search_paging_limits(client, world, api_key, headers):
    # when
    too_many = client.get(
        "/content/search/author", {"query": "AUTHLASTNAME(Wong)", "count": "201"}, headers=headers
    )
    at_limit = client.get(
        "/content/search/author", {"query": "AUTHLASTNAME(Wong)", "count": "200"}, headers=headers
    )
    complete = client.get(
        "/content/search/author",
        {"query": "AUTHLASTNAME(Wong)", "view": "COMPLETE"},
        headers=headers,
    )
    cursor = client.get(
        "/content/search/author", {"query": "AUTHLASTNAME(Wong)", "cursor": "*"}, headers=headers
    )
    # then
    assert at_limit.status_code == 200
    for response in (too_many, complete, cursor):
        assert response.status_code == 400
        assert response["X-ELS-Status"] == "INVALID_INPUT"


@pytest.mark.parametrize(
    "key", ["\x00", "testkey0123456789\x00", "tëstkey", "k" * 65, API_KEY.upper(), " ", "\t"]
)
def test_hostile_api_keys_are_401(client, world, api_key, key):
    # when
    by_param = client.get("/content/search/scopus", {"query": "AU-ID(1)", "apiKey": key})
    # then
    assert by_param.status_code == 401
    assert by_param["X-ELS-Status"] in {"AUTHENTICATION_ERROR"}
    assert by_param.json()["service-error"]["status"]["statusCode"] == "AUTHENTICATION_ERROR"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/content/affiliation/affiliation_id/%00", 400),
        ("/content/affiliation/affiliation_id/abc", 400),
        ("/content/affiliation/affiliation_id/" + "6" * 13, 400),
        ("/content/affiliation/affiliation_id/10-s2.0-60008592", 200),
        ("/content/author/author_id/%00", 400),
        ("/content/author/author_id/١٢٣", 400),
        ("/content/author/author_id/9-s2.0-" + CHRIS_ID, 200),
    ],
)
def test_retrieval_paths_with_hostile_ids(client, world, api_key, headers, path, status):
    # when
    response = client.get(path, headers=headers)
    # then
    assert response.status_code == status
    if status != 200:
        assert response.json()["service-error"]["status"]["statusCode"] == "INVALID_INPUT"


def test_writes_are_refused_with_a_service_error(client, world, api_key, headers):
    # when
    response = client.delete(f"/content/author/author_id/{CHRIS_ID}", headers=headers)
    # then
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["service-error"]["status"]["statusCode"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    "path", ["/content/abstract/isbn/9780203881484", "/content/", "/content/author/x/y"]
)
def test_unserved_content_paths_are_service_error_404(client, world, api_key, headers, path):
    # when
    response = client.get(path, headers=headers)
    # then
    assert response.status_code == 404
    assert response.json()["service-error"]["status"]["statusCode"] == "RESOURCE_NOT_FOUND"


# --- Author Retrieval by EID and by several ids -------------------------------------------


def _identifiers(body: dict[str, Any]) -> list[Any]:
    items = body["author-retrieval-response-list"]["author-retrieval-response"]
    return [
        item["coredata"]["dc:identifier"].split(":")[1] if "coredata" in item else item
        for item in items
    ]


def test_author_retrieval_by_eid(client, world, api_key, headers):
    # when
    found = client.get(f"/content/author/eid/9-s2.0-{CHRIS_ID}?view=ENHANCED", headers=headers)
    bare = client.get(f"/content/author/eid/{CHRIS_ID}", headers=headers)
    document_eid = client.get(f"/content/author/eid/{HKALL_EID}", headers=headers)
    unknown = client.get("/content/author/eid/9-s2.0-12345678901", headers=headers)
    # then
    item = found.json()["author-retrieval-response"][0]
    assert item["coredata"]["eid"] == f"9-s2.0-{CHRIS_ID}"
    assert item["author-profile"]["preferred-name"]["surname"] == "Wong"
    assert (bare.status_code, document_eid.status_code, unknown.status_code) == (400, 400, 404)


def test_author_retrieval_of_several_ids_keeps_their_order(client, world, api_key, headers):
    # when
    by_id = client.get(
        "/content/author",
        {"author_id": f" 57000015838 , {CHRIS_ID}", "view": "METRICS"},
        headers=headers,
    )
    by_eid = client.get(
        "/content/author", {"eid": f"9-s2.0-{CHRIS_ID},9-s2.0-57000015838"}, headers=headers
    )
    in_path = client.get(f"/content/author/author_id/{CHRIS_ID},57000015838", headers=headers)
    # then
    assert by_id.status_code == 200
    assert _identifiers(by_id.json()) == ["57000015838", CHRIS_ID]
    assert all(
        "h-index" in item
        for item in by_id.json()["author-retrieval-response-list"]["author-retrieval-response"]
    )
    assert _identifiers(by_eid.json()) == [CHRIS_ID, "57000015838"]
    assert _identifiers(in_path.json()) == [CHRIS_ID, "57000015838"]


def test_author_retrieval_list_leaves_out_unknown_and_repeated_ids(client, world, api_key, headers):
    # given Chris's split profile merged into his main one
    survivor = AuthorProfile.objects.get(author_id=CHRIS_ID)
    actions.do_merge_profiles(
        survivor, [AuthorProfile.objects.get(author_id="55912345600")], acting_as="test"
    )
    # when the old id, the survivor, a repeat and an unknown id are asked for
    response = client.get(
        "/content/author",
        {"author_id": f"55912345600,{CHRIS_ID},{CHRIS_ID},12345678901"},
        headers=headers,
    )
    none_known = client.get(
        "/content/author", {"author_id": "12345678901,12345678902"}, headers=headers
    )
    # then the survivor answers once, and a list with no known id is a 404
    assert _identifiers(response.json()) == [CHRIS_ID]
    assert none_known.status_code == 404


def test_author_retrieval_list_answers_split_ids_with_aliases(client, world, api_key, headers):
    # given a profile split in two
    profile = AuthorProfile.objects.get(author_id=CHRIS_ID)
    authorships = list(profile.authorships.values_list("pk", flat=True))
    new = actions.do_split_profile(profile, [authorships[:2], authorships[2:]], acting_as="test")
    # when
    body = client.get(
        "/content/author", {"author_id": f"57000015838,{CHRIS_ID}"}, headers=headers
    ).json()
    # then
    first, second = body["author-retrieval-response-list"]["author-retrieval-response"]
    assert first["coredata"]["dc:identifier"] == "AUTHOR_ID:57000015838"
    aliases = [url["$"].split(":")[-1] for url in second["alias"]["prism:url"]]
    assert sorted(aliases) == sorted(p.author_id for p in new)


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({}, "exactly one of author_id and eid"),
        ({"author_id": CHRIS_ID, "eid": f"9-s2.0-{CHRIS_ID}"}, "exactly one"),
        ({"author_id": ",".join(str(10_000_000_000 + n) for n in range(26))}, "At most 25"),
        ({"author_id": "1," * 5_000}, "At most 25"),
        ({"author_id": ""}, "Invalid author id"),
        ({"author_id": f"{CHRIS_ID},,57000015838"}, "Invalid author id"),
        ({"author_id": f"{CHRIS_ID},"}, "Invalid author id"),
        ({"author_id": "abc"}, "Invalid author id"),
        ({"author_id": "1\x00"}, "Invalid author id"),
        ({"author_id": "9" * 21}, "Invalid author id"),
        ({"eid": CHRIS_ID}, "Invalid author EID"),
        ({"eid": f"9-s2.0-{CHRIS_ID},{HKALL_EID}"}, "Invalid author EID"),
        ({"author_id": CHRIS_ID, "view": "FULL"}, "View"),
    ],
)
def test_author_retrieval_list_refusals_are_400(client, world, api_key, headers, params, text):
    # when
    response = client.get("/content/author", params, headers=headers)
    # then
    assert response.status_code == 400
    assert text in response.json()["service-error"]["status"]["statusText"]


def test_author_retrieval_list_of_25_is_answered(client, world, api_key, headers):
    # given 25 ids, two of them known
    ids = [CHRIS_ID, "57000015838"] + [str(10_000_000_000 + n) for n in range(23)]
    # when
    response = client.get("/content/author", {"author_id": ",".join(ids)}, headers=headers)
    # then
    assert response.status_code == 200
    assert _identifiers(response.json()) == [CHRIS_ID, "57000015838"]


def test_author_retrieval_list_queries_do_not_grow_with_ids(client, world, api_key, headers):
    # given
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    wongs = list(AuthorProfile.objects.filter(surname="Wong").values_list("author_id", flat=True))
    ids = [*wongs, "57000015838"]
    assert len(ids) >= 3

    def queries(author_ids: list[str]) -> int:
        with CaptureQueriesContext(connections["scopus"]) as captured:
            response = client.get(
                "/content/author",
                {"author_id": ",".join(author_ids), "view": "ENHANCED"},
                headers=headers,
            )
        assert response.status_code == 200
        return len(captured)

    queries(ids[:2])  # the key's first use of the week opens its quota window
    # when / then
    assert queries(ids[:2]) == queries(ids)


# --- Accept and httpAccept ------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept",
    [
        "application/xml",
        "text/xml",
        "application/atom+xml",
        "application/xml, text/xml;q=0.5",
        "application/json;q=0, */*",
        "text/html",
    ],
)
def test_accept_without_json_is_406(client, world, api_key, accept):
    # when
    response = client.get(
        f"/content/author/author_id/{CHRIS_ID}",
        headers={"X-ELS-APIKey": API_KEY, "Accept": accept},
    )
    # then
    assert response.status_code == 406
    status = response.json()["service-error"]["status"]
    assert status["statusCode"] == "NOT_ACCEPTABLE"
    assert "application/json only" in status["statusText"]
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "accept",
    [
        "",
        "*/*",
        "application/*",
        "application/json; charset=utf-8",
        "application/xml;q=0.9, application/json;q=0.1",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "application/json;q=banana",
        "application/json;q=nan",
        "," * 5_000,
    ],
)
def test_accept_with_json_is_answered(client, world, api_key, accept):
    # when
    response = client.get(
        f"/content/author/author_id/{CHRIS_ID}",
        headers={"X-ELS-APIKey": API_KEY, "Accept": accept},
    )
    # then
    assert response.status_code == 200


def test_http_accept_parameter_overrides_the_header(client, world, api_key, headers):
    # when
    xml = client.get(
        "/content/search/scopus",
        {"query": "AU-ID(1)", "httpAccept": "application/xml"},
        headers=headers,
    )
    json_ = client.get(
        "/content/search/scopus",
        {"query": "AU-ID(1)", "httpAccept": "application/json"},
        headers={"X-ELS-APIKey": API_KEY, "Accept": "text/xml"},
    )
    # then
    assert xml.status_code == 406
    assert json_.status_code == 200
    nxt = json_.json()["search-results"]["link"][0]["@href"]
    assert "httpAccept=application%2Fjson" in nxt


def test_refused_format_costs_no_quota(client, world):
    # given a key with one request a week
    actions.do_create_api_key(label="one", weekly_quota=1, key="onekey")
    url = f"/content/author/author_id/{CHRIS_ID}"
    # when an XML request is refused, then a JSON one is made
    refused = client.get(url, headers={"X-ELS-APIKey": "onekey", "Accept": "application/xml"})
    answered = client.get(url, headers={"X-ELS-APIKey": "onekey"})
    # then
    assert refused.status_code == 406
    assert answered.status_code == 200


def test_author_retrieval_standard_has_profile_but_no_metrics(client, world, api_key, headers):
    # when
    response = client.get(f"/content/author/author_id/{CHRIS_ID}?view=standard", headers=headers)
    # then
    item = response.json()["author-retrieval-response"][0]
    assert item["author-profile"]["preferred-name"]["surname"] == "Wong"
    assert [link["@rel"] for link in item["coredata"]["link"]] == [
        "scopus-author",
        "self",
        "search",
    ]
    assert "h-index" not in item
    assert "coauthor-count" not in item


def test_deactivated_key_is_401(client, world):
    # given
    key = actions.do_create_api_key(label="gone", weekly_quota=10, key="gonekey")
    key.active = False
    key.save(update_fields=["active"])
    # when
    response = client.get(
        f"/content/author/author_id/{CHRIS_ID}", headers={"X-ELS-APIKey": "gonekey"}
    )
    # then
    assert response.status_code == 401
    assert response["X-ELS-Status"] == "AUTHENTICATION_ERROR"


def test_author_search_queries_do_not_grow_with_page_size(client, world, api_key, headers):
    # given
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    def queries(count: int) -> int:
        with CaptureQueriesContext(connections["scopus"]) as captured:
            response = client.get(
                "/content/search/author",
                {"query": "AUTHLASTNAME(Wong) OR AUTHLASTNAME(Tang)", "count": count},
                headers=headers,
            )
        assert len(response.json()["search-results"]["entry"]) == min(count, 4)
        return len(captured)

    queries(1)  # the key's first use of the week opens its quota window
    # when / then
    assert queries(1) == queries(4)


@pytest.mark.parametrize(
    "typed",
    ["0000-0000-0000-0001", "https://orcid.org/0000-0000-0000-0001", "0000000000000001"],
)
def test_orcid_terms_accept_the_forms_people_type(client, world, api_key, headers, typed):
    # given
    AuthorProfile.objects.filter(author_id=CHRIS_ID).update(orcid="0000-0000-0000-0001")
    # when
    authors, ids = _search(client, headers, "author", f"ORCID({typed})")
    documents, _ = _search(client, headers, "scopus", f"ORCID({typed})")
    wrong, _ = _search(client, headers, "author", "ORCID(0000-0000-0000-0002)")
    # then
    assert (authors, ids) == (1, [f"AUTHOR_ID:{CHRIS_ID}"])
    assert documents == 4
    assert wrong == 0


def test_scopus_search_by_load_date(client, world, api_key, headers):
    def total(query: str) -> int:
        body = client.get("/content/search/scopus", {"query": query}, headers=headers).json()
        return int(body["search-results"]["opensearch:totalResults"])

    everything = total("AU-ID(98765432100)")
    assert everything > 0
    assert total("AU-ID(98765432100) AND ORIG-LOAD-DATE AFT 20000101") == everything
    assert total("AU-ID(98765432100) AND ORIG-LOAD-DATE AFT 20991231") == 0
    bad = client.get(
        "/content/search/scopus", {"query": "ORIG-LOAD-DATE AFT 20261340"}, headers=headers
    )
    assert bad.status_code == 400
    assert "not a date" in bad.text


# --- Hostile input found by probing (issue 8): no 500, Scopus's JSON error ---------------------


@pytest.mark.parametrize(
    "query",
    [
        "PUBYEAR IS 0000",
        "PUBYEAR > 0000",
        "PUBYEAR = 0000",
        "PUBYEAR < 0000",
        "PUBYEAR AFT 0000",
        "PUBYEAR BEF 0000",
        f"AU-ID({CHRIS_ID}) AND PUBYEAR > 0000",
    ],
)
def test_year_zero_is_refused_with_a_service_error(client, world, api_key, headers, query):
    # when
    response = client.get("/content/search/scopus", {"query": query}, headers=headers)
    # then
    assert response.status_code == 400
    text = response.json()["service-error"]["status"]["statusText"]
    assert "PUBYEAR 0000 is not a year" in text


@pytest.mark.parametrize("query", ["PUBYEAR > 9999", "PUBYEAR < 0001", "PUBYEAR IS 0001"])
def test_the_calendars_ends_are_answered(client, world, api_key, headers, query):
    response = client.get("/content/search/scopus", {"query": query}, headers=headers)
    assert response.status_code == 200
    assert response.json()["search-results"]["opensearch:totalResults"] == "0"


def test_an_over_long_query_string_gets_the_json_error(client, world, api_key, headers):
    # given: a query of 9,000 four-byte characters (36 KB of UTF-8, 108 KB percent-encoded)
    query = "TITLE(" + "𝒳" * 9_000 + ")"
    # when
    response = client.get("/content/search/scopus", {"query": query}, headers=headers)
    # then
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    text = response.json()["service-error"]["status"]["statusText"]
    assert "at most 65536 are read" in text


def test_the_longest_allowed_non_ascii_query_is_answered(client, world, api_key, headers):
    # given: 4,000 characters (the query limit), most of them four-byte ones
    query = "TITLE(" + "𝒳" * 3_993 + ")"
    # when
    response = client.get("/content/search/scopus", {"query": query}, headers=headers)
    # then
    assert response.status_code == 200
