"""Request documents (ORCID's JSON shape; xml.py turns XML bodies into it) read into the values
the registry stores, refusing by the rules in rules.py what ORCID would refuse."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import identifiers
from orcid_sandbox.choices import (
    DISAMBIGUATION_SOURCES,
    FUNDING_CONTRIBUTOR_ROLES,
    FUNDING_ID_TYPES,
    FUNDING_TYPES,
    WORK_ID_TYPES,
    WORK_TYPES,
    ErrorCode,
    Relationship,
)
from orcid_sandbox.rendering import orcid_identifier
from orcid_sandbox.rules import (
    CITATION_TYPES,
    CONTRIBUTOR_ROLES,
    CREDIT_ROLES,
    MAX_ACTIVITY_IDS,
    MAX_CONTRIBUTORS,
    bad_request,
    check_put_code,
)


def value_of(node: Any) -> str:
    """ORCID wraps most strings as {"value": "..."}; accept the bare string too."""
    if isinstance(node, dict):
        node = node.get("value")
    if node is None:
        return ""
    if not isinstance(node, str | int):
        raise bad_request(ErrorCode.INVALID_DOCUMENT, "a value is not text")
    return str(node).strip()


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
        raise bad_request(ErrorCode.INVALID_DOCUMENT, "the body is not a work")
    title_node = payload.get("title") or {}
    title = value_of(title_node.get("title")) if isinstance(title_node, dict) else ""
    if not title:
        raise bad_request(ErrorCode.TITLE_REQUIRED, "Title is required")
    work_type = payload.get("type")
    if not isinstance(work_type, str) or work_type.lower() not in WORK_TYPES:
        raise bad_request(ErrorCode.INVALID_WORK_TYPE, f"Invalid work type: {str(work_type)[:40]}")
    ids_node = payload.get("external-ids") or {}
    raw_ids = ids_node.get("external-id") if isinstance(ids_node, dict) else None
    if not isinstance(raw_ids, list) or not raw_ids:
        raise bad_request(
            ErrorCode.EXTERNAL_ID_INVALID, "Works must have at least one external identifier"
        )
    external_ids = []
    for item in raw_ids:
        if not isinstance(item, dict):
            raise bad_request(ErrorCode.EXTERNAL_ID_INVALID, "Invalid external identifier")
        id_type = str(item.get("external-id-type") or "").lower()
        value = value_of(item.get("external-id-value"))
        relationship = str(item.get("external-id-relationship") or "").lower()
        if id_type not in WORK_ID_TYPES:
            raise bad_request(
                ErrorCode.EXTERNAL_ID_INVALID, f"Invalid external id type: {id_type[:40]}"
            )
        if not value:
            raise bad_request(ErrorCode.EXTERNAL_ID_INVALID, "External identifiers need a value")
        if relationship not in {Relationship.SELF, Relationship.PART_OF, Relationship.VERSION_OF}:
            raise bad_request(
                ErrorCode.EXTERNAL_ID_INVALID, f"Invalid relationship: {relationship[:20]}"
            )
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
            ErrorCode.EXTERNAL_ID_INVALID,
            "Works must have at least one external identifier with relationship self",
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
        raise bad_request(ErrorCode.INVALID_DATE, "Invalid publication date")
    put_code = payload.get("put-code")
    if put_code is not None:
        try:
            put_code = int(put_code)
        except (TypeError, ValueError):
            raise bad_request(ErrorCode.INVALID_PUT_CODE, "Invalid put-code") from None
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
            raise bad_request(ErrorCode.INVALID_MESSAGE, "A translated title needs a language code")
        extra["translated-title"] = {
            "value": value_of(translated)[:1000],
            "language-code": language,
        }
    citation = payload.get("citation")
    if isinstance(citation, dict) and value_of(citation.get("citation-value")):
        citation_type = value_of(citation.get("citation-type")) or "formatted-unspecified"
        if citation_type not in CITATION_TYPES:
            raise bad_request(
                ErrorCode.INVALID_MESSAGE, f"Invalid citation type: {citation_type[:40]}"
            )
        extra["citation"] = {
            "citation-type": citation_type,
            "citation-value": str(citation["citation-value"])[:20000],
        }
    for key, pattern in (("language-code", r"[a-z]{2,3}(_[A-Z]{2})?"), ("country", r"[A-Z]{2}")):
        value = value_of(payload.get(key))
        if value:
            if not re.fullmatch(pattern, value):
                raise bad_request(ErrorCode.INVALID_MESSAGE, f"Invalid {key}: {value[:20]}")
            extra[key] = value
    contributors_node = payload.get("contributors") or {}
    raw = contributors_node.get("contributor") if isinstance(contributors_node, dict) else None
    if raw is not None:
        if not isinstance(raw, list) or len(raw) > MAX_CONTRIBUTORS:
            raise bad_request(ErrorCode.INVALID_MESSAGE, f"At most {MAX_CONTRIBUTORS} contributors")
        extra["contributors"] = [read_contributor(item) for item in raw]
    return extra


def read_contributor(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise bad_request(ErrorCode.INVALID_MESSAGE, "Invalid contributor")
    contributor: dict[str, Any] = {}
    orcid_node = item.get("contributor-orcid")
    if orcid_node:
        path = value_of(orcid_node.get("path")) if isinstance(orcid_node, dict) else ""
        try:
            orcid = identifiers.normalise(identifiers.Scheme.ORCID, path)
        except identifiers.IdentifierError:
            raise bad_request(
                ErrorCode.INVALID_MESSAGE, f"Invalid contributor ORCID iD: {path[:40]}"
            ) from None
        contributor["contributor-orcid"] = orcid_identifier(orcid)
    if "credit-name" in item and item["credit-name"] is not None:
        name = value_of(item["credit-name"])
        if not name:
            raise bad_request(
                ErrorCode.INVALID_MESSAGE, "A contributor's credit name may not be empty"
            )
        contributor["credit-name"] = {"value": name[:1000]}
    attributes = item.get("contributor-attributes")
    if isinstance(attributes, dict):
        sequence = value_of(attributes.get("contributor-sequence"))
        role = value_of(attributes.get("contributor-role"))
        if sequence and sequence not in ("first", "additional"):
            raise bad_request(
                ErrorCode.INVALID_MESSAGE, f"Invalid contributor sequence: {sequence[:20]}"
            )
        if role and role not in CONTRIBUTOR_ROLES and role not in CREDIT_ROLES:
            raise bad_request(
                ErrorCode.INVALID_CONTRIBUTOR_ROLE, f"Invalid contributor role: {role[:80]}"
            )
        contributor["contributor-attributes"] = {
            "contributor-sequence": sequence or None,
            "contributor-role": role or None,
        }
    return contributor


def read_date(node: Any, what: str) -> str:
    """A fuzzy date {"year", "month", "day"} as YYYY[-MM[-DD]]; 400/9049 when malformed."""
    if not node:
        return ""
    if not isinstance(node, dict):
        raise bad_request(ErrorCode.INVALID_DATE, f"Invalid {what}")
    year, month, day = (value_of(node.get(part)) for part in ("year", "month", "day"))
    if (
        not re.fullmatch(r"\d{4}", year)
        or (month and not re.fullmatch(r"0[1-9]|1[0-2]", month))
        or (day and not re.fullmatch(r"0[1-9]|[12]\d|3[01]", day))
        or (day and not month)
    ):
        raise bad_request(ErrorCode.INVALID_DATE, f"Invalid {what}")
    return "-".join(part for part in (year, month, day) if part)


def check_length(value: str, limit: int, what: str) -> str:
    """400/9020 for text longer than ORCID keeps: refused, not cut, so nothing is lost."""
    if len(value) > limit:
        raise bad_request(
            ErrorCode.INVALID_MESSAGE, f"The {what} may have at most {limit} characters"
        )
    return value


def read_organization(node: Any) -> dict[str, str]:
    """An organisation as ORCID takes it from the API: name, city and country required (9046),
    and a disambiguated organisation, i.e. a known source and an identifier (9045)."""
    if not isinstance(node, dict):
        raise bad_request(ErrorCode.ORGANIZATION_INVALID, "An organization is required")
    address = node.get("address")
    address = address if isinstance(address, dict) else {}
    name = value_of(node.get("name"))
    city = value_of(address.get("city"))
    country = value_of(address.get("country")).upper()
    if not name or not city:
        raise bad_request(
            ErrorCode.ORGANIZATION_INVALID, "The organization needs a name and a city"
        )
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise bad_request(
            ErrorCode.ORGANIZATION_INVALID, "The organization needs a two-letter country code"
        )
    disambiguated = node.get("disambiguated-organization")
    if not isinstance(disambiguated, dict):
        raise bad_request(
            ErrorCode.DISAMBIGUATED_ORGANIZATION_INVALID,
            "The organization needs a disambiguated organization (RINGGOLD, ROR, FUNDREF, GRID "
            "or LEI)",
        )
    identifier = value_of(disambiguated.get("disambiguated-organization-identifier"))
    source = value_of(disambiguated.get("disambiguation-source")).upper()
    if source not in DISAMBIGUATION_SOURCES or not identifier:
        raise bad_request(
            ErrorCode.DISAMBIGUATED_ORGANIZATION_INVALID, "Invalid disambiguated organization"
        )
    return {
        "organization_name": check_length(name, 1000, "organization name"),
        "city": check_length(city, 1000, "city"),
        "region": check_length(value_of(address.get("region")), 1000, "region"),
        "country": country,
        "disambiguated_source": source,
        "disambiguated_id": check_length(identifier, 255, "disambiguated organization id"),
    }


def read_period(payload: dict[str, Any]) -> tuple[str, str]:
    """Start and end dates: well-formed (9049), no end without a start (9050), the end not
    before the start (9055)."""
    start = read_date(payload.get("start-date"), "start date")
    end = read_date(payload.get("end-date"), "end date")
    if end and not start:
        raise bad_request(ErrorCode.START_DATE_MISSING, "An end date needs a start date")
    if start and end and end < start:
        raise bad_request(ErrorCode.END_BEFORE_START, "The end date is before the start date")
    return start, end


def read_url(payload: dict[str, Any]) -> str:
    url = value_of(payload.get("url"))
    if url and not re.match(r"https?://\S+$", url):
        raise bad_request(ErrorCode.INVALID_MESSAGE, "Invalid URL")
    return check_length(url, 1000, "URL")


def read_activity_ids(
    payload: dict[str, Any], *, types: frozenset[str], required: bool
) -> list[dict[str, str]]:
    """The external ids of a funding or an affiliation: each of a known type, with a value and
    a relationship (9023); fundings sent through the API need at least one."""
    node = payload.get("external-ids")
    raw = node.get("external-id") if isinstance(node, dict) else None
    if raw is None and not required:
        return []
    if not isinstance(raw, list) or (required and not raw):
        raise bad_request(
            ErrorCode.EXTERNAL_ID_INVALID, "At least one external identifier is required"
        )
    if len(raw) > MAX_ACTIVITY_IDS:
        raise bad_request(
            ErrorCode.EXTERNAL_ID_INVALID, f"At most {MAX_ACTIVITY_IDS} external identifiers"
        )
    external_ids = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request(ErrorCode.EXTERNAL_ID_INVALID, "Invalid external identifier")
        id_type = value_of(item.get("external-id-type")).lower()
        value = value_of(item.get("external-id-value"))
        relationship = value_of(item.get("external-id-relationship")).lower()
        url = value_of(item.get("external-id-url"))
        if id_type not in types:
            raise bad_request(
                ErrorCode.EXTERNAL_ID_INVALID, f"Invalid external id type: {id_type[:40]}"
            )
        if not value or len(value) > 2000 or len(url) > 2000:
            raise bad_request(
                ErrorCode.EXTERNAL_ID_INVALID,
                "External identifiers need a value; value and URL have at most 2000 characters",
            )
        if relationship not in Relationship.values:
            raise bad_request(
                ErrorCode.EXTERNAL_ID_INVALID, f"Invalid relationship: {relationship[:20]}"
            )
        external_ids.append(
            {"type": id_type, "value": value, "url": url, "relationship": relationship}
        )
    return external_ids


def read_affiliation(payload: Any, put_code: int | None = None) -> dict[str, Any]:
    """Validate an affiliation (employment, distinction, membership, …) by ORCID's rules for
    API writes: a disambiguated organisation, well-formed dates, known external ids."""
    if not isinstance(payload, dict):
        raise bad_request(ErrorCode.INVALID_DOCUMENT, "the body is not an affiliation")
    check_put_code(payload, put_code)
    organization = read_organization(payload.get("organization"))
    start, end = read_period(payload)
    return {
        **organization,
        "department_name": check_length(
            value_of(payload.get("department-name")), 1000, "department name"
        ),
        "role_title": check_length(value_of(payload.get("role-title")), 1000, "role title"),
        "start_date": start,
        "end_date": end,
        "url": read_url(payload),
        "external_ids": read_activity_ids(payload, types=FUNDING_ID_TYPES, required=False),
    }


def read_employment(payload: Any, put_code: int | None = None) -> dict[str, Any]:
    """Validate an employment: an affiliation like the others."""
    return read_affiliation(payload, put_code)


def read_funding(payload: Any, put_code: int | None = None) -> dict[str, Any]:
    """Validate a funding by ORCID's rules: a title (9022), a known type (9037), at least one
    external id (9023), an amount with its currency (9020, 9054), a funding organisation with
    a disambiguated id (9046, 9045), well-formed dates (9049, 9050, 9055)."""
    if not isinstance(payload, dict):
        raise bad_request(ErrorCode.INVALID_DOCUMENT, "the body is not a funding")
    title_node = payload.get("title")
    title_node = title_node if isinstance(title_node, dict) else {}
    title = value_of(title_node.get("title"))
    if not title:
        raise bad_request(ErrorCode.TITLE_REQUIRED, "Title is required")
    funding_type = value_of(payload.get("type")).lower()
    if funding_type not in FUNDING_TYPES:
        raise bad_request(
            ErrorCode.INVALID_WORK_TYPE,
            f"Invalid funding type: {funding_type[:40]}; use one of "
            + ", ".join(sorted(FUNDING_TYPES)),
        )
    translated, language = "", ""
    translated_node = title_node.get("translated-title")
    if isinstance(translated_node, dict) and value_of(translated_node):
        translated = value_of(translated_node)
        language = str(translated_node.get("language-code") or "")
        if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", language):
            raise bad_request(
                ErrorCode.INVALID_WORK_TYPE, "A translated title needs a language code"
            )
    external_ids = read_activity_ids(payload, types=FUNDING_ID_TYPES, required=True)
    check_put_code(payload, put_code)
    amount, currency = read_amount(payload.get("amount"))
    start, end = read_period(payload)
    contributors_node = payload.get("contributors")
    raw = contributors_node.get("contributor") if isinstance(contributors_node, dict) else None
    if raw is not None and (not isinstance(raw, list) or len(raw) > MAX_CONTRIBUTORS):
        raise bad_request(ErrorCode.INVALID_MESSAGE, f"At most {MAX_CONTRIBUTORS} contributors")
    return {
        **read_organization(payload.get("organization")),
        "title": check_length(title, 1000, "title"),
        "funding_type": funding_type,
        "organization_defined_type": check_length(
            value_of(payload.get("organization-defined-type")), 255, "organization-defined type"
        ),
        "translated_title": check_length(translated, 1000, "translated title"),
        "translated_title_language": language,
        "short_description": check_length(
            value_of(payload.get("short-description")), 5000, "short description"
        ),
        "amount": amount,
        "currency_code": currency,
        "url": read_url(payload),
        "start_date": start,
        "end_date": end,
        "external_ids": external_ids,
        "contributors": [read_funding_contributor(item) for item in raw or []],
    }


def read_amount(node: Any) -> tuple[str, str]:
    """An amount and its ISO 4217 currency: both or neither (9020), a number (9054)."""
    if node is None:
        return "", ""
    if not isinstance(node, dict):
        raise bad_request(ErrorCode.INVALID_MESSAGE, "Invalid amount")
    amount = value_of(node.get("value"))
    currency = value_of(node.get("currency-code")).upper()
    if amount and not currency:
        raise bad_request(ErrorCode.INVALID_MESSAGE, "Please specify a currency code")
    if currency and not amount:
        raise bad_request(
            ErrorCode.INVALID_MESSAGE, "Please specify an amount or remove the amount tag"
        )
    if not currency:
        return "", ""
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise bad_request(ErrorCode.INVALID_MESSAGE, f"Invalid currency code: {currency[:10]}")
    if len(amount) > 40 or not re.fullmatch(r"\d+(\.\d+)?", amount.replace(",", "")):
        raise bad_request(ErrorCode.INVALID_AMOUNT, f"Invalid amount: {amount[:40]}")
    return amount, currency


def read_funding_contributor(item: Any) -> dict[str, Any]:
    """A funding contributor: like a work's, with funding roles (lead, co-lead, …)."""
    if not isinstance(item, dict):
        raise bad_request(ErrorCode.INVALID_MESSAGE, "Invalid contributor")
    attributes = item.get("contributor-attributes")
    role = value_of(attributes.get("contributor-role")) if isinstance(attributes, dict) else ""
    if role and role not in FUNDING_CONTRIBUTOR_ROLES and role not in CREDIT_ROLES:
        raise bad_request(
            ErrorCode.INVALID_CONTRIBUTOR_ROLE, f"Invalid funding contributor role: {role[:80]}"
        )
    contributor = read_contributor(
        {key: value for key, value in item.items() if key != "contributor-attributes"}
    )
    if role:
        contributor["contributor-attributes"] = {"contributor-role": role}
    return contributor


def read_researcher_url(payload: Any, put_code: int | None = None) -> dict[str, str]:
    """Validate a researcher URL: an http(s) URL, an optional name."""
    if not isinstance(payload, dict):
        raise bad_request(ErrorCode.INVALID_DOCUMENT, "the body is not a researcher URL")
    check_put_code(payload, put_code)
    url = value_of(payload.get("url"))
    if not re.match(r"https?://\S+$", url) or len(url) > 2000:
        raise bad_request(ErrorCode.INVALID_MESSAGE, "A researcher URL needs an http(s) URL")
    name = value_of(payload.get("url-name"))
    if len(name) > 355:
        raise bad_request(ErrorCode.INVALID_MESSAGE, "The URL name may have at most 355 characters")
    return {"url": url, "name": name}


def read_other_id(payload: Any, put_code: int | None = None) -> dict[str, str]:
    """Validate a person external identifier: type, value, URL required; relationship self."""
    if not isinstance(payload, dict):
        raise bad_request(ErrorCode.INVALID_DOCUMENT, "the body is not an external identifier")
    id_type = value_of(payload.get("external-id-type"))
    value = value_of(payload.get("external-id-value"))
    url = value_of(payload.get("external-id-url"))
    relationship = str(payload.get("external-id-relationship") or "").lower()
    if not id_type or not value or len(id_type) > 255 or len(value) > 255:
        raise bad_request(
            ErrorCode.EXTERNAL_ID_INVALID,
            "External identifiers need a type and a value of at most 255 characters",
        )
    if not url or not re.match(r"https?://", url) or len(url) > 1000:
        raise bad_request(ErrorCode.EXTERNAL_ID_INVALID, "External identifiers need a URL")
    if relationship != Relationship.SELF:
        raise bad_request(
            ErrorCode.EXTERNAL_ID_INVALID, "Person external identifiers must have relationship self"
        )
    check_put_code(payload, put_code)
    return {"id_type": id_type, "value": value, "url": url}
