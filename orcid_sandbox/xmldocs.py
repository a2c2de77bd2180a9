"""API v3.0 documents as XML (orcid-model's XSDs), and XML request bodies read into the JSON
shape the validators in records.py take.

The builders follow the element order of the XSDs (record_3.0, common_3.0), which differs from
the key order of the JSON documents; the tests validate every document type against the XSDs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from lxml import etree

from orcid_sandbox import records
from orcid_sandbox.errors import RegistryError
from orcid_sandbox.models import Account, Employment, OtherId, ResearcherUrl, Work

NS = {
    name: f"http://www.orcid.org/ns/{name}"
    for name in (
        "common",
        "work",
        "activities",
        "person",
        "record",
        "error",
        "bulk",
        "external-identifier",
        "researcher-url",
        "keyword",
        "other-name",
        "email",
        "address",
        "employment",
        "personal-details",
        "search",
        "expanded-search",
    )
}
# Elements that repeat; read as lists even when a body holds only one.
LIST_ELEMENTS = frozenset(
    {"external-id", "contributor", "external-identifier", "researcher-url", "expanded-result"}
)
MAX_XML_BODY = 5 * 1024 * 1024

Element = etree._Element


def el(parent: Element | None, qname: str, text: Any = None, **attributes: Any) -> Element:
    """Make `prefix:name` (under parent if given) with optional text and attributes."""
    prefix, _, name = qname.partition(":")
    tag = f"{{{NS[prefix]}}}{name}"
    node = (
        etree.Element(tag, nsmap=NS) if parent is None else etree.SubElement(parent, tag, nsmap={})
    )
    for key, value in attributes.items():
        if value is not None:
            node.set(key.replace("_", "-"), str(value))
    if text is not None:
        node.text = str(text)
    return node


def opt(parent: Element, qname: str, text: Any) -> Element | None:
    """A child only when there is something to say."""
    if text in (None, ""):
        return None
    return el(parent, qname, text)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_bytes(root: Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# --- common parts ---------------------------------------------------------------------------


def orcid_id_el(parent: Element, qname: str, orcid: str) -> Element:
    node = el(parent, qname)
    identifier = records.orcid_identifier(orcid)
    el(node, "common:uri", identifier["uri"])
    el(node, "common:path", identifier["path"])
    el(node, "common:host", identifier["host"])
    return node


def dates_el(parent: Element, item: Any) -> None:
    el(parent, "common:created-date", iso(item.created_at))
    el(parent, "common:last-modified-date", iso(item.updated_at))


def source_el(parent: Element, item: Work | OtherId | ResearcherUrl | Employment) -> None:
    data = records.source_json(item)
    node = el(parent, "common:source")
    for key in ("source-orcid", "source-client-id"):
        if data[key]:
            child = el(node, f"common:{key}")
            for part in ("uri", "path", "host"):
                el(child, f"common:{part}", data[key][part])
    el(node, "common:source-name", data["source-name"]["value"])
    if data["assertion-origin-orcid"]:
        child = el(node, "common:assertion-origin-orcid")
        for part in ("uri", "path", "host"):
            el(child, f"common:{part}", data["assertion-origin-orcid"][part])
        el(node, "common:assertion-origin-name", data["assertion-origin-name"]["value"])


def external_ids_el(parent: Element, items: Iterable[dict[str, str]]) -> Element:
    node = el(parent, "common:external-ids")
    for item in items:
        child = el(node, "common:external-id")
        el(child, "common:external-id-type", item["type"])
        el(child, "common:external-id-value", item["value"])
        el(
            child,
            "common:external-id-normalized",
            records.normalised_id_value(item["type"], item["value"]),
            transient="true",
        )
        opt(child, "common:external-id-url", item.get("url"))
        el(child, "common:external-id-relationship", item["relationship"])
    return node


def fuzzy_date_el(parent: Element, qname: str, year: str, month: str, day: str) -> None:
    if not year:
        return
    node = el(parent, qname)
    el(node, "common:year", year)
    opt(node, "common:month", month)
    opt(node, "common:day", day)


def split_date(value: str) -> tuple[str, str, str]:
    parts = [*value.split("-"), "", ""]
    return parts[0], parts[1], parts[2]


# --- works -----------------------------------------------------------------------------------


def work_el(parent: Element | None, work: Work, *, summary: bool = False) -> Element:
    """`work:work` (full) or `work:work-summary`, in the XSD's element order."""
    node = el(
        parent,
        "work:work-summary" if summary else "work:work",
        put_code=work.pk,
        path=f"/{work.account.orcid}/work/{work.pk}",
        visibility=work.visibility,
        display_index=work.display_index if summary else None,
    )
    dates_el(node, work)
    source_el(node, work)
    extra = work.extra or {}
    title = el(node, "work:title")
    el(title, "common:title", work.title)
    opt(title, "common:subtitle", work.subtitle)
    translated = extra.get("translated-title")
    if isinstance(translated, dict) and translated.get("value"):
        el(
            title,
            "common:translated-title",
            translated["value"],
            language_code=translated.get("language-code") or "en",
        )
    if summary:
        external_ids_el(node, work.external_ids)
        opt(node, "common:url", work.url)
        el(node, "work:type", work.work_type)
        fuzzy_date_el(
            node,
            "common:publication-date",
            work.publication_year,
            work.publication_month,
            work.publication_day,
        )
        opt(node, "work:journal-title", work.journal_title)
        return node
    opt(node, "work:journal-title", work.journal_title)
    opt(node, "work:short-description", work.short_description)
    citation = extra.get("citation")
    if isinstance(citation, dict) and citation.get("citation-value"):
        child = el(node, "work:citation")
        el(child, "work:citation-type", citation.get("citation-type") or "formatted-unspecified")
        el(child, "work:citation-value", citation["citation-value"])
    el(node, "work:type", work.work_type)
    fuzzy_date_el(
        node,
        "common:publication-date",
        work.publication_year,
        work.publication_month,
        work.publication_day,
    )
    external_ids_el(node, work.external_ids)
    opt(node, "common:url", work.url)
    contributors = el(node, "work:contributors")
    for contributor in extra.get("contributors") or []:
        contributor_el(contributors, contributor)
    opt(node, "common:language-code", extra.get("language-code"))
    if extra.get("country"):
        el(node, "common:country", extra["country"], visibility=work.visibility)
    return node


def contributor_el(parent: Element, contributor: dict[str, Any]) -> None:
    node = el(parent, "work:contributor")
    orcid = records.value_of((contributor.get("contributor-orcid") or {}).get("path"))
    if orcid:
        orcid_id_el(node, "common:contributor-orcid", orcid)
    opt(node, "work:credit-name", records.value_of(contributor.get("credit-name")))
    opt(node, "work:contributor-email", records.value_of(contributor.get("contributor-email")))
    attributes = contributor.get("contributor-attributes")
    if isinstance(attributes, dict) and (
        attributes.get("contributor-sequence") or attributes.get("contributor-role")
    ):
        child = el(node, "work:contributor-attributes")
        opt(child, "work:contributor-sequence", attributes.get("contributor-sequence"))
        opt(child, "work:contributor-role", attributes.get("contributor-role"))


def last_modified(parent: Element, items: Iterable[Any]) -> None:
    latest = max((item.updated_at for item in items), default=None)
    if latest is not None:
        el(parent, "common:last-modified-date", iso(latest))


def works_el(parent: Element | None, account: Account, works: list[Work]) -> Element:
    """`activities:works`: grouped summaries (records.group_works)."""
    node = el(parent, "activities:works", path=f"/{account.orcid}/works")
    last_modified(node, works)
    for group in records.group_works(works):
        group_node = el(node, "activities:group")
        last_modified(group_node, group.works)
        external_ids_el(group_node, group.external_ids)
        for work in group.works:
            work_el(group_node, work, summary=True)
    return node


def bulk_el(results: list[Work | RegistryError]) -> Element:
    node = el(None, "bulk:bulk")
    for result in results:
        if isinstance(result, RegistryError):
            error_el(node, result)
        else:
            work_el(node, result)
    return node


def error_el(parent: Element | None, error: RegistryError) -> Element:
    node = el(parent, "error:error")
    el(node, "error:response-code", error.status)
    el(node, "error:developer-message", error.developer_message)
    el(node, "error:user-message", error.user_message)
    el(node, "error:error-code", error.code)
    el(node, "error:more-info", records.MORE_INFO)
    return node


# --- person ----------------------------------------------------------------------------------


def other_id_el(parent: Element | None, item: OtherId) -> Element:
    node = el(
        parent,
        "external-identifier:external-identifier",
        put_code=item.pk,
        path=f"/{item.account.orcid}/external-identifiers/{item.pk}",
        visibility=item.visibility,
        display_index=item.display_index,
    )
    dates_el(node, item)
    source_el(node, item)
    el(node, "common:external-id-type", item.id_type)
    el(node, "common:external-id-value", item.value)
    el(node, "common:external-id-url", item.url)
    el(node, "common:external-id-relationship", item.relationship)
    return node


def other_ids_el(parent: Element | None, account: Account, items: list[OtherId]) -> Element:
    node = el(
        parent,
        "external-identifier:external-identifiers",
        path=f"/{account.orcid}/external-identifiers",
    )
    last_modified(node, items)
    for item in items:
        other_id_el(node, item)
    return node


def researcher_url_el(parent: Element | None, item: ResearcherUrl) -> Element:
    node = el(
        parent,
        "researcher-url:researcher-url",
        put_code=item.pk,
        path=f"/{item.account.orcid}/researcher-urls/{item.pk}",
        visibility=item.visibility,
        display_index=item.display_index,
    )
    dates_el(node, item)
    source_el(node, item)
    opt(node, "researcher-url:url-name", item.name)
    el(node, "researcher-url:url", item.url)
    return node


def researcher_urls_el(
    parent: Element | None, account: Account, items: list[ResearcherUrl]
) -> Element:
    node = el(parent, "researcher-url:researcher-urls", path=f"/{account.orcid}/researcher-urls")
    last_modified(node, items)
    for item in items:
        researcher_url_el(node, item)
    return node


def owner_source_el(parent: Element, account: Account) -> None:
    node = el(parent, "common:source")
    orcid_id_el(node, "common:source-orcid", account.orcid)
    el(node, "common:source-name", account.display_name)


def text_items_el(
    parent: Element | None, account: Account, kind: str, values: list[str], public: bool
) -> Element:
    """`keyword:keywords` / `other-name:other-names`: the owner's lines, put-code = line number."""
    plural = f"{kind}:{kind}s"
    section = "keywords" if kind == "keyword" else "other-names"
    node = el(parent, plural, path=f"/{account.orcid}/{section}")
    if not public:
        return node
    el(node, "common:last-modified-date", iso(account.updated_at))
    for index, value in enumerate(values, start=1):
        item = el(
            node,
            f"{kind}:{kind}",
            put_code=index,
            path=f"/{account.orcid}/{section}/{index}",
            visibility="public",
            display_index=index,
        )
        el(item, "common:created-date", iso(account.created_at))
        el(item, "common:last-modified-date", iso(account.updated_at))
        owner_source_el(item, account)
        el(item, f"{kind}:content", value)
    return node


def addresses_el(parent: Element, account: Account) -> None:
    node = el(parent, "address:addresses", path=f"/{account.orcid}/address")
    if account.country:
        el(node, "common:last-modified-date", iso(account.updated_at))
        item = el(
            node,
            "address:address",
            put_code=1,
            path=f"/{account.orcid}/address/1",
            visibility="public",
            display_index=1,
        )
        el(item, "common:created-date", iso(account.created_at))
        el(item, "common:last-modified-date", iso(account.updated_at))
        owner_source_el(item, account)
        el(item, "address:country", account.country)


def person_el(
    parent: Element | None,
    account: Account,
    *,
    names_visible: bool,
    other_ids: list[OtherId],
    urls: list[ResearcherUrl],
) -> Element:
    node = el(parent, "person:person", path=f"/{account.orcid}/person")
    el(node, "common:last-modified-date", iso(account.updated_at))
    if names_visible:
        name = el(
            node,
            "person:name",
            visibility=account.names_visibility,
            path=account.orcid,
        )
        el(name, "common:created-date", iso(account.created_at))
        el(name, "common:last-modified-date", iso(account.updated_at))
        el(name, "personal-details:given-names", account.given_names)
        opt(name, "personal-details:family-name", account.family_name)
        opt(name, "personal-details:credit-name", account.credit_name)
    public = account.names_visibility == "public" or names_visible
    text_items_el(node, account, "other-name", account.other_name_list(), public)
    if account.biography and public:
        biography = el(node, "person:biography", visibility="public", path=f"/{account.orcid}")
        el(biography, "personal-details:content", account.biography)
    researcher_urls_el(node, account, urls)
    el(node, "email:emails", path=f"/{account.orcid}/email")
    addresses_el(node, account)
    text_items_el(node, account, "keyword", account.keyword_list(), public)
    other_ids_el(node, account, other_ids)
    return node


# --- employments -----------------------------------------------------------------------------


def employment_el(parent: Element | None, item: Employment, *, summary: bool = False) -> Element:
    node = el(
        parent,
        "employment:employment-summary" if summary else "employment:employment",
        put_code=item.pk,
        path=f"/{item.account.orcid}/employment/{item.pk}",
        visibility=item.visibility,
        display_index=item.display_index if summary else None,
    )
    dates_el(node, item)
    source_el(node, item)
    opt(node, "common:department-name", item.department_name)
    opt(node, "common:role-title", item.role_title)
    if item.start_date:
        fuzzy_date_el(node, "common:start-date", *split_date(item.start_date))
    if item.end_date:
        fuzzy_date_el(node, "common:end-date", *split_date(item.end_date))
    organization = el(node, "common:organization")
    el(organization, "common:name", item.organization_name)
    address = el(organization, "common:address")
    el(address, "common:city", item.city)
    opt(address, "common:region", item.region)
    el(address, "common:country", item.country)
    if item.disambiguated_id:
        disambiguated = el(organization, "common:disambiguated-organization")
        el(disambiguated, "common:disambiguated-organization-identifier", item.disambiguated_id)
        el(disambiguated, "common:disambiguation-source", item.disambiguated_source)
    opt(node, "common:url", item.url)
    return node


def employments_el(parent: Element | None, account: Account, items: list[Employment]) -> Element:
    node = el(parent, "activities:employments", path=f"/{account.orcid}/employments")
    last_modified(node, items)
    for item in items:
        group = el(node, "activities:affiliation-group")
        el(group, "common:last-modified-date", iso(item.updated_at))
        el(group, "common:external-ids")
        employment_el(group, item, summary=True)
    return node


# --- record, activities, search ----------------------------------------------------------------


def activities_el(
    parent: Element | None, account: Account, works: list[Work], employments: list[Employment]
) -> Element:
    node = el(parent, "activities:activities-summary", path=f"/{account.orcid}/activities")
    last_modified(node, [*works, *employments])
    employments_el(node, account, employments)
    works_el(node, account, works)
    return node


def record_el(
    account: Account,
    *,
    names_visible: bool,
    other_ids: list[OtherId],
    urls: list[ResearcherUrl],
    works: list[Work],
    employments: list[Employment],
) -> Element:
    node = el(None, "record:record", path=f"/{account.orcid}")
    orcid_id_el(node, "common:orcid-identifier", account.orcid)
    person_el(node, account, names_visible=names_visible, other_ids=other_ids, urls=urls)
    activities_el(node, account, works, employments)
    return node


def search_el(orcids: list[str], found: int) -> Element:
    node = el(None, "search:search", num_found=found)
    for orcid in orcids:
        result = el(node, "search:result")
        orcid_id_el(result, "common:orcid-identifier", orcid)
    return node


def expanded_search_el(rows: list[dict[str, Any]], found: int) -> Element:
    node = el(None, "expanded-search:expanded-search", num_found=found)
    for row in rows:
        result = el(node, "expanded-search:expanded-result")
        el(result, "expanded-search:orcid-id", row["orcid-id"])
        opt(result, "expanded-search:given-names", row["given-names"])
        opt(result, "expanded-search:family-names", row["family-names"])
        opt(result, "expanded-search:credit-name", row["credit-name"])
        for name in row["other-name"]:
            el(result, "expanded-search:other-name", name)
        for name in row["institution-name"]:
            el(result, "expanded-search:institution-name", name)
    return node


# --- reading XML bodies --------------------------------------------------------------------


def local_name(node: Element) -> str:
    return etree.QName(node).localname


def element_to_json(node: Element) -> Any:
    """An element as ORCID's JSON shape, close enough for the validators: leaves become
    strings, attributes keys, repeated elements lists."""
    children = [child for child in node if isinstance(child.tag, str)]
    if not children and not node.attrib:
        return (node.text or "").strip()
    data: dict[str, Any] = {}
    for key, value in node.attrib.items():
        data[etree.QName(key).localname] = value
    if not children:
        data["value"] = (node.text or "").strip()
        return data
    for child in children:
        name = local_name(child)
        value = element_to_json(child)
        if name in LIST_ELEMENTS:
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return data


def parse_body(body: bytes) -> Any:
    """An XML request body in JSON shape; bulk becomes {"bulk": [{"work": …}, …]}."""
    if len(body) > MAX_XML_BODY:
        raise RegistryError(413, 9006, "413 Request Entity Too Large")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as error:
        raise RegistryError(400, 9020, f"400 Bad Request: invalid XML: {error}") from None
    if local_name(root) == "bulk":
        return {
            "bulk": [
                {local_name(child): element_to_json(child)}
                for child in root
                if isinstance(child.tag, str)
            ]
        }
    return element_to_json(root)
