"""The research output actions: entering an output, its workflow, permissions and the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from portal.actions import (
    ContributorEntry,
    do_create_output,
    do_submit_output_for_validation,
    do_validate_output,
)
from portal.choices import AuditAction, OutputType, WorkflowStatus
from portal.errors import DuplicateIdentifierError, InvalidIdentifierError, NotAllowedError
from portal.models import AuditEntry, Contributor, OutputIdentifier, ResearchOutput
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db

HKALL: dict[str, Any] = {
    "output_type": OutputType.JOURNAL_ARTICLE,
    "title": "User-initiated resource sharing in Hong Kong universities",
    "publication_year": 2006,
    "host_title": "Interlending and Document Supply",
    "volume": "34",
    "issue": "2",
    "pages": "70-75",
}


def enter(researcher, acting_user, **changes: Any) -> ResearchOutput:
    return do_create_output(
        {**HKALL, **changes},
        [
            ContributorEntry("WONG", "Chris", person=researcher),
            ContributorEntry("Outsider", "A.", external_affiliation="HKU"),
        ],
        [("doi", "https://doi.org/10.1108/02641610610669750"), ("eid", "2-s2.0-33745291715")],
        acting_user=acting_user,
    )


def test_create_output_stores_authors_in_order_and_normalised_ids(researcher):
    # when
    output = enter(researcher, researcher.user)
    # then
    assert output.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
    assert [(c.position, c.person_id, c.family_name) for c in output.contributors.all()] == [
        (1, researcher.pk, "WONG"),
        (2, None, "Outsider"),
    ]
    assert set(output.identifiers.values_list("id_type", "value")) == {
        ("doi", "10.1108/02641610610669750"),
        ("eid", "2-s2.0-33745291715"),
    }
    entry = AuditEntry.objects.get(target_type="portal.researchoutput")
    assert (entry.action, entry.actor, entry.person) == (
        AuditAction.CREATE,
        researcher.user,
        researcher,
    )
    assert entry.after["identifiers"] == ["doi:10.1108/02641610610669750", "eid:2-s2.0-33745291715"]


def test_create_output_refuses_someone_elses_output(researcher):
    # given
    stranger = make_person("Mary", "CHAN")
    # when / then
    with pytest.raises(NotAllowedError, match="only enter outputs you are an author of"):
        enter(researcher, stranger.user)
    assert not ResearchOutput.objects.exists()


def test_create_output_lets_the_library_enter_for_anyone(researcher, library_user):
    output = enter(researcher, library_user)
    assert output.contributors.count() == 2


def test_create_output_refuses_anonymous_users(researcher):
    with pytest.raises(NotAllowedError, match="log in"):
        enter(researcher, AnonymousUser())


@pytest.mark.parametrize(
    ("id_type", "value", "message"),
    [
        ("doi", "not a doi", "DOI"),
        ("eid", "2-s2.0-", "EID"),
        ("issn", "0264-1616", "ISSN"),
        ("isbn", "978-0-00-000000-0", "ISBN"),
        ("pmid", "abc", "PubMed ID"),
        ("wos", "   ", "Web of Science UID"),
        ("wos", "WOS:\x00", "Web of Science UID"),
        ("shoe-size", "42", "not an output ID type"),
    ],
)
def test_create_output_refuses_bad_identifiers(researcher, id_type, value, message):
    with pytest.raises(InvalidIdentifierError, match=message):
        do_create_output(
            HKALL,
            [ContributorEntry("WONG", person=researcher)],
            [(id_type, value)],
            acting_user=None,
        )
    assert not ResearchOutput.objects.exists()
    assert not AuditEntry.objects.exists()


def test_create_output_refuses_a_doi_already_recorded(researcher):
    # given
    existing = make_output(researcher, doi="10.1108/02641610610669750")
    # when / then
    with pytest.raises(DuplicateIdentifierError, match=f"research output {existing.pk}"):
        enter(researcher, researcher.user)
    assert ResearchOutput.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"publication_year": 99}, "publication_year"),
        ({"publication_year": 30000}, "publication_year"),
        ({"publication_month": 13}, "publication_month"),
        ({"publication_month": 2, "publication_day": 0}, "publication_day"),
        ({"publication_day": 3}, "publication_day"),
        ({"title": ""}, "title"),
        ({"title": "x" * 1001}, "title"),
        ({"output_type": "poem"}, "output_type"),
        ({"visibility": "secret"}, "visibility"),
    ],
)
def test_create_output_refuses_bad_fields(researcher, changes, field):
    with pytest.raises(ValidationError) as error:
        enter(researcher, researcher.user, **changes)
    assert field in error.value.message_dict
    assert not ResearchOutput.objects.exists()
    assert not Contributor.objects.exists()


def test_create_output_refuses_fields_outside_the_form(researcher):
    with pytest.raises(NotAllowedError, match="workflow_status"):
        enter(researcher, researcher.user, workflow_status=WorkflowStatus.VALIDATED)


def test_create_output_needs_an_author(researcher):
    with pytest.raises(ValidationError, match="at least one author"):
        do_create_output(HKALL, [], acting_user=None)


def test_create_output_refuses_an_author_without_a_name():
    with pytest.raises(ValidationError):
        do_create_output(HKALL, [ContributorEntry("  ")], acting_user=None)
    assert not ResearchOutput.objects.exists()


def test_workflow_goes_from_entry_to_validated(researcher, library_user):
    # given
    output = enter(researcher, researcher.user)
    # when
    do_submit_output_for_validation(output, acting_user=researcher.user)
    do_validate_output(output, acting_user=library_user)
    # then
    output.refresh_from_db()
    assert output.workflow_status == WorkflowStatus.VALIDATED
    moves = AuditEntry.objects.filter(action=AuditAction.UPDATE).order_by("pk")
    assert [(m.actor, m.before, m.after) for m in moves] == [
        (
            researcher.user,
            {"workflow_status": "entry_in_progress"},
            {"workflow_status": "for_validation"},
        ),
        (library_user, {"workflow_status": "for_validation"}, {"workflow_status": "validated"}),
    ]


def test_validate_output_is_for_the_library_only(researcher):
    # given
    output = enter(researcher, researcher.user)
    do_submit_output_for_validation(output, acting_user=researcher.user)
    # when / then
    with pytest.raises(NotAllowedError, match="Only the Library"):
        do_validate_output(output, acting_user=researcher.user)
    output.refresh_from_db()
    assert output.workflow_status == WorkflowStatus.FOR_VALIDATION


def test_validate_output_refuses_an_output_not_submitted(researcher, library_user):
    output = enter(researcher, researcher.user)
    with pytest.raises(NotAllowedError, match="Only an output in 'For validation'"):
        do_validate_output(output, acting_user=library_user)


def test_submit_output_twice_is_refused(researcher):
    output = enter(researcher, researcher.user)
    do_submit_output_for_validation(output, acting_user=researcher.user)
    with pytest.raises(NotAllowedError, match="this one is in 'For validation'"):
        do_submit_output_for_validation(output, acting_user=researcher.user)


def test_submit_output_refuses_non_authors(researcher):
    # given
    output = enter(researcher, researcher.user)
    stranger = make_person("Mary", "CHAN")
    # when / then
    with pytest.raises(NotAllowedError, match="outputs you are an author of"):
        do_submit_output_for_validation(output, acting_user=stranger.user)
    assert OutputIdentifier.objects.count() == 2
    output.refresh_from_db()
    assert output.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
