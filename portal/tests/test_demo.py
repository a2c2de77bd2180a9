"""The demo university generator: Chris's profile, the shape of the data, the cast, the wipe."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.db.models import Count, Max, Min

import identifiers
from portal.choices import (
    IdentifierStatus,
    LinkType,
    OrgUnitType,
    OutputCommentKind,
    PersonStatus,
    Visibility,
    WorkflowStatus,
)
from portal.demo import (
    CAST_SIZE,
    DEMO_BIBTEX,
    DEMO_PASSWORD,
    DUPLICATE_PAIRS,
    FINISHED_RESEARCHER,
    DemoSummary,
    DemoUniversity,
    orcid_for,
    wipe_portal,
)
from portal.forms import NewIdentifierForm
from portal.models import (
    AuditEntry,
    Contributor,
    OrgUnit,
    OutputIdentifier,
    Person,
    ResearchOutput,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def university() -> DemoSummary:
    """A small demo university: 60 researchers, 600 outputs."""
    return DemoUniversity(60, 600).build()


def test_demo_chris_has_every_profile_field(university):
    # when
    chris = Person.objects.get(staff_id="chriswong")
    # then
    assert (chris.known_as, chris.native_name) == ("Chris WONG - demo", "王大明")
    assert (chris.address, chris.phone, chris.email) == (
        "LIB-P000",
        "+852 34420000",
        "chriswong@cityu.edu.hk",
    )
    assert chris.status == PersonStatus.CURRENT
    assert {(v.given_names, v.family_name) for v in chris.name_variants.all()} == {
        ("C.", "Wong"),
        ("Tai Ming", "Wong"),
    }
    assert "tai ming wong" in chris.search_text
    position = chris.positions.get()
    assert position.get_role_display() == "Doctor of Philosophy (Student)"
    assert position.org_unit.name == "Run Run Shaw Library"
    assert position.org_unit.parent is not None
    assert position.org_unit.parent.name == "City University of Hong Kong"
    assert chris.links.get().link_type == LinkType.GOOGLE_SCHOLAR


def test_demo_chris_starts_before_the_exercise(university):
    # given: Chris's ORCID iD and Scopus Author ID exist, in the sandboxes' cast
    chris = Person.objects.get(staff_id="chriswong")
    assert university.cast[0]["orcid"] == "0000-0000-0000-0001"
    assert university.cast[0]["scopus_author_id"] == "98765432100"
    # then: neither is on his portal profile, so the seed's step (6) adds the Scopus Author ID
    assert not chris.identifiers.exists()
    form = NewIdentifierForm(
        {"new_id_type": "scopus_author_id", "new_id_value": "98765432100"},
        person=chris,
        pending=[],
    )
    assert form.is_valid(), form.errors


def test_demo_another_researcher_shows_the_finished_exercise(university):
    # when
    finished = Person.objects.get(pk=FINISHED_RESEARCHER)
    ids = {i.id_type: i.status for i in finished.identifiers.all()}
    # then
    assert ids == {
        "orcid": IdentifierStatus.AUTHENTICATED,
        "scopus_author_id": IdentifierStatus.VERIFIED,
    }
    assert finished.pk <= CAST_SIZE


def test_demo_outputs_in_every_workflow_state_across_units(university):
    # when
    states = ResearchOutput.objects.values("workflow_status").annotate(
        units=Count("managing_unit", distinct=True), outputs=Count("id")
    )
    by_state = {row["workflow_status"]: row for row in states}
    # then: every state the researcher and the Library see, each in more than one unit
    for state in (
        WorkflowStatus.ENTRY_IN_PROGRESS,
        WorkflowStatus.FOR_VALIDATION,
        WorkflowStatus.RETURNED,
        WorkflowStatus.VALIDATED,
    ):
        assert by_state[state]["units"] > 1, state
    # the queue has submitters and ages; returned ones say why; one change request
    queue = ResearchOutput.objects.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
    assert not queue.filter(submitted_by__isnull=True).exists()
    assert queue.values("submitted_at").distinct().count() > 1
    for returned in ResearchOutput.objects.filter(workflow_status=WorkflowStatus.RETURNED):
        assert returned.comments.get().kind == OutputCommentKind.RETURN
    changed = ResearchOutput.objects.get(change_requested=True)
    assert changed.workflow_status == WorkflowStatus.VALIDATED
    assert changed.comments.get().kind == OutputCommentKind.CHANGE_REQUEST


def test_demo_holds_duplicates_for_the_library_to_merge(university):
    # when: outputs without a DOI whose normalised title, year and first author match another
    twins = []
    for output in ResearchOutput.objects.exclude(identifiers__id_type="doi"):
        first = output.contributors.get(position=1)
        originals = (
            ResearchOutput.objects.filter(
                title_key=output.title_key, publication_year=output.publication_year
            )
            .exclude(pk=output.pk)
            .filter(
                contributors__position=1,
                contributors__family_name=first.family_name,
                contributors__given_names=first.given_names,
            )
        )
        twins.append((output, originals.get()))
    # then
    assert len(twins) == DUPLICATE_PAIRS
    for twin, original in twins:
        assert twin.title != original.title
        assert twin.workflow_status == WorkflowStatus.FOR_VALIDATION
        assert original.workflow_status == WorkflowStatus.VALIDATED


def test_demo_chris_has_the_hkall_article(university):
    # when
    article = ResearchOutput.objects.get(identifiers__value="10.1108/02641610610669750")
    # then
    assert article.title == (
        "User-initiated resource sharing in Hong Kong universities: Planning to reality with HKALL"
    )
    assert (article.host_title, article.publication_year, article.output_type) == (
        "Interlending and Document Supply",
        2006,
        "journal-article",
    )
    assert (article.volume, article.issue, article.pages) == ("34", "2", "70-75")
    assert article.is_public
    assert article.identifiers.get(id_type="eid").value == "2-s2.0-33745291715"
    first_author = article.contributors.get(position=1).person
    assert first_author is not None
    assert first_author.staff_id == "chriswong"
    assert Contributor.objects.filter(person__staff_id="chriswong").count() >= 5


def test_demo_units_form_a_hierarchy(university):
    # when
    units = {unit.slug: unit for unit in OrgUnit.objects.select_related("parent")}
    # then
    roots = [unit for unit in units.values() if unit.parent is None]
    assert [root.unit_type for root in roots] == [OrgUnitType.UNIVERSITY]
    for unit in units.values():
        if unit.unit_type == OrgUnitType.DEPARTMENT:
            assert unit.parent is not None, unit.name
            assert unit.parent.unit_type == OrgUnitType.FACULTY, unit.name
        if unit.unit_type in (OrgUnitType.FACULTY, OrgUnitType.LIBRARY):
            assert unit.parent == roots[0], unit.name


def test_demo_researchers_are_varied(university):
    # when
    persons = list(Person.objects.all())
    # then
    assert len(persons) == 60
    assert sum(1 for person in persons if person.native_name) >= 20
    assert sum(1 for person in persons if not person.native_name) >= 3
    assert len({person.slug for person in persons}) == 60
    assert len({person.staff_id for person in persons}) == 60
    assert all(person.name_variants.exists() for person in persons)
    # Some go by a Western name other than their official (romanised Chinese) one.
    assert any(not person.known_as.startswith(person.given_names) for person in persons[1:])
    assert all(person.positions.filter(is_primary=True).count() == 1 for person in persons)
    assert Counter(person.status for person in persons)[PersonStatus.CURRENT] >= 50


def test_demo_every_researcher_logs_in_with_the_demo_password(university):
    # when
    accounts = User.objects.filter(person__isnull=False)
    # then
    assert accounts.count() == 60
    # The password is hashed once and shared, which keeps large seeds fast.
    assert len(set(accounts.values_list("password", flat=True))) == 1
    account = accounts.first()
    assert account is not None
    assert account.check_password(DEMO_PASSWORD)
    library = User.objects.get(username="library")
    assert library.check_password(DEMO_PASSWORD)
    assert library.groups.filter(name="Library staff").exists()


def test_demo_output_identifiers_are_valid_and_unique(university):
    # when
    rows = list(OutputIdentifier.objects.values_list("output_id", "id_type", "value"))
    # then: DOI, EID and ISSN on each output, except the duplicates typed in without DOI or EID
    assert len(rows) == 3 * 600 - 2 * DUPLICATE_PAIRS
    for _, id_type, value in rows:
        assert identifiers.normalise(identifiers.Scheme(id_type), value) == value
    for id_type in ("doi", "eid"):
        values = [value for _, kind, value in rows if kind == id_type]
        assert len(values) == len(set(values)) == 600 - DUPLICATE_PAIRS


def test_demo_authors_are_ordered_and_include_an_insider(university):
    # when
    shapes = ResearchOutput.objects.annotate(
        first=Min("contributors__position"),
        last=Max("contributors__position"),
        authors=Count("contributors"),
        insiders=Count("contributors__person"),
    ).values_list("first", "last", "authors", "insiders")
    # then
    for first, last, authors, insiders in shapes:
        assert (first, last) == (1, authors)
        assert insiders >= 1
    assert Contributor.objects.filter(person__isnull=True).exists()


def test_demo_outputs_are_mostly_public_and_validated(university):
    # when
    workflow = Counter(ResearchOutput.objects.values_list("workflow_status", flat=True))
    visibility = Counter(ResearchOutput.objects.values_list("visibility", flat=True))
    # then
    assert workflow[WorkflowStatus.VALIDATED] > 0.8 * 600
    assert workflow[WorkflowStatus.FOR_VALIDATION] > 0
    assert workflow[WorkflowStatus.ENTRY_IN_PROGRESS] > 0
    assert visibility[Visibility.PUBLIC] > 0.9 * 600
    assert visibility[Visibility.CAMPUS] > 0


def test_demo_audits_one_entry_per_batch(university):
    # when
    entries = AuditEntry.objects.filter(target_type="portal.contributor")
    # then
    assert entries.count() == 1
    assert entries.get().target_label == f"demo contributors: {Contributor.objects.count()} rows"


def test_demo_cast_describes_the_first_researchers(university):
    # when
    cast = university.cast
    # then
    assert len(cast) == CAST_SIZE
    assert cast[0]["credit_name"] == "Chris WONG - demo"
    assert cast[0]["other_names"] == ["Wong, C.", "Wong Tai Ming"]
    assert len({member["orcid"] for member in cast}) == CAST_SIZE
    assert len({member["email"] for member in cast}) == CAST_SIZE
    for member in cast:
        assert identifiers.normalise(identifiers.Scheme.ORCID, member["orcid"]) == member["orcid"]
        person = Person.objects.get(staff_id=member["staff_id"])
        if person.staff_id != "chriswong":
            assert person.identifiers.get(id_type="orcid").value == member["orcid"]
        public = {
            output.identifiers.get(id_type="eid").value
            for output in ResearchOutput.objects.filter(
                contributors__person=person, workflow_status=WorkflowStatus.VALIDATED
            )
        }
        in_scopus = {output["eid"] for output in member["outputs"]}
        if person.staff_id == "chriswong":
            # His last article is in Scopus but not yet in the portal: his DOI import.
            assert in_scopus - public == {"2-s2.0-85120000222"}
        assert in_scopus - {"2-s2.0-85120000222"} == public

        for output in member["outputs"]:
            assert member["family_name"] not in [c["family_name"] for c in output["coauthors"]]


def test_demo_bibtex_file_parses_with_one_held_and_one_bad_doi(university):
    import bibtexparser

    # when
    library = bibtexparser.parse_string(DEMO_BIBTEX)
    dois = [entry.fields_dict["doi"].value for entry in library.entries if "doi" in entry]
    # then
    assert len(library.entries) == 10
    assert not library.failed_blocks
    assert all("Wong, Chris" in entry["author"] for entry in library.entries)
    assert "not-a-doi" in dois
    held = OutputIdentifier.objects.filter(id_type="doi", value__in=dois)
    assert list(held.values_list("value", flat=True)) == ["10.1108/02641610610669750"]


def test_demo_orcid_ids_stay_below_orcids_issued_ranges():
    # when
    numbers = [orcid_for(n) for n in (0, 1, 49_999)]
    # then
    assert numbers[0] == "0000-0000-0000-0001"
    assert all(number.startswith("0000-0000-") for number in numbers)


def test_wipe_portal_removes_demo_data_but_keeps_superusers(university):
    # given
    User.objects.create_superuser("admin", password="x" * 12)
    # when
    wipe_portal()
    # then
    assert not Person.objects.exists()
    assert not ResearchOutput.objects.exists()
    assert not Contributor.objects.exists()
    assert not OrgUnit.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]


def test_demo_build_keeps_every_foreign_key():
    # given
    from django.db import connection

    def foreign_keys() -> list[tuple[str, str]]:
        if connection.vendor != "postgresql":
            return [("sqlite", "checks rows as they come")]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid::regclass::text LIKE 'portal_%' ORDER BY 1, 2"
            )
            return [(table, definition) for table, definition in cursor.fetchall()]

    before = foreign_keys()
    # when
    DemoUniversity(5, 20).build()
    # then
    assert foreign_keys() == before
    assert any("portal_contributor" in table for table, _ in before) or before[0][0] == "sqlite"
