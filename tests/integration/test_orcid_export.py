"""The portal's ORCID export engine against the ORCID sandbox itself, in-process (conftest).

The sandbox is real here (its duplicate rule, put-codes, grouping, errors), reached over HTTP
through httpx's WSGI transport; only the network is left out. These tests live outside both
apps because they need both: the connector may not import the sandbox.
"""

from __future__ import annotations

import os
import socket
import subprocess
from datetime import date, timedelta

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone

from orcid_connector import crypto
from orcid_connector.export import run_export
from orcid_connector.models import ExportCall, ExportedItem, OrcidAuthorization
from orcid_sandbox import actions as registry
from orcid_sandbox.models import AccessToken, Account, Employment, OtherId, ResearcherUrl, Work
from portal.actions import do_add_person_identifier
from portal.choices import (
    IdentifierStatus,
    OutputIdentifierType,
    PersonIdentifierType,
    PersonStatus,
    PublicationStatus,
    Visibility,
    WorkflowStatus,
)
from portal.models import OutputIdentifier, Person, ResearchOutput
from portal.tests.fixtures import make_output
from tests.integration.fixtures import PORTAL_CLIENT_ID
from utilities.liveness import Holder

pytestmark = pytest.mark.django_db(databases=["default", "orcid"])


def exportable(person: Person, title: str, doi: str, eid: str = "") -> ResearchOutput:
    output = make_output(person, title=title)
    ResearchOutput.objects.filter(pk=output.pk).update(
        workflow_status=WorkflowStatus.VALIDATED,
        visibility=Visibility.PUBLIC,
        publication_status=PublicationStatus.PUBLISHED,
    )
    OutputIdentifier.objects.create(output=output, id_type=OutputIdentifierType.DOI, value=doi)
    if eid:
        OutputIdentifier.objects.create(output=output, id_type=OutputIdentifierType.EID, value=eid)
    output.refresh_from_db()
    return output


def portal_works(account: Account) -> list[Work]:
    return list(account.works.filter(source_client__client_id=PORTAL_CLIENT_ID).order_by("pk"))


def test_first_run_creates_works_other_ids_and_profile_link_then_a_rerun_calls_nothing(
    account, chris, orcid_session
):
    # given: two exportable outputs, one still in validation, and a verified Scopus Author ID
    exportable(chris, "User-initiated resource sharing", "10.1108/02641610610669750")
    exportable(chris, "Linking researcher identifiers", "10.1002/asi.24601", "2-s2.0-85000000001")
    draft = make_output(chris, title="Not validated yet")
    ResearchOutput.objects.filter(pk=draft.pk).update(workflow_status=WorkflowStatus.FOR_VALIDATION)
    scopus = do_add_person_identifier(
        chris, PersonIdentifierType.SCOPUS_AUTHOR_ID, "98765432100", acting_user=None
    )
    scopus.status = IdentifierStatus.VERIFIED
    scopus.save()
    # when
    first = run_export(trigger="test", session=orcid_session).run
    # then: one bulk POST for the works, one POST for each person item
    assert (first.created, first.failed) == (5, 0)
    # one bulk POST for the works, one POST per person item, and for the employment a look
    # for an own copy first (ORCID has no duplicate rule for affiliations), then its POST
    assert first.calls == 5
    works = portal_works(account)
    assert sorted(w.title for w in works) == [
        "Linking researcher identifiers",
        "User-initiated resource sharing",
    ]
    assert all(w.assertion_origin is None for w in works)  # a CRIS writes as itself
    other = OtherId.objects.get(account=account)
    assert (other.id_type, other.value) == ("Scopus Author ID", "98765432100")
    assert ResearcherUrl.objects.get(account=account).name.endswith("profile page")
    employment = Employment.objects.get(account=account)
    assert (employment.organization_name, employment.disambiguated_id) == (
        "City University of Hong Kong",
        "53025",
    )
    assert employment.role_title == "Doctor of Philosophy (Student)"
    # and a second run with nothing changed makes no call at all
    second = run_export(trigger="test", session=orcid_session).run
    assert second.calls == 0
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)


def test_changes_are_put_and_withdrawn_outputs_deleted(account, chris, orcid_session):
    kept = exportable(chris, "A first title", "10.1000/one")
    dropped = exportable(chris, "Withdrawn later", "10.1000/two")
    run_export(trigger="test", session=orcid_session)
    # when: one title is corrected and the other output goes back to validation
    ResearchOutput.objects.filter(pk=kept.pk).update(title="A corrected title")
    ResearchOutput.objects.filter(pk=dropped.pk).update(
        workflow_status=WorkflowStatus.FOR_VALIDATION
    )
    run = run_export(trigger="test", session=orcid_session).run
    # then
    assert (run.updated, run.deleted) == (1, 1)
    assert [w.title for w in portal_works(account)] == ["A corrected title"]
    assert not ExportedItem.objects.filter(key=f"output:{dropped.pk}").exists()


def test_lost_put_codes_are_adopted_not_duplicated(account, chris, orcid_session):
    # given: a run whose put-codes were lost (killed before storing them, or a restored backup)
    exportable(chris, "Adopt me", "10.1000/adopt")
    run_export(trigger="test", session=orcid_session)
    ExportedItem.objects.all().delete()
    # when
    run = run_export(trigger="test", session=orcid_session).run
    # then: ORCID's 409s were answered by finding our own copies, and nothing doubled
    assert run.failed == 0
    # the work, the profile link and the employment, adopted and brought up to date
    assert run.updated == 3
    assert len(portal_works(account)) == 1
    assert ResearcherUrl.objects.filter(account=account).count() == 1
    assert Employment.objects.filter(account=account).count() == 1
    assert ExportCall.objects.filter(status=409).exists()


def test_items_the_researcher_deleted_on_orcid_are_written_again(account, chris, orcid_session):
    output = exportable(chris, "Deleted on ORCID", "10.1000/deleted")
    run_export(trigger="test", session=orcid_session)
    Work.objects.filter(account=account).delete()
    # when: the output changes, so the engine PUTs to a put-code ORCID no longer has
    ResearchOutput.objects.filter(pk=output.pk).update(title="Deleted on ORCID, revised")
    run = run_export(trigger="test", session=orcid_session).run
    # then
    assert run.failed == 0
    assert [w.title for w in portal_works(account)] == ["Deleted on ORCID, revised"]


def test_a_revoked_token_stops_the_record_and_asks_for_reconnect(account, chris, orcid_session):
    exportable(chris, "Never sent", "10.1000/never")
    AccessToken.objects.update(revoked_at=timezone.now())  # "Revoke access" on ORCID
    run = run_export(trigger="test", session=orcid_session).run
    authorization = OrcidAuthorization.objects.get(person=chris)
    assert not authorization.is_active
    assert "reconnect" in authorization.revoked_reason
    assert run.failed == 1
    assert portal_works(account) == []


def test_orcid_failing_leaves_the_rest_for_the_next_run(account, chris, settings, orcid_session):
    exportable(chris, "Waits", "10.1000/waits")
    settings.ORCID_SANDBOX_FAULT_503 = 1.0
    run = run_export(trigger="test", session=orcid_session).run
    assert run.failed == 1
    assert ExportCall.objects.filter(status=503).count() == 1 + settings.ORCID_EXPORT_RETRIES
    settings.ORCID_SANDBOX_FAULT_503 = 0
    assert run_export(trigger="test", session=orcid_session).run.created == 3


def test_a_work_orcid_refuses_is_reported_and_the_rest_goes_through(account, chris, orcid_session):
    good = exportable(chris, "Fine", "10.1000/fine")
    bad = exportable(chris, "Bad date", "10.1000/bad")
    ResearchOutput.objects.filter(pk=bad.pk).update(publication_year=20260)
    run = run_export(trigger="test", session=orcid_session).run
    assert run.failed == 1
    assert [w.title for w in portal_works(account)] == [good.title]


def test_a_record_being_exported_elsewhere_is_skipped(account, chris, orcid_session):
    exportable(chris, "Busy", "10.1000/busy")
    OrcidAuthorization.objects.update(export_lease_until=timezone.now() + timedelta(minutes=5))
    run = run_export(trigger="test", session=orcid_session).run
    assert run.calls == 0
    assert portal_works(account) == []


def test_tokens_are_only_readable_with_their_key(chris, settings, orcid_session):
    authorization = OrcidAuthorization.objects.get(person=chris)
    # when: the deployment's key changed since the token was stored
    settings.ORCID_TOKEN_KEY = "B" * 43 + "="
    run = run_export(trigger="test", session=orcid_session).run
    # then: nothing is sent, and the record counts as failed rather than crashing the run
    assert run.failed == 1
    assert run.calls == 0
    with pytest.raises(crypto.TokenKeyError):
        crypto.decrypt(authorization.access_token_encrypted)


def test_the_command_exports_one_researcher_or_says_who_is_unknown(account, chris, capsys):
    exportable(chris, "By command", "10.1000/command")
    call_command("orcid_export", "--person", chris.staff_id)
    assert "3 created" in capsys.readouterr().out
    with pytest.raises(Exception, match="No researcher with EID or profile slug: nobody"):
        call_command("orcid_export", "--person", "nobody")


def test_a_leaver_gets_the_end_date_pushed_and_nothing_else(account, chris, orcid_session):
    kept = exportable(chris, "Stays on ORCID", "10.1000/stays")
    run_export(trigger="test", session=orcid_session)
    # when: Chris leaves; the Library ends his position and marks him former
    position = chris.positions.get()
    position.start_date, position.end_date = date(2020, 9, 1), date(2026, 8, 31)
    position.save()
    Person.objects.filter(pk=chris.pk).update(status=PersonStatus.FORMER)
    ResearchOutput.objects.filter(pk=kept.pk).update(title="Changed after leaving")
    run = run_export(trigger="test", session=orcid_session).run
    # then: only the employment was written, with its end date; the work was left alone
    assert (run.updated, run.created, run.deleted) == (1, 0, 0)
    employment = Employment.objects.get(account=account)
    assert str(employment.end_date) == "2026-08-31"
    assert [w.title for w in portal_works(account)] == ["Stays on ORCID"]


def test_an_employment_whose_answer_was_lost_is_not_written_twice(account, chris, settings):
    import httpx

    from orcid_connector.client import OrcidSession

    inner: httpx.BaseTransport = settings.ORCID_HTTP_TRANSPORT
    lost: list[httpx.Request] = []

    class LosesOneAnswer(httpx.BaseTransport):
        """ORCID stores the first employment POST, but its answer never arrives."""

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = inner.handle_request(request)
            if request.method == "POST" and request.url.path.endswith("/employment") and not lost:
                lost.append(request)
                raise httpx.ReadTimeout("answer lost", request=request)
            return response

    orcid_session = OrcidSession.from_settings(
        transport=LosesOneAnswer(), sleep=lambda seconds: None
    )
    first = run_export(trigger="test", session=orcid_session).run
    assert first.failed == 1  # the record stopped at the lost answer, without retrying the POST
    second = run_export(trigger="test", session=orcid_session).run
    assert second.failed == 0
    assert Employment.objects.filter(account=account).count() == 1


def test_a_merged_record_stops_the_export_and_asks_for_the_current_id(
    account, chris, orcid_session
):
    exportable(chris, "Not sent to a merged record", "10.1000/merged")
    primary = registry.do_create_account(
        email="chris.primary@example.org",
        password="demo-orcid",
        given_names="Chris",
        family_name="WONG",
        orcid="0000-0000-0000-0028",
    )
    registry.do_deprecate_account(account, primary=primary)
    run = run_export(trigger="test", session=orcid_session).run
    authorization = OrcidAuthorization.objects.get(person=chris)
    assert run.failed == 1
    assert not authorization.is_active
    assert "merged into 0000-0000-0000-0028" in authorization.revoked_reason
    assert ExportCall.objects.filter(status=301).count() == 1  # stopped at the first answer


def test_a_title_with_a_vertical_tab_is_cleaned_and_the_whole_bulk_goes_through(
    account, chris, orcid_session
):
    # given: five good outputs and one whose title holds U+000B (pasted from a PDF)
    for number in range(5):
        exportable(chris, f"Good output {number}", f"10.1000/good{number}")
    exportable(chris, "Vertical\x0btab in the title", "10.1000/vt")
    # when
    run = run_export(trigger="test", session=orcid_session).run
    # then: all six works are on ORCID, the tab a space
    assert run.failed == 0
    titles = {w.title for w in portal_works(account)}
    assert len(titles) == 6
    assert "Vertical tab in the title" in titles


def test_a_refused_work_is_isolated_marked_and_retried_only_once_it_changes(
    account, chris, orcid_session, settings, client
):
    # given: ORCID refuses any document holding "REFUSED-TEXT" as a whole (one bad work
    # spoils its bulk), and one of six new works holds it
    settings.ORCID_SANDBOX_REFUSE_TEXT = "REFUSED-TEXT"
    for number in range(5):
        exportable(chris, f"Good output {number}", f"10.1000/good{number}")
    bad = exportable(chris, "A REFUSED-TEXT title", "10.1000/refused")
    # when
    first = run_export(trigger="test", session=orcid_session).run
    # then: the bulk was split until the refused work stood alone; the five others are written
    assert len(portal_works(account)) == 5
    assert (first.failed, first.created) == (1, 7)  # five works, the profile link, employment
    marked = ExportedItem.objects.get(key=f"output:{bad.pk}")
    assert marked.put_code is None
    assert "the document holds text ORCID refuses" in marked.refused_message
    # and the researcher reads ORCID's message in "ORCID history"
    client.force_login(chris.user)
    page = client.get(f"/backend/persons/{chris.slug}/orcid/history").content.decode()
    assert "Refused by ORCID" in page
    assert "the document holds text ORCID refuses" in page
    # when: nothing changed, the next run leaves it alone
    second = run_export(trigger="test", session=orcid_session).run
    assert (second.calls, second.refused, second.failed) == (0, 1, 0)
    # when: the title is corrected, it is sent again and written
    ResearchOutput.objects.filter(pk=bad.pk).update(title="A corrected title")
    third = run_export(trigger="test", session=orcid_session).run
    assert (third.created, third.failed, third.refused) == (1, 0, 0)
    assert len(portal_works(account)) == 6
    assert ExportedItem.objects.get(key=f"output:{bad.pk}").refused_message == ""


def test_a_refused_change_keeps_the_written_version_until_the_next_change(
    account, chris, orcid_session, settings
):
    # given: a written work
    output = exportable(chris, "Written once", "10.1000/written")
    run_export(trigger="test", session=orcid_session)
    settings.ORCID_SANDBOX_REFUSE_TEXT = "REFUSED-TEXT"
    # when: its change is refused
    ResearchOutput.objects.filter(pk=output.pk).update(title="Now REFUSED-TEXT")
    refused = run_export(trigger="test", session=orcid_session).run
    unchanged = run_export(trigger="test", session=orcid_session).run
    ResearchOutput.objects.filter(pk=output.pk).update(title="Written twice")
    fixed = run_export(trigger="test", session=orcid_session).run
    # then: one PUT refused, no call while it stays as it was, then the new version PUT
    assert (refused.failed, refused.calls) == (1, 1)
    assert (unchanged.calls, unchanged.refused) == (0, 1)
    assert (fixed.updated, fixed.failed) == (1, 0)
    assert [w.title for w in portal_works(account)] == ["Written twice"]


def hold_lease(holder: Holder, minutes: int = 25) -> None:
    """A run in `holder` took the record's lease five minutes ago."""
    now = timezone.now()
    OrcidAuthorization.objects.update(
        export_lease_until=now + timedelta(minutes=minutes),
        export_lease_since=now - timedelta(minutes=5),
        export_lease_host=holder.host,
        export_lease_pid=holder.pid,
        export_lease_process_started=holder.started,
    )


def test_a_lease_of_a_killed_export_is_taken_over_at_once(account, chris, orcid_session):
    # given: the lease of an export killed with kill -9 (its process is gone)
    exportable(chris, "After the kill", "10.1000/kill")
    finished = subprocess.run(["true"], check=True)  # noqa: S607 - a process that has ended
    assert finished.returncode == 0
    gone = Holder(host=socket.gethostname(), pid=999_999_999, started="1")
    hold_lease(gone)
    # when
    run = run_export(trigger="test", session=orcid_session).run
    # then: the rerun did not wait for the lease to run out
    assert (run.created, run.failed) == (3, 0)
    assert OrcidAuthorization.objects.get().export_lease_until is None


def test_a_lease_of_a_reused_pid_is_taken_over(account, chris, orcid_session):
    # given: the holder's pid now belongs to another process (this one) started at another time
    exportable(chris, "Reused pid", "10.1000/reused")
    hold_lease(Holder(host=socket.gethostname(), pid=os.getpid(), started="1"))
    # when
    run = run_export(trigger="test", session=orcid_session).run
    # then
    assert run.failed == 0


def test_a_live_lease_is_respected_and_the_refusal_says_why_and_until_when(
    account, chris, orcid_session
):
    # given: an export alive in this very process, and one on another host
    exportable(chris, "Busy", "10.1000/busy")
    hold_lease(Holder.current())
    # when
    result = run_export(trigger="test", session=orcid_session, persons=[chris])
    # then
    assert result.run.calls == 0
    (line,) = result.problems()
    assert f"pid {os.getpid()}" in line
    assert "free as soon as that process ends, or at" in line
    # and another host's export is trusted until its lease runs out
    hold_lease(Holder(host="worker-2.example.org", pid=4242, started="77"))
    (line,) = run_export(trigger="test", session=orcid_session).problems()
    assert "pid 4242 on worker-2.example.org" in line
    assert "if it never does" in line


def test_the_command_says_why_a_record_was_not_exported(account, chris, capsys):
    # given: another host's export holds Chris's record
    exportable(chris, "Busy", "10.1000/busy-command")
    hold_lease(Holder(host="worker-2.example.org", pid=4242, started="77"))
    # when
    call_command("orcid_export", "--person", chris.staff_id)
    # then: not only "1 failed, 0 calls" but who holds it, and until when
    captured = capsys.readouterr()
    assert "0 call(s)" in captured.out
    assert "pid 4242 on worker-2.example.org" in captured.out
    assert "if it never does" in captured.out
    # and the progress line went to stderr
    assert "1 of 1 record(s)" in captured.err


def test_a_merged_outputs_work_becomes_the_survivors_not_a_second_work(
    account, chris, orcid_session
):
    from portal.actions import do_merge_outputs
    from portal.tests.fixtures import make_library_user

    # given: a duplicate that reached ORCID before the Library found the output it repeats
    duplicate = exportable(chris, "Linking identifiers (dup)", "10.1000/merge")
    run_export(trigger="test", session=orcid_session)
    survivor = make_output(chris, title="Linking identifiers")
    # when: the Library merges it into the survivor, which is then validated
    do_merge_outputs(survivor, duplicate, acting_user=make_library_user())
    ResearchOutput.objects.filter(pk=survivor.pk).update(
        workflow_status=WorkflowStatus.VALIDATED,
        visibility=Visibility.PUBLIC,
        publication_status=PublicationStatus.PUBLISHED,
    )
    run = run_export(trigger="test", session=orcid_session).run
    # then: the one work on ORCID was brought up to date, not deleted and posted again
    assert (run.updated, run.created, run.deleted, run.failed) == (1, 0, 0, 0)
    assert [w.title for w in portal_works(account)] == ["Linking identifiers"]


def test_a_run_reports_its_progress_record_by_record(account, chris, orcid_session):
    # given: one connected researcher
    exportable(chris, "Progress", "10.1000/progress")
    seen: list[tuple[int, int]] = []
    # when
    run = run_export(
        trigger="test",
        session=orcid_session,
        progress=lambda run: seen.append((run.records_done, run.records_total)),
    ).run
    # then
    assert seen == [(1, 1)]
    assert run.progress(timezone.now()) == f"1 of 1 record(s), {run.calls} call(s)"


def test_a_work_posted_by_a_run_that_never_stored_its_answer_is_found_when_withdrawn(
    account, chris, settings, orcid_session
):
    # given: ORCID stores the bulk POST, but no answer to it ever arrives (as when the run is
    # killed while waiting), so the portal holds no put-code for the work
    from orcid_connector.client import OrcidSession

    inner: httpx.BaseTransport = settings.ORCID_HTTP_TRANSPORT
    output = exportable(chris, "Withdrawn before its answer came", "10.1000/orphan")

    class LosesWorksAnswers(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = inner.handle_request(request)
            if request.method == "POST" and request.url.path.endswith("/works"):
                raise httpx.ReadTimeout("answer lost", request=request)
            return response

    with OrcidSession.from_settings(transport=LosesWorksAnswers(), sleep=lambda s: None) as lossy:
        first = run_export(trigger="test", session=lossy).run
    assert first.failed == 1
    assert len(portal_works(account)) == 1
    # when: the output is withdrawn before the next run
    ResearchOutput.objects.filter(pk=output.pk).update(
        workflow_status=WorkflowStatus.FOR_VALIDATION
    )
    second = run_export(trigger="test", session=orcid_session).run
    # then: the next run found the copy ORCID kept and took it back
    assert (second.deleted, second.failed) == (1, 0)
    assert portal_works(account) == []
    assert not ExportedItem.objects.filter(key=f"output:{output.pk}").exists()
