"""Author Retrieval as the portal uses it: what Scopus says about one Author ID.

The base URL and key come from settings (SCOPUS_API_URL, SCOPUS_API_KEY); in the demo, without a
configured key, the key the Scopus sandbox's `seed-demo` wrote to var/demo is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings

# Tests replace this with a transport standing in for Scopus.
SCOPUS_TRANSPORT: httpx.BaseTransport | None = None
TIMEOUT_SECONDS = 15.0
DEMO_KEY_FILE = "demo/scopus-api-key.txt"


class ScopusUnavailable(Exception):
    """Scopus could not answer (network, 5xx, quota, key); str() says which."""


@dataclass(frozen=True)
class ScopusAuthor:
    """An Author Retrieval answer, reduced to what the portal decides on.

    status: "found"; "merged" (the id now lives on as `author_id`); "split" (the old profile
    became `candidates`); "not found".
    """

    requested_id: str
    status: str
    author_id: str = ""
    orcid: str = ""
    surname: str = ""
    given_name: str = ""
    affiliation_ids: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)


def api_key() -> str:
    if settings.SCOPUS_API_KEY:
        return str(settings.SCOPUS_API_KEY)
    demo_key = settings.VAR_DIR / DEMO_KEY_FILE
    return demo_key.read_text(encoding="utf-8").strip() if demo_key.exists() else ""


def _get(path: str, params: dict[str, str]) -> httpx.Response:
    key = api_key()
    if not key:
        raise ScopusUnavailable("No Scopus API key is configured (SCOPUS_API_KEY).")
    try:
        with httpx.Client(transport=SCOPUS_TRANSPORT, timeout=TIMEOUT_SECONDS) as http:
            response = http.get(
                f"{settings.SCOPUS_API_URL.rstrip('/')}/{path}",
                params=params,
                headers={"X-ELS-APIKey": key, "Accept": "application/json"},
            )
    except httpx.HTTPError as error:
        raise ScopusUnavailable(f"Scopus could not be reached ({type(error).__name__}).") from None
    if response.status_code in (401, 403, 429) or response.status_code >= 500:
        status = response.headers.get("X-ELS-Status", "")
        raise ScopusUnavailable(f"Scopus answered {response.status_code} {status}".strip() + ".")
    return response


def _tail(text: str) -> str:
    return text.rsplit(":", 1)[-1].strip()


def author(author_id: str) -> ScopusAuthor:
    """Author Retrieval (ENHANCED view) of one Author ID."""
    response = _get(f"author/author_id/{author_id}", {"view": "ENHANCED"})
    if response.status_code == 404:
        return ScopusAuthor(requested_id=author_id, status="not found")
    try:
        body: Any = response.json()["author-retrieval-response"]
    except (ValueError, KeyError, TypeError):
        raise ScopusUnavailable("Scopus's answer could not be read.") from None
    if isinstance(body, dict) and "alias" in body:
        urls = body["alias"].get("prism:url", [])
        urls = urls if isinstance(urls, list) else [urls]
        candidates = [_tail(str(item.get("$", ""))) for item in urls if isinstance(item, dict)]
        return ScopusAuthor(requested_id=author_id, status="split", candidates=candidates)
    profile = body[0] if isinstance(body, list) and body else {}
    core = profile.get("coredata", {})
    current = _tail(str(core.get("dc:identifier", "")))
    names = (profile.get("author-profile") or {}).get("preferred-name") or {}
    affiliation = ((profile.get("author-profile") or {}).get("affiliation-history") or {}).get(
        "affiliation"
    ) or []
    affiliation = affiliation if isinstance(affiliation, list) else [affiliation]
    return ScopusAuthor(
        requested_id=author_id,
        status="found" if current == author_id else "merged",
        author_id=current,
        orcid=str(core.get("orcid") or ""),
        surname=str(names.get("surname") or ""),
        given_name=str(names.get("given-name") or ""),
        affiliation_ids=[
            str(a.get("@affiliation-id", "")) for a in affiliation if isinstance(a, dict)
        ],
    )


SEARCH_PAGE = 25  # the COMPLETE view's page limit; it carries every author with an Author ID
MAX_PAGES = 400


def search_documents(query: str) -> Iterator[dict[str, Any]]:
    """Scopus Search (COMPLETE view) entries for a query, following the cursor to the end."""
    cursor = "*"
    for _ in range(MAX_PAGES):
        response = _get(
            "search/scopus",
            {"query": query, "view": "COMPLETE", "count": str(SEARCH_PAGE), "cursor": cursor},
        )
        if response.status_code != 200:
            raise ScopusUnavailable(f"Scopus refused the search ({response.status_code}).")
        try:
            results = response.json()["search-results"]
            entries = [e for e in results.get("entry", []) if isinstance(e, dict) and "eid" in e]
            following = str((results.get("cursor") or {}).get("@next") or "")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ScopusUnavailable("Scopus's search answer could not be read.") from None
        yield from entries
        if len(entries) < SEARCH_PAGE or not following or following == cursor:
            return
        cursor = following
