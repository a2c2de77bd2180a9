"""API v3.0 on two bases, like api.orcid.org and pub.orcid.org (reference orcid-api.md §1.3):

    /api/v3.0/{orcid}/…   member API: a bearer token is required; the record owner's token with
                          /read-limited also sees "trusted parties" items, and a client always
                          sees the private items it is the source of
    /pub/v3.0/{orcid}/…   public API: anonymous or any token, public items only, read-only
    /{api|pub}/v3.0/search/?q=…  and  …/expanded-search/?q=…   (search.py)

Paths under a record: GET "" and record, person, activities, works (grouped), work/{pc},
work/summary/{pc}, works/{pc},{pc}… (≤ 100), external-identifiers[/{pc}],
researcher-urls[/{pc}], keywords, other-names, employments, employment/{pc}; POST work, works
(bulk ≤ 100), external-identifiers, researcher-urls, employment; PUT work/{pc},
external-identifiers/{pc}, researcher-urls/{pc}, employment/{pc}; DELETE the same four.

Representations: ORCID JSON for application/vnd.orcid+json, application/orcid+json and
application/json; ORCID XML (xml.py) for the XML types and when Accept is missing or */*; the
caller's q-values decide between them, ties going to XML as on ORCID; 406 when nothing offered
is acceptable. HEAD answers as GET without the body. Request bodies may be either
(Content-Type). Errors use ORCID's error document (status, error code, developer and user
messages) in the same representation; OAuth token problems answer RFC 6750-style
{"error": "invalid_token", …}. The rate limit and fault injection of traffic.py wrap every
API view.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

import identifiers
from orcid_sandbox import parsing, queries, rendering, rules, search, xml
from orcid_sandbox.choices import ErrorCode, Scope, Visibility
from orcid_sandbox.database import registry_atomic
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.methods import answers_head
from orcid_sandbox.models import AccessToken, Account, Employment, OtherId, ResearcherUrl, Work
from orcid_sandbox.oauth import bearer_token
from orcid_sandbox.traffic import traffic_rules
from utilities.negotiation import parse_accept

MAX_BODY = 5 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """An API answer before it is written as JSON or XML."""

    kind: str
    data: Any
    status: int = 200


def error_data(error: RegistryError) -> dict[str, Any]:
    return {
        "response-code": error.status,
        "developer-message": error.developer_message,
        "user-message": error.user_message,
        "error-code": error.code,
        "more-info": "https://members.orcid.org/api/resources/troubleshooting",
    }


def render(answer: Document, *, as_xml: bool) -> HttpResponse:
    """Write a document in the representation the caller asked for."""
    if as_xml:
        if not xml.has_xml(answer.kind):
            answer = Document(
                "error",
                error_data(
                    RegistryError(
                        406,
                        ErrorCode.BAD_REQUEST,
                        f"406 Not Acceptable: the {answer.kind} document is served as JSON only; "
                        "ask for application/vnd.orcid+json",
                    )
                ),
                406,
            )
        return HttpResponse(
            xml.to_xml(answer.kind, answer.data),
            status=answer.status,
            content_type=xml.XML_CONTENT_TYPE,
        )
    return JsonResponse(
        answer.data,
        status=answer.status,
        safe=False,
        content_type="application/vnd.orcid+json; charset=utf-8",
    )


def oauth_error(status: int, error: str, description: str) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


def refuse_unwritable_text(document: Any) -> None:
    """400/9047 when a JSON body holds text that no XML document (or database) can hold: JSON
    can escape control characters and unpaired surrogates, XML 1.0 cannot carry them."""
    pending = [document]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and (found := xml.UNWRITABLE.search(item)):
            raise RegistryError(
                400,
                ErrorCode.INVALID_DOCUMENT,
                f"400 Bad Request: the text may not hold the character U+{ord(found[0]):04X}",
            )


class ApiCall:
    """One API request: whose record, which token, what the caller may see."""

    def __init__(
        self, request: HttpRequest, account: Account, token: AccessToken | None, public: bool
    ) -> None:
        self.request = request
        self.account = account
        self.token = token
        self.public = public

    @property
    def client(self) -> Any:
        return self.token.client if self.token else None

    def sees_limited(self) -> bool:
        """Member reads with the owner's /read-limited token see trusted-party items."""
        return (
            not self.public
            and self.token is not None
            and self.token.account_id == self.account.pk
            and Scope.READ_LIMITED in self.token.scopes()
        )

    def visible(self, items: Any) -> Any:
        # On the member API a client always sees what it wrote, even when the researcher has
        # since made it private (ORCID's 9013 is for private items of other sources).
        return queries.visible_to(
            items,
            public_only=not self.sees_limited(),
            client=None if self.public else self.client,
        )

    def require_write(self, scope: str) -> AccessToken:
        if self.public:
            raise RegistryError(
                405, ErrorCode.BAD_REQUEST, "405 Method Not Allowed: the public API is read-only"
            )
        token = self.token
        if token is None:
            raise RegistryError(
                401, ErrorCode.NOT_AUTHENTICATED, "401 Unauthorized: an access token is required"
            )
        if token.account_id != self.account.pk:
            raise RegistryError(
                401,
                ErrorCode.TOKEN_NOT_FOR_RECORD,
                "401 Unauthorized: this token is not for this record",
            )
        if scope not in token.scopes():
            raise RegistryError(
                403, ErrorCode.SCOPE_MISSING, f"403 Forbidden: the token lacks the {scope} scope"
            )
        return token

    def body(self) -> Any:
        if len(self.request.body) > MAX_BODY:
            raise RegistryError(413, ErrorCode.ILLEGAL_ARGUMENT, "413 Request Entity Too Large")
        if "xml" in (self.request.content_type or ""):
            return xml.parse_body(self.request.body)
        try:
            document = json.loads(self.request.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise RegistryError(
                400, ErrorCode.JSON_UNREADABLE, f"400 Bad Request: invalid JSON: {error}"
            ) from None
        refuse_unwritable_text(document)
        return document

    def location(self, kind: str, put_code: int) -> str:
        base = "pub" if self.public else "api"
        return (
            f"{settings.ORCID_SANDBOX_BASE_URL}/{base}/v3.0/{self.account.orcid}/{kind}/{put_code}"
        )

    def assertion_origin(self) -> Account | None:
        client = self.client
        return self.account if client is not None and client.allow_assertion_origin else None


# --- handlers ---------------------------------------------------------------------------------


def is_put_code(text: str) -> bool:
    """ASCII digits only: str.isdigit() also passes "²", which int() refuses."""
    return text.isascii() and text.isdigit()


def get_works(call: ApiCall) -> Document:
    # A record's works share a few sources: prefetching makes one object per client instead of
    # one per row, and the reverse manager already hands every work the same account object.
    works = list(
        call.visible(call.account.works.prefetch_related("source_client", "assertion_origin"))
    )
    return Document("works", rendering.works_json(call.account, works))


def check_visible(call: ApiCall, item: Any) -> None:
    """ORCID's 403s for one item the caller may not read (reference §1.5): 9039 on the public
    API, 9013 for a private item of another source, 9038 for a "trusted parties" item without
    the owner's /read-limited token. The same rule as ApiCall.visible, item by item."""
    if item.visibility == Visibility.PUBLIC:
        return
    if call.public:
        raise RegistryError(403, ErrorCode.NOT_PUBLIC, "403 Forbidden: The item is not public")
    if call.client is not None and item.source_client_id == call.client.pk:
        return
    if item.visibility == Visibility.PRIVATE:
        raise RegistryError(
            403,
            ErrorCode.PRIVATE_ITEM,
            "403 Forbidden: The item is private and you are not its source",
        )
    if not call.sees_limited():
        raise RegistryError(
            403,
            ErrorCode.LIMITED_ITEM,
            "403 Forbidden: The item is visible to trusted parties; reading it needs the "
            "/read-limited scope of the record's owner",
        )


def owned_work(call: ApiCall, put_code: str, *, for_write: bool) -> Work:
    if not is_put_code(put_code):
        raise RegistryError(400, ErrorCode.INVALID_PUT_CODE, "400 Bad Request: invalid put-code")
    items = Work.objects.select_related("source_client", "assertion_origin", "account").filter(
        account=call.account
    )
    work = items.filter(pk=int(put_code)).first()
    if work is None:
        raise RegistryError(
            404, ErrorCode.NOT_FOUND, f"404 Not Found: no work with put-code {put_code}"
        )
    if not for_write:
        check_visible(call, work)
    if for_write and work.source_client_id != (call.client.pk if call.client else None):
        raise RegistryError(
            403, ErrorCode.NOT_THE_SOURCE, "403 Forbidden: You are not the source of the work"
        )
    return work


def get_work(call: ApiCall, put_code: str) -> Document:
    return Document("work", rendering.work_json(owned_work(call, put_code, for_write=False)))


def get_work_summary(call: ApiCall, put_code: str) -> Document:
    work = owned_work(call, put_code, for_write=False)
    return Document("work-summary", rendering.work_summary_json(work))


def get_bulk_works(call: ApiCall, put_codes: str) -> Document:
    codes = [code for code in put_codes.split(",") if code]
    if len(codes) > rules.MAX_BULK:
        raise RegistryError(
            400,
            ErrorCode.TOO_MANY_PUT_CODES,
            f"400 Bad Request: at most {rules.MAX_BULK} put-codes",
        )
    bulk = []
    for code in codes:
        try:
            bulk.append({"work": rendering.work_json(owned_work(call, code, for_write=False))})
        except RegistryError as error:
            bulk.append({"error": error_data(error)})
    return Document("bulk", {"bulk": bulk})


def create_work(
    call: ApiCall, data: parsing.WorkData, index: dict[tuple[str, str], int] | None = None
) -> Work:
    if data.put_code is not None:
        raise RegistryError(
            400,
            ErrorCode.PUT_CODE_ON_CREATE,
            "400 Bad Request: Put-code must not be present when adding a work",
        )
    rules.check_duplicate(call.account, call.client, data.external_ids, index=index)
    return Work.objects.create(
        account=call.account,
        source_client=call.client,
        assertion_origin=call.assertion_origin(),
        title=data.title,
        subtitle=data.subtitle,
        journal_title=data.journal_title,
        work_type=data.work_type,
        publication_year=data.year,
        publication_month=data.month,
        publication_day=data.day,
        url=data.url,
        short_description=data.short_description,
        external_ids=data.external_ids,
        extra=data.extra,
        display_index=1,
    )


@registry_atomic()
def post_work(call: ApiCall) -> HttpResponse:
    call.require_write(Scope.ACTIVITIES_UPDATE)
    rules.check_capacity(call.account)
    work = create_work(call, parsing.read_work(call.body()))
    response = HttpResponse(status=201)
    response["Location"] = call.location("work", work.pk)
    return response


@registry_atomic()
def post_works(call: ApiCall) -> Document:
    call.require_write(Scope.ACTIVITIES_UPDATE)
    body = call.body()
    items = body.get("bulk") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise RegistryError(
            400, ErrorCode.JSON_UNREADABLE, '400 Bad Request: the body must be {"bulk": [...]}'
        )
    if len(items) > rules.MAX_BULK:
        raise RegistryError(
            400,
            ErrorCode.ILLEGAL_ARGUMENT,
            f"400 Bad Request: at most {rules.MAX_BULK} works per request",
        )
    rules.check_capacity(call.account, len(items))
    results: list[dict[str, Any]] = []
    # The source's self ids, read once; each work created joins it, so that later items of
    # the same bulk are checked against earlier ones too.
    index = rules.self_key_index(call.account, call.client)
    for item in items:
        try:
            payload = item.get("work") if isinstance(item, dict) else None
            data = parsing.read_work(payload)
            with registry_atomic():
                work = create_work(call, data, index)
            for key in rules.self_keys(data.external_ids):
                index.setdefault(key, work.pk)
            results.append({"work": rendering.work_json(work)})
        except RegistryError as error:
            results.append({"error": error_data(error)})
    return Document("bulk", {"bulk": results})


@registry_atomic()
def put_work(call: ApiCall, put_code: str) -> Document:
    call.require_write(Scope.ACTIVITIES_UPDATE)
    work = owned_work(call, put_code, for_write=True)
    data = parsing.read_work(call.body())
    if data.put_code != work.pk:
        raise RegistryError(
            400,
            ErrorCode.PUT_CODE_MISMATCH,
            "400 Bad Request: The put-code in the body must match the URL",
        )
    if data.visibility and data.visibility != work.visibility:
        raise RegistryError(
            403,
            ErrorCode.VISIBILITY_CHANGE,
            "403 Forbidden: You cannot update the visibility of an item; the researcher sets it",
        )
    rules.check_duplicate(call.account, call.client, data.external_ids, exclude_pk=work.pk)
    for name, value in (
        ("title", data.title),
        ("subtitle", data.subtitle),
        ("journal_title", data.journal_title),
        ("work_type", data.work_type),
        ("publication_year", data.year),
        ("publication_month", data.month),
        ("publication_day", data.day),
        ("url", data.url),
        ("short_description", data.short_description),
        ("external_ids", data.external_ids),
        ("extra", data.extra),
    ):
        setattr(work, name, value)
    work.save()
    return Document("work", rendering.work_json(work))


@registry_atomic()
def delete_work(call: ApiCall, put_code: str) -> HttpResponse:
    call.require_write(Scope.ACTIVITIES_UPDATE)
    owned_work(call, put_code, for_write=True).delete()
    return HttpResponse(status=204)


def person_items(call: ApiCall) -> tuple[list[OtherId], list[ResearcherUrl]]:
    other_ids = call.visible(
        call.account.other_ids.select_related("source_client", "assertion_origin", "account")
    )
    urls = call.visible(
        call.account.researcher_urls.select_related("source_client", "assertion_origin", "account")
    )
    return list(other_ids), list(urls)


def get_other_ids(call: ApiCall) -> Document:
    other_ids, _ = person_items(call)
    return Document("external-identifiers", rendering.other_ids_json(call.account, other_ids))


def get_other_id(call: ApiCall, put_code: str) -> Document:
    item = find_item(call, OtherId, put_code, for_write=False)
    return Document("external-identifier", rendering.other_id_json(item))


def find_item(call: ApiCall, model: Any, put_code: str, *, for_write: bool) -> Any:
    """A person item or employment by put-code: 404/9016 when absent, ORCID's 403s when hidden
    from the caller, 403/9010 when a write comes from a client that is not its source."""
    if not is_put_code(put_code):
        raise RegistryError(400, ErrorCode.INVALID_PUT_CODE, "400 Bad Request: invalid put-code")
    items = model.objects.select_related("source_client", "assertion_origin", "account").filter(
        account=call.account
    )
    item = items.filter(pk=int(put_code)).first()
    if item is None:
        raise RegistryError(
            404, ErrorCode.NOT_FOUND, f"404 Not Found: no item with put-code {put_code}"
        )
    if not for_write:
        check_visible(call, item)
    if for_write and item.source_client_id != (call.client.pk if call.client else None):
        raise RegistryError(
            403, ErrorCode.NOT_THE_SOURCE, "403 Forbidden: You are not the source of this item"
        )
    return item


@registry_atomic()
def post_other_id(call: ApiCall) -> HttpResponse:
    call.require_write(Scope.PERSON_UPDATE)
    data = parsing.read_other_id(call.body())
    if OtherId.objects.filter(
        account=call.account,
        source_client=call.client,
        id_type=data["id_type"],
        value=data["value"],
    ).exists():
        raise RegistryError(
            409,
            ErrorCode.DUPLICATE_PERSON_ITEM,
            "409 Conflict: You have already added this external identifier",
        )
    # Other IDs carry the client alone as source ("Source: Scopus - Elsevier"); assertion
    # origins are for activities written on the researcher's behalf.
    item = OtherId.objects.create(
        account=call.account, source_client=call.client, display_index=0, **data
    )
    response = HttpResponse(status=201)
    response["Location"] = call.location("external-identifiers", item.pk)
    return response


@registry_atomic()
def delete_other_id(call: ApiCall, put_code: str) -> HttpResponse:
    call.require_write(Scope.PERSON_UPDATE)
    item = OtherId.objects.filter(
        account=call.account, pk=int(put_code) if is_put_code(put_code) else 0
    ).first()
    if item is None:
        raise RegistryError(
            404, ErrorCode.NOT_FOUND, f"404 Not Found: no external identifier {put_code}"
        )
    if item.source_client_id != (call.client.pk if call.client else None):
        raise RegistryError(
            403, ErrorCode.NOT_THE_SOURCE, "403 Forbidden: You are not the source of this item"
        )
    item.delete()
    return HttpResponse(status=204)


def get_researcher_urls(call: ApiCall) -> Document:
    _, urls = person_items(call)
    return Document("researcher-urls", rendering.researcher_urls_json(call.account, urls))


def get_researcher_url(call: ApiCall, put_code: str) -> Document:
    item = find_item(call, ResearcherUrl, put_code, for_write=False)
    return Document("researcher-url", rendering.researcher_url_json(item))


@registry_atomic()
def post_researcher_url(call: ApiCall) -> HttpResponse:
    call.require_write(Scope.PERSON_UPDATE)
    data = parsing.read_researcher_url(call.body())
    if ResearcherUrl.objects.filter(
        account=call.account, source_client=call.client, url=data["url"]
    ).exists():
        raise RegistryError(
            409,
            ErrorCode.DUPLICATE_PERSON_ITEM,
            "409 Conflict: You have already added this researcher URL",
        )
    item = ResearcherUrl.objects.create(
        account=call.account, source_client=call.client, display_index=0, **data
    )
    response = HttpResponse(status=201)
    response["Location"] = call.location("researcher-urls", item.pk)
    return response


@registry_atomic()
def delete_researcher_url(call: ApiCall, put_code: str) -> HttpResponse:
    call.require_write(Scope.PERSON_UPDATE)
    find_item(call, ResearcherUrl, put_code, for_write=True).delete()
    return HttpResponse(status=204)


def names_visible(call: ApiCall) -> bool:
    return call.account.names_visibility == Visibility.PUBLIC or call.sees_limited()


def get_keywords(call: ApiCall) -> Document:
    words = call.account.keyword_list() if names_visible(call) else []
    return Document("keywords", rendering.text_items_json(call.account, "keyword", words))


def get_other_names(call: ApiCall) -> Document:
    names = call.account.other_name_list() if names_visible(call) else []
    return Document("other-names", rendering.text_items_json(call.account, "other-name", names))


def person_json(call: ApiCall) -> dict[str, Any]:
    other_ids, urls = person_items(call)
    return rendering.person_json(
        call.account, names_visible=names_visible(call), other_ids=other_ids, urls=urls
    )


def get_person(call: ApiCall) -> Document:
    return Document("person", person_json(call))


def visible_employments(call: ApiCall) -> list[Employment]:
    return list(
        call.visible(
            call.account.employments.select_related("source_client", "assertion_origin", "account")
        )
    )


def get_employments(call: ApiCall) -> Document:
    return Document(
        "employments", rendering.employments_json(call.account, visible_employments(call))
    )


def get_employment(call: ApiCall, put_code: str) -> Document:
    item = find_item(call, Employment, put_code, for_write=False)
    return Document("employment", rendering.employment_json(item))


@registry_atomic()
def post_employment(call: ApiCall) -> HttpResponse:
    call.require_write(Scope.ACTIVITIES_UPDATE)
    data = parsing.read_employment(call.body())
    item = Employment.objects.create(
        account=call.account,
        source_client=call.client,
        assertion_origin=call.assertion_origin(),
        display_index=1,
        **data,
    )
    response = HttpResponse(status=201)
    response["Location"] = call.location("employment", item.pk)
    return response


def update_item(call: ApiCall, model: Any, put_code: str, scope: str, reader: Any) -> Any:
    """PUT on a person item or employment: the source's own, same put-code, same visibility."""
    call.require_write(scope)
    item = find_item(call, model, put_code, for_write=True)
    body = call.body()
    data = reader(body, put_code=item.pk)
    visibility = str(body.get("visibility") or "").lower()
    if visibility and visibility != item.visibility:
        raise RegistryError(
            403,
            ErrorCode.VISIBILITY_CHANGE,
            "403 Forbidden: You cannot update the visibility of an item; the researcher sets it",
        )
    for name, value in data.items():
        setattr(item, name, value)
    item.save()
    return item


@registry_atomic()
def put_employment(call: ApiCall, put_code: str) -> Document:
    item = update_item(call, Employment, put_code, Scope.ACTIVITIES_UPDATE, parsing.read_employment)
    return Document("employment", rendering.employment_json(item))


@registry_atomic()
def put_other_id(call: ApiCall, put_code: str) -> Document:
    item = update_item(call, OtherId, put_code, Scope.PERSON_UPDATE, parsing.read_other_id)
    return Document("external-identifier", rendering.other_id_json(item))


@registry_atomic()
def put_researcher_url(call: ApiCall, put_code: str) -> Document:
    item = update_item(
        call, ResearcherUrl, put_code, Scope.PERSON_UPDATE, parsing.read_researcher_url
    )
    return Document("researcher-url", rendering.researcher_url_json(item))


@registry_atomic()
def delete_employment(call: ApiCall, put_code: str) -> HttpResponse:
    call.require_write(Scope.ACTIVITIES_UPDATE)
    find_item(call, Employment, put_code, for_write=True).delete()
    return HttpResponse(status=204)


def activities_json(call: ApiCall) -> dict[str, Any]:
    works = get_works(call).data
    employments = rendering.employments_json(call.account, visible_employments(call))
    dates = [
        section["last-modified-date"]["value"]
        for section in (works, employments)
        if section["last-modified-date"]
    ]
    # Every section ORCID's activities summary has, in its order; those out of the sandbox's
    # scope (fundings, peer reviews, …) are always empty, so clients reading them find them.
    sections = rendering.empty_activity_sections(call.account)
    sections.update(employments=employments, works=works)
    return {
        "last-modified-date": {"value": max(dates)} if dates else None,
        **sections,
        "path": f"/{call.account.orcid}/activities",
    }


def get_activities(call: ApiCall) -> Document:
    return Document("activities", activities_json(call))


def get_record(call: ApiCall) -> Document:
    return Document(
        "record",
        {
            "orcid-identifier": rendering.orcid_identifier(call.account.orcid),
            "preferences": {"locale": "en"},
            "history": rendering.history_json(call.account),
            "person": person_json(call),
            "activities-summary": activities_json(call),
            "path": f"/{call.account.orcid}",
        },
    )


Handler = Callable[..., HttpResponse | Document]
ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", ""): get_record,
    ("GET", "record"): get_record,
    ("GET", "person"): get_person,
    ("GET", "works"): get_works,
    ("POST", "works"): post_works,
    ("POST", "work"): post_work,
    ("GET", "external-identifiers"): get_other_ids,
    ("POST", "external-identifiers"): post_other_id,
    ("GET", "researcher-urls"): get_researcher_urls,
    ("POST", "researcher-urls"): post_researcher_url,
    ("GET", "keywords"): get_keywords,
    ("GET", "other-names"): get_other_names,
    ("GET", "activities"): get_activities,
    ("GET", "employments"): get_employments,
    ("POST", "employment"): post_employment,
}
ITEM_ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "work"): get_work,
    ("PUT", "work"): put_work,
    ("DELETE", "work"): delete_work,
    ("GET", "works"): get_bulk_works,
    ("GET", "external-identifiers"): get_other_id,
    ("PUT", "external-identifiers"): put_other_id,
    ("DELETE", "external-identifiers"): delete_other_id,
    ("PUT", "researcher-urls"): put_researcher_url,
    ("GET", "researcher-urls"): get_researcher_url,
    ("DELETE", "researcher-urls"): delete_researcher_url,
    ("GET", "employment"): get_employment,
    ("PUT", "employment"): put_employment,
    ("DELETE", "employment"): delete_employment,
}


# What the registry serves, with ORCID's server preferences (CONTENT_NEGOTIATION.md: the
# vendor XML type first, XML before JSON); the plain types rank after ORCID's own.
OFFERED = {
    "application/vnd.orcid+xml": 0.5,
    "application/vnd.orcid+json": 0.4,
    "application/orcid+xml": 0.3,
    "application/orcid+json": 0.2,
    "application/xml": 0.15,
    "application/json": 0.1,
}


def negotiate(request: HttpRequest) -> str | None:
    """The type to answer in: the caller's q-value times ORCID's preference, XML when Accept
    is missing or */*; None when nothing acceptable is offered (406)."""
    return parse_accept(request.headers.get("Accept")).choose(OFFERED)


def wants_xml(request: HttpRequest) -> bool:
    # Errors about the Accept header itself (406) are written in ORCID's default, XML.
    return "xml" in (negotiate(request) or "xml")


def acceptable(request: HttpRequest) -> bool:
    """False when Accept names only types ORCID does not serve (e.g. text/html): 406."""
    return negotiate(request) is not None


@csrf_exempt
@answers_head
@traffic_rules
def member_api(request: HttpRequest, orcid: str, path: str = "") -> HttpResponse:
    """The member API: bearer tokens, no cookies, so no CSRF check."""
    return dispatch(request, orcid, path, public=False)


@csrf_exempt
@answers_head
@traffic_rules
def public_api(request: HttpRequest, orcid: str, path: str = "") -> HttpResponse:
    """The public API: read-only, anonymous or with a /read-public token."""
    return dispatch(request, orcid, path, public=True)


def dispatch(request: HttpRequest, orcid: str, path: str = "", *, public: bool) -> HttpResponse:
    """Route one API call after checking the record, the token and the representation."""
    try:
        try:
            orcid = identifiers.normalise(identifiers.Scheme.ORCID, orcid)
        except identifiers.IdentifierError as error:
            raise RegistryError(400, ErrorCode.BAD_REQUEST, f"400 Bad Request: {error}") from None
        account = Account.objects.filter(orcid=orcid).first()
        if account is None:
            raise RegistryError(404, ErrorCode.NOT_FOUND, f"404 Not Found: no record {orcid}")
        if not acceptable(request):
            raise RegistryError(
                406,
                ErrorCode.BAD_REQUEST,
                "406 Not Acceptable: ask for application/vnd.orcid+xml, "
                "application/vnd.orcid+json or their plain xml/json forms",
            )
        if account.primary_orcid:
            base = "pub" if public else "api"
            response = render(
                Document(
                    "error",
                    error_data(
                        RegistryError(
                            301,
                            ErrorCode.RECORD_DEPRECATED,
                            f"301 Moved Permanently: This account is deprecated. Please refer to "
                            f"account: {account.primary_orcid}",
                        )
                    ),
                    301,
                ),
                as_xml=wants_xml(request),
            )
            response["Location"] = (
                f"{settings.ORCID_SANDBOX_BASE_URL}/{base}/v3.0/{account.primary_orcid}/{path}"
            )
            return response
        header = request.headers.get("Authorization", "")
        token = bearer_token(header) if header else None
        if header and token is None:
            return oauth_error(401, "invalid_token", "Invalid access token")
        if not public and token is None:
            return oauth_error(
                401, "invalid_token", "An access token is required for the member API"
            )
        call = ApiCall(request, account, token, public)
        parts = path.strip("/").split("/")
        # HEAD is answered as GET (answers_head drops the body).
        method = "GET" if request.method == "HEAD" else request.method or ""
        answer: HttpResponse | Document
        if parts[:2] == ["work", "summary"] and len(parts) == 3 and method == "GET":
            answer = get_work_summary(call, parts[2])
        elif len(parts) == 2 and (handler := ITEM_ROUTES.get((method, parts[0]))):
            answer = handler(call, parts[1])
        elif len(parts) == 1 and (handler := ROUTES.get((method, parts[0]))):
            answer = handler(call)
        else:
            raise RegistryError(404, ErrorCode.NOT_FOUND, f"404 Not Found: {method} /{path}")
    except RegistryError as error:
        answer = Document("error", error_data(error), error.status)
    if isinstance(answer, Document):
        return render(answer, as_xml=wants_xml(request))
    return answer


@csrf_exempt
@answers_head
@traffic_rules
def search_api(request: HttpRequest, base: str, kind: str) -> HttpResponse:
    """`/search/` and `/expanded-search/` on either base: public data only; the member base
    needs a token (a /read-public client token will do)."""
    try:
        if request.method not in ("GET", "HEAD"):
            raise RegistryError(
                405, ErrorCode.BAD_REQUEST, "405 Method Not Allowed: search is read-only"
            )
        if not acceptable(request):
            raise RegistryError(
                406, ErrorCode.BAD_REQUEST, "406 Not Acceptable: ask for ORCID XML or JSON"
            )
        header = request.headers.get("Authorization", "")
        token = bearer_token(header) if header else None
        if header and token is None:
            return oauth_error(401, "invalid_token", "Invalid access token")
        if base == "api" and token is None:
            return oauth_error(
                401, "invalid_token", "An access token is required for the member API"
            )
        accounts, found = search.find(request.GET)
        if kind == "search":
            answer = Document(
                "search",
                {
                    "result": [
                        {"orcid-identifier": rendering.orcid_identifier(account.orcid)}
                        for account in accounts
                    ],
                    "num-found": found,
                },
            )
        else:
            answer = Document(
                "expanded-search",
                {
                    "expanded-result": [search.expanded_row(account) for account in accounts],
                    "num-found": found,
                },
            )
    except RegistryError as error:
        answer = Document("error", error_data(error), error.status)
    return render(answer, as_xml=wants_xml(request))
