"""'Import from Scopus': by EID or DOI with preview, the duplicate check, which service said
what, and an outage that keeps the form (Scopus faked at the transport); a title match answered
"Not a duplicate" as on a file import, and the answers that are refused."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from portal.choices import OutputSource, PersonIdentifierType, WorkflowStatus
from portal.duplicates import candidate_of, find_duplicates
from portal.importers.service import PossibleDuplicateError, import_previewed
from portal.models import AuditEntry, Person, ResearchOutput
from portal.tests.fixtures import make_output, make_person
from scopus_connector.importing import entry_from_abstract
from scopus_connector.records import parse_abstract

pytestmark = pytest.mark.django_db

ABSTRACT = {
    "abstracts-retrieval-response": {
        "coredata": {
            "eid": "2-s2.0-33745291715",
            "dc:identifier": "SCOPUS_ID:33745291715",
            "dc:title": "User-initiated resource sharing in Hong Kong universities",
            "prism:coverDate": "2006-06-01",
            "subtype": "ar",
            "prism:publicationName": "Interlending and Document Supply",
            "prism:volume": "34",
            "prism:issueIdentifier": "2",
            "prism:startingPage": "70",
            "prism:endingPage": "75",
            "prism:doi": "10.1108/02641610610669750",
        },
        "authors": {
            "author": [
                {
                    "@seq": "1",
                    "@auid": "98765432100",
                    "preferred-name": {"ce:surname": "Wong", "ce:given-name": "Chris"},
                },
                {"@seq": "2", "@auid": "1", "preferred-name": {"ce:surname": "Outsider"}},
            ]
        },
    }
}


def scopus(
    settings: Settings, handler: Callable[[httpx.Request], httpx.Response]
) -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    settings.SCOPUS_API_URL = "http://scopus.test/content"
    settings.SCOPUS_API_KEY = "test-key"
    settings.SCOPUS_HTTP_TRANSPORT = httpx.MockTransport(record)
    return seen


def found(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=ABSTRACT)


def test_import_by_doi_previews_then_imports(client, settings, researcher):
    # given
    requests = scopus(settings, found)
    client.force_login(researcher.user)
    url = reverse("scopus_connector:import")
    # when
    preview = client.post(url, {"identifier": "https://doi.org/10.1108/02641610610669750"})
    assert not ResearchOutput.objects.exists()
    response = client.post(url, {"identifier": "10.1108/02641610610669750", "action": "import"})
    # then
    assert "Found in Scopus" in preview.content.decode()
    assert requests[0].url.path == "/content/abstract/doi/10.1108/02641610610669750"
    output = ResearchOutput.objects.get()
    assert response.url == reverse("portal:my-output-detail", args=[output.pk])
    assert output.source == OutputSource.SCOPUS
    assert output.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
    assert output.contributors.get(position=1).person == researcher
    assert set(output.identifiers.values_list("id_type", flat=True)) == {"doi", "eid"}


def test_held_document_is_a_possible_duplicate(client, settings, researcher):
    scopus(settings, found)
    held = make_output(researcher, doi="10.1108/02641610610669750")
    client.force_login(researcher.user)
    url = reverse("scopus_connector:import")
    page = client.post(url, {"identifier": "2-s2.0-33745291715", "action": "import"})
    assert "Possible duplicate" in page.content.decode()
    assert list(ResearchOutput.objects.all()) == [held]


def test_unknown_doi_says_what_scopus_answered(client, settings, researcher):
    scopus(
        settings,
        lambda request: httpx.Response(
            404,
            json={
                "service-error": {
                    "status": {
                        "statusCode": "RESOURCE_NOT_FOUND",
                        "statusText": "The resource specified cannot be found.",
                    }
                }
            },
            headers={"X-ELS-Status": "RESOURCE_NOT_FOUND"},
        ),
    )
    client.force_login(researcher.user)
    page = client.post(reverse("scopus_connector:import"), {"identifier": "10.9999/unknown"})
    text = page.content.decode()
    assert page.status_code == 400
    assert "Scopus has no document with the DOI 10.9999/unknown" in text
    assert "404" in text


def test_outage_keeps_the_form_and_says_try_again(client, settings, researcher):
    def down(request):
        raise httpx.ConnectError("refused")

    scopus(settings, down)
    settings.SCOPUS_HTTP_TRANSPORT = httpx.MockTransport(down)
    client.force_login(researcher.user)
    page = client.post(
        reverse("scopus_connector:import"), {"identifier": "10.1108/abc", "action": "import"}
    )
    text = page.content.decode()
    assert page.status_code == 503
    assert "try again" in text
    assert 'value="10.1108/abc"' in text
    assert not ResearchOutput.objects.exists()


def test_neither_eid_nor_doi_is_refused_without_asking_scopus(client, settings, researcher):
    requests = scopus(settings, found)
    client.force_login(researcher.user)
    page = client.post(reverse("scopus_connector:import"), {"identifier": "hello"})
    assert "neither a Scopus EID" in page.content.decode()
    assert requests == []


# --- "Not a duplicate" for a title match, as on a file import ---------------------------------

TITLE = "User-initiated resource sharing in Hong Kong universities"
DOI = "10.1108/02641610610669750"


def _offered(page: str) -> list[str]:
    """The "Not a duplicate" answers a page offers (the box's form values)."""
    return re.findall(r'name="not_duplicate" value="([^"]+)"', page)


def _import(client: Client, *answers: str) -> Any:
    return client.post(
        reverse("scopus_connector:import"),
        {"identifier": DOI, "action": "import", "not_duplicate": list(answers)},
    )


def test_title_match_offers_add_me_and_not_a_duplicate(client, settings, researcher) -> None:
    # given: a held output with the document's title, year and first author, but no DOI
    scopus(settings, found)
    held = make_output(researcher, title=TITLE, year=2006)
    client.force_login(researcher.user)
    # when
    page = client.post(reverse("scopus_connector:import"), {"identifier": DOI}).content.decode()
    # then: the match side by side with both choices, and "Import" beside them
    assert f"Possible duplicate of research output {held.pk}" in page
    assert "Same title, year and first author" in page
    assert "Add me as an author of that output" in page
    assert "Not a duplicate: import it as a new output" in page
    assert _offered(page) == [f"0:{held.pk}"]
    assert 'form="scopus-import-form"' in page
    assert 'id="scopus-import-form"' in page
    assert not ResearchOutput.objects.exclude(pk=held.pk).exists()


def test_not_a_duplicate_imports_a_new_output_and_remembers_the_pair(
    client, settings, researcher
) -> None:
    # given
    scopus(settings, found)
    held = make_output(researcher, title=TITLE, year=2006)
    client.force_login(researcher.user)
    page = client.post(reverse("scopus_connector:import"), {"identifier": DOI}).content.decode()
    # when: "Not a duplicate" ticked, then "Import"
    response = _import(client, *_offered(page))
    # then: a new output, recorded as not a duplicate of the held one (and audited)
    new = ResearchOutput.objects.exclude(pk=held.pk).get()
    assert response.url == reverse("portal:my-output-detail", args=[new.pk])
    assert new.title == TITLE
    assert new.source == OutputSource.SCOPUS
    assert new.workflow_status == WorkflowStatus.ENTRY_IN_PROGRESS
    assert list(new.not_duplicates.all()) == [held]
    assert AuditEntry.objects.filter(
        target_id=str(new.pk), after__not_duplicate_of=held.pk
    ).exists()
    # and the check no longer pairs them
    assert find_duplicates(candidate_of(new), exclude=new) == []
    assert find_duplicates(candidate_of(held), exclude=held) == []


def test_title_match_without_an_answer_is_not_imported(client, settings, researcher) -> None:
    # given
    scopus(settings, found)
    held = make_output(researcher, title=TITLE, year=2006)
    client.force_login(researcher.user)
    # when: "Import" without ticking "Not a duplicate"
    response = _import(client)
    # then
    text = response.content.decode()
    assert response.status_code == 400
    assert f"Possible duplicate of research output {held.pk}: nothing was imported" in text
    assert list(ResearchOutput.objects.all()) == [held]


def test_identifier_match_is_refused_whatever_the_answer(client, settings, researcher) -> None:
    # given: a held output with the document's DOI (another title)
    scopus(settings, found)
    held = make_output(researcher, title="Resource sharing", year=2006, doi=DOI)
    client.force_login(researcher.user)
    # when: the preview, then a forged "Not a duplicate" for it
    page = client.post(reverse("scopus_connector:import"), {"identifier": DOI}).content.decode()
    response = _import(client, f"0:{held.pk}")
    # then: no "Not a duplicate" and no "Import" on the page; the forged answer is refused
    assert f"Possible duplicate of research output {held.pk}" in page
    assert "Add me as an author of that output" in page
    assert _offered(page) == []
    assert 'value="import"' not in page
    assert "is the same publication: it is not imported again" in page
    text = response.content.decode()
    assert response.status_code == 400
    assert (
        f"The portal already holds this publication: research output {held.pk} (Same DOI {DOI})"
        in text
    )
    assert list(ResearchOutput.objects.all()) == [held]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("0:999999", "Research output 999999 is not a possible duplicate of this entry"),
        ("0:{other}", "Research output {other} is not a possible duplicate of this entry"),
        ("0:{held}-{other}", "Research output {other} is not a possible duplicate of this entry"),
        ("1:{held}", "not one this page offered"),
        ("0:{held}-abc", "not one this page offered"),
        ("0:", "not one this page offered"),
        ("{held}", "not one this page offered"),
        ("", "not one this page offered"),
    ],
)
def test_forged_foreign_or_malformed_answers_are_refused(
    client, settings, researcher, answer: str, message: str
) -> None:
    # given: the title match, and another researcher's output that is not a match
    scopus(settings, found)
    held = make_output(researcher, title=TITLE, year=2006)
    other = make_output(make_person("Ann", "LEE"), title="Another paper", year=2006)
    client.force_login(researcher.user)
    # when
    response = _import(client, answer.format(held=held.pk, other=other.pk))
    # then: a clear error, the form kept, nothing imported or recorded
    text = response.content.decode()
    assert response.status_code == 400
    assert message.format(other=other.pk) in text
    assert "nothing was imported" in text
    assert f'value="{DOI}"' in text
    assert set(ResearchOutput.objects.all()) == {held, other}
    assert not held.not_duplicates.exists()
    assert not other.not_duplicates.exists()


def test_an_answer_covers_only_the_matches_shown(client, settings, researcher) -> None:
    # given: the preview showed one title match
    scopus(settings, found)
    first = make_output(researcher, title=TITLE, year=2006)
    client.force_login(researcher.user)
    page = client.post(reverse("scopus_connector:import"), {"identifier": DOI}).content.decode()
    answers = _offered(page)
    # when: a second twin appears before "Import"
    second = make_output(researcher, title=TITLE.upper() + "!", year=2006)
    response = _import(client, *answers)
    # then: not imported over a match nobody answered for, and the page shows both now
    text = response.content.decode()
    assert response.status_code == 400
    assert f"Research output {second.pk} is a possible duplicate too" in text
    assert _offered(text) == [f"0:{first.pk}-{second.pk}"]
    assert set(ResearchOutput.objects.all()) == {first, second}


def test_a_second_import_of_the_same_answer_is_refused(client, settings, researcher) -> None:
    # given: "Not a duplicate" answered and imported
    scopus(settings, found)
    held = make_output(researcher, title=TITLE, year=2006)
    client.force_login(researcher.user)
    assert _import(client, f"0:{held.pk}").status_code == 302
    new = ResearchOutput.objects.exclude(pk=held.pk).get()
    # when: the same form is sent again (a double click, the back button)
    again = _import(client, f"0:{held.pk}")
    # then: the first import holds the DOI now, so the second is refused and nothing is lost
    assert again.status_code == 400
    assert f"research output {new.pk} (Same DOI {DOI})" in again.content.decode()
    assert set(ResearchOutput.objects.all()) == {held, new}
    assert list(new.not_duplicates.all()) == [held]


def test_documents_not_held_lists_a_title_match_with_it(client, settings, researcher) -> None:
    # given: Chris's Scopus Author ID, and three of his documents in Scopus: one held by EID,
    # one matching a held output by title, one new
    held_by_eid = make_output(researcher, title="Held", year=2020)
    held_by_eid.identifiers.create(id_type="eid", value="2-s2.0-00000000001")
    twin = make_output(researcher, title="Paper twin", year=2020)
    researcher.identifiers.create(
        id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID, value="98765432100"
    )

    def search(request: httpx.Request) -> httpx.Response:
        entries = [
            {
                "eid": eid,
                "dc:title": title,
                "prism:coverDate": "2020-05-01",
                "subtype": "ar",
                "author": [{"@seq": "1", "authid": "98765432100", "surname": "Wong"}],
            }
            for eid, title in (
                ("2-s2.0-00000000001", "Held"),
                ("2-s2.0-00000000002", "Paper twin"),
                ("2-s2.0-00000000003", "Paper new"),
            )
        ]
        return httpx.Response(200, json={"search-results": {"entry": entries}})

    scopus(settings, search)
    client.force_login(researcher.user)
    # when
    page = client.get(reverse("scopus_connector:import"), {"find": "1"}).content.decode()
    # then
    assert "Look at 2-s2.0-00000000001" not in page
    assert (
        f"Paper twin (2020): possible duplicate of research output {twin.pk} "
        "(same title, year and first author)" in page
    )
    assert "Look at 2-s2.0-00000000002" in page
    assert "Paper new (2020) <form" in page


@pytest.mark.django_db(transaction=True)
def test_two_presses_at_once_import_one_output(researcher) -> None:
    """A double click sends two "Import"s at once: the second waits for the first and is refused
    (on PostgreSQL by the person's row lock; SQLite's IMMEDIATE transactions serialise them)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite takes its write lock at BEGIN")
    # given: the document, a title twin, and the answer "Not a duplicate" of it
    entry = entry_from_abstract(parse_abstract(ABSTRACT))
    held = make_output(researcher, title=TITLE, year=2006)
    answer = [f"0:{held.pk}"]
    second: list[BaseException | ResearchOutput] = []

    def press_again() -> None:
        try:
            second.append(import_previewed(entry, answer, **import_as(researcher)))
        except PossibleDuplicateError as error:
            second.append(error)
        finally:
            connection.close()

    # when: the first press is inside its transaction when the second arrives
    with transaction.atomic():
        first = import_previewed(entry, answer, **import_as(researcher))
        thread = threading.Thread(target=press_again)
        thread.start()
        waiting_for_lock(thread)
    thread.join()
    # then: one new output; the second press was told the portal holds it now
    (refusal,) = second
    assert isinstance(refusal, PossibleDuplicateError)
    assert f"research output {first.pk} (Same DOI {DOI})" in str(refusal)
    assert set(ResearchOutput.objects.all()) == {held, first}


def import_as(person: Person) -> dict[str, Any]:
    return {"index": 0, "person": person, "acting_user": person.user, "source": OutputSource.SCOPUS}


def waiting_for_lock(thread: threading.Thread) -> None:
    """Return once the thread's query waits for a lock held by this one (or it has ended)."""
    with connection.cursor() as cursor:
        for _ in range(2_000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] or not thread.is_alive():
                return
            thread.join(0.005)
