"""The exercise's status checks against both sandboxes, in-process (see conftest).

Chris walks the exercise: connected to ORCID (Part 1), then Scopus writes his Author ID to the
ORCID record and, once its feedback is processed, shows his ORCID iD (Part 2).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from exercise.models import ExerciseStatus, Part2State
from exercise.status import assess, refresh
from orcid_sandbox.models import Account, Client, OtherId
from portal.actions import do_add_person_identifier, do_set_identifier_status
from portal.choices import IdentifierStatus, PersonIdentifierType
from portal.tests.fixtures import make_person
from scopus_connector.choices import AuthorStatus
from scopus_connector.client import ScopusSession
from scopus_sandbox import actions as scopus_actions
from scopus_sandbox.choices import FeedbackKindChoices
from scopus_sandbox.models import AuthorProfile
from scopus_sandbox.tests.fixtures import CHRIS_ID
from tests.integration.fixtures import CHRIS_ORCID

pytestmark = pytest.mark.django_db(databases=["default", "orcid", "scopus"])
API_KEY = "exercise-test-key"


@pytest.fixture(autouse=True)
def scopus_key(settings: Settings) -> None:
    scopus_actions.do_create_api_key(label="portal", weekly_quota=1_000, key=API_KEY)
    settings.SCOPUS_API_KEY = API_KEY


def add_scopus_id(person, value: str = CHRIS_ID) -> None:
    identifier = do_add_person_identifier(
        person, PersonIdentifierType.SCOPUS_AUTHOR_ID, value, acting_user=None
    )
    do_set_identifier_status(identifier, IdentifierStatus.VERIFIED, acting_user=None)


def test_part_2_completes_once_orcid_and_scopus_show_each_other(
    world, chris, account: Account, scopus_client: Client
):
    # given: Part 1 done, the Scopus Author ID on the profile (step 6)
    add_scopus_id(chris)
    # when: checked before the Scopus wizard
    before = assess(chris)
    # then
    assert before.part1_complete is True
    assert before.part2_state == Part2State.INCOMPLETE
    assert (before.orcid_lists_scopus_id, before.scopus_shows_orcid) == (False, False)
    assert "Connect to ORCID" in before.next_step

    # when: the wizard's "Send Author ID" reached ORCID, but Scopus has not processed it yet
    OtherId.objects.create(
        account=account,
        source_client=scopus_client,
        id_type="Scopus Author ID",
        value=CHRIS_ID,
        url=f"http://www.scopus.com/inward/authorDetails.url?authorID={CHRIS_ID}",
    )
    profile = AuthorProfile.objects.get(author_id=CHRIS_ID)
    scopus_actions.do_submit_feedback(
        profile, FeedbackKindChoices.LINK_ORCID, {"orcid": CHRIS_ORCID}, acting_as="t"
    )
    waiting = assess(chris)
    assert (waiting.orcid_lists_scopus_id, waiting.scopus_shows_orcid) == (True, False)
    assert waiting.part2_state == Part2State.INCOMPLETE
    # and after the feedback is applied
    scopus_actions.do_process_feedback(now=True)
    done = assess(chris)
    assert done.part2_state == Part2State.COMPLETE
    assert done.next_step == ""


def test_without_a_scopus_author_id_part_2_does_not_apply(chris):
    status = assess(chris)
    assert status.part1_complete is True
    assert status.part2_state == Part2State.NOT_APPLICABLE


def test_without_a_connection_part_1_is_not_done_and_part_2_waits(world):
    person = make_person("Mei", "CHAN")
    add_scopus_id(person)
    status = assess(person)
    assert status.part1_complete is False
    assert status.part2_state == Part2State.INCOMPLETE
    assert "Create or Connect your ORCID iD" in status.next_step


def test_a_merged_or_unknown_scopus_id_is_explained(world, chris):
    add_scopus_id(chris, "12345678901")
    status = assess(chris)
    assert status.part2_state == Part2State.INCOMPLETE
    assert "Scopus has no author profile 12345678901" in status.next_step


def test_scopus_refusing_the_key_leaves_part_2_unknown(world, chris, settings):
    add_scopus_id(chris)
    settings.SCOPUS_API_KEY = "wrong-key"
    status = assess(chris)
    assert status.part2_state == Part2State.UNKNOWN
    assert "Scopus could not be checked: Scopus answered 401" in status.next_step


def test_refresh_and_its_command_check_everyone(world, chris, capsys):
    make_person("Mei", "CHAN")
    summary = refresh()
    assert (summary.persons, summary.part1_complete) == (2, 1)
    assert ExerciseStatus.objects.count() == 2
    call_command("exercise_refresh")
    # Chris was found done a moment ago: only Mei is checked again
    assert "1 researcher(s): Part 1 complete 0" in capsys.readouterr().out
    from jobs.models import JobRun

    assert JobRun.objects.get(job="exercise-refresh").finished_at is not None


def test_the_scopus_client_reads_found_merged_and_missing_profiles(world):
    scopus = ScopusSession.from_settings()
    found = scopus.get_author(CHRIS_ID)
    assert (found.status, found.author_id, found.surname) == ("found", CHRIS_ID, "Wong")
    assert found.affiliation_ids
    survivor = AuthorProfile.objects.get(author_id=CHRIS_ID)
    # Chris's split second profile, printed "Wong, C." at his old library
    other = AuthorProfile.objects.exclude(pk=survivor.pk).get(surname="Wong", given_name="C.")
    scopus_actions.do_merge_profiles(survivor, [other], acting_as="t")
    merged = scopus.get_author(other.author_id)
    assert (merged.status, merged.author_id) == ("merged", CHRIS_ID)
    assert scopus.get_author("99999999999").status == AuthorStatus.NOT_FOUND


def test_chris_scopus_author_id_checks_out_against_the_sandbox(world, chris, settings):
    from portal.models import PersonIdentifier
    from scopus_connector import verify
    from scopus_connector.models import Verdict

    settings.PORTAL_INSTITUTION_AFIDS = ["60008592"]
    add_scopus_id(chris)
    identifier = PersonIdentifier.objects.get(person=chris, id_type="scopus_author_id")
    result = verify.check(identifier)
    assert result.verdict == Verdict.CONSISTENT, result.reasons
    assert result.current_id == CHRIS_ID


def test_the_portals_own_export_of_the_id_does_not_count_as_part_2(
    world, chris, account: Account, settings
):
    from orcid_connector.export import run_export
    from tests.integration.fixtures import PORTAL_CLIENT_ID

    settings.ORCID_CLIENT_ID = PORTAL_CLIENT_ID
    add_scopus_id(chris)
    run_export(trigger="test")  # writes the verified Scopus Author ID as the portal
    assert OtherId.objects.filter(account=account, value=CHRIS_ID).exists()
    status = assess(chris)
    assert status.orcid_lists_scopus_id is False
    assert status.part2_state == Part2State.INCOMPLETE


def test_the_nightly_refresh_skips_researchers_found_complete_this_week(world, chris):
    first = refresh()
    assert first.persons == 1  # Chris: Part 1 done, Part 2 not applicable (no Scopus ID)
    assert refresh().persons == 0
    ExerciseStatus.objects.update(
        checked_at=ExerciseStatus.objects.get().checked_at.replace(year=2025)
    )
    assert refresh().persons == 1


def test_adding_the_scopus_id_checks_part_2_at_once(
    world, chris, django_capture_on_commit_callbacks
):
    # given: Part 1 done, never checked
    assert not ExerciseStatus.objects.filter(person=chris, part2_checked_at__isnull=False).exists()
    # when: the researcher adds the Scopus Author ID (step 6); the queued check runs at once
    # here, as the tests' task backend runs tasks when queued
    with django_capture_on_commit_callbacks(execute=True):
        do_add_person_identifier(
            chris, PersonIdentifierType.SCOPUS_AUTHOR_ID, CHRIS_ID, acting_user=chris.user
        )
    # then: ORCID and Scopus were asked: not yet integrated, and why
    status = ExerciseStatus.objects.get(person=chris)
    assert status.part2_checked_at is not None
    assert status.part2_state == Part2State.INCOMPLETE
    assert (status.orcid_lists_scopus_id, status.scopus_shows_orcid) == (False, False)
