"""The export engine writing the new ORCID sections (fundings, distinctions, memberships,
services, invited positions) to the ORCID sandbox itself, in-process (conftest): the same
rules as for works - desired state against what was pushed, one call per change, none when
nothing changed, 409 adoption, 404 rewrite - over real HTTP through httpx's WSGI transport."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from activities.choices import ActivityKind
from activities.models import Activity, ActivityPerson
from orcid_connector import export_sections
from orcid_connector.client import OrcidSession
from orcid_connector.export import run_export
from orcid_connector.models import ExportCall, ExportedItem, ExportRun
from orcid_connector.sections import FundingContributor, FundingItem, Organization, Period
from orcid_sandbox.models import Account, Affiliation
from portal.actions.owned import PersonEntry, do_create_owned_item, do_update_owned_item
from portal.choices import OwnedItemStatus, WorkflowStatus
from portal.models import Person
from portal.tests.fixtures import make_person
from prizes.models import Prize, PrizeRecipient
from projects.models import Project, ProjectPerson
from tests.integration.fixtures import PORTAL_CLIENT_ID

pytestmark = pytest.mark.django_db(databases=["default", "orcid"])

CITYU = "City University of Hong Kong"


def a_prize(person: Person, title: str = "Outstanding Librarian Award", **fields: object) -> Prize:
    values: dict[str, object] = {
        "owner": person,
        "title": title,
        "organisation": CITYU,
        "awarded_on": date(2024, 5, 2),
        "status": OwnedItemStatus.PUBLIC,
    }
    values.update(fields)
    prize = Prize.objects.create(**values)
    PrizeRecipient.objects.create(item=prize, person=person)
    return prize


def an_activity(person: Person, kind: str, role: str = "", **fields: object) -> Activity:
    values: dict[str, object] = {
        "owner": person,
        "title": "Hong Kong Library Association",
        "kind": kind,
        "organisation": CITYU,
        "start_date": date(2021, 9, 1),
        "status": OwnedItemStatus.PUBLIC,
    }
    values.update(fields)
    activity = Activity.objects.create(**values)
    ActivityPerson.objects.create(item=activity, person=person, role=role)
    return activity


def portal_items(account: Account, section: str) -> list[Affiliation]:
    return list(
        account.affiliations.filter(
            section=section, source_client__client_id=PORTAL_CLIENT_ID
        ).order_by("pk")
    )


def calls_of(run: ExportRun) -> list[tuple[str, str, int | None]]:
    return [
        (call.method, call.path.split("/", 2)[-1], call.status)
        for call in ExportCall.objects.filter(run=run).order_by("id")
    ]


def test_first_push_then_nothing_unchanged_then_one_put_then_a_delete(
    account: Account, chris: Person, orcid_session: OrcidSession
) -> None:
    # given: a public prize, a membership, an editorial role, a talk and a draft prize
    prize = a_prize(chris)
    an_activity(chris, ActivityKind.MEMBERSHIP, "Member")
    an_activity(chris, ActivityKind.EDITORIAL, "Associate editor", title="Library Review")
    an_activity(chris, ActivityKind.TALK, "Speaker", title="A talk ORCID has no section for")
    a_prize(chris, "Not yet public", status=OwnedItemStatus.DRAFT)
    # when
    first = run_export(trigger="test", session=orcid_session).run
    # then: one POST each, no failure
    assert first.failed == 0
    posts = [path for method, path, _ in calls_of(first) if method == "POST"]
    assert {"distinction", "membership", "service"} <= set(posts)
    [distinction] = portal_items(account, "distinction")
    assert distinction.role_title == "Outstanding Librarian Award"
    assert (distinction.disambiguated_source, distinction.disambiguated_id) == (
        "RINGGOLD",
        "53025",
    )
    assert distinction.start_date == "2024-05-02"
    assert [m.role_title for m in portal_items(account, "membership")] == ["Member"]
    [service] = portal_items(account, "service")
    assert (service.role_title, service.department_name) == ("Associate editor", "Library Review")
    assert not account.affiliations.filter(section="invited-position").exists()
    # when: nothing changed
    second = run_export(trigger="test", session=orcid_session).run
    # then: no call at all
    assert second.calls == 0
    # when: the prize's title is corrected
    Prize.objects.filter(pk=prize.pk).update(title="Outstanding Librarian Award 2024")
    third = run_export(trigger="test", session=orcid_session).run
    # then: exactly one PUT, to the distinction's put-code
    assert calls_of(third) == [("PUT", f"distinction/{distinction.pk}", 200)]
    assert portal_items(account, "distinction")[0].role_title == "Outstanding Librarian Award 2024"
    # when: the prize goes back to draft
    Prize.objects.filter(pk=prize.pk).update(status=OwnedItemStatus.DRAFT)
    fourth = run_export(trigger="test", session=orcid_session).run
    # then: exactly one DELETE, and the record no longer holds it
    assert calls_of(fourth) == [("DELETE", f"distinction/{distinction.pk}", 204)]
    assert portal_items(account, "distinction") == []
    assert not ExportedItem.objects.filter(kind="distinction").exists()


def test_lost_put_codes_are_adopted_from_orcids_409(
    account: Account, chris: Person, orcid_session: OrcidSession
) -> None:
    # given: pushed once, then the portal lost what it pushed (a restored backup)
    a_prize(chris)
    an_activity(chris, ActivityKind.INVITED_POSITION, "Honorary professor")
    run_export(trigger="test", session=orcid_session)
    ExportedItem.objects.filter(kind__in=["distinction", "invited-position"]).delete()
    # when
    run = run_export(trigger="test", session=orcid_session).run
    # then: ORCID said 409/9021 for each, the engine found its own copies and updated them
    assert run.failed == 0
    statuses = [(method, path.split("/")[0], status) for method, path, status in calls_of(run)]
    assert ("POST", "distinction", 409) in statuses
    assert ("GET", "distinctions", 200) in statuses
    assert ("PUT", "distinction", 200) in statuses
    assert len(portal_items(account, "distinction")) == 1
    assert len(portal_items(account, "invited-position")) == 1
    stored = ExportedItem.objects.get(kind="distinction")
    assert stored.put_code == portal_items(account, "distinction")[0].pk


def test_an_item_the_researcher_deleted_on_orcid_is_written_again(
    account: Account, chris: Person, orcid_session: OrcidSession
) -> None:
    # given: pushed, then deleted by the researcher on ORCID
    activity = an_activity(chris, ActivityKind.SERVICE, "Panel member")
    run_export(trigger="test", session=orcid_session)
    [old] = portal_items(account, "service")
    Affiliation.objects.filter(pk=old.pk).delete()
    # when: the activity changes, so the engine PUTs to a put-code ORCID no longer has
    Activity.objects.filter(pk=activity.pk).update(end_date=date(2024, 8, 31))
    run = run_export(trigger="test", session=orcid_session).run
    # then: the 404 is answered by a new POST, and its put-code is the one stored
    assert [(m, p.split("/")[0], s) for m, p, s in calls_of(run)] == [
        ("PUT", "service", 404),
        ("POST", "service", 201),
    ]
    [new] = portal_items(account, "service")
    assert new.end_date == "2024-08-31"
    assert ExportedItem.objects.get(kind="service").put_code == new.pk


def test_an_organisation_without_a_known_id_is_left_out_and_said_why(
    account: Account, chris: Person, orcid_session: OrcidSession, settings: object
) -> None:
    # given: a prize from an organisation the portal knows no Ringgold/ROR/FundRef id for,
    # and one from an organisation the Library has given an id
    unknown = a_prize(chris, organisation="Somewhere Society")
    a_prize(chris, "Known", organisation="Hong Kong Library Association")
    settings.ORCID_ORGANIZATION_IDS = {  # type: ignore[attr-defined]
        "hong kong library association": {
            "source": "ROR",
            "id": "https://ror.org/00example",
            "city": "Hong Kong",
            "country": "HK",
        }
    }
    # when
    run = run_export(trigger="test", session=orcid_session).run
    # then: only the known one was sent; the other is reported, not refused by ORCID
    assert run.failed == 0
    assert [d.role_title for d in portal_items(account, "distinction")] == ["Known"]
    reasons = export_sections.skipped(chris)
    assert [(s.key, "Somewhere Society" in s.reason) for s in reasons] == [
        (f"prize:{unknown.pk}", True)
    ]


def test_a_distinction_posted_without_an_answer_is_found_when_withdrawn(
    account: Account, chris: Person, orcid_session: OrcidSession, settings: Any
) -> None:
    # given: ORCID stores the POST of a distinction, but no answer to it ever arrives (nor to
    # the retries, which ORCID refuses as duplicates), so the portal holds no put-code
    inner: httpx.BaseTransport = settings.ORCID_HTTP_TRANSPORT
    prize = a_prize(chris)

    class LosesAnswers(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = inner.handle_request(request)
            if request.method == "POST" and request.url.path.endswith("/distinction"):
                raise httpx.ReadTimeout("answer lost", request=request)
            return response

    with OrcidSession.from_settings(transport=LosesAnswers(), sleep=lambda s: None) as lossy:
        run_export(trigger="test", session=lossy)
    assert len(portal_items(account, "distinction")) == 1
    assert ExportedItem.objects.get(kind="distinction").put_code is None
    # when: the prize is withdrawn before the next run
    Prize.objects.filter(pk=prize.pk).update(status=OwnedItemStatus.DRAFT)
    second = run_export(trigger="test", session=orcid_session).run
    # then: the next run found the copy ORCID kept and took it back
    assert (second.deleted, second.failed) == (1, 0)
    assert portal_items(account, "distinction") == []
    assert not ExportedItem.objects.filter(kind="distinction").exists()


def test_a_recipient_removed_from_a_prize_loses_it_in_the_nightly_run(
    account: Account, chris: Person, orcid_session: OrcidSession
) -> None:
    # given: a prize Ann entered for Chris and herself, on Chris's ORCID record
    ann = make_person("Ann", "LEE")
    prize = do_create_owned_item(
        Prize,
        ann,
        {
            "title": "Team award",
            "organisation": CITYU,
            "awarded_on": date(2024, 1, 5),
            "status": OwnedItemStatus.PUBLIC,
        },
        [PersonEntry(ann), PersonEntry(chris)],
        acting_user=None,
    )
    run_export(trigger="test", session=orcid_session)
    assert len(portal_items(account, "distinction")) == 1
    # when: Ann takes Chris off the prize, and the nightly run visits marked records only
    do_update_owned_item(prize, {}, [PersonEntry(ann)], acting_user=None)
    run = run_export(trigger="test", session=orcid_session, full=False).run
    # then: Chris's record was marked, visited, and the distinction taken back
    assert run.deleted == 1
    assert portal_items(account, "distinction") == []


# --- fundings ------------------------------------------------------------------------------------

RGC = Organization(
    name="Research Grants Council",
    city="Wan Chai",
    country="HK",
    disambiguated_id="http://dx.doi.org/10.13039/501100002920",
    disambiguation_source="FUNDREF",
)


def a_grant(number: int, title: str = "Resource sharing among Hong Kong libraries") -> FundingItem:
    return FundingItem(
        key=f"project:{number}",
        source_id=f"scholarhub-project-{number}",
        title=title,
        organization=RGC,
        grant_number=f"CityU 1120{number:04d}",
        period=Period(date(2023, 9, 1), date(2026, 8, 31)),
        contributors=(FundingContributor("Chris WONG", "lead"),),
    )


def test_fundings_first_push_nothing_unchanged_put_delete_409_and_404(
    account: Account, chris: Person, orcid_session: OrcidSession, monkeypatch: Any
) -> None:
    # given: two funded projects of Chris's (the desired state of the projects app)
    grants = {1: a_grant(1), 2: a_grant(2, "Linking researcher identifiers")}
    monkeypatch.setattr(
        export_sections, "_fundings", lambda ids: ((pk, g) for pk in ids for g in grants.values())
    )
    # when: the first push
    first = run_export(trigger="test", session=orcid_session).run
    # then: one POST each, stored with the portal as source
    assert [c for c in calls_of(first) if c[1] == "funding"] == [
        ("POST", "funding", 201),
        ("POST", "funding", 201),
    ]
    fundings = list(account.fundings.order_by("pk"))
    assert [f.title for f in fundings] == [
        "Resource sharing among Hong Kong libraries",
        "Linking researcher identifiers",
    ]
    assert {f.source_client.client_id for f in fundings if f.source_client} == {PORTAL_CLIENT_ID}
    assert all(f.source_client for f in fundings)
    # when: nothing changed
    assert run_export(trigger="test", session=orcid_session).run.calls == 0
    # when: one title changes
    grants[1] = a_grant(1, "Resource sharing, revised")
    changed = run_export(trigger="test", session=orcid_session).run
    assert calls_of(changed) == [("PUT", f"funding/{fundings[0].pk}", 200)]
    # when: the portal lost its put-codes (a restored backup)
    ExportedItem.objects.filter(kind="funding").delete()
    adopted = run_export(trigger="test", session=orcid_session).run
    assert adopted.failed == 0
    assert ("POST", "funding", 409) in calls_of(adopted)
    assert account.fundings.count() == 2
    # when: the researcher deleted one on ORCID, and it changes again
    account.fundings.filter(pk=fundings[1].pk).delete()
    grants[2] = a_grant(2, "Linking researcher identifiers, phase two")
    rewritten = run_export(trigger="test", session=orcid_session).run
    assert [(m, p.split("/")[0], s) for m, p, s in calls_of(rewritten)] == [
        ("PUT", "funding", 404),
        ("POST", "funding", 201),
    ]
    # when: a project is withdrawn
    del grants[1]
    withdrawn = run_export(trigger="test", session=orcid_session).run
    assert calls_of(withdrawn) == [("DELETE", f"funding/{fundings[0].pk}", 204)]
    assert [f.title for f in account.fundings.all()] == [
        "Linking researcher identifiers, phase two"
    ]


def a_project(person: Person, title: str, **fields: object) -> Project:
    values: dict[str, object] = {
        "owner": person,
        "title": title,
        "start_date": date(2023, 9, 1),
        "end_date": date(2026, 8, 31),
        "funder": "Research Grants Council",
        "grant_number": "CityU 11200323",
        "description": "A shared catalogue for eight universities.",
        "workflow_status": WorkflowStatus.VALIDATED,
    }
    values.update(fields)
    project = Project.objects.create(**values)
    ProjectPerson.objects.create(item=project, person=person, role="Principal investigator")
    ProjectPerson.objects.create(
        item=project, name="Mary CHAN", organisation="HKU", role="Co-investigator", position=1
    )
    return project


def test_validated_projects_with_a_grant_become_fundings(
    account: Account, chris: Person, orcid_session: OrcidSession, settings: Any
) -> None:
    # given: the Library gave the funder its FundRef id; one validated funded project, one in
    # validation, one without a grant number (the university's own work)
    settings.ORCID_ORGANIZATION_IDS = {
        "Research Grants Council": {
            "source": "FUNDREF",
            "id": "http://dx.doi.org/10.13039/501100002920",
            "city": "Wan Chai",
            "country": "HK",
        }
    }
    project = a_project(chris, "Resource sharing among Hong Kong libraries")
    a_project(chris, "Still in validation", workflow_status=WorkflowStatus.FOR_VALIDATION)
    a_project(chris, "No grant", grant_number="")
    # when
    first = run_export(trigger="test", session=orcid_session).run
    # then: one funding, the grant number and the portal's id as its self ids
    assert first.failed == 0
    [funding] = account.fundings.all()
    assert (funding.title, funding.funding_type) == (project.title, "grant")
    assert (funding.disambiguated_source, funding.start_date, funding.end_date) == (
        "FUNDREF",
        "2023-09-01",
        "2026-08-31",
    )
    assert [(i["type"], i["value"]) for i in funding.external_ids] == [
        ("grant_number", "CityU 11200323"),
        ("source-work-id", f"scholarhub-project-{project.pk}"),
    ]
    assert [
        (c["credit-name"]["value"], c["contributor-attributes"]["contributor-role"])
        for c in funding.contributors
    ] == [("Chris WONG", "lead"), ("Mary CHAN (HKU)", "co-lead")]
    # when: the project's title changes, then it goes back to validation
    Project.objects.filter(pk=project.pk).update(title="Resource sharing, revised")
    changed = run_export(trigger="test", session=orcid_session).run
    assert calls_of(changed) == [("PUT", f"funding/{funding.pk}", 200)]
    Project.objects.filter(pk=project.pk).update(workflow_status=WorkflowStatus.FOR_VALIDATION)
    withdrawn = run_export(trigger="test", session=orcid_session).run
    assert calls_of(withdrawn) == [("DELETE", f"funding/{funding.pk}", 204)]
    assert not account.fundings.exists()


def test_the_weekly_repair_writes_again_what_the_researcher_deleted_on_orcid(
    account: Account, chris: Person, orcid_session: OrcidSession, monkeypatch: Any
) -> None:
    # given: a funding and a distinction on the record, both deleted there by the researcher
    monkeypatch.setattr(export_sections, "_fundings", lambda ids: ((pk, a_grant(7)) for pk in ids))
    a_prize(chris)
    run_export(trigger="test", session=orcid_session)
    account.fundings.all().delete()
    account.affiliations.all().delete()
    # when: the weekly run reads the record's sections
    run = run_export(trigger="test", session=orcid_session, repair=True).run
    # then: one read per section, and each lost item written again
    methods = calls_of(run)
    assert ("GET", "fundings", 200) in methods
    assert ("GET", "distinctions", 200) in methods
    assert ("POST", "funding", 201) in methods
    assert ("POST", "distinction", 201) in methods
    assert account.fundings.count() == 1
    assert len(portal_items(account, "distinction")) == 1
    assert ExportedItem.objects.get(kind="funding").put_code == account.fundings.get().pk
