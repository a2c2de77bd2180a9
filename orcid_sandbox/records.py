"""ORCID record items as API documents: reading payloads, the validation rules, grouping, and
writing the JSON shapes of API v3.0 (reference: orcid-api.md §1.4–1.10)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

import identifiers
from orcid_sandbox.choices import WORK_ID_TYPES, WORK_TYPES, Relationship, Visibility
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.models import Account, Client, Employment, OtherId, ResearcherUrl, Work

MAX_WORKS_PER_RECORD = 10_000
MAX_BULK = 100
MAX_CONTRIBUTORS = 10_000
CITATION_TYPES = frozenset(
    [
        "formatted-unspecified",
        "bibtex",
        "formatted-apa",
        "formatted-harvard",
        "formatted-ieee",
        "formatted-mla",
        "formatted-vancouver",
        "formatted-chicago",
        "ris",
    ]
)
CONTRIBUTOR_ROLES = frozenset(
    [
        "author",
        "assignee",
        "editor",
        "chair-or-translator",
        "co-investigator",
        "co-inventor",
        "graduate-student",
        "other-inventor",
        "principal-investigator",
        "postdoctoral-researcher",
        "support-staff",
    ]
)
# CRediT roles (NISO) are accepted as their URIs.
CREDIT_ROLE_PREFIX = "http://credit.niso.org/contributor-roles/"
CREDIT_ROLES = frozenset(
    f"{CREDIT_ROLE_PREFIX}{name}/"
    for name in (
        "conceptualization",
        "data-curation",
        "formal-analysis",
        "funding-acquisition",
        "investigation",
        "methodology",
        "project-administration",
        "resources",
        "software",
        "supervision",
        "validation",
        "visualization",
        "writing-original-draft",
        "writing-review-editing",
    )
)
MORE_INFO = "https://members.orcid.org/api/resources/troubleshooting"
_CLIENT_PATH = re.compile(r"APP-[\dA-Za-z]{16}|(\d{4}-){3}\d{3}[\dX]")


def bad_request(code: int, message: str) -> RegistryError:
    return RegistryError(400, code, f"400 Bad Request: {message}")


def value_of(node: Any) -> str:
    """ORCID wraps most strings as {"value": "..."}; accept the bare string too."""
    if isinstance(node, dict):
        node = node.get("value")
    if node is None:
        return ""
    if not isinstance(node, str | int):
        raise bad_request(9047, "a value is not text")
    return str(node).strip()


@functools.lru_cache(maxsize=100_000)
def normalised_id_value(id_type: str, value: str) -> str:
    """The value ORCID compares ids by: scheme-normalised where we know the scheme."""
    schemes = {
        "doi": identifiers.Scheme.DOI,
        "eid": identifiers.Scheme.SCOPUS_EID,
        "isbn": identifiers.Scheme.ISBN,
        "issn": identifiers.Scheme.ISSN,
        "pmid": identifiers.Scheme.PMID,
    }
    scheme = schemes.get(id_type)
    if scheme is not None:
        try:
            return identifiers.normalise(scheme, value)
        except identifiers.IdentifierError:
            pass
    return value.strip().lower()


@dataclass
class WorkData:
    """A work payload after validation, ready to store."""

    title: str
    work_type: str
    external_ids: list[dict[str, str]]
    subtitle: str = ""
    journal_title: str = ""
    year: str = ""
    month: str = ""
    day: str = ""
    url: str = ""
    short_description: str = ""
    put_code: int | None = None
    visibility: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def read_work(payload: Any) -> WorkData:
    """Validate a work document (JSON shape) by ORCID's rules; RegistryError names the rule."""
    if not isinstance(payload, dict):
        raise bad_request(9047, "the body is not a work")
    title_node = payload.get("title") or {}
    title = value_of(title_node.get("title")) if isinstance(title_node, dict) else ""
    if not title:
        raise bad_request(9022, "Title is required")
    work_type = payload.get("type")
    if not isinstance(work_type, str) or work_type.lower() not in WORK_TYPES:
        raise bad_request(9037, f"Invalid work type: {str(work_type)[:40]}")
    ids_node = payload.get("external-ids") or {}
    raw_ids = ids_node.get("external-id") if isinstance(ids_node, dict) else None
    if not isinstance(raw_ids, list) or not raw_ids:
        raise bad_request(9023, "Works must have at least one external identifier")
    external_ids = []
    for item in raw_ids:
        if not isinstance(item, dict):
            raise bad_request(9023, "Invalid external identifier")
        id_type = str(item.get("external-id-type") or "").lower()
        value = value_of(item.get("external-id-value"))
        relationship = str(item.get("external-id-relationship") or "").lower()
        if id_type not in WORK_ID_TYPES:
            raise bad_request(9023, f"Invalid external id type: {id_type[:40]}")
        if not value:
            raise bad_request(9023, "External identifiers need a value")
        if relationship not in {Relationship.SELF, Relationship.PART_OF, Relationship.VERSION_OF}:
            raise bad_request(9023, f"Invalid relationship: {relationship[:20]}")
        external_ids.append(
            {
                "type": id_type,
                "value": value[:2000],
                "url": value_of(item.get("external-id-url"))[:2000],
                "relationship": relationship,
            }
        )
    if not any(item["relationship"] == Relationship.SELF for item in external_ids):
        raise bad_request(
            9023, "Works must have at least one external identifier with relationship self"
        )
    date = payload.get("publication-date") or {}
    year = value_of(date.get("year")) if isinstance(date, dict) else ""
    month = value_of(date.get("month")) if isinstance(date, dict) else ""
    day = value_of(date.get("day")) if isinstance(date, dict) else ""
    if (
        (year and not re.fullmatch(r"\d{4}", year))
        or (month and not re.fullmatch(r"0[1-9]|1[0-2]", month))
        or (day and not re.fullmatch(r"0[1-9]|[12]\d|3[01]", day))
        or (day and not month)
        or ((month or day) and not year)
    ):
        raise bad_request(9049, "Invalid publication date")
    put_code = payload.get("put-code")
    if put_code is not None:
        try:
            put_code = int(put_code)
        except (TypeError, ValueError):
            raise bad_request(9034, "Invalid put-code") from None
    subtitle = value_of(title_node.get("subtitle")) if isinstance(title_node, dict) else ""
    return WorkData(
        extra=read_work_extra(payload, title_node),
        title=title[:1000],
        subtitle=subtitle[:1000],
        work_type=work_type.lower(),
        external_ids=external_ids,
        journal_title=value_of(payload.get("journal-title"))[:1000],
        year=year,
        month=month,
        day=day,
        url=value_of(payload.get("url"))[:1000],
        short_description=value_of(payload.get("short-description"))[:5000],
        put_code=put_code,
        visibility=str(payload.get("visibility") or "").lower(),
    )


def read_work_extra(payload: dict[str, Any], title_node: Any) -> dict[str, Any]:
    """Citation, contributors, translated title, language and country, checked and kept in
    their JSON shape."""
    extra: dict[str, Any] = {}
    translated = title_node.get("translated-title") if isinstance(title_node, dict) else None
    if isinstance(translated, dict) and value_of(translated):
        language = str(translated.get("language-code") or "")
        if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", language):
            raise bad_request(9020, "A translated title needs a language code")
        extra["translated-title"] = {
            "value": value_of(translated)[:1000],
            "language-code": language,
        }
    citation = payload.get("citation")
    if isinstance(citation, dict) and value_of(citation.get("citation-value")):
        citation_type = value_of(citation.get("citation-type")) or "formatted-unspecified"
        if citation_type not in CITATION_TYPES:
            raise bad_request(9020, f"Invalid citation type: {citation_type[:40]}")
        extra["citation"] = {
            "citation-type": citation_type,
            "citation-value": str(citation["citation-value"])[:20000],
        }
    for key, pattern in (("language-code", r"[a-z]{2,3}(_[A-Z]{2})?"), ("country", r"[A-Z]{2}")):
        value = value_of(payload.get(key))
        if value:
            if not re.fullmatch(pattern, value):
                raise bad_request(9020, f"Invalid {key}: {value[:20]}")
            extra[key] = value
    contributors_node = payload.get("contributors") or {}
    raw = contributors_node.get("contributor") if isinstance(contributors_node, dict) else None
    if raw is not None:
        if not isinstance(raw, list) or len(raw) > MAX_CONTRIBUTORS:
            raise bad_request(9020, f"At most {MAX_CONTRIBUTORS} contributors")
        extra["contributors"] = [read_contributor(item) for item in raw]
    return extra


def read_contributor(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise bad_request(9020, "Invalid contributor")
    contributor: dict[str, Any] = {}
    orcid_node = item.get("contributor-orcid")
    if orcid_node:
        path = value_of(orcid_node.get("path")) if isinstance(orcid_node, dict) else ""
        try:
            orcid = identifiers.normalise(identifiers.Scheme.ORCID, path)
        except identifiers.IdentifierError:
            raise bad_request(9020, f"Invalid contributor ORCID iD: {path[:40]}") from None
        contributor["contributor-orcid"] = orcid_identifier(orcid)
    if "credit-name" in item and item["credit-name"] is not None:
        name = value_of(item["credit-name"])
        if not name:
            raise bad_request(9020, "A contributor's credit name may not be empty")
        contributor["credit-name"] = {"value": name[:1000]}
    attributes = item.get("contributor-attributes")
    if isinstance(attributes, dict):
        sequence = value_of(attributes.get("contributor-sequence"))
        role = value_of(attributes.get("contributor-role"))
        if sequence and sequence not in ("first", "additional"):
            raise bad_request(9020, f"Invalid contributor sequence: {sequence[:20]}")
        if role and role not in CONTRIBUTOR_ROLES and role not in CREDIT_ROLES:
            raise bad_request(9058, f"Invalid contributor role: {role[:80]}")
        contributor["contributor-attributes"] = {
            "contributor-sequence": sequence or None,
            "contributor-role": role or None,
        }
    return contributor


def self_keys(external_ids: Iterable[dict[str, str]]) -> set[tuple[str, str]]:
    return {
        (item["type"], normalised_id_value(item["type"], item["value"]))
        for item in external_ids
        if item["relationship"] == Relationship.SELF
    }


def self_key_index(
    account: Account, client: Client | None, exclude_pk: int | None = None
) -> dict[tuple[str, str], int]:
    """The `self` ids of the works this source already has on the record, to their put-codes."""
    works = Work.objects.filter(account=account, source_client=client)
    if exclude_pk is not None:
        works = works.exclude(pk=exclude_pk)
    index: dict[tuple[str, str], int] = {}
    for pk, external_ids in works.values_list("pk", "external_ids"):
        for key in self_keys(external_ids):
            index.setdefault(key, pk)
    return index


def check_duplicate(
    account: Account,
    client: Client | None,
    data: WorkData,
    exclude_pk: int | None = None,
    index: dict[tuple[str, str], int] | None = None,
) -> None:
    """409/9021 when the same source already has a work with one of these self ids (a bulk
    passes its own index, which also holds the works created earlier in the request)."""
    if index is None:
        index = self_key_index(account, client, exclude_pk)
    for key in sorted(self_keys(data.external_ids)):
        if key in index:
            raise RegistryError(
                409,
                9021,
                "409 Conflict: You have already added this activity (matched by external "
                f"identifiers), please see element with put-code {index[key]}. If you are trying "
                "to edit the item, please use PUT instead of POST.",
            )


def check_capacity(account: Account, adding: int = 1) -> None:
    if Work.objects.filter(account=account).count() + adding > MAX_WORKS_PER_RECORD:
        raise RegistryError(
            409,
            9048,
            f"409 Conflict: This record has reached the limit of {MAX_WORKS_PER_RECORD:,} works",
        )


# --- grouping (§1.9) ------------------------------------------------------------------------


@dataclass
class WorkGroup:
    """Works that share a groupable external id, preferred first."""

    works: list[Work]
    external_ids: list[dict[str, str]]

    @property
    def preferred(self) -> Work:
        return self.works[0]


def groupable_keys(work: Work) -> set[tuple[str, str]]:
    return {
        (item["type"], normalised_id_value(item["type"], item["value"]))
        for item in work.external_ids
        if item["relationship"] not in (Relationship.PART_OF, Relationship.FUNDED_BY)
        and item["value"]
    }


def group_works(works: list[Work]) -> list[WorkGroup]:
    """Group by shared groupable ids, merging transitively; part-of ids never group."""
    parent = list(range(len(works)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner: dict[tuple[str, str], int] = {}
    for index, work in enumerate(works):
        for key in groupable_keys(work):
            if key in owner:
                parent[find(index)] = find(owner[key])
            else:
                owner[key] = index
    members: dict[int, list[Work]] = {}
    for index, work in enumerate(works):
        members.setdefault(find(index), []).append(work)
    groups = []
    for group_works_ in members.values():
        group_works_.sort(key=lambda work: (-work.display_index, work.created_at, work.pk))
        seen: dict[tuple[str, str], dict[str, str]] = {}
        for work in group_works_:
            for item in work.external_ids:
                if item["relationship"] in (Relationship.PART_OF, Relationship.FUNDED_BY):
                    continue
                key = (item["type"], normalised_id_value(item["type"], item["value"]))
                if item["value"] and key not in seen:
                    seen[key] = item
        groups.append(WorkGroup(works=group_works_, external_ids=list(seen.values())))
    # Newest first by the preferred version's date, then title and type alphabetically.
    groups.sort(key=lambda group: (group.preferred.title.casefold(), group.preferred.work_type))
    groups.sort(
        key=lambda group: (
            group.preferred.publication_year or "0000",
            group.preferred.publication_month or "00",
            group.preferred.publication_day or "00",
        ),
        reverse=True,
    )
    return groups


# --- JSON documents -------------------------------------------------------------------------


def host() -> str:
    return settings.ORCID_SANDBOX_BASE_URL.split("://", 1)[-1]


def orcid_identifier(orcid: str) -> dict[str, str]:
    return {"uri": f"{settings.ORCID_SANDBOX_BASE_URL}/{orcid}", "path": orcid, "host": host()}


def millis(moment: Any) -> dict[str, int]:
    return {"value": int(moment.timestamp() * 1000)}


def source_json(item: Work | OtherId | ResearcherUrl | Employment) -> dict[str, Any]:
    client = item.source_client
    document: dict[str, Any] = {
        "source-orcid": None if client else orcid_identifier(item.account.orcid),
        "source-client-id": None,
        "source-name": {"value": item.source_name()},
        "assertion-origin-orcid": None,
        "assertion-origin-client-id": None,
        "assertion-origin-name": None,
    }
    if client is not None:
        document["source-client-id"] = {
            "uri": f"{settings.ORCID_SANDBOX_BASE_URL}/client/{client.client_id}",
            "path": client.client_id,
            "host": host(),
        }
    if item.assertion_origin is not None:
        document["assertion-origin-orcid"] = orcid_identifier(item.assertion_origin.orcid)
        document["assertion-origin-name"] = {"value": item.assertion_origin.full_name}
    return document


def external_id_json(item: dict[str, str]) -> dict[str, Any]:
    return {
        "external-id-type": item["type"],
        "external-id-value": item["value"],
        "external-id-normalized": {
            "value": normalised_id_value(item["type"], item["value"]),
            "transient": True,
        },
        "external-id-url": {"value": item["url"]} if item.get("url") else None,
        "external-id-relationship": item["relationship"],
    }


def date_json(work: Work) -> dict[str, Any] | None:
    if not work.publication_year:
        return None
    return {
        "year": {"value": work.publication_year},
        "month": {"value": work.publication_month} if work.publication_month else None,
        "day": {"value": work.publication_day} if work.publication_day else None,
    }


def work_summary_json(work: Work) -> dict[str, Any]:
    return {
        "put-code": work.pk,
        "created-date": millis(work.created_at),
        "last-modified-date": millis(work.updated_at),
        "source": source_json(work),
        "title": {
            "title": {"value": work.title},
            "subtitle": {"value": work.subtitle} if work.subtitle else None,
        },
        "external-ids": {"external-id": [external_id_json(item) for item in work.external_ids]},
        "url": {"value": work.url} if work.url else None,
        "type": work.work_type,
        "publication-date": date_json(work),
        "journal-title": {"value": work.journal_title} if work.journal_title else None,
        "visibility": work.visibility,
        "path": f"/{work.account.orcid}/work/{work.pk}",
        "display-index": str(work.display_index),
    }


def work_json(work: Work) -> dict[str, Any]:
    document = work_summary_json(work)
    del document["display-index"]
    extra = work.extra or {}
    document["title"]["translated-title"] = extra.get("translated-title")
    document["short-description"] = work.short_description or None
    document["citation"] = extra.get("citation")
    document["contributors"] = {"contributor": extra.get("contributors", [])}
    document["language-code"] = extra.get("language-code")
    document["country"] = (
        {"value": extra["country"], "visibility": work.visibility} if extra.get("country") else None
    )
    return document


# --- employment ----------------------------------------------------------------------------


def fuzzy_date_json(value: str) -> dict[str, Any] | None:
    if not value:
        return None
    year, month, day = [*value.split("-"), "", ""][:3]
    return {
        "year": {"value": year},
        "month": {"value": month} if month else None,
        "day": {"value": day} if day else None,
    }


def employment_json(item: Employment, *, summary: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "created-date": millis(item.created_at),
        "last-modified-date": millis(item.updated_at),
        "source": source_json(item),
        "put-code": item.pk,
        "department-name": item.department_name or None,
        "role-title": item.role_title or None,
        "start-date": fuzzy_date_json(item.start_date),
        "end-date": fuzzy_date_json(item.end_date),
        "organization": {
            "name": item.organization_name,
            "address": {
                "city": item.city,
                "region": item.region or None,
                "country": item.country,
            },
            "disambiguated-organization": {
                "disambiguated-organization-identifier": item.disambiguated_id,
                "disambiguation-source": item.disambiguated_source,
            }
            if item.disambiguated_id
            else None,
        },
        "url": {"value": item.url} if item.url else None,
        "external-ids": None,
        "visibility": item.visibility,
        "path": f"/{item.account.orcid}/employment/{item.pk}",
    }
    if summary:
        document["display-index"] = str(item.display_index)
    return document


def read_date(node: Any, what: str) -> str:
    """A fuzzy date {"year", "month", "day"} as YYYY[-MM[-DD]]; 400/9049 when malformed."""
    if not node:
        return ""
    if not isinstance(node, dict):
        raise bad_request(9049, f"Invalid {what}")
    year, month, day = (value_of(node.get(part)) for part in ("year", "month", "day"))
    if (
        not re.fullmatch(r"\d{4}", year)
        or (month and not re.fullmatch(r"0[1-9]|1[0-2]", month))
        or (day and not re.fullmatch(r"0[1-9]|[12]\d|3[01]", day))
        or (day and not month)
    ):
        raise bad_request(9049, f"Invalid {what}")
    return "-".join(part for part in (year, month, day) if part)


def check_put_code(payload: dict[str, Any], expected: int | None) -> None:
    """POST bodies carry no put-code (9024); PUT bodies carry the URL's (9019), as a number or
    a string."""
    given = payload.get("put-code")
    if expected is None:
        if given is not None:
            raise bad_request(9024, "Put-code must not be present when adding an item")
        return
    if str(given).strip() != str(expected):
        raise bad_request(9019, "The put-code in the body must match the URL")


def read_employment(payload: Any, put_code: int | None = None) -> dict[str, str]:
    """Validate an employment: organisation name, city and country are required."""
    if not isinstance(payload, dict):
        raise bad_request(9047, "the body is not an employment")
    check_put_code(payload, put_code)
    organization = payload.get("organization")
    if not isinstance(organization, dict):
        raise bad_request(9045, "An organization is required")
    address = organization.get("address")
    address = address if isinstance(address, dict) else {}
    name = value_of(organization.get("name"))
    city = value_of(address.get("city"))
    country = value_of(address.get("country")).upper()
    if not name or not city:
        raise bad_request(9045, "The organization needs a name and a city")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise bad_request(9046, "The organization needs a two-letter country code")
    disambiguated = organization.get("disambiguated-organization")
    source = identifier = ""
    if isinstance(disambiguated, dict):
        identifier = value_of(disambiguated.get("disambiguated-organization-identifier"))
        source = value_of(disambiguated.get("disambiguation-source")).upper()
        if source not in ("RINGGOLD", "GRID", "ROR", "FUNDREF", "LEI") or not identifier:
            raise bad_request(9046, "Invalid disambiguated organization")
    start = read_date(payload.get("start-date"), "start date")
    end = read_date(payload.get("end-date"), "end date")
    if start and end and end < start:
        raise bad_request(9055, "The end date is before the start date")
    url = value_of(payload.get("url"))
    if url and not re.match(r"https?://", url):
        raise bad_request(9020, "Invalid URL")
    return {
        "organization_name": name[:1000],
        "city": city[:1000],
        "region": value_of(address.get("region"))[:1000],
        "country": country,
        "disambiguated_source": source,
        "disambiguated_id": identifier[:255],
        "department_name": value_of(payload.get("department-name"))[:1000],
        "role_title": value_of(payload.get("role-title"))[:1000],
        "start_date": start,
        "end_date": end,
        "url": url[:1000],
    }


def read_researcher_url(payload: Any, put_code: int | None = None) -> dict[str, str]:
    """Validate a researcher URL: an http(s) URL, an optional name."""
    if not isinstance(payload, dict):
        raise bad_request(9047, "the body is not a researcher URL")
    check_put_code(payload, put_code)
    url = value_of(payload.get("url"))
    if not re.match(r"https?://\S+$", url) or len(url) > 2000:
        raise bad_request(9020, "A researcher URL needs an http(s) URL")
    name = value_of(payload.get("url-name"))
    if len(name) > 355:
        raise bad_request(9020, "The URL name may have at most 355 characters")
    return {"url": url, "name": name}


def works_json(account: Account, works: list[Work]) -> dict[str, Any]:
    groups = group_works(works)
    latest = max((work.updated_at for work in works), default=None)
    return {
        "last-modified-date": millis(latest) if latest else None,
        "group": [
            {
                "last-modified-date": millis(max(work.updated_at for work in group.works)),
                "external-ids": {
                    "external-id": [external_id_json(item) for item in group.external_ids]
                },
                "work-summary": [work_summary_json(work) for work in group.works],
            }
            for group in groups
        ],
        "path": f"/{account.orcid}/works",
    }


def other_id_json(item: OtherId) -> dict[str, Any]:
    return {
        "created-date": millis(item.created_at),
        "last-modified-date": millis(item.updated_at),
        "source": source_json(item),
        "external-id-type": item.id_type,
        "external-id-value": item.value,
        "external-id-url": {"value": item.url},
        "external-id-relationship": item.relationship,
        "visibility": item.visibility,
        "path": f"/{item.account.orcid}/external-identifiers/{item.pk}",
        "put-code": item.pk,
        "display-index": item.display_index,
    }


def read_other_id(payload: Any, put_code: int | None = None) -> dict[str, str]:
    """Validate a person external identifier: type, value, URL required; relationship self."""
    if not isinstance(payload, dict):
        raise bad_request(9047, "the body is not an external identifier")
    id_type = value_of(payload.get("external-id-type"))
    value = value_of(payload.get("external-id-value"))
    url = value_of(payload.get("external-id-url"))
    relationship = str(payload.get("external-id-relationship") or "").lower()
    if not id_type or not value or len(id_type) > 255 or len(value) > 255:
        raise bad_request(
            9023, "External identifiers need a type and a value of at most 255 characters"
        )
    if not url or not re.match(r"https?://", url) or len(url) > 1000:
        raise bad_request(9023, "External identifiers need a URL")
    if relationship != Relationship.SELF:
        raise bad_request(9023, "Person external identifiers must have relationship self")
    check_put_code(payload, put_code)
    return {"id_type": id_type, "value": value, "url": url}


def visible_to(items: Any, *, public_only: bool, client: Client | None) -> Any:
    """Filter items by visibility: public items for everyone, "trusted parties" items unless
    `public_only`, and whatever their visibility the items `client` is the source of."""
    from django.db.models import Q

    condition = Q(visibility=Visibility.PUBLIC)
    if not public_only:
        condition |= Q(visibility=Visibility.LIMITED)
    if client is not None:
        condition |= Q(source_client=client)
    return items.filter(condition)


def client_path_is_valid(client_id: str) -> bool:
    return bool(_CLIENT_PATH.fullmatch(client_id))


# --- person documents -------------------------------------------------------------------------


def latest_millis(items: Iterable[Any]) -> dict[str, int] | None:
    latest = max((item.updated_at for item in items), default=None)
    return millis(latest) if latest is not None else None


def owner_source_json(account: Account) -> dict[str, Any]:
    """The source of what the researcher typed in themselves."""
    return {
        "source-orcid": orcid_identifier(account.orcid),
        "source-client-id": None,
        "source-name": {"value": account.display_name},
        "assertion-origin-orcid": None,
        "assertion-origin-client-id": None,
        "assertion-origin-name": None,
    }


def text_items_json(account: Account, kind: str, values: list[str]) -> dict[str, Any]:
    """keywords / other-names, kept as lines on the account: put-code = line number."""
    section = "keywords" if kind == "keyword" else "other-names"
    return {
        "last-modified-date": millis(account.updated_at) if values else None,
        kind: [
            {
                "created-date": millis(account.created_at),
                "last-modified-date": millis(account.updated_at),
                "source": owner_source_json(account),
                "content": value,
                "visibility": Visibility.PUBLIC,
                "path": f"/{account.orcid}/{section}/{index}",
                "put-code": index,
                "display-index": index,
            }
            for index, value in enumerate(values, start=1)
        ],
        "path": f"/{account.orcid}/{section}",
    }


def researcher_url_json(item: ResearcherUrl) -> dict[str, Any]:
    return {
        "created-date": millis(item.created_at),
        "last-modified-date": millis(item.updated_at),
        "source": source_json(item),
        "url-name": item.name or None,
        "url": {"value": item.url},
        "visibility": item.visibility,
        "path": f"/{item.account.orcid}/researcher-urls/{item.pk}",
        "put-code": item.pk,
        "display-index": item.display_index,
    }


def researcher_urls_json(account: Account, items: list[ResearcherUrl]) -> dict[str, Any]:
    return {
        "last-modified-date": latest_millis(items),
        "researcher-url": [researcher_url_json(item) for item in items],
        "path": f"/{account.orcid}/researcher-urls",
    }


def other_ids_json(account: Account, items: list[OtherId]) -> dict[str, Any]:
    return {
        "last-modified-date": latest_millis(items),
        "external-identifier": [other_id_json(item) for item in items],
        "path": f"/{account.orcid}/external-identifiers",
    }


def addresses_json(account: Account) -> dict[str, Any]:
    addresses = []
    if account.country:
        addresses.append(
            {
                "created-date": millis(account.created_at),
                "last-modified-date": millis(account.updated_at),
                "source": owner_source_json(account),
                "country": {"value": account.country},
                "visibility": Visibility.PUBLIC,
                "path": f"/{account.orcid}/address/1",
                "put-code": 1,
                "display-index": 1,
            }
        )
    return {
        "last-modified-date": millis(account.updated_at) if addresses else None,
        "address": addresses,
        "path": f"/{account.orcid}/address",
    }


def person_json(
    account: Account,
    *,
    names_visible: bool,
    other_ids: list[OtherId],
    urls: list[ResearcherUrl],
) -> dict[str, Any]:
    """The person section; names, other names, keywords and country follow the name's
    visibility (the sandbox keeps one setting for the researcher's own personal data)."""
    return {
        "last-modified-date": millis(account.updated_at),
        "name": {
            "created-date": millis(account.created_at),
            "last-modified-date": millis(account.updated_at),
            "given-names": {"value": account.given_names},
            "family-name": {"value": account.family_name} if account.family_name else None,
            "credit-name": {"value": account.credit_name} if account.credit_name else None,
            "source": None,
            "visibility": account.names_visibility,
            "path": account.orcid,
        }
        if names_visible
        else None,
        "other-names": text_items_json(
            account, "other-name", account.other_name_list() if names_visible else []
        ),
        "biography": {
            "created-date": millis(account.created_at),
            "last-modified-date": millis(account.updated_at),
            "content": account.biography,
            "visibility": account.names_visibility,
            "path": f"/{account.orcid}/biography",
        }
        if names_visible and account.biography
        else None,
        "researcher-urls": researcher_urls_json(account, urls),
        "emails": {"last-modified-date": None, "email": [], "path": f"/{account.orcid}/email"},
        "addresses": addresses_json(account)
        if names_visible
        else {"last-modified-date": None, "address": [], "path": f"/{account.orcid}/address"},
        "keywords": text_items_json(
            account, "keyword", account.keyword_list() if names_visible else []
        ),
        "external-identifiers": other_ids_json(account, other_ids),
        "path": f"/{account.orcid}/person",
    }


def history_json(account: Account) -> dict[str, Any]:
    """The record's history: every sandbox record was registered directly and is claimed."""
    return {
        "creation-method": "DIRECT",
        "completion-date": None,
        "submission-date": millis(account.created_at),
        "last-modified-date": millis(account.updated_at),
        "claimed": True,
        "source": None,
        "deactivation-date": None,
        "verified-email": True,
        "verified-primary-email": True,
    }


# The activities summary's sections in ORCID's order, and the list each holds.
ACTIVITY_SECTIONS = {
    "distinctions": "affiliation-group",
    "educations": "affiliation-group",
    "employments": "affiliation-group",
    "fundings": "group",
    "invited-positions": "affiliation-group",
    "memberships": "affiliation-group",
    "peer-reviews": "group",
    "qualifications": "affiliation-group",
    "research-resources": "group",
    "services": "affiliation-group",
    "works": "group",
}


def empty_activity_sections(account: Account) -> dict[str, Any]:
    """Every activities section, empty, keyed in ORCID's order."""
    return {
        name: {"last-modified-date": None, items: [], "path": f"/{account.orcid}/{name}"}
        for name, items in ACTIVITY_SECTIONS.items()
    }


def employments_json(account: Account, items: list[Employment]) -> dict[str, Any]:
    """Employments, one affiliation group each (ORCID groups affiliations by external ids,
    which the sandbox's employments do not carry)."""
    return {
        "last-modified-date": latest_millis(items),
        "affiliation-group": [
            {
                "last-modified-date": millis(item.updated_at),
                "external-ids": {"external-id": []},
                "summaries": [{"employment-summary": employment_json(item, summary=True)}],
            }
            for item in items
        ],
        "path": f"/{account.orcid}/employments",
    }
