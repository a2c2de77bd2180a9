"""The demo index: the cast's documents under their profiles, Chris's split profile, a crowd."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from scopus_sandbox.records import AffiliationRecord, AuthorRecord, DocumentRecord, parse_record

# Chris's second profile, printed "Wong, C." at his old library: the merge-request flow's target.
CHRIS_SPLIT_ID = "55912345600"
CHRIS_SPLIT_OUTPUTS = 2
COUNTRIES = {"HK": "Hong Kong", "CN": "China", "US": "United States", "KR": "Korea"}
CAST_TYPES = {
    "journal-article": "ar",
    "conference-paper": "cp",
    "book-chapter": "ch",
    "book": "bk",
    "review": "re",
}
DEFAULT_CROWD = 20_000


def cast_records(cast: dict[str, Any]) -> list[dict[str, Any]]:
    """JSON records for every cast output, the cast researcher carrying their Author ID."""
    institution = cast["institution"]
    home = {
        "afid": institution["afid"],
        "name": institution["name"],
        "city": institution.get("city", ""),
        "country": COUNTRIES.get(institution.get("country", ""), institution.get("country", "")),
    }
    old_library = {
        "afid": "60002798",
        "name": "Hong Kong Baptist University Library",
        "city": "Kowloon Tong",
        "country": "Hong Kong",
    }
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, researcher in enumerate(cast["researchers"]):
        outputs = researcher.get("outputs", [])
        for number, output in enumerate(outputs):
            key = output.get("eid") or output.get("doi") or output["title"]
            if key in seen:
                continue
            seen.add(key)
            split = index == 0 and number >= len(outputs) - CHRIS_SPLIT_OUTPUTS and number > 0
            me = {
                "given_name": "C." if split else researcher["given_names"],
                "surname": researcher["family_name"].title(),
                "email": "" if split else researcher.get("email", ""),
                "affiliations": [old_library["afid"] if split else home["afid"]],
                "author_id": CHRIS_SPLIT_ID if split else researcher["scopus_author_id"],
            }
            coauthors = [
                {"given_name": c.get("given_names", ""), "surname": c["family_name"].title()}
                for c in output.get("coauthors", [])
            ]
            records.append(
                {
                    "eid": output.get("eid", ""),
                    "doi": output.get("doi", ""),
                    "title": output["title"],
                    "source_title": output.get("journal", ""),
                    "issn": output.get("issn", ""),
                    "volume": str(output.get("volume", "")),
                    "issue": str(output.get("issue", "")),
                    "pages": output.get("pages", ""),
                    "year": output["year"],
                    "type": CAST_TYPES.get(output.get("type", ""), "ar"),
                    "subject_areas": ["3309", "1710"],
                    "cited_by": (len(output["title"]) * 7 + number) % 40,
                    "affiliations": [old_library if split else home],
                    "authors": [me, *coauthors],
                }
            )
    return records


SURNAMES = [
    "Wong",
    "Chan",
    "Lee",
    "Li",
    "Wang",
    "Zhang",
    "Chen",
    "Liu",
    "Yang",
    "Huang",
    "Zhao",
] * 4 + ["Kim", "Park", "Choi", "Lam", "Cheung", "Ng", "Ho", "Leung", "Tang", "Lau", "Xu", "Sun"]
GIVEN = [
    "Wei",
    "Jing",
    "Min",
    "Chris",
    "Ka Ming",
    "Tai Ming",
    "Xiaoming",
    "Yan",
    "Hui",
    "Jun",
    "Ming",
    "Li",
    "Hong",
    "Yu",
    "Ji-hoon",
    "Seo-yeon",
    "Wing Kei",
    "Siu Fung",
    "Hao",
    "Lei",
    "Mei",
    "Ying",
    "David",
    "Michael",
    "Jenny",
    "Alice",
    "Peter",
    "Kelvin",
    "Joyce",
    "Ivan",
]
VENUES = [
    ("IEEE Transactions on Knowledge and Data Engineering", "1041-4347", "1710"),
    ("Journal of the American Chemical Society", "0002-7863", "1600"),
    ("Physical Review B", "2469-9950", "3100"),
    ("The Lancet", "0140-6736", "2700"),
    ("Journal of Finance", "0022-1082", "2000"),
    ("Advanced Materials", "0935-9648", "2500"),
    ("Nucleic Acids Research", "0305-1048", "1300"),
    ("Annals of Mathematics", "0003-486X", "2600"),
    ("Management Science", "0025-1909", "1400"),
    ("Environmental Science and Technology", "0013-936X", "2300"),
    ("Library and Information Science Research", "0740-8188", "3309"),
    ("IEEE Transactions on Industrial Electronics", "0278-0046", "2200"),
]
INSTITUTIONS = [
    ("60008592", "City University of Hong Kong", "Kowloon", "Hong Kong"),
    ("60006541", "The University of Hong Kong", "Pokfulam", "Hong Kong"),
    ("60002798", "Hong Kong Baptist University Library", "Kowloon Tong", "Hong Kong"),
    ("60008928", "The Chinese University of Hong Kong", "Shatin", "Hong Kong"),
    ("60025084", "Peking University", "Beijing", "China"),
    ("60025278", "Tsinghua University", "Beijing", "China"),
    ("60000462", "Zhejiang University", "Hangzhou", "China"),
    ("60013682", "Seoul National University", "Seoul", "Korea"),
    ("60001084", "Fudan University", "Shanghai", "China"),
    ("60009512", "Stanford University", "Stanford", "United States"),
    ("60003414", "Hong Kong Polytechnic University", "Hung Hom", "Hong Kong"),
    ("60030031", "Korea Advanced Institute of Science and Technology", "Daejeon", "Korea"),
]
TOPICS = [
    "graph neural networks",
    "perovskite solar cells",
    "gut microbiota",
    "monetary policy",
    "topological insulators",
    "supply chain resilience",
    "CRISPR screening",
    "air pollution",
    "federated learning",
    "lithium-ion batteries",
    "library consortia",
    "power converters",
]


def _from_corpus(document: dict[str, Any]) -> DocumentRecord:
    """A record from one document of the disambiguation package's corpus generator."""
    places = {afid: (name, city, country) for afid, name, city, country in INSTITUTIONS}
    affiliations: dict[str, dict[str, str]] = {}
    authors = []
    for author in document["authors"]:
        afids = []
        if author.get("afid"):
            afid = str(author["afid"])
            _name, city, country = places.get(afid, ("", "", ""))
            affiliations[afid] = {
                "afid": afid,
                "name": author.get("affiliation") or _name or afid,
                "city": city,
                "country": country,
            }
            afids.append(afid)
        authors.append(
            {
                "given_name": author.get("given", ""),
                "surname": author["family"],
                "email": author.get("email", ""),
                "orcid": author.get("orcid", ""),
                "affiliations": afids,
            }
        )
    return parse_record(
        {
            "eid": document.get("eid", ""),
            "doi": document.get("doi", ""),
            "title": document["title"],
            "source_title": document.get("source_title", ""),
            "year": document["year"],
            "type": document.get("type", "ar"),
            "subject_areas": [
                area["code"] if isinstance(area, dict) else area
                for area in document.get("subject_areas", [])
            ],
            "cited_by": document.get("cited_by_count", 0),
            "affiliations": list(affiliations.values()),
            "authors": authors,
        }
    )


def crowd_records(documents: int, *, seed: int = 2006) -> Iterator[DocumentRecord]:
    """The crowd: the disambiguation corpus generator's documents (the hard cases of AND)."""
    try:
        from scopus_sandbox.disambiguation.corpus import generate_documents
    except ImportError:
        yield from _own_crowd(documents, seed=seed)
        return
    for document in generate_documents(documents, seed=seed):
        yield _from_corpus(document)


def _own_crowd(documents: int, *, seed: int = 2006) -> Iterator[DocumentRecord]:
    """A stand-in crowd while the corpus generator is absent."""
    rng = random.Random(seed)
    people = []
    for _ in range(max(documents // 3, 10)):
        institution = rng.choice(INSTITUTIONS)
        venue_index = rng.randrange(len(VENUES))
        people.append((rng.choice(GIVEN), rng.choice(SURNAMES), institution, venue_index))
    for number in range(documents):
        lead = rng.randrange(len(people))
        team = [lead] + [rng.randrange(len(people)) for _ in range(rng.randint(0, 4))]
        team = list(dict.fromkeys(team))
        venue, issn, area = VENUES[people[lead][3]]
        year = rng.randint(1995, 2025)
        authors = []
        affiliations: dict[str, AffiliationRecord] = {}
        for member in team:
            given, surname, (afid, name, city, country), _ = people[member]
            affiliations[afid] = AffiliationRecord(afid, name, city, country)
            printed = given if rng.random() < 0.6 else "".join(f"{p[0]}." for p in given.split())
            authors.append(AuthorRecord(given_name=printed, surname=surname, affiliations=(afid,)))
        topic = rng.choice(TOPICS)
        yield DocumentRecord(
            title=f"On {topic}: study {number + 1}",
            cover_date=parse_record(
                {"title": "x", "year": year, "authors": [{"surname": "x"}]}
            ).cover_date.replace(month=rng.randint(1, 12)),
            authors=tuple(authors),
            doi=f"10.9999/crowd.{seed}.{number + 1}",
            source_title=venue,
            issn=issn,
            volume=str(rng.randint(1, 120)),
            issue=str(rng.randint(1, 12)),
            pages=f"{(start := rng.randint(1, 900))}-{start + rng.randint(3, 20)}",
            subject_areas=(area,),
            cited_by=int(rng.paretovariate(1.2)) - 1,
            affiliations=tuple(affiliations.values()),
        )
