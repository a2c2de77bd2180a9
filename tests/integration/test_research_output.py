"""The research output lifecycle end to end against the ORCID sandbox (in-process): entered and
submitted by the researcher, validated by the Library, exported as a work with the portal as
source; returned or withdrawn, it leaves the record at the next run. And "Import from ORCID"."""

from __future__ import annotations

import httpx
import pytest
from django.urls import reverse

from orcid_connector.export import run_export
from orcid_connector.models import ExportedItem
from orcid_sandbox import actions as registry
from orcid_sandbox.models import Account, Client
from orcid_sandbox.parsing import read_work
from portal.choices import OutputSource, WorkflowStatus
from portal.models import Person, ResearchOutput
from portal.tests.fixtures import make_library_user, make_output, make_person
from tests.integration.fixtures import PORTAL_CLIENT_ID

pytestmark = pytest.mark.django_db(databases=["default", "orcid"])


def entered_and_submitted(client, chris: Person) -> ResearchOutput:
    client.force_login(chris.user)
    client.post(
        reverse("portal:add-output-of-type", args=["journal-article"]),
        {
            "title": "Linking researcher identifiers across systems",
            "language": "en",
            "publication_status": "published",
            "publication_year": "2021",
            "host_title": "Journal of Librarianship",
            "visibility": "public",
            "doi": "10.1002/asi.24601",
            "contributors-TOTAL_FORMS": "1",
            "contributors-INITIAL_FORMS": "0",
            "contributors-0-internal": chris.staff_id,
            "contributors-0-role": "author",
            "contributors-0-ORDER": "1",
            "action": "submit",
        },
    )
    return ResearchOutput.objects.get()


def portal_works(account: Account):
    return list(account.works.filter(source_client__client_id=PORTAL_CLIENT_ID))


def test_add_submit_validate_export_then_return_removes_it(client, account, chris, orcid_session):
    # given: Chris enters and submits; the Library validates from its queue
    output = entered_and_submitted(client, chris)
    assert output.workflow_status == WorkflowStatus.FOR_VALIDATION
    library = make_library_user()
    client.force_login(library)
    client.post(reverse("portal:validation-queue"), {"selected": [output.pk]})
    # when
    run_export(trigger="test", session=orcid_session)
    # then: the work is on the record, written by the portal's client ("CityU Scholars")
    (work,) = portal_works(account)
    assert work.title == "Linking researcher identifiers across systems"
    assert work.source_client.name == "CityU Scholars"
    # when: the Library returns it to Chris, and the export runs again
    client.post(reverse("portal:output-return", args=[output.pk]), {"comment": "Add the pages."})
    run_export(trigger="test", session=orcid_session)
    # then
    assert portal_works(account) == []


def test_withdrawn_output_leaves_orcid_at_the_next_run(client, account, chris, orcid_session):
    output = entered_and_submitted(client, chris)
    library = make_library_user()
    client.force_login(library)
    client.post(reverse("portal:output-validate", args=[output.pk]))
    run_export(trigger="test", session=orcid_session)
    assert len(portal_works(account)) == 1
    client.post(reverse("portal:my-output-withdraw", args=[output.pk]))
    run_export(trigger="test", session=orcid_session)
    assert portal_works(account) == []


def test_import_from_orcid_lists_works_not_held_and_imports_one(client, account, chris):
    # given: a work Scopus wrote on Chris's record, and one the portal holds already
    scopus, _ = registry.do_register_client(
        client_id="APP-SCOPUS0000000001",
        client_secret="s",
        name="Scopus - Elsevier",
        website="http://scopus.test",
        redirect_uris=["http://scopus.test/callback"],
    )
    for title, doi in (("Open access in Hong Kong", "10.1000/oa.2015"),):
        registry.do_add_work(
            account,
            read_work(
                {
                    "title": {"title": {"value": title}},
                    "type": "journal-article",
                    "publication-date": {"year": {"value": "2015"}},
                    "external-ids": {
                        "external-id": [
                            {
                                "external-id-type": "doi",
                                "external-id-value": doi,
                                "external-id-relationship": "self",
                            }
                        ]
                    },
                    "contributors": {"contributor": [{"credit-name": {"value": "Chris WONG"}}]},
                }
            ),
            acting_client=Client.objects.get(pk=scopus.pk),
        )
    client.force_login(chris.user)
    url = reverse("orcid_connector:import")
    # when
    page = client.get(url).content.decode()
    put_code = account.works.get().pk
    response = client.post(url, {"put_code": str(put_code)})
    # then
    assert "Open access in Hong Kong" in page
    assert "Scopus - Elsevier" in page
    output = ResearchOutput.objects.get()
    assert response.url == reverse("portal:my-output-detail", args=[output.pk])
    assert output.source == OutputSource.IMPORT
    assert output.contributors.get().person == chris
    assert "Open access in Hong Kong" not in client.get(url).content.decode()


def test_import_from_orcid_without_a_connection_says_so(client):
    person = make_person()
    client.force_login(person.user)
    page = client.get(reverse("orcid_connector:import")).content.decode()
    assert "not connected" in page


def test_merge_keeps_the_orcid_work_under_the_survivor(client, account, chris, orcid_session):
    # given: B is on ORCID; A, the same publication entered again, is validated after the export
    b = make_output(chris, title="Sharing in Hong Kong (first entry)", doi="10.1000/merge.1")
    run_export(trigger="test", session=orcid_session)
    (before,) = portal_works(account)
    a = make_output(chris, title="Sharing in Hong Kong", workflow=WorkflowStatus.VALIDATED)
    # when: the Library merges B into A, and the export runs
    client.force_login(make_library_user())
    client.post(reverse("portal:output-merge", args=[a.pk]), {"duplicate": b.pk})
    run_export(trigger="test", session=orcid_session)
    # then: one work, the same put-code, now A's title and B's DOI
    (after,) = portal_works(account)
    assert after.pk == before.pk
    assert after.title == "Sharing in Hong Kong"
    assert ExportedItem.objects.get(person=chris, kind="work").key == f"output:{a.pk}"


def test_import_from_orcid_during_an_outage_says_try_again(client, settings, chris):
    # given: ORCID does not answer
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    settings.ORCID_HTTP_TRANSPORT = httpx.MockTransport(down)
    settings.ORCID_EXPORT_RETRIES = 0
    client.force_login(chris.user)
    # when
    page = client.get(reverse("orcid_connector:import"))
    # then
    assert page.status_code == 503
    assert "try again" in page.content.decode()
    assert not ResearchOutput.objects.exists()
