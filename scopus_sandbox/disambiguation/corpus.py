"""A generated bibliographic corpus with known truth, deterministic from a seed.

Used by the benchmark (quality against truth) and by the demo (the crowd of documents around
the demo researchers). It is built to be hard where real data is hard:
- very common surnames: Chinese (Mandarin and Cantonese romanisations) and Korean names make up
  most people, so blocks such as "wang j", "chan c", "kim j" hold many different people;
- names printed as initials only in some venues, hyphenated or run-together given names
  ("Tai-Ming", "Taiming"), Western first names used by Hong Kong people ("Chris" on some papers,
  "Tai Ming" on others), diacritics on some Western names and not on others;
- people who move institution (with new co-authors), and namesakes placed in the same lab, so
  they share a department and co-authors.
Each document is a dict; every author carries `person_id`, the truth.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import identifiers
from scopus_sandbox.disambiguation.engine import Signature

_MANDARIN_SURNAMES = (
    ("Wang", 70), ("Li", 70), ("Zhang", 65), ("Liu", 50), ("Chen", 45), ("Yang", 30),
    ("Huang", 25), ("Zhao", 20), ("Wu", 20), ("Zhou", 20), ("Xu", 15), ("Sun", 12), ("Ma", 12),
    ("Zhu", 11), ("Hu", 10), ("Guo", 10), ("He", 9), ("Lin", 9), ("Gao", 8), ("Luo", 8),
)  # fmt: skip
_MANDARIN_SYLLABLES = (
    "wei", "jian", "ming", "hua", "jun", "li", "xiao", "yan", "hong", "ping", "lei", "jing", "yu",
    "hui", "fang", "qiang", "yong", "tao", "bin", "chao", "na", "min", "xin", "yi", "hao", "jie",
    "lin", "ling", "peng", "dong", "feng", "gang", "yang", "zhi", "qing", "chun", "mei", "rui",
    "ying",
)  # fmt: skip
_CANTONESE_SURNAMES = (
    ("Wong", 40), ("Chan", 40), ("Cheung", 20), ("Lee", 25), ("Leung", 18), ("Lau", 15),
    ("Ng", 15), ("Ho", 12), ("Lam", 12), ("Tsang", 8), ("Cheng", 8), ("Yip", 6), ("Chow", 6),
    ("Au-Yeung", 3),
)  # fmt: skip
_CANTONESE_SYLLABLES = (
    "tai", "ming", "chi", "keung", "wai", "man", "kin", "ka", "kit", "siu", "hing", "yiu", "wing",
    "kwok", "fai", "lok", "hoi", "sze", "mei", "yee", "ling", "kam", "shing", "chun", "pui", "yan",
)  # fmt: skip
_HK_WESTERN = (
    "Chris", "Peter", "Mary", "Kenneth", "Eric", "Vincent", "Alice", "Winnie", "Raymond",
    "Stephen", "Jacky", "Ivy", "Karen", "Tony", "Michael", "Anthony", "Joyce", "Patrick",
)  # fmt: skip
_KOREAN_SURNAMES = (
    ("Kim", 45), ("Lee", 30), ("Park", 20), ("Choi", 12), ("Jung", 10), ("Kang", 8), ("Cho", 8),
    ("Yoon", 6),
)  # fmt: skip
_KOREAN_SYLLABLES = (
    "min", "jun", "seo", "yeon", "ji", "hoon", "hyun", "woo", "young", "soo", "sung", "jae",
    "eun", "hye", "dong", "kyung", "sang", "jin",
)  # fmt: skip
_WESTERN_SURNAMES = (
    ("Smith", 10), ("Müller", 6), ("García", 6), ("Silva", 5), ("Martin", 6), ("Rossi", 4),
    ("Nguyen", 8), ("Brown", 6), ("Kowalski", 3), ("Johansson", 3), ("Novák", 3), ("Dubois", 3),
)  # fmt: skip
_WESTERN_GIVEN = (
    "John", "Robert", "Maria", "José", "Anna", "David", "Michael", "Peter", "Christopher",
    "Sarah", "Thomas", "Laura", "Andreas", "Sofia", "Jean-Pierre", "Łukasz", "Ingrid", "Marco",
)  # fmt: skip
_INSTITUTIONS = (
    ("City University of Hong Kong", "60008592", "HK"),
    ("The University of Hong Kong", "60006541", "HK"),
    ("The Chinese University of Hong Kong", "60002798", "HK"),
    ("Hong Kong Polytechnic University", "60008928", "HK"),
    ("Tsinghua University", "60025278", "CN"),
    ("Peking University", "60014966", "CN"),
    ("Zhejiang University", "60003970", "CN"),
    ("Fudan University", "60032356", "CN"),
    ("Sun Yat-sen University", "60000827", "CN"),
    ("Seoul National University", "60013682", "KR"),
    ("KAIST", "60029380", "KR"),
    ("Yonsei University", "60005273", "KR"),
    ("National University of Singapore", "60017161", "SG"),
    ("University of Toronto", "60016849", "CA"),
    ("University College London", "60022148", "GB"),
    ("Technische Universität München", "60019722", "DE"),
    ("Universidad de Barcelona", "60007592", "ES"),
    ("University of Melbourne", "60026553", "AU"),
)
_FIELDS = (
    (
        "1700",
        "COMP",
        "Computer Science",
        (
            "IEEE Transactions on Computers",
            "Information Sciences",
            "ACM Computing Surveys",
            "Pattern Recognition",
        ),
    ),
    (
        "3300",
        "SOCI",
        "Social Sciences",
        (
            "Library Hi Tech",
            "Scientometrics",
            "Journal of Documentation",
            "Online Information Review",
        ),
    ),
    (
        "2700",
        "MEDI",
        "Medicine",
        ("The Lancet", "BMJ Open", "Hong Kong Medical Journal", "PLOS Medicine"),
    ),
    (
        "1600",
        "CHEM",
        "Chemistry",
        (
            "Journal of the American Chemical Society",
            "Chemical Communications",
            "Angewandte Chemie",
            "Green Chemistry",
        ),
    ),
    (
        "2200",
        "ENGI",
        "Engineering",
        (
            "Automation in Construction",
            "Engineering Structures",
            "Energy and Buildings",
            "Applied Energy",
        ),
    ),
    (
        "3100",
        "PHYS",
        "Physics and Astronomy",
        ("Physical Review B", "Nano Letters", "Optics Express", "New Journal of Physics"),
    ),
    (
        "1300",
        "BIOC",
        "Biochemistry, Genetics and Molecular Biology",
        ("Nucleic Acids Research", "Cell Reports", "Genome Biology", "FEBS Journal"),
    ),
    (
        "1400",
        "BUSI",
        "Business, Management and Accounting",
        (
            "Management Science",
            "Journal of Business Research",
            "Tourism Management",
            "Asia Pacific Journal of Management",
        ),
    ),
)
# Venues that print initials only, as many journals do.
_INITIALS_VENUES = frozenset(
    {
        "Physical Review B",
        "The Lancet",
        "Nucleic Acids Research",
        "Engineering Structures",
        "Scientometrics",
        "Chemical Communications",
    }
)
_TOPICS = (
    "adaptive",
    "distributed",
    "scalable",
    "robust",
    "bayesian",
    "multi-scale",
    "low-cost",
    "open",
    "sustainable",
    "deep",
    "comparative",
    "longitudinal",
)
_OBJECTS = (
    "graph search",
    "library services",
    "catalyst design",
    "concrete fatigue",
    "tumour imaging",
    "metadata quality",
    "thin films",
    "supply chains",
    "gene regulation",
    "urban heat",
    "research data",
    "citation networks",
    "quantum dots",
    "hospital readmission",
)


@dataclass
class _Person:
    person_id: str
    family: str
    given: str  # full given name in its most usual form
    given_variants: tuple[str, ...]  # other ways it is printed
    western: str  # a Hong Kong author's Western first name, or ""
    field_index: int
    institutions: list[tuple[int, int]]  # (from year, institution index)
    email: str
    orcid: str
    start: int
    end: int
    lab: list[int] = field(default_factory=list)
    weight: float = 1.0

    def institution_in(self, year: int) -> int:
        current = self.institutions[0][1]
        for since, index in self.institutions:
            if year >= since:
                current = index
        return current


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([n for n, _ in table], weights=[w for _, w in table])[0]


def _orcid_for(number: int) -> str:
    """An ORCID iD in the sandbox block 0000-0000-xxxx-xxxC with a valid check character."""
    return identifiers.orcid_from_digits(f"000000{number:09d}"[-15:])


def _make_person(rng: random.Random, index: int, years: tuple[int, int]) -> _Person:
    kind = rng.choices(("mandarin", "cantonese", "korean", "western"), weights=(45, 25, 15, 15))[0]
    western = ""
    if kind == "mandarin":
        family = _weighted(rng, _MANDARIN_SURNAMES)
        syllables = [rng.choice(_MANDARIN_SYLLABLES) for _ in range(rng.choice((1, 2, 2)))]
        given = "".join(syllables).capitalize()
        variants: tuple[str, ...] = (given,)
        if len(syllables) == 2:
            variants = (given, "-".join(s.capitalize() for s in syllables))
    elif kind == "cantonese":
        family = _weighted(rng, _CANTONESE_SURNAMES)
        syllables = [rng.choice(_CANTONESE_SYLLABLES) for _ in range(2)]
        given = " ".join(s.capitalize() for s in syllables)
        variants = (given, "-".join(s.capitalize() for s in syllables))
        if rng.random() < 0.5:
            western = rng.choice(_HK_WESTERN)
    elif kind == "korean":
        family = _weighted(rng, _KOREAN_SURNAMES)
        syllables = [rng.choice(_KOREAN_SYLLABLES) for _ in range(2)]
        given = "-".join(s.capitalize() for s in syllables)
        variants = (
            given,
            "".join(syllables).capitalize(),
            " ".join(s.capitalize() for s in syllables),
        )
    else:
        family = _weighted(rng, _WESTERN_SURNAMES)
        given = rng.choice(_WESTERN_GIVEN)
        if rng.random() < 0.4:
            given = f"{given} {rng.choice('ABCDEFGHJKLMNPRSTW')}."
        variants = (given,)
    start = rng.randint(years[0], years[1] - 2)
    end = min(years[1], start + rng.randint(3, 25))
    home = rng.randrange(len(_INSTITUTIONS))
    institutions = [(start, home)]
    if rng.random() < 0.25 and end - start > 4:
        institutions.append((rng.randint(start + 2, end - 1), rng.randrange(len(_INSTITUTIONS))))
    login = f"{family}{index}".lower().replace("-", "").replace("ü", "u").replace("í", "i")
    login = login.encode("ascii", "ignore").decode()
    return _Person(
        person_id=f"P{index:07d}",
        family=family,
        given=given,
        given_variants=variants,
        western=western,
        field_index=rng.randrange(len(_FIELDS)),
        institutions=institutions,
        email=f"{login}@example.edu" if rng.random() < 0.7 else "",
        orcid=_orcid_for(100000 + index) if rng.random() < 0.3 else "",
        start=start,
        end=end,
        weight=rng.lognormvariate(0.0, 1.0),
    )


def _initials(given: str) -> str:
    parts = given.replace("-", " ").replace(".", " ").split()
    return " ".join(f"{p[0]}." for p in parts if p)


def _printed_given(rng: random.Random, person: _Person, venue: str) -> str:
    if person.western:
        # A Hong Kong author: the Western name usually, with or without the Chinese one.
        form = rng.choices(("western", "both", "chinese"), weights=(60, 25, 15))[0]
        given = {
            "western": person.western,
            "both": f"{person.western} {person.given}",
            "chinese": rng.choice(person.given_variants),
        }[form]
    else:
        given = rng.choice(person.given_variants)
        if "é" in given and rng.random() < 0.4:
            given = given.replace("é", "e")  # diacritics lost on some papers
    if venue in _INITIALS_VENUES or rng.random() < 0.1:
        return _initials(given)
    return given


def generate_documents(
    n_documents: int,
    *,
    seed: int = 1,
    first_year: int = 1995,
    last_year: int = 2025,
    namesake_rate: float = 0.08,
) -> Iterator[dict[str, Any]]:
    """Yield n_documents document dicts; each author dict carries its true `person_id`.

    A document: {eid, doi, title, source_title, year, type (ar/cp/re), subject_areas: [{code,
    abbrev, name}], cited_by_count, authors: [{position, given, family, affiliation, afid,
    email, orcid, person_id}]}. ORCID iDs lie in the sandbox block from 0000-0000-0010-0000 up,
    clear of the demo cast's; e-mails are on example.edu.

    namesake_rate: share of labs given two members with one printed name (the hardest case).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    n_people = max(4, n_documents // 3)
    people = [_make_person(rng, i, (first_year, last_year)) for i in range(n_people)]
    # Labs: small groups at one institution in one field; some get a namesake of a member.
    order = list(range(n_people))
    rng.shuffle(order)
    position = 0
    while position < n_people:
        size = rng.randint(3, 8)
        lab = order[position : position + size]
        position += size
        anchor = people[lab[0]]
        for member in lab:
            people[member].lab = lab
            people[member].field_index = anchor.field_index
            people[member].institutions[0] = (people[member].start, anchor.institutions[0][1])
        if len(lab) > 2 and rng.random() < namesake_rate:
            # A namesake: the same printed name as a lab member, in the same lab.
            twin = people[lab[1]]
            clone = people[lab[2]]
            clone.family, clone.given, clone.given_variants = (
                twin.family,
                twin.given,
                twin.given_variants,
            )
            clone.western = twin.western
    weights = [p.weight for p in people]
    for number in range(n_documents):
        lead = rng.choices(people, weights=weights)[0]
        year = rng.randint(lead.start, lead.end)
        code, abbrev, area, venues = _FIELDS[lead.field_index]
        venue = rng.choice(venues)
        team = [lead]
        lab_mates = [people[i] for i in lead.lab if people[i] is not lead]
        for mate in rng.sample(lab_mates, k=min(len(lab_mates), rng.randint(0, 4))):
            team.append(mate)
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            team.append(rng.choice(people))
        unique = list({p.person_id: p for p in team}.values())
        if rng.random() < 0.5 and len(unique) > 1:
            unique.append(unique.pop(0))  # lead as last author, as labs often print it
        authors = []
        for index, person in enumerate(unique):
            institution, afid, _country = _INSTITUTIONS[person.institution_in(year)]
            corresponding = person is lead
            authors.append(
                {
                    "given": _printed_given(rng, person, venue),
                    "family": person.family,
                    "affiliation": institution,
                    "afid": afid,
                    "email": person.email if corresponding and rng.random() < 0.5 else "",
                    "orcid": person.orcid if person.orcid and rng.random() < 0.3 else "",
                    "person_id": person.person_id,
                    "position": index,
                }
            )
        title = f"{rng.choice(_TOPICS).capitalize()} {rng.choice(_OBJECTS)}: a study {number}"
        yield {
            "eid": f"2-s2.0-{85100000000 + number}",
            "doi": f"10.5555/sandbox.{number}",
            "title": title,
            "source_title": venue,
            "year": year,
            "type": rng.choices(("ar", "cp", "re"), weights=(80, 15, 5))[0],
            "subject_areas": [{"code": code, "abbrev": abbrev, "name": area}],
            "cited_by_count": int(rng.paretovariate(1.5)) - 1,
            "authors": authors,
        }


def signatures_from_documents(
    documents: Sequence[dict[str, Any]],
) -> tuple[list[Signature], dict[str, str]]:
    """Generated documents → Signatures and the truth {signature_id: person_id}."""
    signatures: list[Signature] = []
    truth: dict[str, str] = {}
    for document in documents:
        names = [f"{a['family']}, {a['given']}" for a in document["authors"]]
        for author in document["authors"]:
            signature_id = f"{document['eid']}#{author['position']}"
            signatures.append(
                Signature(
                    signature_id=signature_id,
                    paper_id=document["eid"],
                    position=author["position"],
                    first=author["given"],
                    middle="",
                    last=author["family"],
                    affiliations=(author["afid"],),
                    coauthors=tuple(n for i, n in enumerate(names) if i != author["position"]),
                    venue=document["source_title"],
                    year=document["year"],
                    subject_areas=tuple(s["abbrev"] for s in document["subject_areas"]),
                    email=author["email"],
                    orcid=author["orcid"],
                )
            )
            truth[signature_id] = author["person_id"]
    return signatures, truth
