"""My research output, "Add research output", edit, the workflow buttons and the duplicate page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from portal.choices import OutputType, WorkflowStatus
from portal.models import AuditEntry, Contributor, ResearchOutput
from portal.tests.fixtures import make_output, make_person

pytestmark = pytest.mark.django_db


def form_data(researcher, **changes: Any) -> dict[str, Any]:
    """What a researcher types on the journal article template, contributors included."""
    data = {
        "title": "User-initiated resource sharing in Hong Kong universities",
        "language": "en",
        "publication_status": "published",
        "publication_year": "2006",
        "host_title": "Interlending and Document Supply",
        "volume": "34",
        "issue": "2",
        "pages": "70-75",
        "visibility": "public",
        "doi": "https://doi.org/10.1108/02641610610669750",
        "contributors-TOTAL_FORMS": "2",
        "contributors-INITIAL_FORMS": "0",
        "contributors-MIN_NUM_FORMS": "0",
        "contributors-MAX_NUM_FORMS": "500",
        "contributors-0-internal": researcher.staff_id,
        "contributors-0-role": "author",
        "contributors-0-ORDER": "1",
        "contributors-1-family_name": "Outsider",
        "contributors-1-given_names": "A.",
        "contributors-1-external_affiliation": "University of Hong Kong",
        "contributors-1-role": "author",
        "contributors-1-ORDER": "2",
        "action": "save",
    }
    data.update(changes)
    return data


def add(client, researcher, **changes: Any):
    return client.post(
        reverse("portal:add-output-of-type", args=["journal-article"]),
        form_data(researcher, **changes),
    )


def test_add_research_output_lists_the_templates(client, researcher):
    # given
    client.force_login(researcher.user)
    # when
    page = client.get(reverse("portal:add-output")).content.decode()
    # then
    for label in (
        "Journal article",
        "Conference contribution",
        "Book",
        "Chapter in a book",
        "Thesis",
        "Dataset",
        "Report",
        "Other contribution",
    ):
        assert label in page


def test_each_template_shows_its_own_fields(client, researcher):
    client.force_login(researcher.user)
    article = client.get(reverse("portal:add-output-of-type", args=["journal-article"]))
    thesis = client.get(reverse("portal:add-output-of-type", args=["dissertation-thesis"]))
    assert "Journal" in article.content.decode()
    assert 'name="issue"' in article.content.decode()
    assert 'name="awarding_institution"' in thesis.content.decode()
    assert 'name="issue"' not in thesis.content.decode()
    assert client.get(reverse("portal:add-output-of-type", args=["poem"])).status_code == 404


def test_save_keeps_the_output_as_entry_in_progress(client, researcher):
    # given
    client.force_login(researcher.user)
    # when
    response = add(client, researcher)
    # then
    output = ResearchOutput.objects.get()
    assert response.status_code == 302
    assert output.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
    assert [
        (c.person_id, c.family_name, c.external_affiliation)
        for c in output.contributors.order_by("position")
    ] == [
        (researcher.pk, "WONG", ""),
        (None, "Outsider", "University of Hong Kong"),
    ]
    assert list(output.identifiers.values_list("id_type", "value")) == [
        ("doi", "10.1108/02641610610669750")
    ]
    listing = client.get(reverse("portal:my-outputs")).content.decode()
    assert output.title in listing
    assert "Entry in progress" in listing


def test_submit_for_validation_hands_it_to_the_library(client, researcher):
    client.force_login(researcher.user)
    add(client, researcher, action="submit")
    output = ResearchOutput.objects.get()
    assert output.workflow_status == WorkflowStatus.FOR_VALIDATION
    assert output.submitted_by == researcher.user


def test_contributor_order_follows_the_order_numbers(client, researcher):
    client.force_login(researcher.user)
    add(client, researcher, **{"contributors-0-ORDER": "2", "contributors-1-ORDER": "1"})
    names = list(
        ResearchOutput.objects.get()
        .contributors.order_by("position")
        .values_list("family_name", flat=True)
    )
    assert names == ["Outsider", "WONG"]


def test_internal_person_found_by_name(client, researcher):
    # given
    colleague = make_person("Mary", "CHAN")
    client.force_login(researcher.user)
    # when
    add(
        client,
        researcher,
        **{"contributors-1-internal": "mary chan", "contributors-1-family_name": ""},
    )
    # then
    output = ResearchOutput.objects.get()
    assert output.contributors.get(position=2).person == colleague


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"doi": "not a doi"}, "doi", "DOI"),
        ({"publication_year": "99"}, "publication_year", "between 1000"),
        ({"publication_year": "twenty"}, "publication_year", "whole number"),
        ({"publication_month": "13"}, "publication_month", "between 1 and 12"),
        ({"title": ""}, "title", "required"),
        ({"title": "x" * 1001}, "title", "at most 1000"),
        ({"open_access_url": "javascript:alert(1)"}, "open_access_url", "valid URL"),
        ({"licence": "cc-by"}, "open_access_url", "open-access link"),
        (
            {"accepted_date": "2020-05-01", "submitted_date": "2020-06-01"},
            "accepted_date",
            "before the",
        ),
        (
            {"contributors-1-internal": "Nobody Atall", "contributors-1-family_name": ""},
            "contributors-1-internal",
            "No one at the university",
        ),
    ],
)
def test_bad_fields_are_refused_and_the_rest_kept(client, researcher, changes, field, message):
    # given
    client.force_login(researcher.user)
    # when
    response = add(client, researcher, **changes)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'name="{field}"' in page
    assert "Interlending and Document Supply" in page  # what was typed elsewhere is kept
    assert not ResearchOutput.objects.exists()


def test_more_authors_adds_rows_and_keeps_everything(client, researcher):
    client.force_login(researcher.user)
    response = add(client, researcher, action="more_authors")
    page = response.content.decode()
    assert 'name="contributors-4-family_name"' in page
    assert "University of Hong Kong" in page
    assert not ResearchOutput.objects.exists()


def test_a_researcher_cannot_enter_someone_elses_output(client, researcher):
    other = make_person("Mary", "CHAN")
    client.force_login(researcher.user)
    response = add(client, researcher, **{"contributors-0-internal": other.staff_id})
    assert "only enter outputs you are an author of" in response.content.decode()
    assert not ResearchOutput.objects.exists()


def test_possible_duplicate_shown_side_by_side(client, researcher):
    # given
    held = make_output(
        make_person("Mary", "CHAN"),
        title="User-initiated resource sharing in Hong Kong universities",
        year=2006,
        doi="10.1108/02641610610669750",
    )
    client.force_login(researcher.user)
    # when
    response = add(client, researcher)
    # then
    page = response.content.decode()
    assert "Possible duplicate" in page
    assert f"research output {held.pk}" in page
    assert "Add me as an author of that output" in page
    assert "Not a duplicate" not in page  # the same DOI is the same publication
    assert ResearchOutput.objects.count() == 1


def test_not_a_duplicate_saves_after_a_title_match(client, researcher):
    # given: same title, year and first author, but no identifiers to tell them apart
    held = make_output(researcher, title="A study of sharing", year=2006, externals=0)
    client.force_login(researcher.user)
    first = add(client, researcher, title="A study of sharing!", doi="")
    assert "Not a duplicate" in first.content.decode()
    # when
    response = add(
        client, researcher, title="A study of sharing!", doi="", not_duplicate=str(held.pk)
    )
    # then
    assert response.status_code == 302
    new = ResearchOutput.objects.exclude(pk=held.pk).get()
    assert held in new.not_duplicates.all()


def test_add_me_as_an_author_of_the_held_output(client, researcher):
    held = make_output(make_person("Mary", "CHAN"), doi="10.1108/02641610610669750")
    client.force_login(researcher.user)
    response = client.post(reverse("portal:my-output-add-me", args=[held.pk]))
    assert response.status_code == 302
    assert Contributor.objects.filter(output=held, person=researcher).exists()


def test_after_validation_only_the_library_edits(client, researcher, library_user):
    # given
    output = make_output(researcher, workflow=WorkflowStatus.VALIDATED)
    client.force_login(researcher.user)
    # when
    response = client.post(
        reverse("portal:my-output-edit", args=[output.pk]), form_data(researcher, title="Changed")
    )
    # then
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.title == "A study"
    client.force_login(library_user)
    response = client.post(
        reverse("portal:my-output-edit", args=[output.pk]),
        form_data(researcher, title="Changed by the Library", doi=""),
    )
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.title == "Changed by the Library"
    assert AuditEntry.objects.filter(target_id=str(output.pk), actor=library_user).exists()


def test_researcher_asks_for_a_change_and_sees_it(client, researcher):
    output = make_output(researcher, workflow=WorkflowStatus.VALIDATED)
    client.force_login(researcher.user)
    client.post(
        reverse("portal:my-output-change", args=[output.pk]), {"comment": "The volume is 35."}
    )
    output.refresh_from_db()
    assert output.change_requested
    page = client.get(reverse("portal:my-output-detail", args=[output.pk])).content.decode()
    assert "The volume is 35." in page


def test_someone_elses_output_page_is_refused(client, researcher):
    output = make_output(make_person("Mary", "CHAN"), workflow=WorkflowStatus.ENTRY_IN_PROGRESS)
    client.force_login(researcher.user)
    assert client.get(reverse("portal:my-output-detail", args=[output.pk])).status_code == 403
    assert client.get(reverse("portal:my-output-edit", args=[output.pk])).status_code == 403
    assert client.post(reverse("portal:my-output-submit", args=[output.pk])).status_code == 302
    output.refresh_from_db()
    assert output.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS


def test_my_research_output_filters_by_state(client, researcher):
    make_output(researcher, title="Validated one")
    make_output(researcher, title="Draft one", workflow=WorkflowStatus.ENTRY_IN_PROGRESS)
    client.force_login(researcher.user)
    page = client.get(reverse("portal:my-outputs"), {"state": "entry_in_progress"})
    assert "Draft one" in page.content.decode()
    assert "Validated one" not in page.content.decode()


@pytest.mark.parametrize("outputs", [1, 15])
def test_my_research_output_query_count_is_constant(
    client, django_assert_num_queries, researcher, outputs
):
    for index in range(outputs):
        make_output(researcher, title=f"Output {index}")
    client.force_login(researcher.user)
    # session, user, person, count, page, first authors, and the ORCID import panel's look for
    # a connection (PORTAL_PANELS["my-outputs"]). (Was 9: the list shows no identifiers, so it
    # no longer reads them, and the page never used the Library group check it ran.)
    with django_assert_num_queries(7):
        client.get(reverse("portal:my-outputs"))


def test_backend_home_links_to_my_research_output(client, researcher):
    client.force_login(researcher.user)
    assert (
        reverse("portal:my-outputs") in client.get(reverse("portal:backend-home")).content.decode()
    )


def test_edit_keeps_a_review_a_review(client, researcher, library_user):
    output = make_output(researcher, workflow=WorkflowStatus.ENTRY_IN_PROGRESS)
    ResearchOutput.objects.filter(pk=output.pk).update(output_type=OutputType.REVIEW)
    client.force_login(researcher.user)
    client.post(reverse("portal:my-output-edit", args=[output.pk]), form_data(researcher, doi=""))
    output.refresh_from_db()
    assert output.output_type == OutputType.REVIEW


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"contributors-TOTAL_FORMS": "²", "contributors-INITIAL_FORMS": "0"},
        {"contributors-TOTAL_FORMS": "9" * 5000, "contributors-INITIAL_FORMS": "0"},
        {"title": "A title", "contributors-TOTAL_FORMS": "-1"},
    ],
)
def test_a_missing_or_forged_contributor_list_is_a_form_error_not_a_500(client, data):
    # given (found by the fuzz test: an empty POST answered 500)
    chris = make_person()
    client.force_login(chris.user)
    # when
    response = client.post("/backend/outputs/add/journal-article/", data)
    # then
    assert response.status_code in (200, 400)
    assert not ResearchOutput.objects.exists()
