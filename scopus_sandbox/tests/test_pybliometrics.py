"""The done-when test: pybliometrics 4.4.1, unmodified, against a live Scopus sandbox.

The sandbox runs under gunicorn on a free loopback port with a temporary SQLite database that
`scholarhub scopus-sandbox seed-demo` filled in a subprocess; pybliometrics is pointed at it by
rewriting its URL table in place and reads a config file (keys, cache directories) in tmp.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scholarhub.processes import (
    SERVICES_BY_NAME,
    start_service,
    stop_all,
    wait_until_ready,
)
from scopus_sandbox.tests.fixtures import CAST, CHRIS_ID, HKALL_EID
from utilities.ports import free_port

pybliometrics = pytest.importorskip("pybliometrics")


@pytest.fixture(scope="module")
def live_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A seeded Scopus sandbox served by gunicorn; yields its base URL and demo API key."""
    root = tmp_path_factory.mktemp("scopus-live")
    cast = root / "cast.json"
    cast.write_text(json.dumps(CAST), encoding="utf-8")
    environment = {
        "SCHOLARHUB_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{root / 'scopus.sqlite3'}",
    }
    command = [sys.executable, "-m", "scholarhub.cli"]
    env = {**os.environ, **environment}
    for args in (
        ["migrate", "--database", "scopus", "-v", "0"],
        ["scopus-sandbox", "seed-demo", "--cast", str(cast), "--crowd", "40"],
    ):
        subprocess.run([*command, *args], env=env, check=True, capture_output=True)  # noqa: S603
    key = (root / "scopus-api-key.txt").read_text().strip()
    port = free_port()
    process = start_service(
        SERVICES_BY_NAME["scopus"], port, environment=environment, workers=1, threads=4
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(process, f"{base}/")
        yield {"base": base, "key": key, "root": root}
    finally:
        stop_all([process])


@pytest.fixture(scope="module")
def pointed(live_sandbox: dict[str, Any]) -> Iterator[None]:
    """pybliometrics with a config in tmp and its URL table aimed at the live sandbox."""
    from pybliometrics.utils import constants

    root: Path = live_sandbox["root"]
    config = root / "pybliometrics.cfg"
    directories = "\n".join(f"{api} = {root / 'cache' / api}" for api in constants.DEFAULT_PATHS)
    config.write_text(
        f"[Directories]\n{directories}\n\n[Authentication]\nAPIKey = {live_sandbox['key']}\n\n"
        "[Requests]\nTimeout = 20\nRetries = 0\n",
        encoding="utf-8",
    )
    saved = dict(constants.URLS)
    for api, url in constants.URLS.items():
        constants.URLS[api] = url.replace(
            "https://api.elsevier.com/content/", f"{live_sandbox['base']}/content/"
        )
    pybliometrics.init(config_path=config, keys=[live_sandbox["key"]])
    try:
        yield
    finally:
        constants.URLS.clear()
        constants.URLS.update(saved)


def test_author_retrieval_enhanced_of_chris(pointed):
    from pybliometrics.scopus import AuthorRetrieval

    # when
    author = AuthorRetrieval(CHRIS_ID, view="ENHANCED", refresh=True)
    # then
    assert author.identifier == int(CHRIS_ID)
    assert author.surname == "Wong"
    assert author.given_name == "Chris"
    assert author.document_count == 4
    current = author.affiliation_current[0]
    assert current.preferred_name == "City University of Hong Kong"
    assert current.city == "Kowloon"
    assert current.id == 60008592
    assert author.publication_range[0] == 2006
    assert author.h_index is not None
    assert author.subject_areas
    assert "Wong C." in str(author)
    assert author.get_key_remaining_quota() is not None


def test_author_search_by_orcid(pointed, live_sandbox):
    from pybliometrics.scopus import AuthorSearch

    # given Chris's ORCID linked through the feedback queue, in the sandbox's own process
    env = {
        **os.environ,
        "SCHOLARHUB_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{live_sandbox['root'] / 'scopus.sqlite3'}",
    }
    link = (
        "from scopus_sandbox import actions; from scopus_sandbox.models import AuthorProfile; "
        f"p = AuthorProfile.objects.get(author_id='{CHRIS_ID}'); "
        "actions.do_submit_feedback(p, 'link_orcid', {'orcid': '0000-0000-0000-0001'}, "
        "acting_as='test')"
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "scholarhub.cli", "shell", "-c", link], env=env, check=True
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "scholarhub.cli", "scopus-sandbox", "process-feedback", "--now"],
        env=env,
        check=True,
        capture_output=True,
    )
    # when
    search = AuthorSearch("ORCID(0000-0000-0000-0001)", refresh=True)
    # then
    assert search.get_results_size() == 1
    (found,) = search.authors
    assert found.eid == f"9-s2.0-{CHRIS_ID}"
    assert found.surname == "Wong"
    assert found.documents == 4
    assert found.affiliation == "City University of Hong Kong"


def test_scopus_search_cursor_paging(pointed):
    from pybliometrics.scopus import ScopusSearch

    # when Chris's documents are fetched two at a time with the cursor (the subscriber default)
    search = ScopusSearch(f"AU-ID({CHRIS_ID})", refresh=True, count=2)
    # then
    eids = [doc.eid for doc in search.results]
    assert len(eids) == len(set(eids)) == search.get_results_size() == 4
    assert HKALL_EID in eids
    hkall = next(doc for doc in search.results if doc.eid == HKALL_EID)
    assert hkall.doi == "10.1108/02641610610669750"
    assert hkall.author_ids.split(";")[0] == CHRIS_ID


def test_scopus_search_start_paging(pointed):
    from pybliometrics.scopus import ScopusSearch

    # when the non-subscriber way (STANDARD view, start/count) pages two at a time
    search = ScopusSearch(f"AU-ID({CHRIS_ID})", refresh=True, subscriber=False, count=2)
    # then
    eids = [doc.eid for doc in search.results]
    assert len(eids) == len(set(eids)) == 4
    assert HKALL_EID in eids


def test_unknown_author_raises_not_found(pointed):
    from pybliometrics.exception import Scopus404Error
    from pybliometrics.scopus import AuthorRetrieval

    # when / then
    with pytest.raises(Scopus404Error, match="cannot be found"):
        AuthorRetrieval("12345678901", view="ENHANCED", refresh=True)


def test_abstract_retrieval_by_eid_and_by_doi(pointed):
    from pybliometrics.scopus import AbstractRetrieval

    # when: the default view (META_ABS) by EID, and FULL by DOI (its type detected from the "/")
    by_eid = AbstractRetrieval(HKALL_EID, refresh=True)
    by_doi = AbstractRetrieval("10.1108/02641610610669750", view="FULL", refresh=True)
    # then
    for document in (by_eid, by_doi):
        assert document.eid == HKALL_EID
        assert document.identifier == int(HKALL_EID.removeprefix("2-s2.0-"))
        assert document.doi == "10.1108/02641610610669750"
        assert document.title.startswith("User-initiated resource sharing")
        assert document.aggregationType == "Journal"
        assert document.coverDate.startswith("2006")
        assert document.language == "eng"
        assert document.openaccess == 0
        assert document.authors[0].auid == int(CHRIS_ID)
        assert document.authors[0].surname == "Wong"
        assert document.affiliation[0].id == 60008592
        assert document.subject_areas
    assert by_doi.authorgroup[0].auid == int(CHRIS_ID)
    assert by_doi.issn is not None
    assert by_doi.date_created is not None
    assert "Wong" in str(by_eid)


def test_abstract_retrieval_of_an_unknown_document_raises_not_found(pointed):
    from pybliometrics.exception import Scopus404Error
    from pybliometrics.scopus import AbstractRetrieval

    with pytest.raises(Scopus404Error, match="cannot be found"):
        AbstractRetrieval("2-s2.0-99999999999", refresh=True)


def test_long_non_ascii_queries_get_json_from_the_served_sandbox(live_sandbox):
    import http.client
    from urllib.parse import urlencode, urlsplit

    # given: the sandbox as `make demo` serves it (gunicorn in front)
    address = urlsplit(live_sandbox["base"])
    headers = {"X-ELS-APIKey": live_sandbox["key"], "Accept": "application/json"}
    longest = "TITLE(" + "王" * 3_993 + ")"  # 36 KB request line, over gunicorn's usual 8,190
    too_long = "TITLE(" + "𝒳" * 9_000 + ")"  # over the sandbox's own query-string bound

    def search(query: str) -> tuple[int, str | None, dict[str, Any]]:
        # http.client, not httpx: httpx itself refuses to send a query over 65,536 characters
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            connection.request(
                "GET", f"/content/search/scopus?{urlencode({'query': query})}", headers=headers
            )
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type"), json.loads(response.read())
        finally:
            connection.close()

    # when
    answered = search(longest)
    refused = search(too_long)
    # then: both are Scopus's JSON, never gunicorn's HTML 414
    assert answered[0] == 200
    assert answered[2]["search-results"]["opensearch:totalResults"] == "0"
    assert refused[:2] == (400, "application/json")
    assert "at most 65536 are read" in refused[2]["service-error"]["status"]["statusText"]
