"""API v3.0 documents as ORCID XML (the default representation when Accept is missing, `*/*` or
an XML type), written from the same data as the JSON, in the element order of ORCID's XSDs.

Identifiers (source-orcid, source-client-id, assertion-origin-orcid) are written with path and
host only: the XSD's `uri` patterns accept orcid.org addresses, not a sandbox's.
"""

from __future__ import annotations

import datetime
from typing import Any

from lxml import etree

NAMESPACES = {
    "common": "http://www.orcid.org/ns/common",
    "work": "http://www.orcid.org/ns/work",
    "activities": "http://www.orcid.org/ns/activities",
    "external-identifier": "http://www.orcid.org/ns/external-identifier",
    "error": "http://www.orcid.org/ns/error",
    "bulk": "http://www.orcid.org/ns/bulk",
}
XML_CONTENT_TYPE = "application/vnd.orcid+xml; charset=utf-8"


def qname(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def add(parent: etree._Element, name: str, text: Any = None, **attributes: Any) -> etree._Element:
    element = etree.SubElement(parent, qname(name))
    for key, value in attributes.items():
        if value is not None:
            element.set(key.replace("_", "-"), str(value))
    if text is not None:
        element.text = str(text)
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


def add_work_summary(parent: etree._Element, data: dict[str, Any]) -> None:
    element = add(parent, "work:work-summary", **summary_attributes(data))
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
    add(element, "work:type", data["type"])
    add_date(element, data.get("publication-date"))
    add_external_ids(element, data["external-ids"]["external-id"])
    if value(data.get("url")):
        add(element, "common:url", value(data["url"]))
    return element


def build_works(data: dict[str, Any]) -> etree._Element:
    element = root("activities:works", path=data.get("path"))
    if data.get("last-modified-date"):
        add(element, "common:last-modified-date", timestamp(data["last-modified-date"]))
    for group in data["group"]:
        group_element = add(element, "activities:group")
        add(group_element, "common:last-modified-date", timestamp(group["last-modified-date"]))
        add_external_ids(group_element, group["external-ids"]["external-id"])
        for summary in group["work-summary"]:
            add_work_summary(group_element, summary)
    return element


def build_external_identifiers(data: dict[str, Any]) -> etree._Element:
    element = root("external-identifier:external-identifiers", path=data.get("path"))
    for item in data["external-identifier"]:
        child = add(element, "external-identifier:external-identifier", **summary_attributes(item))
        add_dates(child, item)
        add_source(child, item["source"])
        add_external_id_fields(child, item)
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


BUILDERS = {
    "works": build_works,
    "work": build_work,
    "external-identifiers": build_external_identifiers,
    "error": build_error,
    "bulk": build_bulk,
}


def to_xml(kind: str, data: dict[str, Any]) -> bytes:
    """Serialise a document of a kind the registry writes as XML."""
    return etree.tostring(
        BUILDERS[kind](data), xml_declaration=True, encoding="UTF-8", standalone=True
    )


def has_xml(kind: str) -> bool:
    return kind in BUILDERS
