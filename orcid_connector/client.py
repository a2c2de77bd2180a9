"""The portal's one way to talk to ORCID: `OrcidSession`, over one named `httpx.Client`.

ORCID's OAuth endpoints (ORCID_WEB_URL: /oauth/authorize, /oauth/token, /oauth/revoke) and the
member API of a researcher's record (ORCID_API_URL/{orcid}/…) go through the same client: one
User-Agent naming the portal and its contact, one set of timeouts, bounded retries with
back-off (429/503 honour Retry-After), every member-API call paced by the shared token bucket
(rate.py) and every call logged by httpx event hooks. Methods are named after ORCID's resources
and return the frozen dataclasses of records.py; no raw JSON leaves this module.

Tests hand in a transport (`httpx.MockTransport`, or `httpx.WSGITransport` around the ORCID
sandbox) and a sleeper that does not wait; `from_settings` builds the session the portal uses,
with the transport from the ORCID_HTTP_TRANSPORT setting (None, i.e. the network, everywhere
but in tests).

Exceptions (str() of each is fit to show a researcher or the Library):

    OrcidError
    ├── OrcidOAuthError          the sign-in or a revocation was refused, or ORCID's answer to
    │                            it could not be read
    ├── OrcidUnavailableError    ORCID could not be reached or kept failing (timeouts, 5xx,
    │                            429/503) after the bounded retries; try again later
    ├── OrcidTokenError          the researcher's access token was refused (revoked, expired)
    ├── OrcidRecordGoneError     the record was merged into another iD (301) or deactivated
    └── OrcidRefusedError        ORCID answered 4xx to a call; carries status, code, message
        ├── OrcidDuplicateError  409/9021 or 9030: the record already holds our copy
        └── OrcidNotFoundError   404: the item (put-code) is no longer on the record
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from django.conf import settings

from orcid_connector.choices import DuplicateCode, ExportKind
from orcid_connector.rate import TokenBucket
from orcid_connector.records import (
    BulkOutcome,
    CallRecord,
    ExternalId,
    Grant,
    OtherId,
    PublicationDate,
    RecordItem,
    Source,
    Work,
    WorkContributor,
)

log = logging.getLogger(__name__)

# What the portal asks for: read limited-access items, write works, write person items.
SCOPES = "/read-limited /activities/update /person/update"
JSON_TYPE = "application/vnd.orcid+json"
TIMEOUT = httpx.Timeout(20.0, connect=5.0, pool=5.0)
MAX_RETRY_AFTER_SECONDS = 30.0
BULK_SIZE = 100
SOURCE_WORK_ID = "source-work-id"
# Kinds the portal writes with a self source-work-id, which identifies its own copy.
SELF_ID_KINDS = frozenset(
    {
        ExportKind.WORK,
        ExportKind.FUNDING,
        ExportKind.DISTINCTION,
        ExportKind.MEMBERSHIP,
        ExportKind.SERVICE,
        ExportKind.INVITED_POSITION,
    }
)
# Sections listed as affiliation groups, each summary under "{kind}-summary".
AFFILIATION_KINDS = frozenset(
    {
        ExportKind.EMPLOYMENT,
        ExportKind.DISTINCTION,
        ExportKind.MEMBERSHIP,
        ExportKind.SERVICE,
        ExportKind.INVITED_POSITION,
    }
)
# A deprecated record (9007) points to its primary iD; a deactivated one (9044) to nothing.
GONE_CODES = {"9007", "9044"}

Json = Any  # ORCID's JSON, only ever inside this module
CallListener = Callable[[CallRecord], None]


class OrcidError(Exception):
    """Base of the ORCID connector's errors."""


class OrcidOAuthError(OrcidError):
    """ORCID refused the sign-in or a revocation, or its answer could not be read."""


class OrcidUnavailableError(OrcidError):
    """ORCID could not be reached or kept failing; the work waits for a later try."""


class OrcidTokenError(OrcidError):
    """ORCID refused the access token: the researcher revoked it, or it expired."""


class OrcidRecordGoneError(OrcidError):
    """The record is deprecated (merged into another) or deactivated; str() says which."""


class OrcidRefusedError(OrcidError):
    """ORCID answered 4xx; `status`, ORCID's `code` and `message` say why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message or f"ORCID answered {status}")
        self.status, self.code, self.message = status, code, message or f"HTTP {status}"


class OrcidDuplicateError(OrcidRefusedError):
    """409: the record already holds this item from us (its put-code was lost)."""


class OrcidNotFoundError(OrcidRefusedError):
    """404: the item is no longer on the record (the researcher deleted it)."""


# --- ORCID's JSON, read defensively ------------------------------------------------------------


def _dig(document: Json, *keys: str) -> Json:
    for key in keys:
        document = document.get(key) if isinstance(document, dict) else None
    return document


def _text(document: Json, *keys: str) -> str:
    value = _dig(document, *keys)
    if isinstance(value, dict):
        value = value.get("value")
    return "" if value is None else str(value)


def _int(value: Json) -> int:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 0


def error_code(body: Json) -> str:
    return str(body.get("error-code", "")) if isinstance(body, dict) else ""


def error_message(body: Json) -> str:
    if isinstance(body, dict):
        text = body.get("developer-message") or body.get("user-message") or ""
        return str(text or body.get("error_description") or "")[:400]
    return ""


def _source(document: Json) -> Source:
    source = _dig(document, "source")
    return Source(
        name=_text(source, "source-name"),
        client_id=_text(source, "source-client-id", "path"),
        orcid=_text(source, "source-orcid", "path"),
        assertion_origin_name=_text(source, "assertion-origin-name"),
    )


def _external_ids(document: Json) -> tuple[ExternalId, ...]:
    items = _dig(document, "external-ids", "external-id") or []
    return tuple(
        ExternalId(
            id_type=str(item.get("external-id-type") or ""),
            value=str(item.get("external-id-value") or ""),
            relationship=str(item.get("external-id-relationship") or ""),
            url=_text(item, "external-id-url"),
        )
        for item in items
        if isinstance(item, dict)
    )


def identity(kind: ExportKind, document: Json) -> frozenset[tuple[str, str]]:
    """The fields that identify an item of this kind, from what we send or what ORCID lists:
    a work, funding, distinction, membership, service or invited position by its self
    source-work-id, an Other ID by type and value, a website by its URL, an employment by
    department and role (the portal sends employments without external ids)."""
    if kind in SELF_ID_KINDS:
        return frozenset(
            (item.id_type.lower(), item.value.lower())
            for item in _external_ids(document)
            if item.relationship == "self" and item.id_type.lower() == SOURCE_WORK_ID
        )
    if kind == ExportKind.OTHER_ID:
        return frozenset(
            {
                ("type", _text(document, "external-id-type")),
                ("value", _text(document, "external-id-value")),
            }
        )
    if kind == ExportKind.RESEARCHER_URL:
        return frozenset({("url", _text(document, "url"))})
    return frozenset(
        {
            ("department-name", _text(document, "department-name")),
            ("role-title", _text(document, "role-title")),
        }
    )


def _section_items(kind: ExportKind, listing: Json) -> Iterable[Json]:
    if kind == ExportKind.WORK:
        for group in _dig(listing, "group") or []:
            yield from _dig(group, "work-summary") or []
    elif kind == ExportKind.FUNDING:
        for group in _dig(listing, "group") or []:
            yield from _dig(group, "funding-summary") or []
    elif kind in AFFILIATION_KINDS:
        for group in _dig(listing, "affiliation-group") or []:
            for summary in _dig(group, "summaries") or []:
                yield _dig(summary, f"{kind.value}-summary") or {}
    else:
        yield from _dig(listing, SECTIONS[kind].list_key) or []


def _work(document: Json) -> Work:
    date = _dig(document, "publication-date")
    return Work(
        put_code=_int(_dig(document, "put-code")),
        title=_text(document, "title", "title"),
        subtitle=_text(document, "title", "subtitle"),
        work_type=_text(document, "type"),
        source=_source(document),
        journal_title=_text(document, "journal-title"),
        publication_date=PublicationDate(
            year=_int(_text(date, "year")),
            month=_int(_text(date, "month")),
            day=_int(_text(date, "day")),
        ),
        external_ids=_external_ids(document),
        url=_text(document, "url"),
        short_description=_text(document, "short-description"),
        language_code=_text(document, "language-code"),
        contributors=tuple(
            WorkContributor(
                name=_text(item, "credit-name"),
                orcid=_text(item, "contributor-orcid", "path"),
                sequence=_text(item, "contributor-attributes", "contributor-sequence"),
                role=_text(item, "contributor-attributes", "contributor-role"),
            )
            for item in _dig(document, "contributors", "contributor") or []
            if isinstance(item, dict)
        ),
    )


class Section:
    """Where one kind of item lives in the member API."""

    def __init__(self, post: str, item: str, read: str, list_key: str = "") -> None:
        self.post = post  # where a new one is POSTed
        self.item = item  # prefix of /{put-code} for PUT and DELETE
        self.read = read  # the section listing the record's items (plural where writes are not)
        self.list_key = list_key  # the list in that section's JSON ("" for grouped sections)


SECTIONS: dict[ExportKind, Section] = {
    ExportKind.WORK: Section("work", "work", "works"),
    ExportKind.OTHER_ID: Section(
        "external-identifiers",
        "external-identifiers",
        "external-identifiers",
        "external-identifier",
    ),
    ExportKind.RESEARCHER_URL: Section(
        "researcher-urls", "researcher-urls", "researcher-urls", "researcher-url"
    ),
    ExportKind.EMPLOYMENT: Section("employment", "employment", "employments"),
    ExportKind.FUNDING: Section("funding", "funding", "fundings"),
    ExportKind.DISTINCTION: Section("distinction", "distinction", "distinctions"),
    ExportKind.MEMBERSHIP: Section("membership", "membership", "memberships"),
    ExportKind.SERVICE: Section("service", "service", "services"),
    ExportKind.INVITED_POSITION: Section(
        "invited-position", "invited-position", "invited-positions"
    ),
}


def _retry_after(response: httpx.Response, attempt: int) -> float:
    raw = response.headers.get("Retry-After", "")
    if raw.isascii() and raw.isdigit() and len(raw) < 6:
        return min(float(raw), MAX_RETRY_AFTER_SECONDS)
    return min(2.0**attempt, MAX_RETRY_AFTER_SECONDS)


def _json(response: httpx.Response) -> Json:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def user_agent() -> str:
    """Who is calling, as ORCID asks integrators to say: the portal, its address, a contact."""
    return (
        f"{settings.PORTAL_SITE_NAME} ORCID connector "
        f"(+{settings.PORTAL_BASE_URL}; mailto:{settings.PORTAL_LIBRARY_EMAIL}) "
        f"httpx/{httpx.__version__}"
    )


class OrcidSession:
    """ORCID's OAuth endpoints and member API, as the portal's member client."""

    def __init__(
        self,
        *,
        web_url: str,
        api_url: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        transport: httpx.BaseTransport | None = None,
        pace: TokenBucket | None = None,
        retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        on_call: CallListener | None = None,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        self.web_url, self.api_url = web_url.rstrip("/"), api_url.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uri = redirect_uri
        self.pace, self.retries, self.sleep = pace, retries, sleep
        self.on_call = on_call
        self._api_path = urlsplit(self.api_url).path.rstrip("/")
        self.http = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": user_agent()},
            event_hooks={"request": [self._log_request], "response": [self._log_response]},
        )

    @classmethod
    def from_settings(
        cls,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_call: CallListener | None = None,
    ) -> OrcidSession:
        """The session the portal uses, configured from settings."""
        return cls(
            web_url=settings.ORCID_WEB_URL,
            api_url=settings.ORCID_API_URL,
            client_id=settings.ORCID_CLIENT_ID,
            client_secret=settings.ORCID_CLIENT_SECRET,
            redirect_uri=settings.ORCID_REDIRECT_URI,
            transport=transport or getattr(settings, "ORCID_HTTP_TRANSPORT", None),
            pace=TokenBucket(
                rate=settings.ORCID_EXPORT_RATE, burst=settings.ORCID_EXPORT_BURST, sleep=sleep
            ),
            retries=settings.ORCID_EXPORT_RETRIES,
            sleep=sleep,
            on_call=on_call,
            timeout=httpx.Timeout(
                getattr(settings, "ORCID_TIMEOUT_SECONDS", TIMEOUT.read), connect=5.0, pool=5.0
            ),
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> OrcidSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- logging (httpx event hooks) -----------------------------------------------------------

    def _member_path(self, url: httpx.URL) -> str:
        """The path under the API base ("/{orcid}/works"), or "" for OAuth calls."""
        path = url.path
        if self._api_path and not path.startswith(f"{self._api_path}/"):
            return ""
        return path[len(self._api_path) :]

    def _log_request(self, request: httpx.Request) -> None:
        log.debug("ORCID ← %s %s", request.method, request.url.path)

    def _log_response(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        # Only a refusal's body says anything for the history; a bulk's answer (100 works in
        # full) is read once, by the call that asked for it.
        ok = response.status_code < 400
        outcome = "ok" if ok else error_message(_json(response))
        # Answers that went wrong are worth reading in the logs; the rest only when debugging.
        level = logging.INFO if response.status_code >= 400 else logging.DEBUG
        log.log(level, "ORCID %s %s → %s", request.method, request.url.path, response.status_code)
        path = self._member_path(request.url)
        if path and self.on_call is not None:
            orcid = path.strip("/").split("/")[0]
            self.on_call(
                CallRecord(orcid, request.method, path[:300], response.status_code, outcome[:500])
            )

    def _log_no_answer(self, method: str, url: str, error: httpx.HTTPError) -> None:
        log.warning("ORCID %s %s → no answer (%s)", method, url, type(error).__name__)
        path = self._member_path(httpx.URL(url))
        if path and self.on_call is not None:
            orcid = path.strip("/").split("/")[0]
            self.on_call(
                CallRecord(orcid, method, path[:300], None, f"no answer: {type(error).__name__}")
            )

    # --- the member API ------------------------------------------------------------------------

    def _member(
        self,
        method: str,
        orcid: str,
        token: str,
        path: str,
        body: Json = None,
        *,
        retry: bool = True,
    ) -> tuple[int, Json, httpx.Headers]:
        """One logical call on a record; the errors every call shares are raised here.

        retry=False for writes that must not be repeated blindly (an affiliation POST has no
        duplicate rule: a repeated one whose first answer was lost would leave two)."""
        url = f"{self.api_url}/{orcid}/{path}"
        headers = {"Authorization": f"Bearer {token}", "Accept": JSON_TYPE}
        if body is not None:
            headers["Content-Type"] = JSON_TYPE
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            if self.pace is not None:
                self.pace.take()
            try:
                response = self.http.request(method, url, json=body, headers=headers)
            except httpx.HTTPError as error:
                self._log_no_answer(method, url, error)
                if attempt + 1 < attempts:
                    self.sleep(min(2.0**attempt, MAX_RETRY_AFTER_SECONDS))
                    continue
                raise OrcidUnavailableError(
                    f"ORCID could not be reached ({type(error).__name__})"
                ) from None
            status, answer = response.status_code, _json(response)
            if status == 401 or (
                status == 400
                and isinstance(answer, dict)
                and answer.get("error") == "invalid_token"
            ):
                raise OrcidTokenError(error_message(answer) or "invalid_token")
            if status == 301 or error_code(answer) in GONE_CODES:
                moved_to = response.headers.get("Location", "").split("/v3.0/")[-1].split("/")[0]
                raise OrcidRecordGoneError(
                    f"ORCID record {orcid} was merged into {moved_to}"
                    if status == 301
                    else f"ORCID record {orcid} is deactivated"
                )
            if status in (429, 503) or status >= 500:
                if attempt + 1 < attempts:
                    self.sleep(_retry_after(response, attempt))
                    continue
                raise OrcidUnavailableError(f"ORCID answered {status}")
            return status, answer, response.headers
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _refused(status: int, answer: Json) -> OrcidRefusedError:
        code, message = error_code(answer), error_message(answer)
        if status == 409 and code in DuplicateCode.values:
            return OrcidDuplicateError(status, code, message)
        if status == 404:
            return OrcidNotFoundError(status, code, message)
        return OrcidRefusedError(status, code, message)

    def create_works(self, orcid: str, token: str, works: Sequence[Json]) -> list[BulkOutcome]:
        """POST up to 100 works in one bulk; one outcome per work, in order.

        Raises OrcidRefusedError when ORCID refuses the bulk as a whole."""
        if len(works) > BULK_SIZE:
            raise ValueError(f"at most {BULK_SIZE} works in a bulk")
        status, answer, _ = self._member(
            "POST", orcid, token, "works", {"bulk": [{"work": work} for work in works]}
        )
        results = _dig(answer, "bulk")
        if status != 200 or not isinstance(results, list) or len(results) != len(works):
            raise self._refused(status if status != 200 else 502, answer)
        outcomes = []
        for result in results:
            put_code = _int(_dig(result, "work", "put-code"))
            error = _dig(result, "error")
            outcomes.append(
                BulkOutcome(put_code=put_code)
                if put_code
                else BulkOutcome(None, error_code(error), error_message(error) or "refused")
            )
        return outcomes

    def create_item(
        self, orcid: str, token: str, kind: ExportKind, body: Json, *, retry: bool = True
    ) -> int:
        """POST one item of a section; returns its put-code (from the Location header)."""
        status, answer, headers = self._member(
            "POST", orcid, token, SECTIONS[kind].post, body, retry=retry
        )
        put_code = _int(headers.get("Location", "").rstrip("/").split("/")[-1])
        if status != 201 or not put_code:
            raise self._refused(status, answer)
        return put_code

    def update_item(
        self, orcid: str, token: str, kind: ExportKind, put_code: int, body: Json
    ) -> None:
        """PUT one item over the one with that put-code."""
        path = f"{SECTIONS[kind].item}/{put_code}"
        status, answer, _ = self._member("PUT", orcid, token, path, {**body, "put-code": put_code})
        if status != 200:
            raise self._refused(status, answer)

    def delete_item(self, orcid: str, token: str, kind: ExportKind, put_code: int) -> None:
        """DELETE one item (OrcidNotFoundError when it was already gone)."""
        path = f"{SECTIONS[kind].item}/{put_code}"
        status, answer, _ = self._member("DELETE", orcid, token, path)
        if status not in (200, 204):
            raise self._refused(status, answer)

    def read_items(self, orcid: str, token: str, kind: ExportKind) -> list[RecordItem]:
        """Every item of one section of the record, as put-code, writer and identity."""
        status, answer, _ = self._member("GET", orcid, token, SECTIONS[kind].read)
        if status != 200:
            raise self._refused(status, answer)
        return [
            RecordItem(
                kind=kind,
                put_code=_int(_dig(item, "put-code")),
                source_client_id=_source(item).client_id,
                identity=identity(kind, item),
            )
            for item in _section_items(kind, answer)
            if isinstance(item, dict) and _int(_dig(item, "put-code"))
        ]

    def read_works(self, orcid: str, token: str) -> list[Work]:
        """Every work on the record the token may read, in full, whoever wrote it (the
        researcher, Scopus, the portal): the summaries of `/works`, then `/works/{put-codes}`
        in bulks of 100. For "Import from ORCID"."""
        status, answer, _ = self._member("GET", orcid, token, "works")
        if status != 200:
            raise self._refused(status, answer)
        codes = [
            _int(_dig(item, "put-code"))
            for item in _section_items(ExportKind.WORK, answer)
            if _int(_dig(item, "put-code"))
        ]
        works: list[Work] = []
        for start in range(0, len(codes), BULK_SIZE):
            chunk = ",".join(str(code) for code in codes[start : start + BULK_SIZE])
            status, answer, _ = self._member("GET", orcid, token, f"works/{chunk}")
            if status != 200:
                raise self._refused(status, answer)
            works += [
                _work(item["work"])
                for item in _dig(answer, "bulk") or []
                if isinstance(item, dict) and isinstance(item.get("work"), dict)
            ]
        return works

    def read_external_identifiers(self, orcid: str, token: str) -> list[OtherId]:
        """The record's Other IDs (person external identifiers) as the token may read them."""
        status, answer, _ = self._member("GET", orcid, token, "external-identifiers")
        if status != 200:
            raise self._refused(status, answer)
        return [
            OtherId(
                id_type=str(item.get("external-id-type") or ""),
                value=str(item.get("external-id-value") or ""),
                source=_source(item).name,
                source_client_id=_source(item).client_id,
                put_code=_int(item.get("put-code")) or None,
                url=_text(item, "external-id-url"),
            )
            for item in _dig(answer, "external-identifier") or []
            if isinstance(item, dict)
        ]

    # --- OAuth ---------------------------------------------------------------------------------

    def authorization_url(self, state: str) -> str:
        """Where to send the researcher to sign in to ORCID and authorise the portal."""
        return str(
            prepare_grant_uri(
                f"{self.web_url}/oauth/authorize",
                self.client_id,
                "code",
                redirect_uri=self.redirect_uri,
                scope=SCOPES,
                state=state,
            )
        )

    def exchange_code(self, code: str, state: str) -> Grant:
        """Trade the one-time code for tokens and the researcher's authenticated iD.

        Never retried: ORCID spends the code on the first try, answered or not."""
        body = prepare_token_request(
            "authorization_code",
            code=code,
            redirect_uri=self.redirect_uri,
            client_id=self.client_id,
            client_secret=self.client_secret,
        )
        try:
            response = self.http.post(
                f"{self.web_url}/oauth/token",
                content=body,
                headers={
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
        except httpx.HTTPError as error:
            raise OrcidOAuthError(f"ORCID could not be reached ({type(error).__name__}).") from None
        token = _json(response)
        if not isinstance(token, dict):
            raise OrcidOAuthError("ORCID's answer could not be read.")
        if response.status_code != 200 or token.get("error"):
            reason = str(token.get("error") or f"HTTP {response.status_code}")[:100]
            raise OrcidOAuthError(f"ORCID refused the sign-in ({reason}).")
        orcid = str(token.get("orcid") or "")
        access_token = str(token.get("access_token") or "")
        if not orcid or not access_token:
            raise OrcidOAuthError("ORCID's answer had no iD or no access token.")
        expiry = str(token.get("expires_in") or "")
        return Grant(
            orcid=orcid,
            name=str(token.get("name") or "")[:300],
            scope=str(token.get("scope") or "")[:300],
            access_token=access_token,
            refresh_token=str(token.get("refresh_token") or ""),
            expires_in=_int(expiry) or None,
        )

    def revoke_token(self, access_token: str) -> None:
        """Ask ORCID to revoke a token (and with it its refresh token)."""
        try:
            response = self.http.post(
                f"{self.web_url}/oauth/revoke",
                data={
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "token": access_token,
                },
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError as error:
            raise OrcidOAuthError(f"ORCID could not be reached ({type(error).__name__}).") from None
        if response.status_code != 200:
            raise OrcidOAuthError(f"ORCID answered {response.status_code} to the revocation.")
