"""The JSON shapes of the Scopus APIs (reference §1.2, §2.2), built from the sandbox's models."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from scopus_sandbox.choices import AGGREGATION_TYPES, SUBJECT_AREAS, DocumentTypeChoices
from scopus_sandbox.models import Affiliation, AuthorProfile, Authorship, Document
from scopus_sandbox.queries import ProfileFacts

COUNTRY_CODES = {"Hong Kong": "hkg", "China": "chn", "United States": "usa", "Korea": "kor"}
SCOPUS_WEB = "https://www.scopus.com"


def initials_of(given: str) -> str:
    return "".join(f"{part[0]}." for part in given.replace("-", " ").split() if part)


def _ip_doc(affiliation: Affiliation) -> dict[str, Any]:
    return {
        "@affiliation-id": affiliation.afid,
        "ip-doc": {
            "@id": affiliation.afid,
            "@type": "parent",
            "@relationship": "author",
            "@afdispname": affiliation.name,
            "afdispname": affiliation.name,
            "preferred-name": {"$": affiliation.name},
            "sort-name": affiliation.name,
            "address": {
                "@country": COUNTRY_CODES.get(affiliation.country, ""),
                "country": affiliation.country,
                "city": affiliation.city,
            },
        },
    }


def _subject_areas(facts: ProfileFacts) -> list[dict[str, str]]:
    out = []
    for code, _count in facts.subject_areas:
        abbrev, name = SUBJECT_AREAS.get(code, ("MULT", "Multidisciplinary"))
        out.append({"@abbrev": abbrev, "@code": code, "$": name})
    return out


def _preferred(profile: AuthorProfile) -> dict[str, str]:
    return {
        "initials": profile.initials,
        "indexed-name": profile.indexed_name,
        "surname": profile.surname,
        "given-name": profile.given_name,
    }


def author_retrieval(
    profile: AuthorProfile, facts: ProfileFacts, view: str, base: str
) -> dict[str, Any]:
    """One `author-retrieval-response` item in a view (LIGHT, STANDARD, ENHANCED, METRICS)."""
    self_url = f"{base}/content/author/author_id/{profile.author_id}"
    coredata: dict[str, Any] = {
        "prism:url": self_url,
        "dc:identifier": f"AUTHOR_ID:{profile.author_id}",
    }
    if view != "METRICS":
        coredata["eid"] = profile.eid
        if profile.orcid:
            coredata["orcid"] = profile.orcid
    coredata.update(
        {
            "document-count": str(facts.document_count),
            "cited-by-count": str(facts.cited_by_count),
            "citation-count": str(facts.citation_count),
        }
    )
    if facts.historical_ids:
        coredata["historical-identifier"] = [
            {"$": f"AUTHOR_ID:{old}"} for old in facts.historical_ids
        ]
    if view != "METRICS":
        links = [
            {
                "@rel": "scopus-author",
                "@href": f"{SCOPUS_WEB}/authid/detail.uri?partnerID=HzOxMe3b&authorId="
                f"{profile.author_id}&origin=inward",
            },
            {"@rel": "self", "@href": self_url},
            {
                "@rel": "search",
                "@href": f"{base}/content/search/scopus?query=au-id%28{profile.author_id}%29",
            },
        ]
        if view == "ENHANCED":
            links.append(
                {
                    "@rel": "coauthor-search",
                    "@href": f"{base}/content/search/author?co-author={profile.author_id}",
                }
            )
        coredata["link"] = links
    body: dict[str, Any] = {"@status": "found", "@_fa": "true", "coredata": coredata}
    if view in {"METRICS", "ENHANCED"}:
        body["h-index"] = str(facts.h_index)
        body["coauthor-count"] = str(facts.coauthor_count)
    if view == "METRICS":
        return body
    body["subject-areas"] = {"subject-area": _subject_areas(facts)}
    variants = [
        {
            "@doc-count": str(n),
            "initials": initials_of(given),
            "indexed-name": f"{surname} {initials_of(given)}".strip(),
            "surname": surname,
            "given-name": given,
        }
        for given, surname, n in facts.name_variants
        if (given, surname) != (profile.given_name, profile.surname)
    ]
    publication_range = {
        "start": str(facts.first_year or ""),
        "end": str(facts.last_year or ""),
    }
    current = facts.current_affiliation
    if view == "LIGHT":
        body["preferred-name"] = _preferred(profile)
        body["name-variants"] = {"name-variant": variants}
        body["publication-range"] = publication_range
        body["affiliation-current"] = {
            "affiliation-id": current.afid if current else "",
            "affiliation-name": current.name if current else "",
            "affiliation-city": current.city if current else "",
            "affiliation-country": current.country if current else "",
        }
        return body
    body["author-profile"] = {
        "status": "update",
        "date-created": {
            "@year": str(profile.created_at.year),
            "@month": f"{profile.created_at.month:02d}",
            "@day": f"{profile.created_at.day:02d}",
        },
        "preferred-name": _preferred(profile),
        "name-variant": variants,
        "classificationgroup": {
            "classifications": {
                "@type": "ASJC",
                "classification": [
                    {"$": code, "@frequency": str(n)} for code, n in facts.subject_areas
                ],
            }
        },
        "publication-range": {
            "@start": publication_range["start"],
            "@end": publication_range["end"],
        },
        "affiliation-current": {"affiliation": _ip_doc(current) if current else {}},
        "affiliation-history": {
            "affiliation": [_ip_doc(item) for item in facts.affiliation_history]
        },
    }
    return body


def author_entry(
    profile: AuthorProfile,
    document_count: int,
    current: Affiliation | None,
    areas: list[tuple[str, int]],
    base: str,
) -> dict[str, Any]:
    """One Author Search entry."""
    self_url = f"{base}/content/author/author_id/{profile.author_id}"
    entry: dict[str, Any] = {
        "@_fa": "true",
        "link": [
            {"@_fa": "true", "@ref": "self", "@href": self_url},
            {
                "@_fa": "true",
                "@ref": "search",
                "@href": f"{base}/content/search/scopus?query=au-id%28{profile.author_id}%29",
            },
            {
                "@_fa": "true",
                "@ref": "scopus-citedby",
                "@href": f"{SCOPUS_WEB}/author/citedby.uri?citedAuthorId={profile.author_id}",
            },
            {
                "@_fa": "true",
                "@ref": "scopus-author",
                "@href": f"{base}/authors/{profile.author_id}/",
            },
        ],
        "prism:url": self_url,
        "dc:identifier": f"AUTHOR_ID:{profile.author_id}",
        "eid": profile.eid,
        "preferred-name": {
            "surname": profile.surname,
            "given-name": profile.given_name,
            "initials": profile.initials,
        },
        "name-variant": [],
        "document-count": str(document_count),
        "subject-area": [
            {
                "@abbrev": SUBJECT_AREAS.get(code, ("MULT", ""))[0],
                "@frequency": str(n),
                "$": SUBJECT_AREAS.get(code, ("", "Multidisciplinary"))[1],
            }
            for code, n in areas
        ],
    }
    if profile.orcid:
        entry["orcid"] = profile.orcid
    if current is not None:
        entry["affiliation-current"] = {
            "affiliation-url": f"{base}/content/affiliation/affiliation_id/{current.afid}",
            "affiliation-id": current.afid,
            "affiliation-name": current.name,
            "affiliation-city": current.city,
            "affiliation-country": current.country,
        }
    return entry


def document_entry(
    document: Document,
    authorships: list[Authorship],
    affiliations: dict[int, list[Affiliation]],
    view: str,
    base: str,
) -> dict[str, Any]:
    """One Scopus Search entry (STANDARD or COMPLETE)."""
    self_url = f"{base}/content/abstract/scopus_id/{document.scopus_id}"
    doc_affiliations = list(
        {
            a.pk: a for authorship in authorships for a in affiliations.get(authorship.pk, [])
        }.values()
    )
    first = authorships[0] if authorships else None
    entry: dict[str, Any] = {
        "@_fa": "true",
        "link": [
            {"@_fa": "true", "@ref": "self", "@href": self_url},
            {
                "@_fa": "true",
                "@ref": "author-affiliation",
                "@href": f"{self_url}?field=author,affiliation",
            },
            {"@_fa": "true", "@ref": "scopus", "@href": f"{base}/documents/{document.eid}/"},
            {
                "@_fa": "true",
                "@ref": "scopus-citedby",
                "@href": f"{SCOPUS_WEB}/search/submit/citedby.uri?eid={document.eid}",
            },
        ],
        "prism:url": self_url,
        "dc:identifier": f"SCOPUS_ID:{document.scopus_id}",
        "eid": document.eid,
        "dc:title": document.title,
        "dc:creator": first.indexed_name if first else "",
        "prism:publicationName": document.source_title,
        "prism:issn": document.issn.replace("-", ""),
        "prism:volume": document.volume,
        "prism:issueIdentifier": document.issue,
        "prism:pageRange": document.pages,
        "prism:coverDate": document.cover_date.isoformat(),
        "prism:coverDisplayDate": document.cover_date.strftime("%-d %B %Y"),
        "prism:doi": document.doi,
        "citedby-count": str(document.cited_by),
        "affiliation": [
            {
                "@_fa": "true",
                "affiliation-url": f"{base}/content/affiliation/affiliation_id/{a.afid}",
                "afid": a.afid,
                "affilname": a.name,
                "affiliation-city": a.city,
                "affiliation-country": a.country,
            }
            for a in doc_affiliations
        ],
        "prism:aggregationType": AGGREGATION_TYPES.get(document.doc_type, "Journal"),
        "subtype": document.doc_type,
        "subtypeDescription": DocumentTypeChoices(document.doc_type).label,
        "source-id": "",
        "openaccess": "0",
        "openaccessFlag": False,
    }
    if not document.doi:
        del entry["prism:doi"]
    if view == "COMPLETE":
        shown = authorships[:100]
        entry["author-count"] = {
            "@limit": "100",
            "@total": str(len(authorships)),
            "$": str(len(authorships)),
        }
        entry["author"] = [
            {
                "@_fa": "true",
                "@seq": str(a.position),
                "author-url": f"{base}/content/author/author_id/{a.profile.author_id}"
                if a.profile
                else "",
                "authid": a.profile.author_id if a.profile else "",
                "authname": a.indexed_name,
                "surname": a.surname,
                "given-name": a.given_name,
                "initials": a.initials,
                **({"orcid": a.profile.orcid} if a.profile and a.profile.orcid else {}),
                "afid": [{"@_fa": "true", "$": af.afid} for af in affiliations.get(a.pk, [])],
            }
            for a in shown
        ]
        entry["dc:description"] = document.abstract
        entry["authkeywords"] = " | ".join(document.keywords)
    return entry


def affiliation_retrieval(
    affiliation: Affiliation, author_count: int, document_count: int, base: str
) -> dict[str, Any]:
    """The `affiliation-retrieval-response` body."""
    self_url = f"{base}/content/affiliation/affiliation_id/{affiliation.afid}"
    return {
        "affiliation-retrieval-response": {
            "coredata": {
                "prism:url": self_url,
                "dc:identifier": f"AFFILIATION_ID:{affiliation.afid}",
                "eid": f"10-s2.0-{affiliation.afid}",
                "document-count": str(document_count),
                "author-count": str(author_count),
                "link": [
                    {"@rel": "self", "@href": self_url},
                    {
                        "@rel": "search",
                        "@href": f"{base}/content/search/scopus"
                        f"?query=af-id%28{affiliation.afid}%29",
                    },
                    {
                        "@rel": "scopus-affiliation",
                        "@href": f"{SCOPUS_WEB}/affil/profile.uri?afid={quote(affiliation.afid)}",
                    },
                ],
            },
            "affiliation-name": affiliation.name,
            "address": "",
            "city": affiliation.city,
            "country": affiliation.country,
            "name-variants": {"name-variant": [{"$": affiliation.name}]},
            "institution-profile": {
                "preferred-name": {"$": affiliation.name},
                "address": {
                    "city": affiliation.city,
                    "country": affiliation.country,
                    "postal-code": "",
                    "state": "",
                },
                "status": "established",
            },
        }
    }
