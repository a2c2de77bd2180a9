"""ORCID's activity sections beyond works and employment, as the portal writes them: fundings
(a project with a funder and a grant), distinctions (a prize), and the professional affiliations
(membership, service, invited position) an activity becomes.

Each item is first a frozen dataclass holding what the portal knows; `body()` writes it as ORCID
API v3.0 JSON for the export engine, `xml()` as ORCID XML in the element order of ORCID's XSDs
(the tests validate both shapes' content against the XSDs). No Django model is read here: the
desired-state functions in export_sections.py fill these from the portal's apps.

Every item carries one `self` external id naming the portal's own record of it
(`source-work-id`, "scholarhub-project-12"): ORCID's duplicate rule (409/9021, same source and
same self id) then applies to it, so a lost put-code is found again, as for works. A funding also
carries its grant number (`grant_number`, self), which groups it with the funder's copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lxml import etree

from orcid_connector.choices import ExportKind
from orcid_connector.text import clean

SOURCE_WORK_ID = "source-work-id"
GRANT_NUMBER = "grant_number"
# ORCID's funding types and funding contributor roles (orcid-model FundingType and
# FundingContributorRole; the XSD leaves them as strings, the registry checks them).
FUNDING_TYPES = ("award", "contract", "grant", "salary-award")
FUNDING_ROLES = ("lead", "co-lead", "supported-by", "other-contribution")
DISAMBIGUATION_SOURCES = ("RINGGOLD", "ROR", "FUNDREF", "GRID", "LEI")
# The affiliation kinds this module writes, with their XML namespace (the section's name).
AFFILIATION_KINDS = {
    ExportKind.DISTINCTION: "distinction",
    ExportKind.MEMBERSHIP: "membership",
    ExportKind.SERVICE: "service",
    ExportKind.INVITED_POSITION: "invited-position",
}
COMMON = "http://www.orcid.org/ns/common"
NAMESPACES = {
    "common": COMMON,
    "funding": "http://www.orcid.org/ns/funding",
    **{name: f"http://www.orcid.org/ns/{name}" for name in AFFILIATION_KINDS.values()},
}


# Organisation names, cities and regions are common:long-text (4000) in the XSD, but registries
# keep 1000 characters of them (the sandbox refuses more): cut there, not refused there.
ORGANIZATION_TEXT = 1000
GRANT_NUMBER_TEXT = 2084


def _line(value: str, limit: int) -> str:
    """One line of text as ORCID takes it (text.clean), at most `limit` characters."""
    return clean(value, "department-name")[:limit].rstrip()


class SectionError(ValueError):
    """The portal's data cannot make a valid ORCID item (say why, for the Library)."""


@dataclass(frozen=True)
class Organization:
    """An organisation as ORCID wants it: name, city, country and a disambiguated id (ORCID
    refuses an API write without one: 9045)."""

    name: str
    city: str
    country: str
    disambiguated_id: str
    disambiguation_source: str
    region: str = ""

    def __post_init__(self) -> None:
        if not _line(self.name, ORGANIZATION_TEXT) or not _line(self.city, ORGANIZATION_TEXT):
            raise SectionError("an organisation needs a name and a city")
        if len(self.country) != 2 or not self.country.isascii() or not self.country.isupper():
            raise SectionError(f"{self.country!r} is not a two-letter country code")
        if self.disambiguation_source not in DISAMBIGUATION_SOURCES or not self.disambiguated_id:
            raise SectionError(f"{self.name}: no Ringgold, ROR or FundRef id")

    def body(self) -> dict[str, Any]:
        address: dict[str, Any] = {
            "city": _line(self.city, ORGANIZATION_TEXT),
            "country": self.country,
        }
        if _line(self.region, ORGANIZATION_TEXT):
            address["region"] = _line(self.region, ORGANIZATION_TEXT)
        return {
            "name": _line(self.name, ORGANIZATION_TEXT),
            "address": address,
            "disambiguated-organization": {
                "disambiguated-organization-identifier": self.disambiguated_id,
                "disambiguation-source": self.disambiguation_source,
            },
        }


@dataclass(frozen=True)
class Period:
    """A start and an optional end, to the day or to the month or year only."""

    start: date | None = None
    end: date | None = None
    # How much of each date is known: "day", "month" or "year".
    precision: str = "day"

    def __post_init__(self) -> None:
        if self.end is not None and self.start is None:
            raise SectionError("an end date needs a start date")  # ORCID's 9050
        if self.start and self.end and self.end < self.start:
            raise SectionError("the end date is before the start date")  # ORCID's 9055
        if self.precision not in ("day", "month", "year"):
            raise SectionError(f"unknown date precision {self.precision!r}")

    def fuzzy(self, moment: date | None) -> dict[str, Any] | None:
        if moment is None:
            return None
        result: dict[str, Any] = {"year": {"value": f"{moment.year:04d}"}}
        if self.precision in ("month", "day"):
            result["month"] = {"value": f"{moment.month:02d}"}
        if self.precision == "day":
            result["day"] = {"value": f"{moment.day:02d}"}
        return result

    def add_to(self, body: dict[str, Any]) -> None:
        for name, moment in (("start-date", self.start), ("end-date", self.end)):
            fuzzy = self.fuzzy(moment)
            if fuzzy:
                body[name] = fuzzy


def _self_id(value: str, id_type: str = SOURCE_WORK_ID, url: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {
        "external-id-type": id_type,
        "external-id-value": value,
        "external-id-relationship": "self",
    }
    if url:
        item["external-id-url"] = {"value": url}
    return item


@dataclass(frozen=True)
class FundingContributor:
    """A participant of a funded project, as ORCID lists a funding's contributors."""

    name: str
    role: str = "lead"
    orcid: str = ""

    def __post_init__(self) -> None:
        if self.role not in FUNDING_ROLES:
            raise SectionError(f"{self.role!r} is not an ORCID funding role")

    def body(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "credit-name": {"value": clean(self.name, "credit-name")},
            "contributor-attributes": {"contributor-role": self.role},
        }
        if self.orcid:
            item["contributor-orcid"] = {
                "uri": f"https://orcid.org/{self.orcid}",
                "path": self.orcid,
                "host": "orcid.org",
            }
        return item


@dataclass(frozen=True)
class FundingItem:
    """A funded project as an ORCID funding."""

    key: str  # the engine's key, e.g. "project:12"
    source_id: str  # the portal's own id, e.g. "scholarhub-project-12"
    title: str
    organization: Organization  # the funder
    grant_number: str = ""
    funding_type: str = "grant"
    period: Period = field(default_factory=Period)
    url: str = ""
    short_description: str = ""
    amount: str = ""
    currency: str = ""
    contributors: tuple[FundingContributor, ...] = ()

    def __post_init__(self) -> None:
        if not clean(self.title, "title"):
            raise SectionError("a funding needs a title")  # ORCID's 9022
        if self.funding_type not in FUNDING_TYPES:
            raise SectionError(f"{self.funding_type!r} is not an ORCID funding type")
        if bool(self.amount) != bool(self.currency):
            raise SectionError("an amount needs its currency, and a currency its amount")

    kind = ExportKind.FUNDING

    def body(self) -> dict[str, Any]:
        """The funding as ORCID API v3.0 JSON."""
        ids = [_self_id(self.source_id)]
        if self.grant_number:
            ids.insert(0, _self_id(_line(self.grant_number, GRANT_NUMBER_TEXT), GRANT_NUMBER))
        body: dict[str, Any] = {
            "type": self.funding_type,
            "title": {"title": {"value": clean(self.title, "title")}},
            "external-ids": {"external-id": ids},
            "organization": self.organization.body(),
        }
        if clean(self.short_description, "short-description"):
            body["short-description"] = clean(self.short_description, "short-description")
        if self.amount:
            body["amount"] = {"value": self.amount, "currency-code": self.currency}
        if self.url:
            body["url"] = {"value": self.url}
        self.period.add_to(body)
        if self.contributors:
            body["contributors"] = {
                "contributor": [contributor.body() for contributor in self.contributors]
            }
        return body

    def xml(self) -> bytes:
        return funding_xml(self.body())


@dataclass(frozen=True)
class AffiliationEntry:
    """A distinction, membership, service or invited position (ORCID's affiliation shape)."""

    kind: ExportKind
    key: str  # the engine's key, e.g. "prize:7"
    source_id: str  # the portal's own id, e.g. "scholarhub-prize-7"
    organization: Organization
    role_title: str = ""
    department_name: str = ""
    period: Period = field(default_factory=Period)
    url: str = ""

    def __post_init__(self) -> None:
        if self.kind not in AFFILIATION_KINDS:
            raise SectionError(f"{self.kind} is not an affiliation this module writes")

    def body(self) -> dict[str, Any]:
        """The affiliation as ORCID API v3.0 JSON."""
        body: dict[str, Any] = {}
        if clean(self.department_name, "department-name"):
            body["department-name"] = clean(self.department_name, "department-name")
        if clean(self.role_title, "role-title"):
            body["role-title"] = clean(self.role_title, "role-title")
        self.period.add_to(body)
        body["organization"] = self.organization.body()
        if self.url:
            body["url"] = {"value": self.url}
        body["external-ids"] = {"external-id": [_self_id(self.source_id)]}
        return body

    def xml(self) -> bytes:
        return affiliation_xml(AFFILIATION_KINDS[self.kind], self.body())


# --- ORCID XML of the same JSON (the XSDs' element order) ----------------------------------------


def _add(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> Any:
    prefix, _, local = name.partition(":")
    element = etree.SubElement(parent, f"{{{NAMESPACES[prefix]}}}{local}")
    for key, value in attributes.items():
        element.set(key.replace("_", "-"), value)
    if text is not None:
        element.text = text
    return element


def _value(node: Any) -> str:
    return str(node.get("value", "")) if isinstance(node, dict) else str(node or "")


def _add_fuzzy(parent: etree._Element, name: str, date_: dict[str, Any] | None) -> None:
    if not date_:
        return
    element = _add(parent, f"common:{name}")
    for part in ("year", "month", "day"):
        if date_.get(part):
            _add(element, f"common:{part}", _value(date_[part]))


def _add_organization(parent: etree._Element, organization: dict[str, Any]) -> None:
    element = _add(parent, "common:organization")
    _add(element, "common:name", organization["name"])
    address = _add(element, "common:address")
    for part in ("city", "region", "country"):
        if organization["address"].get(part):
            _add(address, f"common:{part}", organization["address"][part])
    disambiguated = _add(element, "common:disambiguated-organization")
    for part in ("disambiguated-organization-identifier", "disambiguation-source"):
        _add(disambiguated, f"common:{part}", organization["disambiguated-organization"][part])


def _add_external_ids(parent: etree._Element, ids: list[dict[str, Any]]) -> None:
    container = _add(parent, "common:external-ids")
    for item in ids:
        element = _add(container, "common:external-id")
        _add(element, "common:external-id-type", item["external-id-type"])
        _add(element, "common:external-id-value", item["external-id-value"])
        if item.get("external-id-url"):
            _add(element, "common:external-id-url", _value(item["external-id-url"]))
        _add(element, "common:external-id-relationship", item["external-id-relationship"])


def _root(name: str) -> etree._Element:
    prefix, _, local = name.partition(":")
    return etree.Element(f"{{{NAMESPACES[prefix]}}}{local}", nsmap=NAMESPACES)


def _serialise(element: etree._Element) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))


def funding_xml(body: dict[str, Any]) -> bytes:
    """A funding body as ORCID XML (funding-3.0.xsd)."""
    element = _root("funding:funding")
    _add(element, "funding:type", body["type"])
    title = _add(element, "funding:title")
    _add(title, "common:title", _value(body["title"]["title"]))
    if body.get("short-description"):
        _add(element, "funding:short-description", body["short-description"])
    if body.get("amount"):
        amount = body["amount"]
        _add(element, "funding:amount", amount["value"], currency_code=amount["currency-code"])
    if body.get("url"):
        _add(element, "common:url", _value(body["url"]))
    _add_fuzzy(element, "start-date", body.get("start-date"))
    _add_fuzzy(element, "end-date", body.get("end-date"))
    _add_external_ids(element, body["external-ids"]["external-id"])
    if body.get("contributors"):
        contributors = _add(element, "funding:contributors")
        for contributor in body["contributors"]["contributor"]:
            child = _add(contributors, "funding:contributor")
            orcid = contributor.get("contributor-orcid")
            if orcid:
                node = _add(child, "common:contributor-orcid")
                for part in ("uri", "path", "host"):
                    _add(node, f"common:{part}", orcid[part])
            _add(child, "funding:credit-name", _value(contributor["credit-name"]))
            attributes = _add(child, "funding:contributor-attributes")
            role = contributor["contributor-attributes"]["contributor-role"]
            _add(attributes, "funding:contributor-role", role)
    _add_organization(element, body["organization"])
    return _serialise(element)


def affiliation_xml(section: str, body: dict[str, Any]) -> bytes:
    """An affiliation body as ORCID XML (distinction-3.0.xsd, membership-3.0.xsd, …)."""
    element = _root(f"{section}:{section}")
    for name in ("department-name", "role-title"):
        if body.get(name):
            _add(element, f"common:{name}", body[name])
    _add_fuzzy(element, "start-date", body.get("start-date"))
    _add_fuzzy(element, "end-date", body.get("end-date"))
    _add_organization(element, body["organization"])
    if body.get("url"):
        _add(element, "common:url", _value(body["url"]))
    _add_external_ids(element, body["external-ids"]["external-id"])
    return _serialise(element)
