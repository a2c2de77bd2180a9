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
        "openaccess": "1" if document.open_access else "0",
        "openaccessFlag": document.open_access,
    }
    if not document.doi:
        del entry["prism:doi"]
    optional = {
        "pubmed-id": document.pubmed_id,
        "prism:isbn": [{"@_fa": "true", "$": document.isbn}] if document.isbn else "",
        "article-number": document.article_number,
    }
    entry.update({key: value for key, value in optional.items() if value})
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


ABSTRACT_VIEWS = ("META", "META_ABS", "FULL", "REF", "ENTITLED")
SOURCE_TYPES = {"Journal": "j", "Conference Proceeding": "p", "Book": "b", "Book Series": "k"}


def _af_ref(afid: str, base: str) -> dict[str, str]:
    return {
        "@id": afid,
        "@href": f"{base}/content/affiliation/affiliation_id/{afid}",
    }


def _abstract_author(
    authorship: Authorship, affiliations: list[Affiliation], base: str
) -> dict[str, Any]:
    """One author of `authors/author` (and `dc:creator`), as Abstract Retrieval prints it."""
    names = {
        "ce:initials": authorship.initials,
        "ce:indexed-name": authorship.indexed_name,
        "ce:surname": authorship.surname,
        "ce:given-name": authorship.given_name,
    }
    author: dict[str, Any] = {
        "@_fa": "true",
        "@seq": str(authorship.position),
        "@auid": authorship.profile.author_id if authorship.profile else "",
        **names,
        "preferred-name": names,
        "author-url": f"{base}/content/author/author_id/{authorship.profile.author_id}"
        if authorship.profile
        else "",
    }
    refs = [_af_ref(a.afid, base) for a in affiliations]
    if refs:
        author["affiliation"] = refs[0] if len(refs) == 1 else refs
    return author


def _author_groups(
    authorships: list[Authorship], affiliations: dict[int, list[Affiliation]]
) -> list[dict[str, Any]]:
    """The FULL view's `author-group`s: authors gathered under each affiliation, in order."""
    groups: dict[str, dict[str, Any]] = {}
    for authorship in authorships:
        held: list[Affiliation | None] = list(affiliations.get(authorship.pk, [])) or [None]
        for affiliation in held:
            key = affiliation.afid if affiliation else ""
            group = groups.setdefault(
                key,
                {
                    "affiliation": {
                        "@afid": affiliation.afid,
                        "@country": COUNTRY_CODES.get(affiliation.country, ""),
                        "organization": [{"$": affiliation.name}],
                        "city": affiliation.city,
                        "country": affiliation.country,
                    }
                    if affiliation
                    else {},
                    "author": [],
                },
            )
            entry: dict[str, Any] = {
                "@seq": str(authorship.position),
                "@auid": authorship.profile.author_id if authorship.profile else "",
                "ce:initials": authorship.initials,
                "ce:indexed-name": authorship.indexed_name,
                "ce:surname": authorship.surname,
                "ce:given-name": authorship.given_name,
                "preferred-name": {
                    "ce:initials": authorship.initials,
                    "ce:indexed-name": authorship.indexed_name,
                    "ce:surname": authorship.surname,
                    "ce:given-name": authorship.given_name,
                },
            }
            orcid = authorship.orcid or (authorship.profile.orcid if authorship.profile else "")
            if orcid:
                entry["@orcid"] = orcid
            group["author"].append(entry)
    return list(groups.values())


def _page_bounds(pages: str) -> tuple[str, str]:
    first, _, last = pages.partition("-")
    return first.strip(), last.strip()


def abstract_retrieval(
    document: Document,
    authorships: list[Authorship],
    affiliations: dict[int, list[Affiliation]],
    view: str,
    base: str,
) -> dict[str, Any]:
    """The Abstract Retrieval body of one document in a view (META, META_ABS, FULL, REF,
    ENTITLED), in the shape pybliometrics' AbstractRetrieval reads."""
    self_url = f"{base}/content/abstract/scopus_id/{document.scopus_id}"
    if view == "ENTITLED":
        return {
            "document-entitlement": {
                "dc:identifier": f"SCOPUS_ID:{document.scopus_id}",
                "eid": document.eid,
                "prism:doi": document.doi,
                "status": "ENTITLED",
                "link": {"@rel": "self", "@href": self_url},
            }
        }
    aggregation = AGGREGATION_TYPES.get(document.doc_type, "Journal")
    first_page, last_page = _page_bounds(document.pages)
    coredata: dict[str, Any] = {
        "prism:url": self_url,
        "dc:identifier": f"SCOPUS_ID:{document.scopus_id}",
        "eid": document.eid,
        "dc:title": document.title,
        "prism:aggregationType": aggregation,
        "srctype": SOURCE_TYPES.get(aggregation, "j"),
        "subtype": document.doc_type,
        "subtypeDescription": DocumentTypeChoices(document.doc_type).label,
        "citedby-count": str(document.cited_by),
        "prism:publicationName": document.source_title,
        "prism:coverDate": document.cover_date.isoformat(),
        "openaccess": "1" if document.open_access else "0",
        "openaccessFlag": "true" if document.open_access else "false",
        "link": [
            {"@_fa": "true", "@rel": "self", "@href": self_url},
            {"@_fa": "true", "@rel": "scopus", "@href": f"{base}/documents/{document.eid}/"},
            {
                "@_fa": "true",
                "@rel": "scopus-citedby",
                "@href": f"{SCOPUS_WEB}/search/submit/citedby.uri?eid={document.eid}",
            },
        ],
    }
    optional = {
        "prism:doi": document.doi,
        "pubmed-id": document.pubmed_id,
        "prism:issn": document.issn.replace("-", ""),
        "prism:isbn": [{"@_fa": "true", "$": document.isbn}] if document.isbn else "",
        "prism:volume": document.volume,
        "prism:issueIdentifier": document.issue,
        "prism:pageRange": document.pages,
        "prism:startingPage": first_page,
        "prism:endingPage": last_page,
        "article-number": document.article_number,
        "dc:publisher": document.publisher,
    }
    coredata.update({key: value for key, value in optional.items() if value})
    if view == "REF":
        # The sandbox indexes no reference lists: a REF view answers with none.
        return {
            "abstracts-retrieval-response": {
                "coredata": {k: coredata[k] for k in ("prism:url", "dc:identifier", "eid")},
                "references": {"@total-references": "0", "reference": []},
            }
        }
    if view in {"META_ABS", "FULL"} and document.abstract:
        coredata["dc:description"] = document.abstract
    listed = [a for a in authorships if a.profile is not None]
    authors = [_abstract_author(a, affiliations.get(a.pk, []), base) for a in listed]
    coredata["dc:creator"] = {"author": authors[:1]}
    doc_affiliations = list(
        {
            a.pk: a for authorship in authorships for a in affiliations.get(authorship.pk, [])
        }.values()
    )
    body: dict[str, Any] = {
        "coredata": coredata,
        "affiliation": [
            {
                **_af_ref(a.afid, base),
                "affilname": a.name,
                "affiliation-city": a.city,
                "affiliation-country": a.country,
            }
            for a in doc_affiliations
        ],
        "authors": {"author": authors},
        "subject-areas": {
            "subject-area": [
                {
                    "@_fa": "true",
                    "$": SUBJECT_AREAS.get(code, ("MULT", "Multidisciplinary"))[1],
                    "@code": code,
                    "@abbrev": SUBJECT_AREAS.get(code, ("MULT", ""))[0],
                }
                for code in document.subject_areas
            ]
        },
    }
    if document.language:
        body["language"] = {"@xml:lang": document.language}
    if document.keywords:
        body["authkeywords"] = {
            "author-keyword": [{"@_fa": "true", "$": keyword} for keyword in document.keywords]
        }
    if view == "FULL":
        source: dict[str, Any] = {
            "@srcid": "",
            "sourcetitle": document.source_title,
            "publicationyear": {"@first": str(document.cover_date.year)},
            "volisspag": {
                "voliss": {"@volume": document.volume, "@issue": document.issue},
                "pagerange": {"@first": first_page, "@last": last_page},
            },
        }
        if document.issn:
            source["issn"] = [{"$": document.issn.replace("-", ""), "@type": "print"}]
        if document.isbn:
            source["isbn"] = [{"$": document.isbn, "@length": str(len(document.isbn))}]
        if document.publisher:
            source["publisher"] = {"publishername": document.publisher}
        created = document.indexed_at
        body["item"] = {
            "bibrecord": {
                "head": {
                    "citation-title": document.title,
                    "abstracts": document.abstract,
                    "author-group": _author_groups(authorships, affiliations),
                    "source": source,
                    "citation-info": {
                        "citation-type": {"@code": document.doc_type},
                        "citation-language": {"@xml:lang": document.language},
                    },
                },
                "item-info": {
                    "itemidlist": {
                        "itemid": [{"$": document.scopus_id, "@idtype": "SCP"}],
                        **({"ce:doi": document.doi} if document.doi else {}),
                    },
                    "history": {
                        "date-created": {
                            "@year": str(created.year),
                            "@month": f"{created.month:02d}",
                            "@day": f"{created.day:02d}",
                        }
                    },
                },
                "tail": None,
            }
        }
    return {"abstracts-retrieval-response": body}
