"""The demo university: a deterministic generator of units, researchers and research outputs.

The same arguments always build the same data (one seeded random.Random drives everything), so
demos, tests and benchmarks agree. Rows are made as plain tuples with their primary keys chosen
here and written through `do_import_rows` (COPY on PostgreSQL), which is what lets the same code
build 200 researchers for a demo or 50,000 researchers and 1,000,000 outputs for a benchmark.

The first researchers are the exercise's cast, led by "Chris WONG - demo": `cast()` describes
them for the ORCID and Scopus sandboxes, which read it as a file and never this module.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connections, models, router, transaction
from django.utils.text import slugify

import identifiers
from portal.actions import do_import_rows, reset_primary_key_sequences
from portal.choices import (
    IdentifierStatus,
    LinkType,
    OrgUnitType,
    OutputCommentKind,
    OutputSource,
    OutputType,
    PersonStatus,
    PositionRole,
    PublicationStatus,
    Visibility,
    WorkflowStatus,
)
from portal.models import (
    Contributor,
    NameVariant,
    OrgUnit,
    OutputComment,
    OutputIdentifier,
    Person,
    PersonIdentifier,
    PersonLink,
    Position,
    ResearchOutput,
)
from portal.models.outputs import title_key_of
from portal.permissions import LIBRARY_GROUP

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo login, printed by `make demo`
DEFAULT_PERSONS = 200
DEFAULT_OUTPUTS = 5000
CAST_SIZE = 20
# The researcher after the exercise (authenticated ORCID iD, verified Scopus Author ID), beside
# Chris, who starts before it (neither on his portal profile).
FINISHED_RESEARCHER = 2
# Chris's last article is in Scopus (and on ORCID, from Crossref) but not yet in the portal: the
# document he imports by its DOI ("Import from Scopus").
SCOPUS_ONLY_OUTPUT = 4
# Chris asked the Library to correct this validated output of his.
CHANGE_REQUESTED_OUTPUT = 1
# Pairs of the same article entered twice, for the Library's "Possible duplicate" and Merge.
DUPLICATE_PAIRS = 3
BATCH = 20_000
# A fixed clock keeps generated timestamps identical from run to run.
DEMO_TIME = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)

UNITS: list[tuple[str, str, OrgUnitType, str | None]] = [
    # (slug, name, type, parent slug)
    ("cityu", "City University of Hong Kong", OrgUnitType.UNIVERSITY, None),
    ("college-of-engineering", "College of Engineering", OrgUnitType.FACULTY, "cityu"),
    (
        "computer-science",
        "Department of Computer Science",
        OrgUnitType.DEPARTMENT,
        "college-of-engineering",
    ),
    (
        "electrical-engineering",
        "Department of Electrical Engineering",
        OrgUnitType.DEPARTMENT,
        "college-of-engineering",
    ),
    (
        "mechanical-engineering",
        "Department of Mechanical Engineering",
        OrgUnitType.DEPARTMENT,
        "college-of-engineering",
    ),
    ("college-of-business", "College of Business", OrgUnitType.FACULTY, "cityu"),
    ("accountancy", "Department of Accountancy", OrgUnitType.DEPARTMENT, "college-of-business"),
    (
        "economics-and-finance",
        "Department of Economics and Finance",
        OrgUnitType.DEPARTMENT,
        "college-of-business",
    ),
    (
        "information-systems",
        "Department of Information Systems",
        OrgUnitType.DEPARTMENT,
        "college-of-business",
    ),
    (
        "college-of-liberal-arts",
        "College of Liberal Arts and Social Sciences",
        OrgUnitType.FACULTY,
        "cityu",
    ),
    ("english", "Department of English", OrgUnitType.DEPARTMENT, "college-of-liberal-arts"),
    (
        "media-and-communication",
        "Department of Media and Communication",
        OrgUnitType.DEPARTMENT,
        "college-of-liberal-arts",
    ),
    (
        "social-sciences",
        "Department of Social and Behavioural Sciences",
        OrgUnitType.DEPARTMENT,
        "college-of-liberal-arts",
    ),
    ("college-of-science", "College of Science", OrgUnitType.FACULTY, "cityu"),
    ("chemistry", "Department of Chemistry", OrgUnitType.DEPARTMENT, "college-of-science"),
    ("physics", "Department of Physics", OrgUnitType.DEPARTMENT, "college-of-science"),
    ("mathematics", "Department of Mathematics", OrgUnitType.DEPARTMENT, "college-of-science"),
    ("school-of-data-science", "School of Data Science", OrgUnitType.FACULTY, "cityu"),
    ("library", "Run Run Shaw Library", OrgUnitType.LIBRARY, "cityu"),
]
RESEARCH_UNITS = [
    slug for slug, _, kind, _ in UNITS if kind in (OrgUnitType.DEPARTMENT, OrgUnitType.FACULTY)
]

# Hong Kong and mainland surnames with a usual character; Korean ones for the hard cases.
SURNAMES = [
    ("Wong", "黃"),
    ("Chan", "陳"),
    ("Lee", "李"),
    ("Li", "李"),
    ("Wang", "王"),
    ("Zhang", "張"),
    ("Chen", "陳"),
    ("Cheung", "張"),
    ("Lau", "劉"),
    ("Ng", "吳"),
    ("Leung", "梁"),
    ("Ho", "何"),
    ("Lam", "林"),
    ("Chow", "周"),
    ("Liu", "劉"),
    ("Yang", "楊"),
    ("Huang", "黃"),
    ("Tang", "鄧"),
    ("Yip", "葉"),
    ("Tsang", "曾"),
    ("Kim", ""),
    ("Park", ""),
    ("Smith", ""),
    ("Brown", ""),
]
GIVEN_CHINESE = [
    ("Tai Ming", "大明"),
    ("Siu Wai", "小慧"),
    ("Ka Yan", "嘉欣"),
    ("Wing Sze", "詠詩"),
    ("Chi Keung", "志強"),
    ("Mei Ling", "美玲"),
    ("Wei", "偉"),
    ("Jun", "俊"),
    ("Xiaoming", "曉明"),
    ("Hui", "慧"),
    ("Yu", "宇"),
    ("Jing", "靜"),
    ("Hao", "浩"),
    ("Kwok Wah", "國華"),
]
GIVEN_WESTERN = [
    "Chris",
    "Mary",
    "David",
    "Alice",
    "Peter",
    "Grace",
    "Kelvin",
    "Winnie",
    "Michael",
    "Joyce",
    "Eric",
    "Vivian",
    "Raymond",
    "Cindy",
    "Jason",
    "Emily",
    "Samuel",
    "Irene",
    "Patrick",
    "Karen",
]
ROLES = [
    (PositionRole.PROFESSOR, 10),
    (PositionRole.ASSOCIATE_PROFESSOR, 14),
    (PositionRole.ASSISTANT_PROFESSOR, 16),
    (PositionRole.LECTURER, 8),
    (PositionRole.RESEARCH_FELLOW, 8),
    (PositionRole.POSTDOC, 10),
    (PositionRole.PHD_STUDENT, 26),
    (PositionRole.MPHIL_STUDENT, 8),
]
ROLE_NAMES = [role for role, _ in ROLES]
ROLE_WEIGHTS = [weight for _, weight in ROLES]
TOPICS = [
    "resource sharing",
    "deep learning",
    "supply chain finance",
    "urban heat islands",
    "graphene oxide membranes",
    "corporate governance",
    "second language acquisition",
    "public health communication",
    "metal-organic frameworks",
    "wireless sensor networks",
    "behavioural economics",
    "digital libraries",
    "robot motion planning",
    "air quality",
    "fintech adoption",
    "quantum dots",
    "protein folding",
    "social media discourse",
    "coastal flood risk",
    "perovskite solar cells",
    "elderly care services",
    "federated learning",
    "housing affordability",
    "antimicrobial resistance",
    "green building retrofits",
    "music cognition",
    "cross-border e-commerce",
    "traditional Chinese medicine",
    "autonomous vehicles",
    "mental health literacy",
    "carbon pricing",
    "legal translation",
    "drone logistics",
    "battery materials",
    "research data management",
    "academic integrity",
]
PATTERNS = [
    "A study of {t} in Hong Kong",
    "{T}: evidence from Asia",
    "Towards scalable {t}",
    "Rethinking {t} after the pandemic",
    "{T} and its discontents",
    "A framework for {t}",
    "Measuring {t} with open data",
    "Lessons from {t} in the Greater Bay Area",
    "Modelling {t} under uncertainty",
    "{T} in East Asian cities",
    "New directions in {t}",
    "The economics of {t}",
    "Policy responses to {t}",
    "Design principles for {t}",
]
# Appended to some titles, so that thousands of outputs read like distinct papers.
QUALIFIERS = [
    "",
    "",
    "",
    ": a longitudinal study",
    ": a systematic review",
    ": a mixed-methods study",
    ": a case study",
    ": theory and practice",
    ": a comparative analysis",
    ": results from a field experiment",
    ": a multi-site study",
    ": an empirical investigation",
    ": challenges and opportunities",
    ": insights from survey data",
    ": a simulation study",
    ": a critical review",
]
# (journal, ISSN base, DOI registrant)
JOURNALS = [
    ("Interlending and Document Supply", "0264161", "10.1108"),
    ("Journal of the Association for Information Science and Technology", "2330163", "10.1002"),
    ("IEEE Transactions on Neural Networks and Learning Systems", "2162237", "10.1109"),
    ("Journal of Finance", "0022108", "10.1111"),
    ("Applied Physics Letters", "0003695", "10.1063"),
    ("Physical Review B", "2469995", "10.1103"),
    ("Journal of Cleaner Production", "0959652", "10.1016"),
    ("Applied Linguistics", "0142600", "10.1093"),
    ("Nature Communications", "2041172", "10.1038"),
    ("PLOS ONE", "1932620", "10.1371"),
]
EXTERNAL_AFFILIATIONS = [
    "The University of Hong Kong",
    "The Chinese University of Hong Kong",
    "Peking University",
    "National University of Singapore",
    "University of Toronto",
    "Seoul National University",
]

CHRIS_OUTPUTS = [
    # (title, journal index, year, volume, issue, pages, DOI, EID)
    (
        "User-initiated resource sharing in Hong Kong universities: Planning to reality with HKALL",
        0,
        2006,
        "34",
        "2",
        "70-75",
        "10.1108/02641610610669750",
        "2-s2.0-33745291715",
    ),
    (
        "Reader services in a research library: a Hong Kong perspective",
        0,
        2009,
        "37",
        "1",
        "31-38",
        "10.1108/02641610910000001",
        "2-s2.0-63149091432",
    ),
    (
        "Consortial borrowing and the academic library: ten years of HKALL",
        0,
        2016,
        "44",
        "3",
        "101-108",
        "10.1108/ilds-06-2016-0021",
        "2-s2.0-84983001234",
    ),
    (
        "Linking researcher identifiers: ORCID adoption at a Hong Kong university",
        1,
        2019,
        "70",
        "8",
        "812-820",
        "10.1002/asi.24170",
        "2-s2.0-85067000111",
    ),
    (
        "Research information systems and the library: a case study",
        1,
        2022,
        "73",
        "4",
        "560-571",
        "10.1002/asi.24601",
        "2-s2.0-85120000222",
    ),
]


# The generated titles come from a small vocabulary: fold each one once, not per output.
demo_title_key = functools.cache(title_key_of)


def issn_with_check(base7: str) -> str:
    from identifiers.checksums import issn_check_character

    return f"{base7[:4]}-{base7[4:]}{issn_check_character(base7)}"


def orcid_for(number: int) -> str:
    """An iD in the sandbox's block 0000-0000-xxxx-xxxC, below every range ORCID issues."""
    return identifiers.orcid_from_digits(f"{number:015d}")


@contextmanager
def foreign_keys_checked_once(*model_classes: type[models.Model]) -> Iterator[None]:
    """On PostgreSQL, drop these tables' foreign keys for a bulk load and add them back after.

    Django's foreign keys are deferred: every copied row queues a check that runs at COMMIT,
    which at 5,000,000 contributor rows took longer than the copy itself. Adding a constraint
    back checks all rows in one join, as pg_restore does. Elsewhere nothing changes.
    """
    connection = connections[router.db_for_write(model_classes[0])]
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in model_classes]
    # Pending checks of rows written earlier in this transaction would block ALTER TABLE.
    connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    connection.check_constraints()
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )


class OrgUnitRow(NamedTuple):
    """A row of portal_orgunit."""

    id: int
    name: str
    short_name: str
    slug: str
    unit_type: str
    parent: int | None
    address: str


class UserRow(NamedTuple):
    """A row of auth_user as the bulk import writes it."""

    id: int
    password: str
    is_superuser: bool
    username: str
    first_name: str
    last_name: str
    email: str
    is_staff: bool
    is_active: bool
    date_joined: datetime.datetime


class PersonRow(NamedTuple):
    """A row of portal_person."""

    id: int
    staff_id: str
    user: int
    slug: str
    honorific: str
    given_names: str
    family_name: str
    known_as: str
    native_name: str
    email: str
    phone: str
    address: str
    profile_text: str
    status: str
    search_text: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class NameVariantRow(NamedTuple):
    """A row of portal_namevariant."""

    id: int
    person: int
    given_names: str
    family_name: str


class PositionRow(NamedTuple):
    """A row of portal_position."""

    id: int
    person: int
    org_unit: int
    role: str
    start_date: datetime.date
    end_date: datetime.date | None
    is_primary: bool


class PersonLinkRow(NamedTuple):
    """A row of portal_personlink."""

    id: int
    person: int
    link_type: str
    url: str
    label: str


class PersonIdentifierRow(NamedTuple):
    """A row of portal_personidentifier."""

    id: int
    person: int
    id_type: str
    value: str
    status: str
    status_changed_by: int | None
    status_changed_at: datetime.datetime | None
    evidence: str
    created_at: datetime.datetime


class OutputRow(NamedTuple):
    """A row of portal_researchoutput (the columns the demo sets; the rest take defaults)."""

    id: int
    output_type: str
    title: str
    subtitle: str
    publication_year: int
    publication_month: int | None
    publication_day: int | None
    host_title: str
    volume: str
    issue: str
    pages: str
    publisher: str
    language: str
    abstract: str
    keywords: str
    workflow_status: str
    publication_status: str
    visibility: str
    source: str
    managing_unit: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    title_key: str
    submitted_by: int | None
    submitted_at: datetime.datetime | None
    change_requested: bool


class OutputCommentRow(NamedTuple):
    """A row of portal_outputcomment: the Library's reason to return, a change request."""

    id: int
    output: int
    author: int | None
    author_label: str
    kind: str
    text: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class TwinSource:
    """A validated output that a later, unvalidated one duplicates (for the Library's Merge)."""

    title: str
    year: int
    authors: list[tuple[GeneratedPerson | None, str, str, str]]
    unit_pk: int


class ContributorRow(NamedTuple):
    """A row of portal_contributor: an author of an output, internal (person) or external."""

    id: int
    output: int
    position: int
    person: int | None
    given_names: str
    family_name: str
    external_affiliation: str
    role: str


class OutputIdentifierRow(NamedTuple):
    """A row of portal_outputidentifier."""

    id: int
    output: int
    id_type: str
    value: str


@dataclass
class PeopleRows:
    """Everything build_people writes, table by table."""

    users: list[UserRow] = field(default_factory=list)
    persons: list[PersonRow] = field(default_factory=list)
    variants: list[NameVariantRow] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)
    links: list[PersonLinkRow] = field(default_factory=list)
    identifiers: list[PersonIdentifierRow] = field(default_factory=list)


def import_records(model: type[models.Model], rows: Sequence[NamedTuple], description: str) -> int:
    """Bulk-write named rows: their field names are the model's field names."""
    if not rows:
        return 0
    return do_import_rows(
        model, list(rows[0]._fields), rows, acting_user=None, description=description
    )


@dataclass
class GeneratedPerson:
    """What the generator remembers about a person while it builds their outputs."""

    pk: int
    given: str
    family: str
    native: str
    unit_pk: int
    staff_id: str
    email: str
    orcid: str = ""
    scopus_author_id: str = ""
    known_as: str = ""
    cast_outputs: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DemoSummary:
    """What seed-demo built, for its report and for the sandboxes' hand-over file."""

    persons: int = 0
    outputs: int = 0
    contributors: int = 0
    cast: list[dict[str, Any]] = field(default_factory=list)


class DemoUniversity:
    """Builds the demo university into the portal's database."""

    def __init__(self, persons: int, outputs: int, seed: int = 2006) -> None:
        self.person_count = persons
        self.output_count = outputs
        self.random = random.Random(seed)
        self.password_hash = make_password(DEMO_PASSWORD, salt="scholarhubdemo")
        self.unit_pks: dict[str, int] = {}
        self.persons: list[GeneratedPerson] = []
        self.summary = DemoSummary()
        self.comments: list[OutputCommentRow] = []

    # --- units and people ---------------------------------------------------------------

    def build_units(self) -> None:
        rows = []
        for pk, (slug, name, kind, parent) in enumerate(UNITS, start=1):
            self.unit_pks[slug] = pk
            rows.append(
                OrgUnitRow(
                    id=pk,
                    name=name,
                    short_name="",
                    slug=slug,
                    unit_type=kind.value,
                    parent=self.unit_pks.get(parent or ""),
                    address="",
                )
            )
        import_records(OrgUnit, rows, "demo research units")

    def chris(self) -> GeneratedPerson:
        return GeneratedPerson(
            pk=1,
            given="Chris",
            family="WONG",
            native="王大明",
            unit_pk=self.unit_pks["library"],
            staff_id="chriswong",
            email="chriswong@cityu.edu.hk",
            orcid=orcid_for(0),
            scopus_author_id="98765432100",
        )

    def invent_person(self, pk: int) -> GeneratedPerson:
        family, family_char = self.random.choice(SURNAMES)
        known_as = ""
        if family_char and self.random.random() < 0.6:
            given, given_chars = self.random.choice(GIVEN_CHINESE)
            native = family_char + given_chars
            if self.random.random() < 0.35:
                # Hong Kong style: official name in romanised Chinese, known by a Western one.
                known_as = f"{self.random.choice(GIVEN_WESTERN)} {family.upper()}"
        else:
            given, native = self.random.choice(GIVEN_WESTERN), ""
            if family_char and self.random.random() < 0.7:
                native = family_char + self.random.choice(GIVEN_CHINESE)[1]
        staff_id = f"{slugify(given).replace('-', '')[:10]}{family.lower()}{pk}"
        unit = self.random.choice(RESEARCH_UNITS)
        is_cast = pk <= CAST_SIZE
        has_orcid = is_cast or self.random.random() < 0.45
        has_scopus = is_cast or self.random.random() < 0.55
        return GeneratedPerson(
            pk=pk,
            given=given,
            family=family.upper(),
            native=native,
            unit_pk=self.unit_pks[unit],
            staff_id=staff_id,
            email=f"{staff_id}@cityu.edu.hk",
            orcid=orcid_for(pk - 1) if has_orcid else "",
            scopus_author_id=str(57_000_000_000 + pk * 7919) if has_scopus else "",
            known_as=known_as,
        )

    def known_as(self, person: GeneratedPerson) -> str:
        """The name the researcher goes by on the portal and in the sandboxes."""
        if person.pk == 1:
            return "Chris WONG - demo"
        return person.known_as or f"{person.given} {person.family}"

    def build_people(self) -> None:
        """Every researcher with their account, names, position, links and identifiers."""
        self.persons = [self.chris()] + [
            self.invent_person(pk) for pk in range(2, self.person_count + 1)
        ]
        rows = PeopleRows()
        slugs: set[str] = set()
        for person in self.persons:
            rows.users.append(self.user_row(person))
            known_as = self.known_as(person)
            slug = slugify(known_as) or f"person-{person.pk}"
            if slug in slugs:
                slug = f"{slug}-{person.pk}"
            slugs.add(slug)
            variants = self.name_variants(person)
            rows.persons.append(self.person_row(person, slug, known_as, variants))
            for given, family in variants:
                rows.variants.append(
                    NameVariantRow(len(rows.variants) + 1, person.pk, given, family)
                )
            rows.positions.append(self.position_row(person))
            if person.pk == 1 or self.random.random() < 0.5:
                rows.links.append(
                    PersonLinkRow(
                        id=len(rows.links) + 1,
                        person=person.pk,
                        link_type=LinkType.GOOGLE_SCHOLAR.value,
                        url=f"https://scholar.google.com/citations?user=demo{person.pk:06d}",
                        label="Google Scholar",
                    )
                )
            for id_type, value, status, evidence in self.identifiers_on_portal(person):
                changed = status in (IdentifierStatus.AUTHENTICATED, IdentifierStatus.VERIFIED)
                rows.identifiers.append(
                    PersonIdentifierRow(
                        id=len(rows.identifiers) + 1,
                        person=person.pk,
                        id_type=id_type,
                        value=value,
                        status=status.value,
                        status_changed_by=None,
                        status_changed_at=DEMO_TIME if changed else None,
                        evidence=evidence,
                        created_at=DEMO_TIME,
                    )
                )
        import_records(User, rows.users, "demo accounts")
        import_records(Person, rows.persons, "demo persons")
        import_records(NameVariant, rows.variants, "demo name variants")
        import_records(Position, rows.positions, "demo positions")
        import_records(PersonLink, rows.links, "demo links")
        import_records(PersonIdentifier, rows.identifiers, "demo person identifiers")
        self.summary.persons = len(self.persons)

    def user_row(self, person: GeneratedPerson) -> UserRow:
        """The researcher's login: the staff ID (EID) and the demo password."""
        return UserRow(
            id=person.pk,
            password=self.password_hash,
            is_superuser=False,
            username=person.staff_id,
            first_name=person.given,
            last_name=person.family.title(),
            email=person.email,
            is_staff=False,
            is_active=True,
            date_joined=DEMO_TIME,
        )

    @staticmethod
    def name_variants(person: GeneratedPerson) -> list[tuple[str, str]]:
        """The forms of the name found in publications: initial, both initials, Chris's own."""
        variants = [(person.given[0] + ".", person.family.title())]
        if " " in person.given:
            # "Tai Ming" is also printed with both initials.
            initials = ".".join(part[0] for part in person.given.split()) + "."
            variants.append((initials, person.family.title()))
        if person.pk == 1:
            variants.append(("Tai Ming", "Wong"))
        return variants

    def person_row(
        self,
        person: GeneratedPerson,
        slug: str,
        known_as: str,
        variants: list[tuple[str, str]],
    ) -> PersonRow:
        is_chris = person.pk == 1
        search = " ".join(
            [
                person.given,
                person.family,
                known_as,
                person.native,
                *(f"{given} {family}" for given, family in variants),
            ]
        ).lower()
        status = (
            PersonStatus.FORMER
            if self.random.random() < 0.06 and not is_chris
            else PersonStatus.CURRENT
        )
        return PersonRow(
            id=person.pk,
            staff_id=person.staff_id,
            user=person.pk,
            slug=slug,
            honorific="",
            given_names=person.given,
            family_name=person.family,
            known_as=known_as,
            native_name=person.native,
            email=person.email,
            phone="+852 34420000" if is_chris else f"+852 3442{person.pk % 10000:04d}",
            address="LIB-P000" if is_chris else f"AC{1 + person.pk % 3}-{person.pk % 900 + 100}",
            profile_text="",
            status=status.value,
            search_text=search,
            created_at=DEMO_TIME,
            updated_at=DEMO_TIME,
        )

    def position_row(self, person: GeneratedPerson) -> PositionRow:
        role = (
            PositionRole.PHD_STUDENT
            if person.pk == 1
            else self.random.choices(ROLE_NAMES, ROLE_WEIGHTS)[0]
        )
        return PositionRow(
            id=person.pk,
            person=person.pk,
            org_unit=person.unit_pk,
            role=role.value,
            start_date=datetime.date(2010 + person.pk % 15, 9, 1),
            end_date=None,
            is_primary=True,
        )

    @staticmethod
    def identifiers_on_portal(
        person: GeneratedPerson,
    ) -> list[tuple[str, str, IdentifierStatus, str]]:
        """(ID type, value, status, evidence) of the IDs the portal holds for the researcher.

        Chris starts before the exercise: his ORCID iD and Scopus Author ID exist (in the
        sandboxes) but his portal profile has neither. The finished researcher signed in to
        ORCID from the portal and had the Scopus Author ID verified; the rest of the cast has
        verified Scopus Author IDs; everyone else typed what they have.
        """
        if person.pk == 1:
            return []
        found: list[tuple[str, str, IdentifierStatus, str]] = []
        if person.orcid:
            if person.pk == FINISHED_RESEARCHER:
                found.append(
                    (
                        "orcid",
                        person.orcid,
                        IdentifierStatus.AUTHENTICATED,
                        "Signed in to ORCID and authorised the portal.",
                    )
                )
            else:
                found.append(("orcid", person.orcid, IdentifierStatus.ENTERED, ""))
        if person.scopus_author_id:
            if person.pk <= CAST_SIZE:
                found.append(
                    (
                        "scopus_author_id",
                        person.scopus_author_id,
                        IdentifierStatus.VERIFIED,
                        "Checked against the Scopus author profile",
                    )
                )
            else:
                found.append(
                    ("scopus_author_id", person.scopus_author_id, IdentifierStatus.ENTERED, "")
                )
        return found

    def build_library_account(self) -> None:
        group, _ = Group.objects.get_or_create(name=LIBRARY_GROUP)
        library = User.objects.create(
            username="library",
            first_name="Library",
            last_name="Staff",
            email="library@cityu.edu.hk",
            password=self.password_hash,
        )
        library.groups.add(group)

    # --- research outputs ----------------------------------------------------------------

    def output_rows(
        self,
    ) -> Iterator[tuple[OutputRow, list[ContributorRow], list[OutputIdentifierRow]]]:
        """Each output with its contributor and identifier rows, Chris's real ones first."""
        contributor_pk = identifier_pk = 0
        internal_pool = self.persons
        twin_sources: list[TwinSource] = []
        twins_made = 0
        # One more than asked: Chris's Scopus-only document is made (for the cast) but not held.
        for index in range(self.output_count + 1):
            pk = index + 1
            extra = index == self.output_count
            if index < len(CHRIS_OUTPUTS):
                title, journal_index, year, volume, issue, pages, doi, eid = CHRIS_OUTPUTS[index]
                members = [self.persons[0]]
                if index > 0 and len(self.persons) > 2:
                    members.append(self.persons[1 + index % (len(self.persons) - 1)])
                workflow, visibility = WorkflowStatus.VALIDATED, Visibility.PUBLIC
            else:
                topic = self.random.choice(TOPICS)
                title = self.random.choice(PATTERNS).format(t=topic, T=topic[0].upper() + topic[1:])
                title += self.random.choice(QUALIFIERS)
                journal_index = self.random.randrange(len(JOURNALS))
                year = self.random.randint(1998, 2026)
                volume, issue = str(self.random.randint(1, 90)), str(self.random.randint(1, 12))
                first_page = self.random.randint(1, 900)
                pages = f"{first_page}-{first_page + self.random.randint(4, 30)}"
                doi = f"{JOURNALS[journal_index][2]}/demo.{year}.{pk:07d}"
                eid = f"2-s2.0-{85_000_000_000 + pk}"
                members = self.random.sample(
                    internal_pool, k=min(len(internal_pool), self.random.choice((1, 1, 1, 2, 2, 3)))
                )
                draw = self.random.random()
                workflow = (
                    WorkflowStatus.VALIDATED
                    if draw < 0.88
                    else WorkflowStatus.FOR_VALIDATION
                    if draw < 0.93
                    else WorkflowStatus.RETURNED
                    if draw < 0.95
                    else WorkflowStatus.ENTRY_IN_PROGRESS
                )
                visibility = Visibility.PUBLIC if self.random.random() < 0.96 else Visibility.CAMPUS
            journal, issn_base, _ = JOURNALS[journal_index]
            output_type = (
                OutputType.JOURNAL_ARTICLE
                if self.random.random() < 0.8 or index < len(CHRIS_OUTPUTS)
                else self.random.choice(
                    (OutputType.CONFERENCE_PAPER, OutputType.BOOK_CHAPTER, OutputType.REVIEW)
                )
            )
            month = self.random.randint(1, 12)
            authors: list[tuple[GeneratedPerson | None, str, str, str]] = [
                (member, member.given, member.family.title(), "") for member in members
            ]
            for _ in range(self.random.randint(0, 4)):
                family, _char = self.random.choice(SURNAMES)
                authors.append(
                    (
                        None,
                        self.random.choice(GIVEN_WESTERN)[0] + ".",
                        family,
                        self.random.choice(EXTERNAL_AFFILIATIONS),
                    )
                )
            if index >= len(CHRIS_OUTPUTS):
                self.random.shuffle(authors)
            for member in members:
                if member.pk <= CAST_SIZE and workflow == WorkflowStatus.VALIDATED and not extra:
                    member.cast_outputs.append(
                        {
                            "title": title,
                            "journal": journal,
                            "year": year,
                            "type": output_type.value,
                            "volume": volume,
                            "issue": issue,
                            "pages": pages,
                            "doi": doi,
                            "eid": eid,
                            "issn": issn_with_check(issn_base),
                            "coauthors": [
                                {"given_names": g, "family_name": f}
                                for m, g, f, _ in authors
                                if m is not member
                            ],
                        }
                    )
            unit_pk = members[0].unit_pk
            if index >= len(CHRIS_OUTPUTS):
                if workflow == WorkflowStatus.VALIDATED and len(twin_sources) < DUPLICATE_PAIRS:
                    twin_sources.append(TwinSource(title, year, list(authors), unit_pk))
                elif (
                    workflow != WorkflowStatus.VALIDATED
                    and len(twin_sources) == DUPLICATE_PAIRS
                    and twins_made < DUPLICATE_PAIRS
                ):
                    # Typed in again by a co-author: the same article without its DOI and EID,
                    # its title punctuated differently, waiting for validation.
                    source = twin_sources[twins_made]
                    twins_made += 1
                    title = source.title.replace(":", " -")
                    year, authors, unit_pk = source.year, list(source.authors), source.unit_pk
                    doi = eid = ""
                    workflow = WorkflowStatus.FOR_VALIDATION
            if index == SCOPUS_ONLY_OUTPUT:
                continue
            submitted = workflow in (WorkflowStatus.FOR_VALIDATION, WorkflowStatus.RETURNED)
            first_internal = next((author[0] for author in authors if author[0]), None)
            output = OutputRow(
                id=pk,
                output_type=output_type.value,
                title=title,
                subtitle="",
                publication_year=year,
                publication_month=month,
                publication_day=None,
                host_title=journal,
                volume=volume,
                issue=issue,
                pages=pages,
                publisher="",
                language="en",
                abstract="",
                keywords="",
                workflow_status=workflow.value,
                publication_status=PublicationStatus.PUBLISHED.value,
                visibility=visibility.value,
                source=OutputSource.DEMO.value,
                managing_unit=unit_pk,
                created_at=DEMO_TIME,
                updated_at=DEMO_TIME,
                title_key=demo_title_key(title),
                submitted_by=first_internal.pk if submitted and first_internal else None,
                # Submitted over the last two months, so the queue has an order by age.
                submitted_at=DEMO_TIME - datetime.timedelta(days=pk % 60) if submitted else None,
                change_requested=index == CHANGE_REQUESTED_OUTPUT,
            )
            self.comments.extend(self.workflow_comments(pk, workflow, index))
            contributors = []
            for position, (internal, given, family, affiliation) in enumerate(authors, start=1):
                contributor_pk += 1
                contributors.append(
                    ContributorRow(
                        id=contributor_pk,
                        output=pk,
                        position=position,
                        person=internal.pk if internal else None,
                        given_names=given,
                        family_name=family,
                        external_affiliation=affiliation,
                        role="author",
                    )
                )
            ids = []
            for id_type, value in (
                ("doi", doi),
                ("eid", eid),
                ("issn", issn_with_check(issn_base)),
            ):
                if not value:
                    continue
                identifier_pk += 1
                ids.append(OutputIdentifierRow(identifier_pk, pk, id_type, value))
            yield output, contributors, ids

    def workflow_comments(
        self, pk: int, workflow: WorkflowStatus, index: int
    ) -> list[OutputCommentRow]:
        """The Library's reason for a returned output; Chris's request for a change."""
        if workflow == WorkflowStatus.RETURNED:
            kind, author, text = (
                OutputCommentKind.RETURN,
                "library",
                "Please add the DOI and the page range as printed in the journal.",
            )
        elif index == CHANGE_REQUESTED_OUTPUT:
            kind, author, text = (
                OutputCommentKind.CHANGE_REQUEST,
                "chriswong",
                "The issue number should be 1, not 2; please correct it.",
            )
        else:
            return []
        return [
            OutputCommentRow(
                id=len(self.comments) + 1,
                output=pk,
                author=None,
                author_label=author,
                kind=kind.value,
                text=text,
                created_at=DEMO_TIME,
            )
        ]

    def build_outputs(self) -> None:
        outputs: list[OutputRow] = []
        contributors: list[ContributorRow] = []
        ids: list[OutputIdentifierRow] = []
        for output, output_contributors, output_ids in self.output_rows():
            outputs.append(output)
            contributors.extend(output_contributors)
            ids.extend(output_ids)
            if len(outputs) >= BATCH:
                self.flush_outputs(outputs, contributors, ids)
                outputs, contributors, ids = [], [], []
        self.flush_outputs(outputs, contributors, ids)
        import_records(OutputComment, self.comments, "demo workflow comments")

    def flush_outputs(
        self,
        outputs: list[OutputRow],
        contributors: list[ContributorRow],
        ids: list[OutputIdentifierRow],
    ) -> None:
        import_records(ResearchOutput, outputs, "demo research outputs")
        import_records(Contributor, contributors, "demo contributors")
        import_records(OutputIdentifier, ids, "demo output identifiers")
        self.summary.outputs += len(outputs)
        self.summary.contributors += len(contributors)

    # --- the whole build -----------------------------------------------------------------

    def build(self) -> DemoSummary:
        with transaction.atomic():
            self.build_units()
            self.build_people()
            with foreign_keys_checked_once(ResearchOutput, Contributor, OutputIdentifier):
                self.build_outputs()
            reset_primary_key_sequences(
                OutputComment,
                User,
                OrgUnit,
                Person,
                NameVariant,
                Position,
                PersonLink,
                PersonIdentifier,
                ResearchOutput,
                Contributor,
                OutputIdentifier,
            )
            self.build_library_account()
        self.summary.cast = [self.cast_entry(person) for person in self.persons[:CAST_SIZE]]
        return self.summary

    def cast_entry(self, person: GeneratedPerson) -> dict[str, Any]:
        is_chris = person.pk == 1
        return {
            "staff_id": person.staff_id,
            "given_names": person.given,
            "family_name": person.family,
            "credit_name": self.known_as(person),
            "native_name": person.native,
            "other_names": [
                f"{person.family.title()}, {person.given[0]}.",
                *(["Wong Tai Ming"] if is_chris else []),
            ],
            "email": person.email,
            "orcid": person.orcid,
            "orcid_password": "demo-orcid",
            "scopus_author_id": person.scopus_author_id,
            "unit": next(
                name for slug, name, _, _ in UNITS if self.unit_pks[slug] == person.unit_pk
            ),
            "outputs": person.cast_outputs,
        }


# A file of Chris's publications to try "Import from a BibTeX file" with: eight new entries, one
# already held (HKALL, the same DOI: "Possible duplicate") and one with a DOI that is not one.
DEMO_BIBTEX = """\
% Chris WONG's publications, exported from a reference manager (ScholarHub demo).
@article{wong2006hkall,
  author = {Wong, Chris and Lam, Ka Ming},
  title = {User-initiated resource sharing in Hong Kong universities: Planning to reality with HKALL},
  journal = {Interlending and Document Supply},
  year = {2006}, volume = {34}, number = {2}, pages = {70--75},
  doi = {10.1108/02641610610669750}, issn = {0264-1615}
}
@article{wong2011ill,
  author = {Wong, Chris},
  title = {Interlibrary loan without borders: a decade of consortial lending in Asia},
  journal = {Interlending and Document Supply},
  year = {2011}, volume = {39}, number = {4}, pages = {190--197},
  doi = {10.1108/demo.2011.0000101}, issn = {0264-1615}
}
@article{wong2013ebooks,
  author = {Wong, Chris and Chan, Mei},
  title = {E-book lending in academic libraries: licences, platforms and patrons},
  journal = {Journal of the Association for Information Science and Technology},
  year = {2013}, volume = {64}, number = {9}, pages = {1801--1812},
  doi = {10.1002/demo.2013.0000102}
}
@inproceedings{wong2015ifla,
  author = {Wong, Chris and Ho, Winnie},
  title = {Measuring the value of resource sharing for researchers},
  booktitle = {Proceedings of the IFLA World Library and Information Congress},
  year = {2015}, pages = {1--9}, address = {Cape Town}
}
@incollection{wong2017chapter,
  author = {Wong, Chris},
  title = {Research data services in Hong Kong university libraries},
  booktitle = {Academic Libraries in Asia: Practice and Prospects},
  editor = {Lee, Jenny},
  publisher = {Chandos Publishing},
  year = {2017}, pages = {121--140}, isbn = {978-0-08-102016-0}
}
@article{wong2018orcid,
  author = {Wong, Chris and Tang, Yu},
  title = {Persistent identifiers for researchers: an institutional roll-out},
  journal = {Journal of the Association for Information Science and Technology},
  year = {2018}, volume = {69}, number = {11}, pages = {1350--1358},
  doi = {10.1002/demo.2018.0000103}
}
@article{wong2020baddoi,
  author = {Wong, Chris},
  title = {Open access monitoring at a research-intensive university},
  journal = {Interlending and Document Supply},
  year = {2020}, volume = {48}, number = {1}, pages = {12--19},
  doi = {not-a-doi}
}
@article{wong2021cris,
  author = {Wong, Chris and Kim, Irene},
  title = {Current research information systems and the validation workflow},
  journal = {Interlending and Document Supply},
  year = {2021}, volume = {49}, number = {3}, pages = {101--109},
  doi = {10.1108/demo.2021.0000104}
}
@techreport{wong2023report,
  author = {Wong, Chris},
  title = {ORCID adoption at City University of Hong Kong: a progress report},
  institution = {Run Run Shaw Library, City University of Hong Kong},
  year = {2023}, number = {LIB-2023-04}
}
@article{wong2024scopus,
  author = {Wong, Chris and Lam, Ka Ming and Chan, Mei},
  title = {Author profiles in bibliographic databases: splits, merges and corrections},
  journal = {Journal of the Association for Information Science and Technology},
  year = {2024}, volume = {75}, number = {2}, pages = {210--222},
  doi = {10.1002/demo.2024.0000105}
}
"""  # noqa: E501 - the seed's title of the HKALL article is one long BibTeX line


def portal_is_empty() -> bool:
    """Whether the portal holds no persons yet (seed-demo fills only an empty portal)."""
    return not Person.objects.exists()


@transaction.atomic
def wipe_portal() -> None:
    """Delete every portal record and non-superuser account, for `seed-demo --reset`.

    Tables are emptied children first with plain DELETEs (one TRUNCATE on PostgreSQL): at a
    million outputs the ORM's cascade collector would load every row into memory first.
    """
    from django.contrib.auth.models import Group

    from portal.models import AuditEntry, ImportBatch

    users = User.objects.filter(is_superuser=False)
    portal_models = (
        ImportBatch,
        OutputComment,
        OutputIdentifier,
        Contributor,
        ResearchOutput,
        PersonIdentifier,
        PersonLink,
        Position,
        NameVariant,
        AuditEntry,
        Person,
        OrgUnit,
    )
    connection = connections[router.db_for_write(Person)]
    if connection.vendor == "postgresql":
        # Seconds instead of minutes at benchmark scale; CASCADE also empties any other
        # table that points at these rows, which a reset has to remove anyway.
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in portal_models)
        # Deferred foreign key checks of rows written earlier in this transaction must run
        # first, or PostgreSQL refuses to truncate tables with pending trigger events.
        connection.check_constraints()
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")
    else:
        OrgUnit.objects.update(parent=None)
        for model in portal_models:
            queryset = model.objects.all()
            queryset._raw_delete(queryset.db)
    through = User.groups.through.objects.filter(user__in=users)
    through._raw_delete(through.db)
    users.delete()
    Group.objects.filter(name=LIBRARY_GROUP, user__isnull=True).delete()
