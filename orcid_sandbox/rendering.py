"""Record items as API v3.0 documents in ORCID's JSON shape (reference orcid-api.md §1.4–1.10);
xml.py writes the same documents as ORCID XML."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings

from orcid_sandbox.choices import Visibility
from orcid_sandbox.grouping import group_by_ids, group_works
from orcid_sandbox.models import (
    Account,
    Affiliation,
    Employment,
    Funding,
    OtherId,
    ResearcherUrl,
    Work,
)
from orcid_sandbox.models.record import AffiliationItem, OrganizationFields, SourcedItem
from orcid_sandbox.rules import normalised_id_value


def host() -> str:
    return settings.ORCID_SANDBOX_BASE_URL.split("://", 1)[-1]


def orcid_identifier(orcid: str) -> dict[str, str]:
    return {"uri": f"{settings.ORCID_SANDBOX_BASE_URL}/{orcid}", "path": orcid, "host": host()}


def millis(moment: Any) -> dict[str, int]:
    return {"value": int(moment.timestamp() * 1000)}


def source_json(item: SourcedItem) -> dict[str, Any]:
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


def fuzzy_date_json(value: str) -> dict[str, Any] | None:
    if not value:
        return None
    year, month, day = [*value.split("-"), "", ""][:3]
    return {
        "year": {"value": year},
        "month": {"value": month} if month else None,
        "day": {"value": day} if day else None,
    }


def organization_json(item: OrganizationFields) -> dict[str, Any]:
    return {
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
    }


def external_ids_json(ids: list[dict[str, str]]) -> dict[str, Any] | None:
    return {"external-id": [external_id_json(item) for item in ids]} if ids else None


def section_of(item: AffiliationItem) -> str:
    """The item's affiliation section, singular: "employment", "distinction", …"""
    return item.section if isinstance(item, Affiliation) else "employment"


def affiliation_json(item: AffiliationItem, *, summary: bool = False) -> dict[str, Any]:
    """An employment, distinction, membership, … (one shape: orcid-model common:affiliation)."""
    document: dict[str, Any] = {
        "created-date": millis(item.created_at),
        "last-modified-date": millis(item.updated_at),
        "source": source_json(item),
        "put-code": item.pk,
        "department-name": item.department_name or None,
        "role-title": item.role_title or None,
        "start-date": fuzzy_date_json(item.start_date),
        "end-date": fuzzy_date_json(item.end_date),
        "organization": organization_json(item),
        "url": {"value": item.url} if item.url else None,
        "external-ids": external_ids_json(item.external_ids),
        "visibility": item.visibility,
        "path": f"/{item.account.orcid}/{section_of(item)}/{item.pk}",
    }
    if summary:
        document["display-index"] = str(item.display_index)
    return document


def employment_json(item: Employment, *, summary: bool = False) -> dict[str, Any]:
    return affiliation_json(item, summary=summary)


def affiliations_json(
    account: Account, section: str, items: Sequence[AffiliationItem]
) -> dict[str, Any]:
    """One affiliation section (`section` in the singular: "employment", "distinction", …),
    grouped by shared external ids as ORCID groups them; items without any stand alone."""
    return {
        "last-modified-date": latest_millis(items),
        "affiliation-group": [
            {
                "last-modified-date": latest_millis(versions),
                "external-ids": {"external-id": [external_id_json(item) for item in ids]},
                "summaries": [
                    {f"{section}-summary": affiliation_json(item, summary=True)}
                    for item in versions
                ],
            }
            for versions, ids in group_by_ids(list(items))
        ],
        "path": f"/{account.orcid}/{SECTION_PLURALS[section]}",
    }


def employments_json(account: Account, items: list[Employment]) -> dict[str, Any]:
    return affiliations_json(account, "employment", items)


def funding_title_json(item: Funding) -> dict[str, Any]:
    return {
        "title": {"value": item.title},
        "translated-title": {
            "value": item.translated_title,
            "language-code": item.translated_title_language,
        }
        if item.translated_title
        else None,
    }


def funding_summary_json(item: Funding) -> dict[str, Any]:
    return {
        "created-date": millis(item.created_at),
        "last-modified-date": millis(item.updated_at),
        "source": source_json(item),
        "title": funding_title_json(item),
        "external-ids": external_ids_json(item.external_ids),
        "url": {"value": item.url} if item.url else None,
        "type": item.funding_type,
        "start-date": fuzzy_date_json(item.start_date),
        "end-date": fuzzy_date_json(item.end_date),
        "organization": organization_json(item),
        "visibility": item.visibility,
        "put-code": item.pk,
        "path": f"/{item.account.orcid}/funding/{item.pk}",
        "display-index": str(item.display_index),
    }


def funding_json(item: Funding) -> dict[str, Any]:
    return {
        "created-date": millis(item.created_at),
        "last-modified-date": millis(item.updated_at),
        "source": source_json(item),
        "put-code": item.pk,
        "path": f"/{item.account.orcid}/funding/{item.pk}",
        "type": item.funding_type,
        "organization-defined-type": {"value": item.organization_defined_type}
        if item.organization_defined_type
        else None,
        "title": funding_title_json(item),
        "short-description": item.short_description or None,
        "amount": {"value": item.amount, "currency-code": item.currency_code}
        if item.amount
        else None,
        "url": {"value": item.url} if item.url else None,
        "start-date": fuzzy_date_json(item.start_date),
        "end-date": fuzzy_date_json(item.end_date),
        "external-ids": external_ids_json(item.external_ids),
        "contributors": {"contributor": item.contributors},
        "organization": organization_json(item),
        "visibility": item.visibility,
    }


def fundings_json(account: Account, items: Sequence[Funding]) -> dict[str, Any]:
    """Fundings grouped by shared external ids, as ORCID groups them."""
    return {
        "last-modified-date": latest_millis(items),
        "group": [
            {
                "last-modified-date": latest_millis(versions),
                "external-ids": {"external-id": [external_id_json(item) for item in ids]},
                "funding-summary": [funding_summary_json(item) for item in versions],
            }
            for versions, ids in group_by_ids(list(items))
        ],
        "path": f"/{account.orcid}/fundings",
    }


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


# The affiliation sections' names, singular (paths of one item) to plural (their listing).
SECTION_PLURALS = {
    "distinction": "distinctions",
    "education": "educations",
    "employment": "employments",
    "invited-position": "invited-positions",
    "membership": "memberships",
    "qualification": "qualifications",
    "service": "services",
}


def empty_activity_sections(account: Account) -> dict[str, Any]:
    """Every activities section, empty, keyed in ORCID's order."""
    return {
        name: {"last-modified-date": None, items: [], "path": f"/{account.orcid}/{name}"}
        for name, items in ACTIVITY_SECTIONS.items()
    }
