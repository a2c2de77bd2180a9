"""API v3.0 documents as ORCID XML (the default representation when Accept is missing, `*/*` or
an XML type), written from the same data as the JSON, in the element order of ORCID's XSDs.

Identifiers (source-orcid, source-client-id, assertion-origin-orcid) are written with path and
host only: the XSD's `uri` patterns accept orcid.org addresses, not a sandbox's.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from lxml import etree

from orcid_sandbox.choices import ErrorCode
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.rendering import ACTIVITY_SECTIONS, SECTION_PLURALS

# Affiliation sections by their plural (the listing) to their singular (one item).
AFFILIATION_SECTIONS = {plural: section for section, plural in SECTION_PLURALS.items()}

NAMESPACES = {
    "common": "http://www.orcid.org/ns/common",
    "work": "http://www.orcid.org/ns/work",
    "activities": "http://www.orcid.org/ns/activities",
    "external-identifier": "http://www.orcid.org/ns/external-identifier",
    "error": "http://www.orcid.org/ns/error",
    "bulk": "http://www.orcid.org/ns/bulk",
    "record": "http://www.orcid.org/ns/record",
    "person": "http://www.orcid.org/ns/person",
    "personal-details": "http://www.orcid.org/ns/personal-details",
    "other-name": "http://www.orcid.org/ns/other-name",
    "keyword": "http://www.orcid.org/ns/keyword",
    "researcher-url": "http://www.orcid.org/ns/researcher-url",
    "email": "http://www.orcid.org/ns/email",
    "address": "http://www.orcid.org/ns/address",
    "employment": "http://www.orcid.org/ns/employment",
    "funding": "http://www.orcid.org/ns/funding",
    "distinction": "http://www.orcid.org/ns/distinction",
    "education": "http://www.orcid.org/ns/education",
    "invited-position": "http://www.orcid.org/ns/invited-position",
    "membership": "http://www.orcid.org/ns/membership",
    "qualification": "http://www.orcid.org/ns/qualification",
    "service": "http://www.orcid.org/ns/service",
    "search": "http://www.orcid.org/ns/search",
    "expanded-search": "http://www.orcid.org/ns/expanded-search",
    "preferences": "http://www.orcid.org/ns/preferences",
    "history": "http://www.orcid.org/ns/history",
}
# Elements that repeat; read as lists even when a request body holds only one.
LIST_ELEMENTS = frozenset({"external-id", "contributor"})
MAX_XML_BODY = 5 * 1024 * 1024
XML_CONTENT_TYPE = "application/vnd.orcid+xml; charset=utf-8"
# What XML 1.0 cannot carry: control characters but tab, LF and CR, unpaired surrogates, U+FFFE
# and U+FFFF. The API refuses them in JSON bodies; text typed into web forms may still hold
# some, so they are replaced on the way out rather than failing the document.
UNWRITABLE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def qname(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def add(parent: etree._Element, name: str, text: Any = None, **attributes: Any) -> etree._Element:
    element = etree.SubElement(parent, qname(name))
    for key, value in attributes.items():
        if value is not None:
            element.set(key.replace("_", "-"), UNWRITABLE.sub("\ufffd", str(value)))
    if text is not None:
        element.text = UNWRITABLE.sub("\ufffd", str(text))
    return element


def root(name: str, **attributes: Any) -> etree._Element:
    element = etree.Element(qname(name), nsmap=NAMESPACES)
    for key, value in attributes.items():
        if value is not None:
            element.set(key.replace("_", "-"), str(value))
    return element


def timestamp(node: dict[str, int] | None) -> str | None:
    if not node:
        return None
    moment = datetime.datetime.fromtimestamp(node["value"] / 1000, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def value(node: Any) -> str | None:
    return node.get("value") if isinstance(node, dict) else None


def add_dates(parent: etree._Element, data: dict[str, Any]) -> None:
    for key in ("created-date", "last-modified-date"):
        if data.get(key):
            add(parent, f"common:{key}", timestamp(data[key]))


def add_identifier(parent: etree._Element, name: str, node: dict[str, str] | None) -> None:
    if node:
        element = add(parent, name)
        add(element, "common:path", node["path"])
        add(element, "common:host", node["host"])


def add_source(parent: etree._Element, source: dict[str, Any]) -> None:
    element = add(parent, "common:source")
    add_identifier(element, "common:source-orcid", source.get("source-orcid"))
    add_identifier(element, "common:source-client-id", source.get("source-client-id"))
    if value(source.get("source-name")):
        add(element, "common:source-name", value(source["source-name"]))
    add_identifier(element, "common:assertion-origin-orcid", source.get("assertion-origin-orcid"))
    if value(source.get("assertion-origin-name")):
        add(element, "common:assertion-origin-name", value(source["assertion-origin-name"]))


def add_external_id_fields(element: etree._Element, item: dict[str, Any]) -> None:
    add(element, "common:external-id-type", item["external-id-type"])
    add(element, "common:external-id-value", item["external-id-value"])
    normalized = item.get("external-id-normalized")
    if normalized and normalized.get("value"):
        add(element, "common:external-id-normalized", normalized["value"], transient="true")
    if value(item.get("external-id-url")):
        add(element, "common:external-id-url", value(item["external-id-url"]))
    if item.get("external-id-relationship"):
        add(element, "common:external-id-relationship", item["external-id-relationship"])


def add_external_ids(parent: etree._Element, ids: list[dict[str, Any]]) -> None:
    container = add(parent, "common:external-ids")
    for item in ids:
        add_external_id_fields(add(container, "common:external-id"), item)


def add_date(parent: etree._Element, date: dict[str, Any] | None) -> None:
    if not date or not value(date.get("year")):
        return
    element = add(parent, "common:publication-date")
    add(element, "common:year", value(date["year"]))
    if value(date.get("month")):
        add(element, "common:month", value(date["month"]))
        if value(date.get("day")):
            add(element, "common:day", value(date["day"]))


def summary_attributes(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "put_code": data.get("put-code"),
        "path": data.get("path"),
        "visibility": data.get("visibility"),
        "display_index": data.get("display-index"),
    }


def add_title(parent: etree._Element, data: dict[str, Any]) -> None:
    title = add(parent, "work:title")
    add(title, "common:title", value(data["title"]["title"]))
    if value(data["title"].get("subtitle")):
        add(title, "common:subtitle", value(data["title"]["subtitle"]))
    translated = data["title"].get("translated-title")
    if value(translated):
        add(
            title,
            "common:translated-title",
            value(translated),
            language_code=translated.get("language-code"),
        )


def add_work_summary(parent: etree._Element | None, data: dict[str, Any]) -> etree._Element:
    element = start(parent, "work:work-summary", **summary_attributes(data))
    add_dates(element, data)
    add_source(element, data["source"])
    add_title(element, data)
    add_external_ids(element, data["external-ids"]["external-id"])
    if value(data.get("url")):
        add(element, "common:url", value(data["url"]))
    add(element, "work:type", data["type"])
    add_date(element, data.get("publication-date"))
    if value(data.get("journal-title")):
        add(element, "work:journal-title", value(data["journal-title"]))
    return element


def build_work_summary(data: dict[str, Any]) -> etree._Element:
    return add_work_summary(None, data)


def build_work(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    attributes = summary_attributes(data)
    element = (
        add(parent, "work:work", **attributes)
        if parent is not None
        else root("work:work", **attributes)
    )
    add_dates(element, data)
    add_source(element, data["source"])
    add_title(element, data)
    if value(data.get("journal-title")):
        add(element, "work:journal-title", value(data["journal-title"]))
    if data.get("short-description"):
        add(element, "work:short-description", data["short-description"])
    citation = data.get("citation")
    if citation and citation.get("citation-value"):
        child = add(element, "work:citation")
        add(child, "work:citation-type", citation["citation-type"])
        add(child, "work:citation-value", citation["citation-value"])
    add(element, "work:type", data["type"])
    add_date(element, data.get("publication-date"))
    add_external_ids(element, data["external-ids"]["external-id"])
    if value(data.get("url")):
        add(element, "common:url", value(data["url"]))
    contributors = add(element, "work:contributors")
    for contributor in (data.get("contributors") or {}).get("contributor", []):
        add_contributor(contributors, contributor)
    if data.get("language-code"):
        add(element, "common:language-code", data["language-code"])
    if value(data.get("country")):
        add(element, "common:country", value(data["country"]), visibility=data["visibility"])
    return element


def add_contributor(parent: etree._Element, contributor: dict[str, Any]) -> None:
    # ORCID never returns contributor e-mail addresses when a work is read.
    element = add(parent, "work:contributor")
    add_identifier(element, "common:contributor-orcid", contributor.get("contributor-orcid"))
    if value(contributor.get("credit-name")):
        add(element, "work:credit-name", value(contributor["credit-name"]))
    attributes = contributor.get("contributor-attributes")
    if attributes and (
        attributes.get("contributor-sequence") or attributes.get("contributor-role")
    ):
        child = add(element, "work:contributor-attributes")
        if attributes.get("contributor-sequence"):
            add(child, "work:contributor-sequence", attributes["contributor-sequence"])
        if attributes.get("contributor-role"):
            add(child, "work:contributor-role", attributes["contributor-role"])


def build_works(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    element = start(parent, "activities:works", path=data.get("path"))
    if data.get("last-modified-date"):
        add(element, "common:last-modified-date", timestamp(data["last-modified-date"]))
    for group in data["group"]:
        group_element = add(element, "activities:group")
        add(group_element, "common:last-modified-date", timestamp(group["last-modified-date"]))
        add_external_ids(group_element, group["external-ids"]["external-id"])
        for summary in group["work-summary"]:
            add_work_summary(group_element, summary)
    return element


def start(parent: etree._Element | None, name: str, **attributes: Any) -> etree._Element:
    """The document's root element, or a child when the document is part of a larger one."""
    return add(parent, name, **attributes) if parent is not None else root(name, **attributes)


def add_last_modified(element: etree._Element, data: dict[str, Any]) -> None:
    if data.get("last-modified-date"):
        add(element, "common:last-modified-date", timestamp(data["last-modified-date"]))


def build_external_identifier(
    item: dict[str, Any], parent: etree._Element | None = None
) -> etree._Element:
    element = start(parent, "external-identifier:external-identifier", **summary_attributes(item))
    add_dates(element, item)
    add_source(element, item["source"])
    add_external_id_fields(element, item)
    return element


def build_external_identifiers(
    data: dict[str, Any], parent: etree._Element | None = None
) -> etree._Element:
    element = start(parent, "external-identifier:external-identifiers", path=data.get("path"))
    add_last_modified(element, data)
    for item in data["external-identifier"]:
        build_external_identifier(item, element)
    return element


def build_researcher_url(
    item: dict[str, Any], parent: etree._Element | None = None
) -> etree._Element:
    element = start(parent, "researcher-url:researcher-url", **summary_attributes(item))
    add_dates(element, item)
    add_source(element, item["source"])
    if item.get("url-name"):
        add(element, "researcher-url:url-name", item["url-name"])
    add(element, "researcher-url:url", value(item["url"]))
    return element


def build_researcher_urls(
    data: dict[str, Any], parent: etree._Element | None = None
) -> etree._Element:
    element = start(parent, "researcher-url:researcher-urls", path=data.get("path"))
    add_last_modified(element, data)
    for item in data["researcher-url"]:
        build_researcher_url(item, element)
    return element


def build_text_items(
    kind: str, data: dict[str, Any], parent: etree._Element | None = None
) -> etree._Element:
    """keywords / other-names: items whose payload is one `content` string."""
    element = start(parent, f"{kind}:{kind}s", path=data.get("path"))
    add_last_modified(element, data)
    for item in data[kind]:
        child = add(element, f"{kind}:{kind}", **summary_attributes(item))
        add_dates(child, item)
        add_source(child, item["source"])
        add(child, f"{kind}:content", item["content"])
    return element


def build_keywords(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    return build_text_items("keyword", data, parent)


def build_other_names(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    return build_text_items("other-name", data, parent)


def build_person(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    element = start(parent, "person:person", path=data.get("path"))
    add_last_modified(element, data)
    name = data.get("name")
    if name:
        child = add(element, "person:name", visibility=name["visibility"], path=name["path"])
        add_dates(child, name)
        for key in ("given-names", "family-name", "credit-name"):
            if value(name.get(key)):
                add(child, f"personal-details:{key}", value(name[key]))
    build_other_names(data["other-names"], element)
    biography = data.get("biography")
    if biography:
        child = add(
            element, "person:biography", visibility=biography["visibility"], path=biography["path"]
        )
        add(child, "personal-details:content", biography["content"])
    build_researcher_urls(data["researcher-urls"], element)
    add(element, "email:emails", path=data["emails"]["path"])
    addresses = add(element, "address:addresses", path=data["addresses"]["path"])
    add_last_modified(addresses, data["addresses"])
    for item in data["addresses"]["address"]:
        child = add(addresses, "address:address", **summary_attributes(item))
        add_dates(child, item)
        add_source(child, item["source"])
        add(child, "address:country", value(item["country"]))
    build_keywords(data["keywords"], element)
    build_external_identifiers(data["external-identifiers"], element)
    return element


def add_fuzzy_date(parent: etree._Element, name: str, date: dict[str, Any] | None) -> None:
    if not date or not value(date.get("year")):
        return
    element = add(parent, name)
    add(element, "common:year", value(date["year"]))
    if value(date.get("month")):
        add(element, "common:month", value(date["month"]))
        if value(date.get("day")):
            add(element, "common:day", value(date["day"]))


def add_organization(parent: etree._Element, organization: dict[str, Any]) -> None:
    element = add(parent, "common:organization")
    add(element, "common:name", organization["name"])
    address = add(element, "common:address")
    for key in ("city", "region", "country"):
        if organization["address"].get(key):
            add(address, f"common:{key}", organization["address"][key])
    disambiguated = organization.get("disambiguated-organization")
    if disambiguated:
        child = add(element, "common:disambiguated-organization")
        for key in ("disambiguated-organization-identifier", "disambiguation-source"):
            add(child, f"common:{key}", disambiguated[key])


def add_optional_external_ids(parent: etree._Element, node: dict[str, Any] | None) -> None:
    if node and node.get("external-id"):
        add_external_ids(parent, node["external-id"])


def build_affiliation(
    section: str,
    data: dict[str, Any],
    parent: etree._Element | None = None,
    *,
    summary: bool = False,
) -> etree._Element:
    """An employment, distinction, membership, … (common:affiliation, in its section's
    namespace): the element, or its summary inside an affiliation group."""
    name = f"{section}:{section}-summary" if summary else f"{section}:{section}"
    element = start(parent, name, **summary_attributes(data))
    add_dates(element, data)
    add_source(element, data["source"])
    for key in ("department-name", "role-title"):
        if data.get(key):
            add(element, f"common:{key}", data[key])
    add_fuzzy_date(element, "common:start-date", data.get("start-date"))
    add_fuzzy_date(element, "common:end-date", data.get("end-date"))
    add_organization(element, data["organization"])
    if value(data.get("url")):
        add(element, "common:url", value(data["url"]))
    add_optional_external_ids(element, data.get("external-ids"))
    return element


def build_employment(
    data: dict[str, Any], parent: etree._Element | None = None, *, summary: bool = False
) -> etree._Element:
    return build_affiliation("employment", data, parent, summary=summary)


def build_affiliations(
    section: str, data: dict[str, Any], parent: etree._Element | None = None
) -> etree._Element:
    """One affiliation section (`section` singular) as affiliation groups."""
    element = start(parent, f"activities:{SECTION_PLURALS[section]}", path=data.get("path"))
    add_last_modified(element, data)
    for group in data["affiliation-group"]:
        group_element = add(element, "activities:affiliation-group")
        add_last_modified(group_element, group)
        add_external_ids(group_element, group["external-ids"]["external-id"])
        for summary in group["summaries"]:
            build_affiliation(section, summary[f"{section}-summary"], group_element, summary=True)
    return element


def build_employments(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    return build_affiliations("employment", data, parent)


def add_funding_title(parent: etree._Element, title: dict[str, Any]) -> None:
    element = add(parent, "funding:title")
    add(element, "common:title", value(title["title"]))
    translated = title.get("translated-title")
    if translated and value(translated):
        add(
            element,
            "common:translated-title",
            value(translated),
            language_code=translated.get("language-code"),
        )


def build_funding(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    element = start(parent, "funding:funding", **summary_attributes(data))
    add_dates(element, data)
    add_source(element, data["source"])
    add(element, "funding:type", data["type"])
    if value(data.get("organization-defined-type")):
        add(element, "funding:organization-defined-type", value(data["organization-defined-type"]))
    add_funding_title(element, data["title"])
    if data.get("short-description"):
        add(element, "funding:short-description", data["short-description"])
    amount = data.get("amount")
    if amount and amount.get("value"):
        add(element, "funding:amount", amount["value"], currency_code=amount["currency-code"])
    if value(data.get("url")):
        add(element, "common:url", value(data["url"]))
    add_fuzzy_date(element, "common:start-date", data.get("start-date"))
    add_fuzzy_date(element, "common:end-date", data.get("end-date"))
    add_optional_external_ids(element, data.get("external-ids"))
    contributors = add(element, "funding:contributors")
    for contributor in (data.get("contributors") or {}).get("contributor", []):
        child = add(contributors, "funding:contributor")
        add_identifier(child, "common:contributor-orcid", contributor.get("contributor-orcid"))
        if value(contributor.get("credit-name")):
            add(child, "funding:credit-name", value(contributor["credit-name"]))
        role = (contributor.get("contributor-attributes") or {}).get("contributor-role")
        if role:
            attributes = add(child, "funding:contributor-attributes")
            add(attributes, "funding:contributor-role", role)
    add_organization(element, data["organization"])
    return element


def build_funding_summary(
    data: dict[str, Any], parent: etree._Element | None = None
) -> etree._Element:
    element = start(parent, "funding:funding-summary", **summary_attributes(data))
    add_dates(element, data)
    add_source(element, data["source"])
    add_funding_title(element, data["title"])
    add_optional_external_ids(element, data.get("external-ids"))
    if value(data.get("url")):
        add(element, "common:url", value(data["url"]))
    add(element, "funding:type", data["type"])
    add_fuzzy_date(element, "common:start-date", data.get("start-date"))
    add_fuzzy_date(element, "common:end-date", data.get("end-date"))
    add_organization(element, data["organization"])
    return element


def build_fundings(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    element = start(parent, "activities:fundings", path=data.get("path"))
    add_last_modified(element, data)
    for group in data["group"]:
        group_element = add(element, "activities:group")
        add_last_modified(group_element, group)
        add_external_ids(group_element, group["external-ids"]["external-id"])
        for summary in group["funding-summary"]:
            build_funding_summary(summary, group_element)
    return element


def build_activities(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    element = start(parent, "activities:activities-summary", path=data.get("path"))
    add_last_modified(element, data)
    for name in ACTIVITY_SECTIONS:
        section = data.get(name)
        if section is None:
            continue
        if name in AFFILIATION_SECTIONS:
            build_affiliations(AFFILIATION_SECTIONS[name], section, element)
        elif name == "fundings":
            build_fundings(section, element)
        elif name == "works":
            build_works(section, element)
        else:
            # Out of the sandbox's scope, so always empty: the element and its path only.
            add(element, f"activities:{name}", path=section.get("path"))
    return element


def build_record(data: dict[str, Any]) -> etree._Element:
    element = root("record:record", path=data.get("path"))
    add_identifier(element, "common:orcid-identifier", data["orcid-identifier"])
    if data.get("preferences"):
        preferences = add(element, "preferences:preferences")
        add(preferences, "preferences:locale", data["preferences"]["locale"])
    if data.get("history"):
        add_history(element, data["history"])
    build_person(data["person"], element)
    build_activities(data["activities-summary"], element)
    return element


# JSON writes the creation method as the enum's name, XML as its value.
CREATION_METHODS = {
    "API": "API",
    "DIRECT": "Direct",
    "MEMBER_REFERRED": "Member-referred",
    "WEBSITE": "website",
}


def add_history(parent: etree._Element, history: dict[str, Any]) -> None:
    element = add(parent, "history:history")
    add(element, "history:creation-method", CREATION_METHODS[history["creation-method"]])
    for key in ("completion-date", "submission-date"):
        if history.get(key):
            add(element, f"history:{key}", timestamp(history[key]))
    add_last_modified(element, history)
    add(element, "history:claimed", str(history["claimed"]).lower())
    if history.get("deactivation-date"):
        add(element, "history:deactivation-date", timestamp(history["deactivation-date"]))
    for key in ("verified-email", "verified-primary-email"):
        add(element, f"history:{key}", str(history[key]).lower())


def build_search(data: dict[str, Any]) -> etree._Element:
    element = root("search:search", num_found=data["num-found"])
    for result in data["result"]:
        add_identifier(
            add(element, "search:result"), "common:orcid-identifier", result["orcid-identifier"]
        )
    return element


def build_expanded_search(data: dict[str, Any]) -> etree._Element:
    element = root("expanded-search:expanded-search", num_found=data["num-found"])
    for result in data["expanded-result"]:
        child = add(element, "expanded-search:expanded-result")
        add(child, "expanded-search:orcid-id", result["orcid-id"])
        for key in ("given-names", "family-names", "credit-name"):
            if result.get(key):
                add(child, f"expanded-search:{key}", result[key])
        for key in ("other-name", "email", "institution-name"):
            for item in result.get(key) or []:
                add(child, f"expanded-search:{key}", item)
    return element


def build_error(data: dict[str, Any], parent: etree._Element | None = None) -> etree._Element:
    element = add(parent, "error:error") if parent is not None else root("error:error")
    for key in ("response-code", "developer-message", "user-message", "error-code", "more-info"):
        if data.get(key) is not None:
            add(element, f"error:{key}", data[key])
    return element


def build_bulk(data: dict[str, Any]) -> etree._Element:
    element = root("bulk:bulk")
    for item in data["bulk"]:
        if "work" in item:
            build_work(item["work"], element)
        else:
            build_error(item["error"], element)
    return element


BUILDERS: dict[str, Any] = {
    "works": build_works,
    "work": build_work,
    "work-summary": build_work_summary,
    "external-identifiers": build_external_identifiers,
    "external-identifier": build_external_identifier,
    "researcher-urls": build_researcher_urls,
    "researcher-url": build_researcher_url,
    "keywords": build_keywords,
    "other-names": build_other_names,
    "person": build_person,
    "employments": build_employments,
    "employment": build_employment,
    "fundings": build_fundings,
    "funding": build_funding,
    "funding-summary": build_funding_summary,
    **{
        plural: functools.partial(build_affiliations, section)
        for plural, section in AFFILIATION_SECTIONS.items()
    },
    **{
        section: functools.partial(build_affiliation, section)
        for section in AFFILIATION_SECTIONS.values()
    },
    "activities": build_activities,
    "record": build_record,
    "search": build_search,
    "expanded-search": build_expanded_search,
    "error": build_error,
    "bulk": build_bulk,
}


def to_xml(kind: str, data: dict[str, Any]) -> bytes:
    """Serialise a document of a kind the registry writes as XML."""
    document: bytes = etree.tostring(
        BUILDERS[kind](data), xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return document


def has_xml(kind: str) -> bool:
    return kind in BUILDERS


# --- reading XML request bodies ----------------------------------------------------------------


def local_name(node: etree._Element) -> str:
    return str(etree.QName(node).localname)


def element_to_json(node: etree._Element) -> Any:
    """An element in ORCID's JSON shape, as far as the validators need: leaves become strings,
    attributes keys, repeated elements lists."""
    children = [child for child in node if isinstance(child.tag, str)]
    if not children and not node.attrib:
        return (node.text or "").strip()
    data: dict[str, Any] = {
        str(etree.QName(key).localname): item for key, item in node.attrib.items()
    }
    data.pop("schemaLocation", None)
    if not children:
        data["value"] = (node.text or "").strip()
        return data
    for child in children:
        name = local_name(child)
        converted = element_to_json(child)
        if name in LIST_ELEMENTS:
            data.setdefault(name, []).append(converted)
        else:
            data[name] = converted
    return data


def parse_body(body: bytes) -> Any:
    """An XML request body in JSON shape; a bulk becomes {"bulk": [{"work": …}, …]}.

    The parser resolves no entities and loads nothing from the network (XXE, billion laughs).
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        document = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as error:
        raise RegistryError(
            400, ErrorCode.INVALID_MESSAGE, f"400 Bad Request: invalid XML: {error}"
        ) from None
    if local_name(document) == "bulk":
        return {
            "bulk": [
                {local_name(child): element_to_json(child)}
                for child in document
                if isinstance(child.tag, str)
            ]
        }
    return element_to_json(document)
