"""The exercise's status follows the portal the moment a connection or an identifier changes."""

from __future__ import annotations

import pytest

from exercise.choices import Part2State, Problem, Progress
from exercise.models import DailyProgress, ExerciseStatus
from orcid_connector.actions import do_connect_orcid, do_disconnect_orcid
from orcid_connector.choices import RevokedKind
from orcid_connector.models import OrcidAuthorization
from orcid_connector.records import Grant
from portal.actions import do_add_person_identifier
from portal.choices import PersonIdentifierType
from portal.tests.fixtures import make_person

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"


class RecordingTask:
    """Stands for the queued task: records whom it was queued for instead of asking Scopus."""

    def __init__(self, queued: list[int]) -> None:
        self.enqueue = queued.append


def grant() -> Grant:
    return Grant(
        orcid=ORCID,
        name="Chris WONG",
        scope="/read-limited /activities/update",
        access_token="token",
        refresh_token="refresh",
        expires_in=3600,
    )


def test_connecting_orcid_completes_part_1_at_once(django_capture_on_commit_callbacks):
    # given
    chris = make_person()
    # when: the connection commits
    with django_capture_on_commit_callbacks(execute=True):
        do_connect_orcid(chris, grant(), acting_user=chris.user)
    # then: Part 1 is complete without any refresh, and the day's counts say so
    status = ExerciseStatus.objects.get(person=chris)
    assert status.part1_complete is True
    assert status.orcid == ORCID
    assert status.part2_state == Part2State.NOT_APPLICABLE  # no Scopus Author ID
    assert status.progress == Progress.NOT_APPLICABLE
    assert DailyProgress.objects.get(progress=Progress.NOT_APPLICABLE).count == 1


def test_a_rolled_back_connection_changes_nothing(django_capture_on_commit_callbacks):
    chris = make_person()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        do_connect_orcid(chris, grant(), acting_user=chris.user)
    # the callbacks are never run (as after a rollback)
    assert callbacks
    assert not ExerciseStatus.objects.filter(person=chris).exists()


def test_disconnecting_reopens_part_1_without_a_problem(django_capture_on_commit_callbacks):
    chris = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        authorization = do_connect_orcid(chris, grant(), acting_user=chris.user)
    with django_capture_on_commit_callbacks(execute=True):
        do_disconnect_orcid(
            authorization,
            "Disconnected in the portal; revoked at ORCID.",
            kind=RevokedKind.DISCONNECTED,
            acting_user=chris.user,
        )
    status = ExerciseStatus.objects.get(person=chris)
    assert status.part1_complete is False
    assert status.problem == Problem.NONE
    assert status.next_step.startswith("Part 1")


def test_a_token_orcid_refused_is_a_problem_with_its_cause(django_capture_on_commit_callbacks):
    chris = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        authorization = do_connect_orcid(chris, grant(), acting_user=chris.user)
    with django_capture_on_commit_callbacks(execute=True):
        do_disconnect_orcid(
            authorization,
            "ORCID refused the access token during export (invalid_token); reconnect needed.",
            kind=RevokedKind.TOKEN_REFUSED,
            acting_user=None,
        )
    status = ExerciseStatus.objects.get(person=chris)
    assert status.problem == Problem.TOKEN_REVOKED
    assert "invalid_token" in status.problem_detail
    assert status.progress == Progress.PROBLEM


@pytest.mark.parametrize(
    ("kind", "reason", "problem"),
    [
        # Asked for: the reason's wording does not matter, only the kind.
        (RevokedKind.DISCONNECTED, "ORCID was not told: timed out", Problem.NONE),
        (RevokedKind.REPLACED, "Superseded.", Problem.NONE),
        # Lost: a problem even when the reason happens to start like an asked-for one.
        (RevokedKind.TOKEN_REFUSED, "Disconnected by ORCID (invalid_token)", Problem.TOKEN_REVOKED),
        (
            RevokedKind.RECORD_GONE,
            "Replaced by 0000-0000-0000-0028 at ORCID",
            Problem.TOKEN_REVOKED,
        ),
    ],
)
def test_the_kind_not_the_wording_decides_whether_an_ending_is_a_problem(
    django_capture_on_commit_callbacks, kind: RevokedKind, reason: str, problem: Problem
) -> None:
    chris = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        authorization = do_connect_orcid(chris, grant(), acting_user=chris.user)
    with django_capture_on_commit_callbacks(execute=True):
        do_disconnect_orcid(authorization, reason, kind=kind, acting_user=None)
    authorization.refresh_from_db()
    assert authorization.revoked_kind == kind
    status = ExerciseStatus.objects.get(person=chris)
    assert status.part1_complete is False
    assert status.problem == problem
    assert status.problem_detail == ("" if problem == Problem.NONE else reason)


def test_a_new_grant_marks_the_old_one_replaced_and_no_problem(
    django_capture_on_commit_callbacks,
) -> None:
    chris = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        first = do_connect_orcid(chris, grant(), acting_user=chris.user)
    with django_capture_on_commit_callbacks(execute=True):
        do_connect_orcid(chris, grant(), acting_user=chris.user)
    first.refresh_from_db()
    assert first.revoked_kind == RevokedKind.REPLACED
    status = ExerciseStatus.objects.get(person=chris)
    assert status.part1_complete is True
    assert status.problem == Problem.NONE


def test_a_live_authorization_has_no_kind_and_an_ended_one_must_have_one() -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    chris = make_person()
    authorization = do_connect_orcid(chris, grant(), acting_user=chris.user)
    assert authorization.revoked_kind == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        OrcidAuthorization.objects.filter(pk=authorization.pk).update(revoked_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        OrcidAuthorization.objects.filter(pk=authorization.pk).update(
            revoked_kind=RevokedKind.DISCONNECTED
        )


def test_adding_a_scopus_id_queues_a_part_2_check(django_capture_on_commit_callbacks, monkeypatch):
    # given: the check itself is recorded, not run against Scopus
    from exercise import live

    checked: list[int] = []
    monkeypatch.setattr(live, "check_person_task", RecordingTask(checked))
    chris = make_person()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        do_add_person_identifier(
            chris, PersonIdentifierType.SCOPUS_AUTHOR_ID, "98765432100", acting_user=chris.user
        )
    # then
    assert checked == [chris.pk]


def test_another_identifier_type_queues_nothing(django_capture_on_commit_callbacks, monkeypatch):
    from exercise import live

    checked: list[int] = []
    monkeypatch.setattr(live, "check_person_task", RecordingTask(checked))
    chris = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        do_add_person_identifier(
            chris, PersonIdentifierType.RESEARCHER_ID, "A-1234-2008", acting_user=chris.user
        )
    assert checked == []
