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
Fundings: GET fundings (grouped by external ids), funding/{pc}, funding/summary/{pc}; POST
funding; PUT and DELETE funding/{pc}. The other affiliation sections (distinction, education,
invited-position, membership, qualification, service) as employment: GET {section}s
(affiliation groups) and {section}/{pc}, POST {section}, PUT and DELETE {section}/{pc}.

Routing: urls.py names one URL pattern per resource on each base; `resource()` makes its
view, which checks the record, the Accept header and the token, then calls the handler for
the request's method. Handlers read (queries.py, rendering.py) or call the actions, which do
every write.

Representations: ORCID JSON for application/vnd.orcid+json, application/orcid+json and
application/json; ORCID XML (xml.py) for the XML types and when Accept is missing or */*; the
caller's q-values decide between them, ties going to XML as on ORCID; 406 when nothing offered
is acceptable. HEAD answers as GET without the body. Request bodies may be either
(Content-Type; any other type is 415); a body that cannot be read (invalid UTF-8 or JSON,
nesting too deep, a number too long) is ORCID's 400 and one over MAX_BODY a 413, never a 500.
Errors use ORCID's error document (status, error code, developer and user messages) in the
same representation; OAuth token problems answer RFC 6750-style {"error": "invalid_token", …}.
The rate limit and fault injection of traffic.py wrap every API view.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

import identifiers
from orcid_sandbox import actions, parsing, queries, rendering, rules, search, xml
from orcid_sandbox.choices import AffiliationSection, ErrorCode, Scope, Visibility
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.methods import answers_head
from orcid_sandbox.models import (
    AccessToken,
    Account,
    Affiliation,
    Client,
    Employment,
    Funding,
    OtherId,
    ResearcherUrl,
    Work,
)
from orcid_sandbox.models.record import SourcedItem
from orcid_sandbox.oauth import bearer_token
from orcid_sandbox.traffic import traffic_rules
from utilities.negotiation import parse_accept

MAX_BODY = 5 * 1024 * 1024
# Put-codes are 64-bit keys, so no put-code has more digits.
MAX_PUT_CODE_DIGITS = 18
JSON_BODY_TYPES = ("", "application/vnd.orcid+json", "application/orcid+json", "application/json")
XML_BODY_TYPES = (
    "application/vnd.orcid+xml",
    "application/orcid+xml",
    "application/xml",
    "text/xml",
)


Item = TypeVar("Item", bound=SourcedItem)


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


def may_hold_unwritable_text(raw: bytes) -> bool:
    """Whether a JSON body that parsed could hold such text: only through a \\u escape, or
    written as itself (U+FFFE, say; a raw control character in a string does not parse).
    One scan of the body's text, instead of a walk of every string of a bulk of 100 works."""
    text = raw.decode("utf-8")
    return "\\u" in text or xml.UNWRITABLE.search(text) is not None


def refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def finite_number(text: str) -> float:
    """A JSON number as a float; 1e400 would be infinity, which no field holds."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:40]} is out of range")
    return number


def read_json(raw: bytes) -> Any:
    """A JSON body, or 400/9001: bad UTF-8 or syntax, NaN/Infinity or a number out of range,
    an integer longer than Python converts (ValueError), nesting deeper than the parser
    recurses (RecursionError)."""
    try:
        return json.loads(
            raw.decode("utf-8") or "null",
            parse_constant=refuse_constant,
            parse_float=finite_number,
        )
    except RecursionError:
        reason = "the document is nested too deeply"
    except (UnicodeDecodeError, ValueError) as error:  # JSONDecodeError is a ValueError
        reason = str(error)[:200]
    raise RegistryError(400, ErrorCode.JSON_UNREADABLE, f"400 Bad Request: invalid JSON: {reason}")


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
    def client(self) -> Client | None:
        return self.token.client if self.token else None

    def sees_limited(self) -> bool:
        """Member reads with the owner's /read-limited token see trusted-party items."""
        return (
            not self.public
            and self.token is not None
            and self.token.account_id == self.account.pk
            and Scope.READ_LIMITED in self.token.scopes()
        )

    def visible(self, items: QuerySet[Item]) -> QuerySet[Item]:
        # On the member API a client always sees what it wrote, even when the researcher has
        # since made it private (ORCID's 9013 is for private items of other sources).
        return queries.visible_to(
            items,
            public_only=not self.sees_limited(),
            client=None if self.public else self.client,
        )

    def require_write(self, scope: str) -> Client:
        """The writing client, when the token may write this scope to this record."""
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
        return token.client

    def body(self) -> Any:
        """The request document in JSON shape; ORCID's 4xx when it cannot be read."""
        try:
            raw = self.request.body
        except RequestDataTooBig:
            raw = b"x" * (MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            raise RegistryError(413, ErrorCode.ILLEGAL_ARGUMENT, "413 Request Entity Too Large")
        content_type = (self.request.content_type or "").lower()
        if content_type in XML_BODY_TYPES:
            return xml.parse_body(raw)
        if content_type not in JSON_BODY_TYPES:
            raise RegistryError(
                415,
                ErrorCode.BAD_REQUEST,
                f"415 Unsupported Media Type: {content_type[:80]}; send "
                "application/vnd.orcid+json or application/vnd.orcid+xml",
            )
        document = read_json(raw)
        if may_hold_unwritable_text(raw):
            refuse_unwritable_text(document)
        return document

    def location(self, kind: str, put_code: int) -> str:
        base = "pub" if self.public else "api"
        return (
            f"{settings.ORCID_SANDBOX_BASE_URL}/{base}/v3.0/{self.account.orcid}/{kind}/{put_code}"
        )


# --- handlers: reads -------------------------------------------------------------------------


def is_put_code(text: str) -> bool:
    """ASCII digits only: str.isdigit() also passes "²", which int() refuses."""
    return text.isascii() and text.isdigit()


def check_visible(call: ApiCall, item: SourcedItem) -> None:
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


def find_item(
    call: ApiCall, model: type[Item], put_code: str, *, writer: Client | None, section: str = ""
) -> Item:
    """An item of the record by put-code (of one affiliation `section` for Affiliation): 400/9034
    for a malformed put-code, 404/9016 when absent; for a read, ORCID's 403s when it is hidden
    from the caller; for a write, 403/9010 when the writer is not its source (checked before
    the body is read, as ORCID does)."""
    if not is_put_code(put_code):
        raise RegistryError(400, ErrorCode.INVALID_PUT_CODE, "400 Bad Request: invalid put-code")
    items = model._default_manager.select_related("source_client", "assertion_origin")
    if section:
        items = items.filter(section=section)
    # No key has more digits (and int() refuses thousands of them): such a put-code is absent.
    too_long = len(put_code) > MAX_PUT_CODE_DIGITS
    # One row by its key: no ordering to build (a work's default one has three fields).
    item = (
        None
        if too_long
        else next(iter(items.filter(account=call.account, pk=int(put_code)).order_by()[:1]), None)
    )
    if item is None:
        noun = section.replace("-", " ") or model._meta.verbose_name
        raise RegistryError(
            404, ErrorCode.NOT_FOUND, f"404 Not Found: no {noun} with put-code {put_code[:40]}"
        )
    item.account = call.account  # the record's, as the query asked (no join for it)
    if writer is None:
        check_visible(call, item)
    else:
        actions.check_source(item, writer)
    return item


def get_works(call: ApiCall) -> Document:
    # A record's works share a few sources: prefetching makes one object per client instead of
    # one per row, and the reverse manager already hands every work the same account object.
    works = list(
        call.visible(call.account.works.prefetch_related("source_client", "assertion_origin"))
    )
    return Document("works", rendering.works_json(call.account, works))


def get_work(call: ApiCall, put_code: str) -> Document:
    work = find_item(call, Work, put_code, writer=None)
    return Document("work", rendering.work_json(work))


def get_work_summary(call: ApiCall, put_code: str) -> Document:
    work = find_item(call, Work, put_code, writer=None)
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
            work = find_item(call, Work, code, writer=None)
            bulk.append({"work": rendering.work_json(work)})
        except RegistryError as error:
            bulk.append({"error": error_data(error)})
    return Document("bulk", {"bulk": bulk})


def person_items(call: ApiCall) -> tuple[list[OtherId], list[ResearcherUrl]]:
    related = ("source_client", "assertion_origin", "account")
    other_ids = call.visible(call.account.other_ids.select_related(*related))
    urls = call.visible(call.account.researcher_urls.select_related(*related))
    return list(other_ids), list(urls)


def get_other_ids(call: ApiCall) -> Document:
    other_ids, _ = person_items(call)
    return Document("external-identifiers", rendering.other_ids_json(call.account, other_ids))


def get_other_id(call: ApiCall, put_code: str) -> Document:
    item = find_item(call, OtherId, put_code, writer=None)
    return Document("external-identifier", rendering.other_id_json(item))


def get_researcher_urls(call: ApiCall) -> Document:
    _, urls = person_items(call)
    return Document("researcher-urls", rendering.researcher_urls_json(call.account, urls))


def get_researcher_url(call: ApiCall, put_code: str) -> Document:
    item = find_item(call, ResearcherUrl, put_code, writer=None)
    return Document("researcher-url", rendering.researcher_url_json(item))


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
    related = ("source_client", "assertion_origin", "account")
    return list(call.visible(call.account.employments.select_related(*related)))


def get_employments(call: ApiCall) -> Document:
    employments = visible_employments(call)
    return Document("employments", rendering.employments_json(call.account, employments))


def get_employment(call: ApiCall, put_code: str) -> Document:
    item = find_item(call, Employment, put_code, writer=None)
    return Document("employment", rendering.employment_json(item))


# --- handlers: writes, each through one action ------------------------------------------------


def created(call: ApiCall, kind: str, put_code: int) -> HttpResponse:
    response = HttpResponse(status=201)
    response["Location"] = call.location(kind, put_code)
    return response


def post_work(call: ApiCall) -> HttpResponse:
    client = call.require_write(Scope.ACTIVITIES_UPDATE)
    data = parsing.read_work(call.body())
    work = actions.do_add_work(call.account, data, acting_client=client)
    return created(call, "work", work.pk)


def post_works(call: ApiCall) -> Document:
    client = call.require_write(Scope.ACTIVITIES_UPDATE)
    body = call.body()
    items = body.get("bulk") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise RegistryError(
            400, ErrorCode.JSON_UNREADABLE, '400 Bad Request: the body must be {"bulk": [...]}'
        )
    results = actions.do_add_works(call.account, items, acting_client=client)
    return Document(
        "bulk",
        {
            "bulk": [
                {"error": error_data(result)}
                if isinstance(result, RegistryError)
                else {"work": rendering.work_json(result)}
                for result in results
            ]
        },
    )


def put_work(call: ApiCall, put_code: str) -> Document:
    client = call.require_write(Scope.ACTIVITIES_UPDATE)
    work = find_item(call, Work, put_code, writer=client)
    data = parsing.read_work(call.body())
    return Document(
        "work", rendering.work_json(actions.do_update_work(work, data, acting_client=client))
    )


def delete_work(call: ApiCall, put_code: str) -> HttpResponse:
    return withdraw(call, Work, put_code, Scope.ACTIVITIES_UPDATE)


def post_other_id(call: ApiCall) -> HttpResponse:
    client = call.require_write(Scope.PERSON_UPDATE)
    data = parsing.read_other_id(call.body())
    item = actions.do_add_other_id(call.account, data, acting_client=client)
    return created(call, "external-identifiers", item.pk)


def post_researcher_url(call: ApiCall) -> HttpResponse:
    client = call.require_write(Scope.PERSON_UPDATE)
    data = parsing.read_researcher_url(call.body())
    item = actions.do_add_researcher_url(call.account, data, acting_client=client)
    return created(call, "researcher-urls", item.pk)


def post_employment(call: ApiCall) -> HttpResponse:
    client = call.require_write(Scope.ACTIVITIES_UPDATE)
    data = parsing.read_employment(call.body())
    item = actions.do_add_employment(call.account, data, acting_client=client)
    return created(call, "employment", item.pk)


# --- fundings and the other affiliation sections --------------------------------------------


def visible_fundings(call: ApiCall) -> list[Funding]:
    related = ("source_client", "assertion_origin", "account")
    return list(call.visible(call.account.fundings.select_related(*related)))


def get_fundings(call: ApiCall) -> Document:
    return Document("fundings", rendering.fundings_json(call.account, visible_fundings(call)))


def get_funding(call: ApiCall, put_code: str) -> Document:
    return Document(
        "funding", rendering.funding_json(find_item(call, Funding, put_code, writer=None))
    )


def get_funding_summary(call: ApiCall, put_code: str) -> Document:
    item = find_item(call, Funding, put_code, writer=None)
    return Document("funding-summary", rendering.funding_summary_json(item))


def post_funding(call: ApiCall) -> HttpResponse:
    client = call.require_write(Scope.ACTIVITIES_UPDATE)
    data = parsing.read_funding(call.body())
    item = actions.do_add_funding(call.account, data, acting_client=client)
    return created(call, "funding", item.pk)


def put_funding(call: ApiCall, put_code: str) -> Document:
    client = call.require_write(Scope.ACTIVITIES_UPDATE)
    item = find_item(call, Funding, put_code, writer=client)
    body = call.body()
    data = parsing.read_funding(body, put_code=item.pk)
    visibility = str(body.get("visibility") or "").lower()
    actions.do_update_activity(item, data, visibility=visibility, acting_client=client)
    return Document("funding", rendering.funding_json(item))


def delete_funding(call: ApiCall, put_code: str) -> HttpResponse:
    return withdraw(call, Funding, put_code, Scope.ACTIVITIES_UPDATE)


def visible_affiliations(call: ApiCall, section: str) -> list[Affiliation]:
    related = ("source_client", "assertion_origin", "account")
    items = call.account.affiliations.filter(section=section).select_related(*related)
    return list(call.visible(items))


def affiliation_handlers(
    section: str,
) -> tuple[dict[str, Handler], dict[str, Handler], dict[str, Handler]]:
    """The handlers of one affiliation section (distinction, membership, …): its listing
    (GET /distinctions), new items (POST /distinction) and one item by put-code (GET, PUT,
    DELETE /distinction/{put-code}). All write through the same actions; only the section
    differs."""

    def listing(call: ApiCall) -> Document:
        items = visible_affiliations(call, section)
        return Document(
            rendering.SECTION_PLURALS[section],
            rendering.affiliations_json(call.account, section, items),
        )

    def post(call: ApiCall) -> HttpResponse:
        client = call.require_write(Scope.ACTIVITIES_UPDATE)
        data = parsing.read_affiliation(call.body())
        item = actions.do_add_affiliation(call.account, section, data, acting_client=client)
        return created(call, section, item.pk)

    def get(call: ApiCall, put_code: str) -> Document:
        item = find_item(call, Affiliation, put_code, writer=None, section=section)
        return Document(section, rendering.affiliation_json(item))

    def put(call: ApiCall, put_code: str) -> Document:
        client = call.require_write(Scope.ACTIVITIES_UPDATE)
        item = find_item(call, Affiliation, put_code, writer=client, section=section)
        body = call.body()
        data = parsing.read_affiliation(body, put_code=item.pk)
        visibility = str(body.get("visibility") or "").lower()
        actions.do_update_activity(item, data, visibility=visibility, acting_client=client)
        return Document(section, rendering.affiliation_json(item))

    def delete(call: ApiCall, put_code: str) -> HttpResponse:
        client = call.require_write(Scope.ACTIVITIES_UPDATE)
        item = find_item(call, Affiliation, put_code, writer=client, section=section)
        actions.do_withdraw_item(item, acting_client=client)
        return HttpResponse(status=204)

    return {"GET": listing}, {"POST": post}, {"GET": get, "PUT": put, "DELETE": delete}


def update_item(
    call: ApiCall,
    model: type[Item],
    put_code: str,
    scope: str,
    reader: Callable[..., dict[str, str]],
) -> Item:
    """PUT on a person item or employment: the source's own, same put-code, same visibility."""
    client = call.require_write(scope)
    item = find_item(call, model, put_code, writer=client)
    body = call.body()
    data = reader(body, put_code=item.pk)
    visibility = str(body.get("visibility") or "").lower()
    actions.do_update_item(item, data, visibility=visibility, acting_client=client)
    return item


def put_employment(call: ApiCall, put_code: str) -> Document:
    client = call.require_write(Scope.ACTIVITIES_UPDATE)
    item = find_item(call, Employment, put_code, writer=client)
    body = call.body()
    data = parsing.read_employment(body, put_code=item.pk)
    visibility = str(body.get("visibility") or "").lower()
    actions.do_update_activity(item, data, visibility=visibility, acting_client=client)
    return Document("employment", rendering.employment_json(item))


def put_other_id(call: ApiCall, put_code: str) -> Document:
    item = update_item(call, OtherId, put_code, Scope.PERSON_UPDATE, parsing.read_other_id)
    return Document("external-identifier", rendering.other_id_json(item))


def put_researcher_url(call: ApiCall, put_code: str) -> Document:
    reader = parsing.read_researcher_url
    item = update_item(call, ResearcherUrl, put_code, Scope.PERSON_UPDATE, reader)
    return Document("researcher-url", rendering.researcher_url_json(item))


def withdraw(call: ApiCall, model: type[SourcedItem], put_code: str, scope: str) -> HttpResponse:
    """DELETE by the item's source."""
    client = call.require_write(scope)
    actions.do_withdraw_item(find_item(call, model, put_code, writer=client), acting_client=client)
    return HttpResponse(status=204)


def delete_other_id(call: ApiCall, put_code: str) -> HttpResponse:
    return withdraw(call, OtherId, put_code, Scope.PERSON_UPDATE)


def delete_researcher_url(call: ApiCall, put_code: str) -> HttpResponse:
    return withdraw(call, ResearcherUrl, put_code, Scope.PERSON_UPDATE)


def delete_employment(call: ApiCall, put_code: str) -> HttpResponse:
    return withdraw(call, Employment, put_code, Scope.ACTIVITIES_UPDATE)


def activities_json(call: ApiCall) -> dict[str, Any]:
    # Every section ORCID's activities summary has, in its order; those out of the sandbox's
    # scope (peer reviews, research resources) are always empty, so clients reading them find
    # them.
    sections = rendering.empty_activity_sections(call.account)
    sections["works"] = get_works(call).data
    sections["fundings"] = get_fundings(call).data
    sections["employments"] = rendering.employments_json(call.account, visible_employments(call))
    related = ("source_client", "assertion_origin", "account")
    affiliations = call.visible(call.account.affiliations.select_related(*related))
    by_section: dict[str, list[Affiliation]] = {section: [] for section in AffiliationSection}
    for item in affiliations:
        by_section[item.section].append(item)
    for section, items in by_section.items():
        plural = rendering.SECTION_PLURALS[section]
        sections[plural] = rendering.affiliations_json(call.account, section, items)
    dates = [
        section["last-modified-date"]["value"]
        for section in sections.values()
        if section["last-modified-date"]
    ]
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


# --- the views urls.py routes to ---------------------------------------------------------------

Handler = Callable[..., HttpResponse | Document]
View = Callable[..., HttpResponse]


def resource(*, public: bool, **handlers: Handler) -> View:
    """The view of one API resource on one base: `handlers` by HTTP method (GET also answers
    HEAD); other methods, and a resource with no handlers, answer 404/9016 as ORCID does."""

    @csrf_exempt
    @answers_head
    @traffic_rules
    def view(request: HttpRequest, orcid: str, **arguments: str) -> HttpResponse:
        return answer_call(request, orcid, arguments, handlers, public=public)

    return view


def deprecated(request: HttpRequest, account: Account, *, public: bool) -> HttpResponse:
    """301/9007 towards the primary record of a merged one, at the same path."""
    error = RegistryError(
        301,
        ErrorCode.RECORD_DEPRECATED,
        "301 Moved Permanently: This account is deprecated. Please refer to account: "
        f"{account.primary_orcid}",
    )
    response = render(Document("error", error_data(error), 301), as_xml=wants_xml(request))
    base = "pub" if public else "api"
    rest = request.path.split("/v3.0/", 1)[-1].partition("/")[2]
    response["Location"] = (
        f"{settings.ORCID_SANDBOX_BASE_URL}/{base}/v3.0/{account.primary_orcid}/{rest}"
    )
    return response


def answer_call(
    request: HttpRequest,
    orcid: str,
    arguments: dict[str, str],
    handlers: dict[str, Handler],
    *,
    public: bool,
) -> HttpResponse:
    """Check the record, the representation and the token, then run the method's handler."""
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
            return deprecated(request, account, public=public)
        header = request.headers.get("Authorization", "")
        token = bearer_token(header) if header else None
        if header and token is None:
            return oauth_error(401, "invalid_token", "Invalid access token")
        if not public and token is None:
            return oauth_error(
                401, "invalid_token", "An access token is required for the member API"
            )
        # HEAD is answered as GET (answers_head drops the body).
        method = "GET" if request.method == "HEAD" else request.method or ""
        handler = handlers.get(method)
        if handler is None:
            raise RegistryError(
                404, ErrorCode.NOT_FOUND, f"404 Not Found: {method} {request.path[:200]}"
            )
        answer = handler(ApiCall(request, account, token, public), **arguments)
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
