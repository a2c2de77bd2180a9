"""'Import from Scopus': by EID or DOI with preview, the duplicate check, which service said
what, and an outage that keeps the form (Scopus faked at the transport)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from django.urls import reverse
from pytest_django.fixtures import Settings

from portal.choices import OutputSource, WorkflowStatus
from portal.models import ResearchOutput
from portal.tests.fixtures import make_output

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
