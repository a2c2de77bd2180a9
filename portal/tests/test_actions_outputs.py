"""The research output actions: entering an output, its workflow, permissions and the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.actions import (
    ContributorEntry,
    do_create_output,
    do_merge_outputs,
    do_request_output_change,
    do_return_output,
    do_submit_output_for_validation,
    do_update_output,
    do_validate_output,
    do_validate_outputs,
    do_withdraw_output,
)
from portal.choices import AuditAction, OutputType, WorkflowStatus
from portal.errors import DuplicateIdentifierError, InvalidIdentifierError, NotAllowedError
from portal.models import AuditEntry, Contributor, OutputIdentifier, Person, ResearchOutput
from portal.signals import output_merged
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


# --- returned, withdrawn, change requests, merging, e-mail ----------------------------------


def submitted(researcher: Person) -> ResearchOutput:
    output = enter(researcher, researcher.user)
    do_submit_output_for_validation(output, acting_user=researcher.user)
    return output


def test_return_output_needs_a_comment_and_mails_the_authors(
    researcher, library_user, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    output = submitted(researcher)
    # when
    with pytest.raises(ValidationError, match="say what should change"):
        do_return_output(output, "   ", acting_user=library_user)
    with django_capture_on_commit_callbacks(execute=True):
        do_return_output(output, "Please add the DOI.", acting_user=library_user)
    # then
    output.refresh_from_db()
    assert output.workflow_status == WorkflowStatus.RETURNED
    assert output.comments.get().text == "Please add the DOI."
    assert [mail.to for mail in mailoutbox] == [[researcher.email]]
    assert "Please add the DOI." in mailoutbox[0].body


def test_returned_output_can_be_submitted_again(researcher, library_user):
    output = submitted(researcher)
    do_return_output(output, "Fix the pages.", acting_user=library_user)
    do_submit_output_for_validation(output, acting_user=researcher.user)
    assert output.workflow_status == WorkflowStatus.FOR_VALIDATION


def test_return_is_for_the_library_only(researcher):
    output = submitted(researcher)
    with pytest.raises(NotAllowedError, match="Only the Library"):
        do_return_output(output, "no", acting_user=researcher.user)


def test_validation_mails_the_authors(
    researcher, library_user, mailoutbox, django_capture_on_commit_callbacks
):
    output = submitted(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        do_validate_output(output, acting_user=library_user)
    assert output.validated_at is not None
    assert mailoutbox[0].subject.endswith("Research output validated")


def test_bulk_validation_is_all_or_nothing(researcher, library_user):
    # given
    ready = submitted(researcher)
    draft = make_output(researcher, title="Draft", workflow=WorkflowStatus.ENTRY_IN_PROGRESS)
    # when / then
    with pytest.raises(NotAllowedError):
        do_validate_outputs([ready, draft], acting_user=library_user)
    ready.refresh_from_db()
    assert ready.workflow_status == WorkflowStatus.FOR_VALIDATION


def test_researcher_withdraws_a_draft_but_not_a_validated_output(researcher, library_user):
    draft = enter(researcher, researcher.user)
    do_withdraw_output(draft, acting_user=researcher.user)
    assert draft.workflow_status == WorkflowStatus.WITHDRAWN
    validated = make_output(researcher, title="Validated")
    with pytest.raises(NotAllowedError, match="ask the Library"):
        do_withdraw_output(validated, acting_user=researcher.user)
    do_withdraw_output(validated, acting_user=library_user)
    assert validated.workflow_status == WorkflowStatus.WITHDRAWN


def test_change_request_on_a_validated_output(researcher, library_user):
    # given
    output = make_output(researcher)
    # when
    do_request_output_change(output, "Volume is 35.", acting_user=researcher.user)
    # then
    output.refresh_from_db()
    assert output.change_requested
    do_validate_output(output, acting_user=library_user)
    output.refresh_from_db()
    assert not output.change_requested
    assert output.workflow_status == WorkflowStatus.VALIDATED


def test_researcher_cannot_update_a_validated_output(researcher):
    output = make_output(researcher)
    with pytest.raises(NotAllowedError, match="only the Library can change it"):
        do_update_output(
            output,
            {"title": "New"},
            [ContributorEntry("WONG", person=researcher)],
            [],
            acting_user=researcher.user,
        )


def test_update_output_audits_what_changed(researcher):
    output = enter(researcher, researcher.user)
    changed = do_update_output(
        output,
        {**HKALL, "title": "A new title"},
        [ContributorEntry("WONG", "Chris", person=researcher)],
        [("doi", "10.1108/02641610610669750")],
        acting_user=researcher.user,
    )
    assert set(changed) == {"title", "contributors", "identifiers"}
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).get()
    assert entry.before["title"] == HKALL["title"]
    assert entry.after["title"] == "A new title"


def test_merge_moves_identifiers_and_authors_and_redirects(researcher, library_user, client):
    # given
    mary = make_person("Mary", "CHAN")
    survivor = make_output(researcher, title="Sharing", doi="10.1108/02641610610669750")
    duplicate = make_output(mary, title="Sharing (copy)")
    OutputIdentifier.objects.create(output=duplicate, id_type="eid", value="2-s2.0-33745291715")
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    output_merged.connect(receiver)
    # when
    try:
        do_merge_outputs(survivor, duplicate, acting_user=library_user)
    finally:
        output_merged.disconnect(receiver)
    # then
    assert set(survivor.identifiers.values_list("id_type", flat=True)) == {"doi", "eid"}
    assert survivor.contributors.filter(person=mary).exists()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert duplicate.workflow_status == WorkflowStatus.WITHDRAWN
    assert received[0]["survivor"] == survivor
    assert received[0]["merged"].pk == duplicate.pk
    client.force_login(library_user)
    response = client.get(reverse("portal:my-output-detail", args=[duplicate.pk]))
    assert response.url == reverse("portal:my-output-detail", args=[survivor.pk])


def test_merge_refuses_outputs_with_different_dois(researcher, library_user):
    one = make_output(researcher, doi="10.1/one")
    two = make_output(researcher, doi="10.1/two")
    with pytest.raises(NotAllowedError, match="different publications"):
        do_merge_outputs(one, two, acting_user=library_user)


def test_merge_is_for_the_library_only(researcher):
    one = make_output(researcher)
    two = make_output(researcher)
    with pytest.raises(NotAllowedError, match="Only the Library"):
        do_merge_outputs(one, two, acting_user=researcher.user)
