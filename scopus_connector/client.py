"""The portal's one client of the Elsevier Scopus APIs: `ScopusSession`.

One named `httpx.Client` per session, kept across every call made with it (a whole cursor walk
reuses its connection): base URL and API key from settings (SCOPUS_API_URL, SCOPUS_API_KEY; in
the demo, without a configured key, the key the Scopus sandbox's `seed-demo` wrote to var/demo),
timeouts, a User-Agent naming the portal and its contact, bounded retries of what may pass
(network faults, 5xx), and every call logged by httpx event hooks on the `scopus_connector.http`
logger. Methods are named after the remote resources and return the frozen dataclasses of
`scopus_connector.records`.

Tests hand the session a transport (`ScopusSession(transport=httpx.MockTransport(...))`); code
that opens its own session (views, jobs, commands) takes the transport from the
SCOPUS_HTTP_TRANSPORT setting, None outside tests.

Exceptions::

    ScopusError                     anything this client raises; str() says what happened
    ├── ScopusConfigurationError    no API key is configured
    ├── ScopusUnavailableError      Scopus could not answer now: try again later
    │   ├── ScopusTransportError    network fault or timeout (after the retries)
    │   ├── ScopusServerError       5xx (after the retries)
    │   └── ScopusQuotaError        429: the key's weekly quota, or throttling
    ├── ScopusAuthenticationError   401 / 403: the key or its entitlements were refused
    ├── ScopusNotFoundError         404: no such document (Author Retrieval answers NOT_FOUND)
    ├── ScopusRequestError          another 4xx: Scopus refused the request (its statusText)
    └── ScopusResponseError         an answer that could not be read
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

import httpx
from django.conf import settings

from scopus_connector.choices import AuthorStatus
from scopus_connector.records import (
    DOCUMENT_EID_PREFIX,
    Abstract,
    ScopusAuthor,
    SearchDocument,
    parse_abstract,
    parse_author,
    parse_search_page,
)

logger = logging.getLogger("scopus_connector.http")
_P = ParamSpec("_P")
_T = TypeVar("_T")

DEMO_KEY_FILE = "demo/scopus-api-key.txt"
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
RETRIES = 2
BACKOFF_SECONDS = 1.0
SEARCH_PAGE = 25  # the COMPLETE view's page limit; it carries every author with an Author ID
MAX_PAGES = 400
RETRIED_STATUSES = frozenset({500, 502, 503, 504})


class ScopusError(Exception):
    """Base of every error the Scopus connector raises."""


class ScopusConfigurationError(ScopusError):
    """The portal has no Scopus API key."""


class ScopusUnavailableError(ScopusError):
    """Scopus could not answer now (network, 5xx, quota): worth trying again later."""


class ScopusTransportError(ScopusUnavailableError):
    """Scopus could not be reached, or did not answer in time."""


class ScopusServerError(ScopusUnavailableError):
    """Scopus answered with a 5xx."""


class ScopusQuotaError(ScopusUnavailableError):
    """Scopus answered 429: the key's quota is spent, or requests came too fast."""


class ScopusAuthenticationError(ScopusError):
    """Scopus refused the API key (401) or its entitlements (403)."""


class ScopusNotFoundError(ScopusError):
    """Scopus has no such resource (404)."""


class ScopusRequestError(ScopusError):
    """Scopus refused the request as given (a 4xx other than the above)."""


class ScopusResponseError(ScopusError):
    """Scopus's answer could not be read."""


def api_key() -> str:
    """The configured key, else the key the demo's Scopus sandbox wrote (empty if neither)."""
    if settings.SCOPUS_API_KEY:
        return str(settings.SCOPUS_API_KEY)
    demo_key = settings.VAR_DIR / DEMO_KEY_FILE
    return demo_key.read_text(encoding="utf-8").strip() if demo_key.exists() else ""


def user_agent() -> str:
    """Names the portal and who to contact about its traffic, as API providers ask."""
    return (
        f"{settings.PORTAL_SITE_NAME} (ScholarHub; +{settings.PORTAL_BASE_URL}; "
        f"mailto:{settings.PORTAL_LIBRARY_EMAIL}) httpx/{httpx.__version__}"
    )


def _log_request(request: httpx.Request) -> None:
    logger.info("Scopus request %s %s", request.method, request.url.copy_remove_param("apiKey"))


def _log_response(response: httpx.Response) -> None:
    logger.info(
        "Scopus answered %s %s: %s %s (quota left %s)",
        response.request.method,
        response.request.url.path,
        response.status_code,
        response.headers.get("X-ELS-Status", ""),
        response.headers.get("X-RateLimit-Remaining", "?"),
    )


def _status_text(response: httpx.Response) -> str:
    """The statusText of Scopus's service-error body, if it sent one."""
    try:
        status = response.json()["service-error"]["status"]
        return str(status.get("statusText") or "")[:300]
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""


class ScopusSession:
    """One conversation with the Scopus APIs over one kept-open HTTP client."""

    def __init__(
        self,
        *,
        base_url: str,
        key: str,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = TIMEOUT,
        retries: int = RETRIES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._key = key
        self._retries = retries
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": user_agent(), "Accept": "application/json"},
            event_hooks={"request": [_log_request], "response": [_log_response]},
        )

    @classmethod
    def from_settings(
        cls,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> ScopusSession:
        """A session with the portal's Scopus URL and key (SCOPUS_HTTP_TRANSPORT in tests)."""
        return cls(
            base_url=settings.SCOPUS_API_URL,
            key=api_key(),
            transport=transport or getattr(settings, "SCOPUS_HTTP_TRANSPORT", None),
            sleep=sleep,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ScopusSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- the remote resources -------------------------------------------------------------

    def get_author(self, author_id: str) -> ScopusAuthor:
        """Author Retrieval (ENHANCED view) of one Author ID: found, merged, split or not found."""
        try:
            body = self._get_json(f"author/author_id/{quote(author_id, safe='')}", view="ENHANCED")
        except ScopusNotFoundError:
            return ScopusAuthor(requested_id=author_id, status=AuthorStatus.NOT_FOUND)
        return self._parse(parse_author, author_id, body)

    def get_abstract_by_eid(self, eid: str) -> Abstract:
        """Abstract Retrieval of one document by its EID (`2-s2.0-…`)."""
        return self._abstract("eid", eid)

    def get_abstract_by_doi(self, doi: str) -> Abstract:
        """Abstract Retrieval of one document by its DOI."""
        return self._abstract("doi", doi)

    def get_abstract_by_scopus_id(self, scopus_id: str) -> Abstract:
        """Abstract Retrieval of one document by its Scopus ID (the EID without `2-s2.0-`)."""
        return self._abstract("scopus_id", scopus_id.removeprefix(DOCUMENT_EID_PREFIX))

    def search_documents(self, query: str) -> Iterator[SearchDocument]:
        """Scopus Search (COMPLETE view) for a query, following the cursor to the end."""
        cursor = "*"
        for _ in range(MAX_PAGES):
            body = self._get_json(
                "search/scopus",
                query=query,
                view="COMPLETE",
                count=str(SEARCH_PAGE),
                cursor=cursor,
            )
            documents, following = self._parse(parse_search_page, body)
            yield from documents
            if len(documents) < SEARCH_PAGE or not following or following == cursor:
                return
            cursor = following

    def search_author_documents(self, author_id: str) -> Iterator[SearchDocument]:
        """Every document Scopus lists under one Author ID (`AU-ID(…)`), newest first."""
        if not (author_id.isascii() and author_id.isdigit()):
            raise ScopusRequestError(f"{author_id[:40]!r} is not a Scopus Author ID.")
        return self.search_documents(f"AU-ID({author_id})")

    # --- plumbing ---------------------------------------------------------------------------

    def _abstract(self, id_type: str, identifier: str) -> Abstract:
        identifier = identifier.strip()
        if not identifier:
            raise ScopusRequestError(f"No {id_type} was given.")
        # A DOI keeps its "/" in the path, as Scopus's own links and pybliometrics write it.
        path = f"abstract/{id_type}/{quote(identifier, safe='/')}"
        return self._parse(parse_abstract, self._get_json(path, view="FULL"))

    def _parse(self, parser: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return parser(*args, **kwargs)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            raise ScopusResponseError("Scopus's answer could not be read.") from None

    def _get_json(self, path: str, **params: str) -> Any:
        response = self._get(path, params)
        try:
            return response.json()
        except ValueError:
            raise ScopusResponseError("Scopus's answer could not be read.") from None

    def _get(self, path: str, params: dict[str, str]) -> httpx.Response:
        if not self._key:
            raise ScopusConfigurationError("No Scopus API key is configured (SCOPUS_API_KEY).")
        headers = {"X-ELS-APIKey": self._key}
        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            try:
                response = self._http.get(path, params=params, headers=headers)
            except httpx.HTTPError as error:
                if last:
                    raise ScopusTransportError(
                        f"Scopus could not be reached ({type(error).__name__})."
                    ) from None
            else:
                if response.status_code not in RETRIED_STATUSES or last:
                    return self._checked(response)
            self._sleep(BACKOFF_SECONDS * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _checked(self, response: httpx.Response) -> httpx.Response:
        code = response.status_code
        if code < 400:
            return response
        els_status = response.headers.get("X-ELS-Status", "")
        said = f"Scopus answered {code} {els_status}".strip()
        text = _status_text(response)
        if text:
            said = f"{said}: {text}"
        error_type: type[ScopusError]
        if code in (401, 403):
            error_type = ScopusAuthenticationError
        elif code == 404:
            error_type = ScopusNotFoundError
        elif code == 429:
            error_type = ScopusQuotaError
        elif code >= 500:
            error_type = ScopusServerError
        else:
            error_type = ScopusRequestError
        raise error_type(f"{said}.")
