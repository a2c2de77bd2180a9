"""What the Scopus APIs answer, as frozen dataclasses: no raw JSON leaves the connector.

Each `parse_*` function reads one answer's JSON (shapes in shared/reference/scopus-api.md and
pybliometrics' parsers) and raises ValueError, KeyError or TypeError on a body it cannot read;
the client turns those into `ScopusResponseError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from scopus_connector.choices import AuthorStatus

AUTHOR_EID_PREFIX = "9-s2.0-"
DOCUMENT_EID_PREFIX = "2-s2.0-"


@dataclass(frozen=True)
class ScopusAuthor:
    """An Author Retrieval answer, reduced to what the portal decides on."""

    requested_id: str
    status: AuthorStatus
    # The id Scopus answers with now (another after a merge); empty unless found or merged.
    author_id: str = ""
    orcid: str = ""
    surname: str = ""
    given_name: str = ""
    affiliation_ids: tuple[str, ...] = ()
    # After a split: the profiles the old id became.
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Affiliation:
    """An institution as Scopus names it on a document (AF-ID)."""

    afid: str
    name: str = ""
    city: str = ""
    country: str = ""


@dataclass(frozen=True)
class DocumentAuthor:
    """One author of a document, in Scopus's order, with their Author ID if Scopus gave one."""

    position: int
    author_id: str
    surname: str
    given_name: str = ""
    initials: str = ""
    orcid: str = ""
    affiliation_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchDocument:
    """One Scopus Search entry (COMPLETE view): a document and its authors."""

    eid: str
    title: str
    doi: str = ""
    source_title: str = ""
    cover_date: date | None = None
    # Scopus's subtype code: "ar", "cp", "re", "ch", "bk", …
    doc_type: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    article_number: str = ""
    issns: tuple[str, ...] = ()
    open_access: bool | None = None
    authors: tuple[DocumentAuthor, ...] = ()

    @property
    def author_ids(self) -> frozenset[str]:
        return frozenset(author.author_id for author in self.authors if author.author_id)


@dataclass(frozen=True)
class Abstract:
    """An Abstract Retrieval answer: one document's citation, abstract, keywords and authors."""

    eid: str
    scopus_id: str
    title: str
    # Scopus prints a subtitle as part of `dc:title` ("Title: subtitle"); kept whole in title.
    subtitle: str = ""
    cover_date: date | None = None
    doc_type: str = ""
    doc_type_description: str = ""
    # "Journal", "Conference Proceeding", "Book", "Book Series", …
    aggregation_type: str = ""
    source_title: str = ""
    publisher: str = ""
    issns: tuple[str, ...] = ()
    isbns: tuple[str, ...] = ()
    volume: str = ""
    issue: str = ""
    pages: str = ""
    article_number: str = ""
    doi: str = ""
    pmid: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    # ISO 639-2 as Scopus gives it ("eng", "chi"); empty when Scopus does not say.
    language: str = ""
    authors: tuple[DocumentAuthor, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    open_access: bool | None = None

    @property
    def year(self) -> int | None:
        return self.cover_date.year if self.cover_date else None


def _listed(value: Any) -> list[Any]:
    """Scopus gives a one-item list as the item itself, and no list as null or absent."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A string field, or the `$` of an object Scopus wraps it in, as plain text."""
    if isinstance(value, dict):
        value = value.get("$", "")
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _tail(text: str) -> str:
    return text.rsplit(":", 1)[-1].strip()


def _date(value: Any) -> date | None:
    # pybliometrics: the cover date may also come as a list of {"$": …}
    for item in _listed(value):
        try:
            return date.fromisoformat(_text(item)[:10])
        except ValueError:
            continue
    return None


def _open_access(core: dict[str, Any]) -> bool | None:
    flag = core.get("openaccessFlag")
    if isinstance(flag, bool):
        return flag
    if str(flag).lower() in {"true", "false"}:
        return str(flag).lower() == "true"
    code = _text(core.get("openaccess"))
    return code == "1" if code in {"0", "1"} else None


def _issns(*values: Any) -> tuple[str, ...]:
    """ISSNs with their hyphen: Scopus prints "12345678" or "12345678 8765432X"."""
    found: list[str] = []
    for value in values:
        for item in _listed(value):
            for part in _text(item).replace("-", "").split():
                if len(part) == 8 and part not in found:
                    found.append(part)
    return tuple(f"{part[:4]}-{part[4:]}".upper() for part in found)


def parse_author(requested_id: str, body: Any) -> ScopusAuthor:
    """An Author Retrieval (ENHANCED) body: found, merged into another id, or split."""
    response = body["author-retrieval-response"]
    if isinstance(response, dict) and "alias" in response:
        candidates = [_tail(_text(item)) for item in _listed(response["alias"].get("prism:url"))]
        return ScopusAuthor(
            requested_id=requested_id,
            status=AuthorStatus.SPLIT,
            candidates=tuple(c for c in candidates if c),
        )
    profile = response[0]
    core = profile.get("coredata") or {}
    current = _tail(_text(core.get("dc:identifier")))
    if not current:
        raise ValueError("the profile has no dc:identifier")
    author_profile = profile.get("author-profile") or {}
    names = author_profile.get("preferred-name") or {}
    history = _listed((author_profile.get("affiliation-history") or {}).get("affiliation"))
    return ScopusAuthor(
        requested_id=requested_id,
        status=AuthorStatus.FOUND if current == requested_id else AuthorStatus.MERGED,
        author_id=current,
        orcid=_text(core.get("orcid")),
        surname=_text(names.get("surname")),
        given_name=_text(names.get("given-name")),
        affiliation_ids=tuple(
            _text(item.get("@affiliation-id")) for item in history if isinstance(item, dict)
        ),
    )


def parse_search_entry(entry: dict[str, Any]) -> SearchDocument:
    """One Scopus Search entry (COMPLETE view lists every author with their Author ID)."""
    authors = tuple(
        DocumentAuthor(
            position=int(_text(author.get("@seq")) or index),
            author_id=_text(author.get("authid")),
            surname=_text(author.get("surname")),
            given_name=_text(author.get("given-name")),
            initials=_text(author.get("initials")),
            orcid=_text(author.get("orcid")),
            affiliation_ids=tuple(_text(a) for a in _listed(author.get("afid")) if _text(a)),
        )
        for index, author in enumerate(_listed(entry.get("author")), start=1)
        if isinstance(author, dict)
    )
    return SearchDocument(
        eid=_text(entry["eid"]),
        title=_text(entry.get("dc:title")),
        doi=_text(entry.get("prism:doi")),
        source_title=_text(entry.get("prism:publicationName")),
        cover_date=_date(entry.get("prism:coverDate")),
        doc_type=_text(entry.get("subtype")),
        volume=_text(entry.get("prism:volume")),
        issue=_text(entry.get("prism:issueIdentifier")),
        pages=_text(entry.get("prism:pageRange")),
        article_number=_text(entry.get("article-number")),
        issns=_issns(entry.get("prism:issn"), entry.get("prism:eIssn")),
        open_access=_open_access(entry),
        authors=authors,
    )


def parse_search_page(body: Any) -> tuple[list[SearchDocument], str]:
    """One page of Scopus Search: its documents and the cursor to the next page ("" at the end)."""
    results = body["search-results"]
    # An empty result set is one entry holding only an "error" text.
    entries = [e for e in _listed(results.get("entry")) if isinstance(e, dict) and "eid" in e]
    following = _text((results.get("cursor") or {}).get("@next"))
    return [parse_search_entry(entry) for entry in entries], following


def _abstract_authors(response: dict[str, Any], head: dict[str, Any]) -> tuple[DocumentAuthor, ...]:
    authors = []
    for index, item in enumerate(_listed((response.get("authors") or {}).get("author")), 1):
        if not isinstance(item, dict):
            continue
        preferred = item.get("preferred-name") or {}
        authors.append(
            DocumentAuthor(
                position=int(_text(item.get("@seq")) or index),
                author_id=_text(item.get("@auid")),
                surname=_text(preferred.get("ce:surname") or item.get("ce:surname")),
                given_name=_text(preferred.get("ce:given-name") or item.get("ce:given-name")),
                initials=_text(preferred.get("ce:initials") or item.get("ce:initials")),
                orcid=_text(item.get("@orcid")),
                affiliation_ids=tuple(
                    _text(a.get("@id"))
                    for a in _listed(item.get("affiliation"))
                    if isinstance(a, dict) and _text(a.get("@id"))
                ),
            )
        )
    if authors:
        return tuple(sorted(authors, key=lambda author: author.position))
    # The FULL view's author groups carry ORCID iDs the META views leave out.
    grouped: dict[str, DocumentAuthor] = {}
    for group in _listed(head.get("author-group")):
        if not isinstance(group, dict):
            continue
        afid = _text((group.get("affiliation") or {}).get("@afid"))
        for item in _listed(group.get("author")):
            if not isinstance(item, dict):
                continue
            key = _text(item.get("@seq")) or str(len(grouped) + 1)
            known = grouped.get(key)
            grouped[key] = DocumentAuthor(
                position=int(key),
                author_id=_text(item.get("@auid")),
                surname=_text(item.get("ce:surname")),
                given_name=_text(item.get("ce:given-name")),
                initials=_text(item.get("ce:initials")),
                orcid=_text(item.get("@orcid")),
                affiliation_ids=(known.affiliation_ids if known else ())
                + ((afid,) if afid else ()),
            )
    return tuple(sorted(grouped.values(), key=lambda author: author.position))


def _keywords(response: dict[str, Any]) -> tuple[str, ...]:
    keywords = response.get("authkeywords")
    if isinstance(keywords, str):  # Scopus Search joins them with " | "
        return tuple(k.strip() for k in keywords.split("|") if k.strip())
    items = _listed((keywords or {}).get("author-keyword")) if isinstance(keywords, dict) else []
    return tuple(_text(item) for item in items if _text(item))


def _pages(core: dict[str, Any], source: dict[str, Any]) -> str:
    pages = _text(core.get("prism:pageRange"))
    if pages:
        return pages
    first = _text(core.get("prism:startingPage"))
    last = _text(core.get("prism:endingPage"))
    if not first:
        pagerange = (source.get("volisspag") or {}).get("pagerange") or {}
        first, last = _text(pagerange.get("@first")), _text(pagerange.get("@last"))
    return f"{first}-{last}" if first and last else first


def parse_abstract(body: Any) -> Abstract:
    """An Abstract Retrieval body (META, META_ABS or FULL view)."""
    response = body["abstracts-retrieval-response"]
    core = response["coredata"]
    head = ((response.get("item") or {}).get("bibrecord") or {}).get("head") or {}
    source = head.get("source") or {}
    eid = _text(core.get("eid"))
    scopus_id = _tail(_text(core.get("dc:identifier"))) or eid.removeprefix(DOCUMENT_EID_PREFIX)
    if not eid:
        raise ValueError("the document has no EID")
    affiliations = tuple(
        Affiliation(
            afid=_text(item.get("@id")),
            name=_text(item.get("affilname")),
            city=_text(item.get("affiliation-city")),
            country=_text(item.get("affiliation-country")),
        )
        for item in _listed(response.get("affiliation"))
        if isinstance(item, dict)
    )
    isbns = [_text(item) for item in _listed(core.get("prism:isbn")) + _listed(source.get("isbn"))]
    abstract = _text(core.get("dc:description")) or _text(head.get("abstracts"))
    return Abstract(
        eid=eid,
        scopus_id=scopus_id,
        title=_text(core.get("dc:title")),
        cover_date=_date(core.get("prism:coverDate")),
        doc_type=_text(core.get("subtype")),
        doc_type_description=_text(core.get("subtypeDescription")),
        aggregation_type=_text(core.get("prism:aggregationType")),
        source_title=_text(core.get("prism:publicationName")),
        publisher=_text(core.get("dc:publisher"))
        or _text((source.get("publisher") or {}).get("publishername")),
        issns=_issns(core.get("prism:issn"), core.get("prism:eIssn"), source.get("issn")),
        isbns=tuple(dict.fromkeys(isbn for isbn in isbns if isbn)),
        volume=_text(core.get("prism:volume")),
        issue=_text(core.get("prism:issueIdentifier")),
        pages=_pages(core, source),
        article_number=_text(core.get("article-number")),
        doi=_text(core.get("prism:doi")),
        pmid=_text(core.get("pubmed-id")),
        abstract=abstract,
        keywords=_keywords(response),
        language=_text((response.get("language") or {}).get("@xml:lang")),
        authors=_abstract_authors(response, head),
        affiliations=affiliations,
        open_access=_open_access(core),
    )
