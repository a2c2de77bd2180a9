"""The portal's Author Retrieval client against every kind of answer Scopus can give.

The real exchange with the Scopus sandbox is in tests/integration/test_exercise.py.
"""

from __future__ import annotations

import httpx
import pytest

from scopus_connector import client as scopus


@pytest.fixture
def answer(monkeypatch, settings):
    settings.SCOPUS_API_KEY = "key"
    calls: list[httpx.Request] = []

    def install(response: httpx.Response | Exception) -> list[httpx.Request]:
        def handler(request: httpx.Request) -> httpx.Response:
            calls.append(request)
            if isinstance(response, Exception):
                raise response
            return response

        monkeypatch.setattr(scopus, "SCOPUS_TRANSPORT", httpx.MockTransport(handler))
        return calls

    return install


def retrieval(orcid: str | None, identifier: str = "98765432100") -> dict:
    return {
        "author-retrieval-response": [
            {
                "coredata": {"dc:identifier": f"AUTHOR_ID:{identifier}", "orcid": orcid},
                "author-profile": {
                    "preferred-name": {"surname": "Wong", "given-name": "Chris"},
                    "affiliation-history": {"affiliation": {"@affiliation-id": "60008592"}},
                },
            }
        ]
    }


def test_found_profile_with_its_orcid_and_the_key_sent(answer):
    calls = answer(httpx.Response(200, json=retrieval("0000-0000-0000-0001")))
    author = scopus.author("98765432100")
    assert author.status == "found"
    assert author.orcid == "0000-0000-0000-0001"
    assert author.affiliation_ids == ["60008592"]  # a single affiliation comes as a dict
    assert calls[0].headers["X-ELS-APIKey"] == "key"
    assert calls[0].url.params["view"] == "ENHANCED"


def test_merged_profile_names_the_survivor(answer):
    answer(httpx.Response(200, json=retrieval(None, identifier="11111111111")))
    author = scopus.author("98765432100")
    assert (author.status, author.author_id, author.orcid) == ("merged", "11111111111", "")


def test_split_profile_lists_the_candidates(answer):
    urls = [{"$": "https://api.elsevier.com/content/author/author_id:57000000001"}]
    answer(httpx.Response(200, json={"author-retrieval-response": {"alias": {"prism:url": urls}}}))
    author = scopus.author("98765432100")
    assert (author.status, author.candidates) == ("split", ["57000000001"])


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(401, json={"service-error": {}}), "Scopus answered 401"),
        (
            httpx.Response(429, headers={"X-ELS-Status": "QUOTA_EXCEEDED - Quota Exceeded"}),
            "429 QUOTA_EXCEEDED",
        ),
        (httpx.Response(503, text="busy"), "Scopus answered 503"),
        (httpx.Response(200, text="<html>not json</html>"), "could not be read"),
        (httpx.Response(200, json={"unexpected": []}), "could not be read"),
        (httpx.ConnectError("refused"), "could not be reached (ConnectError)"),
        (httpx.ReadTimeout("slow"), "could not be reached (ReadTimeout)"),
    ],
)
def test_failures_say_what_went_wrong(answer, response, message):
    answer(response)
    with pytest.raises(
        scopus.ScopusUnavailable, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        scopus.author("98765432100")


def test_not_found(answer):
    answer(httpx.Response(404, json={"service-error": {"status": {}}}))
    assert scopus.author("98765432100").status == "not found"


def test_the_demo_key_file_is_used_when_no_key_is_configured(answer, settings, tmp_path):
    settings.SCOPUS_API_KEY = ""
    settings.VAR_DIR = tmp_path
    calls = answer(httpx.Response(404))
    with pytest.raises(scopus.ScopusUnavailable, match="No Scopus API key"):
        scopus.author("98765432100")
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "scopus-api-key.txt").write_text("demo-key\n")
    scopus.author("98765432100")
    assert calls[0].headers["X-ELS-APIKey"] == "demo-key"
