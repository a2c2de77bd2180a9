"""The "My research output" page and the Library's "For validation" queue at scale: served
from the cache while nothing they show changed, never stale after a change; light rows (the
first authors, "et al."), bounded counts, the queue's filters from their indexes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import output_queries
from portal.choices import WorkflowStatus
from portal.models import Contributor, OrgUnit, Person, ResearchOutput
from portal.tests.fixtures import make_output, make_person, make_unit

pytestmark = pytest.mark.django_db


def read(client: Client, url: str, query: dict[str, str] | None = None) -> tuple[str, int]:
    """The page without its CSRF tokens (new for each response), and the queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
    assert response.status_code == 200
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page, len(queries)


def states(page: str) -> list[str]:
    """The workflow states shown in the list's rows."""
    return re.findall(r'<span class="state state--[a-z_]+">([^<]+)</span>', page)


def account(person: Person) -> User:
    assert person.user is not None
    return person.user


def my_outputs(client: Client, query: dict[str, str] | None = None) -> tuple[str, int]:
    return read(client, reverse("portal:my-outputs"), query)


def queue(client: Client, query: dict[str, str] | None = None) -> tuple[str, int]:
    return read(client, reverse("portal:validation-queue"), query)


def waiting(
    person: Person,
    title: str,
    *,
    days: int = 0,
    unit: OrgUnit | None = None,
    year: int = 2020,
    submitter: User | None = None,
    externals: int = 1,
) -> ResearchOutput:
    output = make_output(
        person, title=title, year=year, workflow=WorkflowStatus.FOR_VALIDATION, externals=externals
    )
    output.submitted_at = timezone.now() - timedelta(days=days)
    output.managing_unit = unit
    output.submitted_by = submitter or account(person)
    output.save()
    return output


def test_my_research_output_is_read_once_then_served_from_the_cache(
    client: Client, researcher: Person
) -> None:
    # given
    for number in range(30):
        make_output(researcher, title=f"Study {number}")
    client.force_login(account(researcher))
    # when
    first, first_queries = my_outputs(client)
    second, second_queries = my_outputs(client)
    # then: the same list; only the session, user, person and the ORCID panel are read
    assert second == first
    assert "Study 29" in second
    assert "30 research outputs" in second
    assert second_queries == 4 < first_queries


def test_my_research_output_shows_a_change_at_once(client: Client, researcher: Person) -> None:
    # given: a draft and the cached list
    draft = make_output(researcher, title="Draft", workflow=WorkflowStatus.ENTRY_IN_PROGRESS)
    client.force_login(account(researcher))
    assert states(my_outputs(client)[0]) == ["Entry in progress"]
    # when: it is submitted, and a co-author's name on it corrected
    draft.workflow_status = WorkflowStatus.FOR_VALIDATION
    draft.save()
    outsider = Contributor.objects.get(output=draft, person__isnull=True)
    outsider.family_name = "Insider"
    outsider.save()
    # then
    page = my_outputs(client)[0]
    assert states(page) == ["For validation"]
    assert "Insider, A." in page


def test_my_research_output_of_another_researcher_is_cached_apart(client: Client) -> None:
    chris, mei = make_person(), make_person("Mei", "CHAN")
    make_output(chris, title="Chris's study")
    make_output(mei, title="Mei's study")
    client.force_login(account(chris))
    assert "Chris&#x27;s study" in my_outputs(client)[0]
    client.force_login(account(mei))
    page = my_outputs(client)[0]
    assert "Mei&#x27;s study" in page
    assert "Chris&#x27;s study" not in page


def test_a_long_author_list_shows_the_first_authors_and_et_al(
    client: Client, researcher: Person, library_user: User
) -> None:
    waiting(researcher, "Consortium paper", externals=output_queries.LISTED_AUTHORS + 5)
    client.force_login(library_user)
    page = queue(client)[0]
    # the researcher and nine outsiders, then "et al."
    assert page.count("Outsider, A.") == output_queries.LISTED_AUTHORS - 1
    assert "Outsider, A.; et al." in page
    client.force_login(account(researcher))
    assert "Outsider, A.; et al." in my_outputs(client)[0]


def test_the_queue_is_read_once_then_served_from_the_cache(
    client: Client, researcher: Person, library_user: User
) -> None:
    # given
    for number in range(12):
        waiting(researcher, f"Waiting {number}", days=number)
    client.force_login(library_user)
    # when
    first, first_queries = queue(client)
    second, second_queries = queue(client)
    # then: only the session, user and Library check are read
    assert second == first
    assert "12 research outputs waiting" in second
    assert second_queries == 3 < first_queries


def test_the_queue_and_its_counts_show_a_change_at_once(
    client: Client, researcher: Person, library_user: User
) -> None:
    # given: the cached queue and console counts
    law = make_unit("School of Law")
    first = waiting(researcher, "First paper", unit=law, days=3)
    waiting(researcher, "Second paper", unit=law)
    client.force_login(library_user)
    assert "School of Law: 2" in queue(client)[0]
    assert "School of Law: 2" in read(client, reverse("portal:library-console"))[0]
    # when: the first is validated (its row alone changes)
    first.workflow_status = WorkflowStatus.VALIDATED
    first.save()
    # then
    page = queue(client)[0]
    assert "Second paper" in page
    assert "First paper" not in page
    assert "School of Law: 1" in page
    assert "School of Law: 1" in read(client, reverse("portal:library-console"))[0]
    # and a new arrival shows too
    waiting(researcher, "Third paper", unit=law)
    assert "Third paper" in queue(client)[0]


def test_a_renamed_submitter_or_unit_shows_in_the_queue(
    client: Client, researcher: Person, library_user: User
) -> None:
    unit = make_unit("School of Law")
    waiting(researcher, "A paper", unit=unit)
    client.force_login(library_user)
    queue(client)
    account(researcher).username = "renamed-researcher"
    account(researcher).save()
    unit.name = "School of Law and Justice"
    unit.save()
    page = queue(client)[0]
    assert "renamed-researcher" in page
    assert "School of Law and Justice" in page


def test_each_filter_is_cached_apart(
    client: Client, researcher: Person, library_user: User
) -> None:
    waiting(researcher, "From 2019", year=2019)
    waiting(researcher, "From 2021", year=2021)
    client.force_login(library_user)
    nineteen = queue(client, {"year": "2019"})[0]
    twenty_one = queue(client, {"year": "2021"})[0]
    assert "From 2019" in nineteen
    assert "From 2021" not in nineteen
    assert "From 2021" in twenty_one
    assert "From 2019" not in twenty_one


def test_a_filtered_queue_counts_up_to_the_cap(
    client: Client, researcher: Person, library_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: five waiting outputs of 2019, the cap at three
    monkeypatch.setattr(output_queries, "QUEUE_COUNT_CAP", 3)
    for number in range(5):
        waiting(researcher, f"Paper {number}", year=2019, days=10 - number)
    client.force_login(library_user)
    # when
    page = queue(client, {"year": "2019"})[0]
    # then: the three oldest, and the caption says there are more
    assert "More than 3 research outputs waiting" in page
    assert "narrow the filters" in page
    assert [f"Paper {n}" in page for n in range(5)] == [True, True, True, False, False]


def test_the_whole_queue_is_counted_exactly(
    client: Client, researcher: Person, library_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_queries, "QUEUE_COUNT_CAP", 3)
    for number in range(5):
        waiting(researcher, f"Paper {number}")
    client.force_login(library_user)
    page = queue(client)[0]
    assert "5 research outputs waiting" in page
    assert "More than" not in page


@pytest.mark.parametrize("page_number", ["0", "-1", "99999", "abc", "1" * 400, "²"])
def test_a_malformed_or_too_high_page_number_gives_a_real_page(
    client: Client, researcher: Person, library_user: User, page_number: str
) -> None:
    waiting(researcher, "Only paper")
    client.force_login(library_user)
    assert "Only paper" in queue(client, {"page": page_number, "year": "2020"})[0]
    client.force_login(account(researcher))
    assert "Only paper" in my_outputs(client, {"page": page_number})[0]


def test_the_submitter_filter_ignores_case(
    client: Client, researcher: Person, library_user: User
) -> None:
    waiting(researcher, "Mine")
    client.force_login(library_user)
    shown = queue(client, {"submitter": f"  {account(researcher).username.upper()} "})[0]
    assert "Mine" in shown
    assert "Mine" not in queue(client, {"submitter": "someone-else"})[0]


def test_waiting_counts_whole_days(client: Client, researcher: Person, library_user: User) -> None:
    waiting(researcher, "Five days", days=5)
    waiting(researcher, "Four days", days=4)
    waiting(researcher, "Just now", days=0)
    client.force_login(library_user)
    everything = queue(client)[0]
    at_least_five = queue(client, {"older_than": "5"})[0]
    assert "5 days" in everything
    assert "today" in everything
    assert "Five days" in at_least_five
    assert "Four days" not in at_least_five
    assert "Just now" not in at_least_five
