"""The Scopus APIs (reference §1): Author Retrieval, Author Search, Scopus Search, Abstract
Retrieval, Affiliation Retrieval.

Every request needs an API key (`X-ELS-APIKey` header or `apiKey` parameter); each key has a
weekly quota per API, reported in `X-RateLimit-*` headers. Errors are Scopus's `service-error`
bodies; hostile input is a 4xx, never a 500. Responses are JSON only (see `_negotiate`)::

    Exception
    └── ServiceError        answered as {"service-error": {"status": {...}}} with its status
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from identifiers import IdentifierError, Scheme, normalise
from scopus_sandbox.choices import ProfileStatusChoices, ScopusApiChoices, ServiceErrorChoices
from scopus_sandbox.database import scopus_atomic
from scopus_sandbox.models import (
    Affiliation,
    ApiKey,
    ApiKeyUsage,
    AuthorProfile,
    Authorship,
    Document,
)
from scopus_sandbox.paging import (
    PagingError,
    SortKey,
    after,
    decode_cursor,
    encode_cursor,
    ordered,
    parse_sort,
)
from scopus_sandbox.queries import (
    AUTHOR_FIELDS,
    DOCUMENT_FIELDS,
    Resolution,
    UnknownValueError,
    author_term,
    document_term,
    profiles_facts,
    resolve_profiles,
)
from scopus_sandbox.query import QuerySyntaxError, parse_query, to_q
from scopus_sandbox.representations import (
    ABSTRACT_VIEWS,
    abstract_retrieval,
    affiliation_retrieval,
    author_entry,
    author_retrieval,
    document_entry,
)
from utilities.negotiation import parse_accept

AUTHOR_VIEWS = ("LIGHT", "STANDARD", "ENHANCED", "METRICS")
MAX_RESULTS = 5_000
QUOTA_WINDOW = datetime.timedelta(days=7)
MAX_COUNT = {
    ("scopus", "STANDARD"): 200,
    ("scopus", "COMPLETE"): 25,
    ("author", "STANDARD"): 200,
}
EXCEEDS = "Exceeds the maximum number allowed for the service level"
# Ids per multi-id Author Retrieval: the sandbox's own cap (each id costs a profile's facts).
MAX_AUTHOR_IDS = 25
AUTHOR_EID_PREFIX = "9-s2.0-"
JSON = "application/json"
# A 4,000-character query of four-byte characters, percent-encoded, with its other parameters.
MAX_QUERY_STRING = 65_536

INVALID = ServiceErrorChoices.INVALID_INPUT


class ServiceError(Exception):
    """An error answered with Scopus's service-error body."""

    def __init__(
        self,
        status: int,
        code: ServiceErrorChoices,
        text: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(text)
        self.status = status
        self.code = code
        self.text = text
        self.headers = headers or {}


def error_response(error: ServiceError) -> JsonResponse:
    """The service-error body and headers of an error."""
    response = JsonResponse(
        {"service-error": {"status": {"statusCode": error.code.value, "statusText": error.text}}},
        status=error.status,
    )
    for name, value in error.headers.items():
        response[name] = value
    response["X-ELS-Status"] = error.headers.get("X-ELS-Status", error.code.value)
    return response


def _negotiate(request: HttpRequest) -> None:
    """Refuse, with a 406, a request that accepts no JSON (`Accept`, or `httpAccept` over it)."""
    # The sandbox answers JSON only. Scopus's XML is not the JSON spelled with tags: each API has
    # its own namespaced schema (atom feeds for searches, `author-retrieval-response` documents
    # with dc:/prism: elements), and an approximation would mislead XML clients more than a
    # plain refusal, so XML-only requests get a 406 that says to ask for JSON.
    raw = request.GET.get("httpAccept") or request.headers.get("Accept")
    if parse_accept(raw).accepts(JSON):
        return
    asked = ", ".join(dict.fromkeys(part.split(";")[0].strip() for part in (raw or "").split(",")))
    raise ServiceError(
        406,
        ServiceErrorChoices.NOT_ACCEPTABLE,
        f"The sandbox answers application/json only, not {asked[:120]!r}: "
        "send Accept: application/json (or httpAccept=application/json)",
    )


def _bounded(request: HttpRequest) -> None:
    """Refuse an over-long query string with Scopus's JSON error (the servers in front accept
    long request lines, so that the answer is this one rather than an HTML 414)."""
    length = len(request.META.get("QUERY_STRING", ""))
    if length > MAX_QUERY_STRING:
        raise ServiceError(
            400,
            INVALID,
            f"The request's query string is {length} bytes long: at most {MAX_QUERY_STRING} "
            "are read",
        )


@dataclass(frozen=True)
class Quota:
    """What is left of a key's week for one API."""

    limit: int
    remaining: int
    reset: int


def _charge(request: HttpRequest, api: ScopusApiChoices) -> Quota:
    """Check the API key and count this request against its week; ServiceError if refused."""
    raw = request.headers.get("X-ELS-APIKey") or request.GET.get("apiKey", "")
    raw = raw.strip()
    if not raw:
        raise ServiceError(
            401,
            ServiceErrorChoices.AUTHENTICATION_ERROR,
            "API key is missing: send X-ELS-APIKey or apiKey",
        )
    # Keys are printable ASCII; anything else (NUL included) is refused before it reaches SQL.
    plausible = len(raw) <= 64 and raw.isascii() and raw.isprintable()
    key = ApiKey.objects.filter(key=raw, active=True).first() if plausible else None
    if key is None:
        raise ServiceError(
            401,
            ServiceErrorChoices.AUTHENTICATION_ERROR,
            "Invalid API Key: valid apikey credentials required.",
        )
    # Every request writes its count: single conditional UPDATEs (no read-then-write
    # transaction), so concurrent workers queue for SQLite's lock instead of failing on it.
    for _attempt in range(3):
        now = timezone.now()
        counted = ApiKeyUsage.objects.filter(
            api_key=key,
            api=api,
            window_started__gt=now - QUOTA_WINDOW,
            used__lt=key.weekly_quota,
        ).update(used=F("used") + 1)
        if counted:
            break
        usage = ApiKeyUsage.objects.filter(api_key=key, api=api).first()
        if usage is None:
            with scopus_atomic():
                ApiKeyUsage.objects.get_or_create(
                    api_key=key, api=api, defaults={"window_started": now}
                )
        elif usage.window_started <= now - QUOTA_WINDOW:
            # A new week starts with this request (whoever resets first wins).
            ApiKeyUsage.objects.filter(pk=usage.pk, window_started=usage.window_started).update(
                window_started=now, used=0
            )
        else:
            reset = int((usage.window_started + QUOTA_WINDOW).timestamp())
            raise ServiceError(
                429,
                ServiceErrorChoices.QUOTA_EXCEEDED,
                "Quota Exceeded",
                {
                    "X-ELS-Status": "QUOTA_EXCEEDED - Quota Exceeded",
                    "X-RateLimit-Reset": str(reset),
                },
            )
    usage = ApiKeyUsage.objects.get(api_key=key, api=api)
    reset = int((usage.window_started + QUOTA_WINDOW).timestamp())
    return Quota(key.weekly_quota, key.weekly_quota - usage.used, reset)


def scopus_api(
    api: ScopusApiChoices,
) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., JsonResponse]]:
    """Wrap a view that returns a body: method, format, key, quota, headers and service errors."""

    def decorate(view: Callable[..., dict[str, Any]]) -> Callable[..., JsonResponse]:
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
            try:
                if request.method not in {"GET", "HEAD"}:
                    raise ServiceError(
                        405,
                        ServiceErrorChoices.METHOD_NOT_ALLOWED,
                        f"Method {request.method!s:.10} is not allowed: the APIs are read-only",
                        {"Allow": "GET, HEAD"},
                    )
                # Before the key, so a request the sandbox cannot answer costs no quota.
                _bounded(request)
                _negotiate(request)
                quota = _charge(request, api)
                body = view(request, *args, **kwargs)
            except ServiceError as error:
                return error_response(error)
            response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
            response["X-RateLimit-Limit"] = str(quota.limit)
            response["X-RateLimit-Remaining"] = str(quota.remaining)
            response["X-RateLimit-Reset"] = str(quota.reset)
            response["X-ELS-Status"] = "OK"
            response["X-ELS-ReqId"] = request.headers.get("X-ELS-ReqId", "") or uuid.uuid4().hex
            response["X-ELS-TransId"] = uuid.uuid4().hex
            response["X-ELS-ResourceVersion"] = "default"
            return response

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


def base_url(request: HttpRequest) -> str:
    """Links are absolute, built from the host the client used (clients follow them as given)."""
    return f"{request.scheme}://{request.get_host()}"


def _view(request: HttpRequest, allowed: tuple[str, ...], default: str) -> str:
    view = request.GET.get("view", default).strip().upper() or default
    if view not in allowed:
        raise ServiceError(
            400, INVALID, f"View {view[:40]!r} is not valid: choose from {', '.join(allowed)}"
        )
    return view


def _only_fields(body: dict[str, Any], request: HttpRequest) -> dict[str, Any]:
    """Honour field=a,b: keep those keys (and the structural @-keys) at the top and in coredata."""
    raw = request.GET.get("field", "").strip()
    if not raw:
        return body
    wanted = {name.strip() for name in raw.split(",") if name.strip()}
    kept = {k: v for k, v in body.items() if k in wanted or k.startswith("@") or k == "coredata"}
    if "coredata" in kept and "coredata" not in wanted:
        kept["coredata"] = {k: v for k, v in body["coredata"].items() if k in wanted}
    return kept


def _not_found() -> ServiceError:
    return ServiceError(
        404, ServiceErrorChoices.RESOURCE_NOT_FOUND, "The resource specified cannot be found."
    )


def _author_ids(raw: str, *, eids: bool) -> list[str]:
    """Author IDs from a comma list of ids (`9-s2.0-` optional) or of author EIDs (required)."""
    noun = "author EIDs" if eids else "author ids"
    if len(raw) > MAX_AUTHOR_IDS * 32:
        raise ServiceError(400, INVALID, f"At most {MAX_AUTHOR_IDS} {noun} may be requested")
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) > MAX_AUTHOR_IDS:
        raise ServiceError(400, INVALID, f"At most {MAX_AUTHOR_IDS} {noun} may be requested")
    ids = []
    for part in parts:
        if eids and not part.startswith(AUTHOR_EID_PREFIX):
            raise ServiceError(400, INVALID, f"Invalid author EID {part[:40]!r}")
        author_id = part.removeprefix(AUTHOR_EID_PREFIX)
        if not (author_id.isascii() and author_id.isdigit()) or len(author_id) > 20:
            raise ServiceError(400, INVALID, f"Invalid author id {part[:40]!r}")
        ids.append(author_id)
    return list(dict.fromkeys(ids))


def _alias(resolution: Resolution, base: str) -> dict[str, Any]:
    return {
        "@_fa": "true",
        "@current-status": "alias",
        "prism:url": [
            # Clients (pybliometrics) take the text after the last ":" as the new Author ID.
            {"@_fa": "true", "$": f"{base}/content/author/author_id:{new}"}
            for new in resolution.aliases
        ],
    }


def _items(request: HttpRequest, profiles: Sequence[AuthorProfile], view: str) -> list[Any]:
    facts = profiles_facts(profiles)
    base = base_url(request)
    return [_only_fields(author_retrieval(p, facts[p.pk], view, base), request) for p in profiles]


def _retrieve(request: HttpRequest, author_ids: list[str]) -> dict[str, Any]:
    """Author Retrieval of one id (`author-retrieval-response`) or several (`…-list`).

    Merged ids answer with their survivor (once, however many of its ids were asked for); a split
    id answers with its aliases; unknown ids are left out of a list, and a request none of whose
    ids is known is a 404.
    """
    view = _view(request, AUTHOR_VIEWS, "LIGHT")
    resolutions = resolve_profiles(author_ids)
    if len(author_ids) == 1:
        resolution = resolutions.get(author_ids[0])
        if resolution is None:
            raise _not_found()
        if resolution.profile is None:
            return {"author-retrieval-response": {"alias": _alias(resolution, base_url(request))}}
        return {"author-retrieval-response": _items(request, [resolution.profile], view)}
    known = [resolutions[i] for i in author_ids if i in resolutions]
    if not known:
        raise _not_found()
    profiles = list({r.profile.pk: r.profile for r in known if r.profile is not None}.values())
    retrieved = iter(_items(request, profiles, view))
    answered: set[int] = set()
    items: list[Any] = []
    for resolution in known:
        if resolution.profile is None:
            # In a list the sandbox answers a split id with its alias object in the id's place.
            items.append({"alias": _alias(resolution, base_url(request))})
        elif resolution.profile.pk not in answered:
            answered.add(resolution.profile.pk)
            items.append(next(retrieved))
    return {"author-retrieval-response-list": {"author-retrieval-response": items}}


@scopus_api(ScopusApiChoices.AUTHOR_RETRIEVAL)
def author_by_id(request: HttpRequest, author_id: str) -> dict[str, Any]:
    """Author Retrieval by Author ID (or a comma list of them); merged ids forward, split ids
    answer with aliases."""
    return _retrieve(request, _author_ids(author_id, eids=False))


@scopus_api(ScopusApiChoices.AUTHOR_RETRIEVAL)
def author_by_eid(request: HttpRequest, eid: str) -> dict[str, Any]:
    """Author Retrieval by author EID (`9-s2.0-<Author ID>`, or a comma list of them)."""
    return _retrieve(request, _author_ids(eid, eids=True))


@scopus_api(ScopusApiChoices.AUTHOR_RETRIEVAL)
def author_by_ids(request: HttpRequest) -> dict[str, Any]:
    """Multi-id Author Retrieval: `author_id=a,b,c` or `eid=…`, answered as a response list."""
    by_id, by_eid = request.GET.get("author_id"), request.GET.get("eid")
    if (by_id is None) == (by_eid is None):
        raise ServiceError(400, INVALID, "Give exactly one of author_id and eid")
    if by_id is not None:
        return _retrieve(request, _author_ids(by_id, eids=False))
    return _retrieve(request, _author_ids(by_eid or "", eids=True))


@scopus_api(ScopusApiChoices.AUTHOR_RETRIEVAL)
def author_by_orcid(request: HttpRequest, orcid: str) -> dict[str, Any]:
    """Author Retrieval by the ORCID iD a profile carries."""
    try:
        orcid = normalise(Scheme.ORCID, orcid)
    except IdentifierError as error:
        raise ServiceError(400, INVALID, f"Invalid ORCID: {error}") from None
    view = _view(request, AUTHOR_VIEWS, "LIGHT")
    profile = AuthorProfile.objects.filter(orcid=orcid, status=ProfileStatusChoices.ACTIVE).first()
    if profile is None:
        raise _not_found()
    return {"author-retrieval-response": _items(request, [profile], view)}


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    # isdigit() alone admits digits int() refuses ("²"); only ASCII digits are numbers here.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise ServiceError(400, INVALID, f"Parameter {name} must be a whole number >= 0")
    return int(raw)


@dataclass(frozen=True)
class Page:
    """One page of search results and the paging facts around it."""

    items: list[Any]
    total: int
    start: int
    count: int
    next_cursor: str | None
    cursor: str | None


def _page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    kind: str,
    view: str,
    keys: Sequence[SortKey] = (),
) -> Page:
    limit = MAX_COUNT[(kind, view)]
    count = _int_param(request, "count", 25)
    start = _int_param(request, "start", 0)
    if count > limit:
        raise ServiceError(400, INVALID, EXCEEDS)
    cursor = request.GET.get("cursor")
    if cursor is not None and kind != "scopus":
        raise ServiceError(400, INVALID, "The cursor parameter is not supported here")
    total = queryset.count()
    rows = ordered(queryset, keys)
    if cursor is not None:
        query = request.GET.get("query", "")
        try:
            position = decode_cursor(cursor, query, keys)
        except PagingError as error:
            raise ServiceError(400, INVALID, str(error)) from None
        if position is not None:
            rows = rows.filter(after(keys, position))
        items = list(rows[:count]) if count else []
        next_cursor = encode_cursor(query, keys, items[-1]) if items else cursor.strip()
        return Page(items, total, start, count, next_cursor, cursor)
    if start >= MAX_RESULTS and total:
        raise ServiceError(400, INVALID, EXCEEDS)
    end = min(start + count, MAX_RESULTS)
    items = list(rows[start:end]) if count else []
    return Page(items, total, start, count, None, None)


def _search_body(request: HttpRequest, page: Page, entries: list[dict[str, Any]]) -> dict[str, Any]:
    url = f"{base_url(request)}{request.path}"
    params = {k: v for k, v in request.GET.items() if k != "apiKey"}

    def link(ref: str, **changes: Any) -> dict[str, str]:
        merged = {**params, **{k: str(v) for k, v in changes.items()}}
        return {
            "@_fa": "true",
            "@ref": ref,
            "@href": f"{url}?{urlencode(merged)}",
            "@type": "application/json",
        }

    links = [link("self")]
    if page.cursor is not None:
        links.append(link("first", cursor="*"))
        if page.next_cursor and len(page.items) == page.count and page.items:
            links.append(link("next", cursor=page.next_cursor))
    else:
        links.append(link("first", start=0))
        if page.start > 0:
            links.append(link("prev", start=max(page.start - page.count, 0)))
        reachable = min(page.total, MAX_RESULTS)
        if page.count and page.start + page.count < reachable:
            links.append(link("next", start=page.start + page.count))
        if page.count:
            last = max((reachable - 1) // page.count * page.count, 0)
            links.append(link("last", start=last))
    if not entries:
        entries = [{"@_fa": "true", "error": "Result set was empty"}]
    body: dict[str, Any] = {
        "opensearch:totalResults": str(page.total),
        "opensearch:startIndex": str(page.start),
        "opensearch:itemsPerPage": str(len(page.items)),
        "opensearch:Query": {
            "@role": "request",
            "@searchTerms": request.GET.get("query", ""),
            "@startPage": str(page.start),
        },
        "link": links,
        "entry": entries,
    }
    if page.cursor is not None:
        body["cursor"] = {"@current": page.cursor, "@next": page.next_cursor}
    return {"search-results": body}


def _filter_entries(request: HttpRequest, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    raw = request.GET.get("field", "").strip()
    if not raw:
        return entries
    wanted = {name.strip() for name in raw.split(",") if name.strip()}
    return [{k: v for k, v in e.items() if k in wanted or k.startswith("@")} for e in entries]


def _query_q(request: HttpRequest, fields: frozenset[str], term: Callable[..., Q]) -> Q:
    text = request.GET.get("query", "")
    try:
        return to_q(parse_query(text, fields), term)
    except (QuerySyntaxError, UnknownValueError) as error:
        raise ServiceError(400, INVALID, str(error)) from None


@scopus_api(ScopusApiChoices.SCOPUS_SEARCH)
def scopus_search(request: HttpRequest) -> dict[str, Any]:
    """Scopus Search: documents matching a query, STANDARD or COMPLETE, sorted, start or cursor
    paging."""
    view = _view(request, ("STANDARD", "COMPLETE"), "STANDARD")
    try:
        keys = parse_sort(request.GET.get("sort"))
    except PagingError as error:
        raise ServiceError(400, INVALID, str(error)) from None
    q = _query_q(request, DOCUMENT_FIELDS, document_term)
    page = _page(request, Document.objects.filter(q), "scopus", view, keys)
    documents: list[Document] = page.items
    authorships: dict[int, list[Authorship]] = defaultdict(list)
    for authorship in Authorship.objects.filter(document__in=documents).select_related("profile"):
        authorships[authorship.document_id].append(authorship)
    affiliations: dict[int, list[Affiliation]] = defaultdict(list)
    through = Authorship.affiliations.through
    for row in through.objects.filter(authorship__document__in=documents).select_related(
        "affiliation"
    ):
        affiliations[row.authorship_id].append(row.affiliation)
    base = base_url(request)
    entries = [document_entry(d, authorships[d.pk], affiliations, view, base) for d in documents]
    return _search_body(request, page, _filter_entries(request, entries))


@scopus_api(ScopusApiChoices.AUTHOR_SEARCH)
def author_search(request: HttpRequest) -> dict[str, Any]:
    """Author Search: active profiles matching a query."""
    view = _view(request, ("STANDARD",), "STANDARD")
    q = _query_q(request, AUTHOR_FIELDS, author_term)
    page = _page(
        request,
        AuthorProfile.objects.filter(q, status=ProfileStatusChoices.ACTIVE),
        "author",
        view,
    )
    profiles: list[AuthorProfile] = page.items
    counts = dict(
        Authorship.objects.filter(profile__in=profiles)
        .values_list("profile_id")
        .annotate(n=Count("id"))
        .values_list("profile_id", "n")
    )
    areas: dict[int, Counter[str]] = defaultdict(Counter)
    for profile_id, codes in Authorship.objects.filter(profile__in=profiles).values_list(
        "profile_id", "document__subject_areas"
    ):
        areas[profile_id].update(codes or [])
    current: dict[int, Affiliation] = {}
    through = Authorship.affiliations.through
    for row in (
        through.objects.filter(authorship__profile__in=profiles)
        .select_related("affiliation", "authorship")
        .order_by("-authorship__document__cover_date", "-authorship__document_id")
    ):
        if row.authorship.profile_id is not None:
            current.setdefault(row.authorship.profile_id, row.affiliation)
    base = base_url(request)
    entries = [
        author_entry(p, counts.get(p.pk, 0), current.get(p.pk), areas[p.pk].most_common(), base)
        for p in profiles
    ]
    return _search_body(request, page, _filter_entries(request, entries))


@scopus_api(ScopusApiChoices.AFFILIATION_RETRIEVAL)
def affiliation_by_id(request: HttpRequest, afid: str) -> dict[str, Any]:
    """Affiliation Retrieval by AF-ID."""
    _view(request, ("LIGHT", "STANDARD"), "STANDARD")
    afid = afid.strip().removeprefix("10-s2.0-")
    if not (afid.isascii() and afid.isdigit()) or len(afid) > 12:
        raise ServiceError(400, INVALID, f"Invalid affiliation id {afid[:40]!r}")
    affiliation = Affiliation.objects.filter(afid=afid).first()
    if affiliation is None:
        raise _not_found()
    authorships = Authorship.objects.filter(affiliations=affiliation)
    authors = authorships.exclude(profile=None).values("profile_id").distinct().count()
    documents = authorships.values("document_id").distinct().count()
    return affiliation_retrieval(affiliation, authors, documents, base_url(request))


DOCUMENT_EID_PREFIX = "2-s2.0-"
MAX_DOI_LENGTH = 300


def _document(id_type: str, identifier: str) -> Document:
    """The document an Abstract Retrieval names, by EID, Scopus ID, DOI or PubMed ID."""
    identifier = identifier.strip()
    if id_type == "doi":
        doi = identifier.lower().removeprefix("https://doi.org/")
        if len(doi) > MAX_DOI_LENGTH or not doi.startswith("10.") or "/" not in doi:
            raise ServiceError(400, INVALID, f"Invalid DOI {identifier[:60]!r}")
        found = Document.objects.filter(doi=doi).order_by("pk").first()
    elif id_type == "pii":
        found = None  # the sandbox indexes no ScienceDirect PIIs
    else:
        digits = identifier.removeprefix(DOCUMENT_EID_PREFIX) if id_type == "eid" else identifier
        well_formed = digits.isascii() and digits.isdigit() and len(digits) <= 20
        if id_type == "eid" and not identifier.startswith(DOCUMENT_EID_PREFIX):
            well_formed = False
        if not well_formed:
            raise ServiceError(400, INVALID, f"Invalid {id_type} {identifier[:60]!r}")
        column = "pubmed_id" if id_type == "pubmed_id" else "scopus_id"
        found = Document.objects.filter(**{column: digits}).order_by("pk").first()
    if found is None:
        raise _not_found()
    return found


@scopus_api(ScopusApiChoices.ABSTRACT_RETRIEVAL)
def abstract(request: HttpRequest, id_type: str, identifier: str) -> dict[str, Any]:
    """Abstract Retrieval by EID, Scopus ID, DOI, PubMed ID (or PII, of which there are none)."""
    view = _view(request, ABSTRACT_VIEWS, "META")
    document = _document(id_type, identifier)
    authorships = list(
        Authorship.objects.filter(document=document)
        .select_related("profile")
        .prefetch_related("affiliations")
        .order_by("position")
    )
    affiliations = {a.pk: list(a.affiliations.all()) for a in authorships}
    body = abstract_retrieval(document, authorships, affiliations, view, base_url(request))
    if view in {"ENTITLED", "REF"}:
        return body
    response = body["abstracts-retrieval-response"]
    return {"abstracts-retrieval-response": _only_fields(response, request)}


def unknown_resource(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other /content/ path: a service-error 404, so clients parse the reason as usual."""
    return error_response(
        ServiceError(
            404,
            ServiceErrorChoices.RESOURCE_NOT_FOUND,
            "The sandbox does not serve this resource: it answers Author Retrieval, Author "
            "Search, Scopus Search, Abstract Retrieval and Affiliation Retrieval",
        )
    )
