"""The Library's "For validation" queue: filters, oldest first, bulk, Validate and Return."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.choices import WorkflowStatus
from portal.models import OrgUnit, Person, ResearchOutput
from portal.tests.fixtures import make_output, make_person, make_unit

pytestmark = pytest.mark.django_db


def waiting(
    person: Person,
    title: str,
    *,
    days: int = 0,
    unit: OrgUnit | None = None,
    year: int = 2020,
    submitter: User | None = None,
) -> ResearchOutput:
    output = make_output(person, title=title, year=year, workflow=WorkflowStatus.FOR_VALIDATION)
    ResearchOutput.objects.filter(pk=output.pk).update(
        submitted_at=timezone.now() - timedelta(days=days),
        managing_unit=unit,
        submitted_by=submitter or person.user,
    )
    return output


def test_queue_is_oldest_first_and_for_the_library_only(client, researcher, library_user):
    # given
    waiting(researcher, "Newer", days=1)
    waiting(researcher, "Older", days=10)
    make_output(researcher, title="Already validated")
    # when
    client.force_login(researcher.user)
    refused = client.get(reverse("portal:validation-queue"))
    client.force_login(library_user)
    page = client.get(reverse("portal:validation-queue")).content.decode()
    # then
    assert refused.status_code == 403
    assert "For validation" in page
    assert page.index("Older") < page.index("Newer")
    assert "Already validated" not in page


@pytest.mark.parametrize(
    ("filters", "shown", "hidden"),
    [
        ({"year": "2019"}, "In 2019", "Old one"),
        ({"older_than": "5"}, "Old one", "In 2019"),
        ({"submitter": "nobody"}, None, "Old one"),
    ],
)
def test_queue_filters(client, researcher, library_user, filters, shown, hidden):
    waiting(researcher, "Old one", days=10)
    waiting(researcher, "In 2019", days=1, year=2019)
    client.force_login(library_user)
    page = client.get(reverse("portal:validation-queue"), filters).content.decode()
    if shown:
        assert shown in page
    assert hidden not in page


def test_queue_filters_by_unit_and_counts_per_unit(client, researcher, library_user):
    law = make_unit("School of Law")
    waiting(researcher, "Law paper", unit=law)
    waiting(researcher, "Other paper")
    client.force_login(library_user)
    page = client.get(reverse("portal:validation-queue"), {"unit": law.pk}).content.decode()
    assert "Law paper" in page
    assert "Other paper" not in page
    console = client.get(reverse("portal:library-console")).content.decode()
    assert "School of Law: 1" in console


def test_bulk_validate_selected(client, researcher, library_user):
    one, two = waiting(researcher, "One"), waiting(researcher, "Two")
    client.force_login(library_user)
    client.post(reverse("portal:validation-queue"), {"selected": [one.pk, two.pk, "x"]})
    assert set(
        ResearchOutput.objects.filter(pk__in=[one.pk, two.pk]).values_list(
            "workflow_status", flat=True
        )
    ) == {WorkflowStatus.VALIDATED}


def test_validate_and_return_buttons(client, researcher, library_user):
    # given
    one, two = waiting(researcher, "One"), waiting(researcher, "Two")
    client.force_login(library_user)
    page = client.get(reverse("portal:my-output-detail", args=[one.pk])).content.decode()
    assert "Validate" in page
    assert "Return to researcher" in page
    # when
    client.post(reverse("portal:output-validate", args=[one.pk]))
    empty = client.post(reverse("portal:output-return", args=[two.pk]), {"comment": ""})
    client.post(reverse("portal:output-return", args=[two.pk]), {"comment": "Wrong year."})
    # then
    one.refresh_from_db()
    two.refresh_from_db()
    assert empty.status_code == 302
    assert one.workflow_status == WorkflowStatus.VALIDATED
    assert two.workflow_status == WorkflowStatus.RETURNED
    client.force_login(researcher.user)
    mine = client.get(reverse("portal:my-output-detail", args=[two.pk])).content.decode()
    assert "Returned" in mine
    assert "Wrong year." in mine


def test_researcher_cannot_validate(client, researcher):
    output = waiting(researcher, "Mine")
    client.force_login(researcher.user)
    assert client.post(reverse("portal:output-validate", args=[output.pk])).status_code == 403


@pytest.mark.parametrize("outputs", [1, 20])
def test_queue_query_count_is_constant(client, django_assert_num_queries, library_user, outputs):
    for index in range(outputs):
        waiting(make_person("Given", f"NAME{index}"), f"Paper {index}")
    client.force_login(library_user)
    # session, user, group, the counts per unit with their names (their sum is the queue's
    # size: no count of its own), units (filter), page, first authors. (Was 10: the list shows
    # no identifiers any more, and the whole queue is no longer counted twice; then 8: the
    # counts are read from the count table with their names, not grouped from the queue.)
    with django_assert_num_queries(7):
        client.get(reverse("portal:validation-queue"))


def test_unit_filter_reads_no_output_when_nothing_waits_there(client, researcher, library_user):
    # given: outputs wait in Law, none in Music
    law, music = make_unit("School of Law"), make_unit("Music")
    for index in range(3):
        waiting(researcher, f"Law paper {index}", unit=law)
    client.force_login(library_user)
    # when
    with CaptureQueriesContext(connection) as empty:
        page = client.get(reverse("portal:validation-queue"), {"unit": music.pk})
    with CaptureQueriesContext(connection) as full:
        law_page = client.get(reverse("portal:validation-queue"), {"unit": law.pk})
    # then: Music's page says nothing waits without reading the outputs at all
    assert "0 research outputs waiting" in page.content.decode()
    assert not [q for q in empty.captured_queries if "portal_researchoutput" in q["sql"]]
    # and Law's lists its three, counted from the count table (no COUNT over the outputs)
    text = law_page.content.decode()
    assert "3 research outputs waiting" in text
    assert all(f"Law paper {index}" in text for index in range(3))
    assert not [
        q
        for q in full.captured_queries
        if "COUNT(" in q["sql"].upper() and "portal_researchoutput" in q["sql"]
    ]


@pytest.mark.parametrize("few", [1000, 1], ids=["ids-first", "queue-walk"])
def test_unit_filter_shows_outputs_it_manages_and_lists(
    client, researcher, library_user, monkeypatch, few: int
) -> None:
    # given: Law manages two waiting outputs and lists a third managed by Music
    law, music = make_unit("School of Law"), make_unit("Music")
    waiting(researcher, "Managed one", unit=law, days=3)
    waiting(researcher, "Managed two", unit=law, days=1)
    listed = waiting(researcher, "Listed only", unit=music, days=2)
    listed.units.add(law)
    waiting(researcher, "Music only", unit=music)
    monkeypatch.setattr("portal.output_queries.FEW_IN_UNIT", few)
    client.force_login(library_user)
    # when
    page = client.get(reverse("portal:validation-queue"), {"unit": law.pk}).content.decode()
    # then: all three, oldest first, and nothing else
    assert "3 research outputs waiting" in page
    assert page.index("Managed one") < page.index("Listed only") < page.index("Managed two")
    assert "Music only" not in page


def test_merge_from_the_library_page(client, researcher, library_user):
    survivor = make_output(researcher, title="Same paper", year=2020, externals=0)
    duplicate = make_output(researcher, title="Same paper.", year=2020, externals=0)
    client.force_login(library_user)
    page = client.get(reverse("portal:my-output-detail", args=[survivor.pk])).content.decode()
    assert "Possible duplicate" in page
    client.post(reverse("portal:output-merge", args=[survivor.pk]), {"duplicate": duplicate.pk})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    public = client.get(reverse("portal:my-output-detail", args=[duplicate.pk]))
    assert public.status_code == 302


def test_merged_output_public_address_redirects(client, researcher, library_user):
    # given
    survivor = make_output(researcher, title="Kept")
    duplicate = make_output(researcher, title="Gone")
    client.force_login(library_user)
    client.post(reverse("portal:output-merge", args=[survivor.pk]), {"duplicate": duplicate.pk})
    client.logout()
    # when
    response = client.get(reverse("portal:output-detail", args=[duplicate.pk]))
    # then
    assert response.status_code == 302
    assert response.url == reverse("portal:output-detail", args=[survivor.pk])
    assert client.get(reverse("portal:output-detail", args=[999999])).status_code == 404
