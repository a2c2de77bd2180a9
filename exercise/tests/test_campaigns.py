"""Campaigns: whom they mail, when, what the message says, and never twice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from exercise.actions import CampaignDraft, do_create_campaign, do_opt_out_of_exercise_mail
from exercise.campaigns import (
    DEFAULT_BODY,
    DEFAULT_SUBJECT,
    opt_out_token,
    person_from_opt_out_token,
    selection,
    send_due,
    template_problems,
)
from exercise.choices import Part2State
from exercise.models import Campaign, CampaignMessage, ExerciseStatus
from portal.choices import PersonStatus, PositionRole
from portal.errors import NotAllowedError
from portal.models import AuditEntry, OrgUnit, Position
from portal.tests.fixtures import make_library_user, make_person, make_unit

pytestmark = pytest.mark.django_db
HONG_KONG = ZoneInfo("Asia/Hong_Kong")
START = datetime(2026, 12, 1, 9, 0, tzinfo=HONG_KONG)


@pytest.fixture
def physics() -> OrgUnit:
    return make_unit("Department of Physics")


@pytest.fixture
def campaign(physics: OrgUnit) -> Campaign:
    return do_create_campaign(
        CampaignDraft(
            name="Physics, December",
            deadline=date(2026, 12, 31),
            subject=DEFAULT_SUBJECT,
            body=DEFAULT_BODY,
            unit=physics,
            reminder_every_days=7,
            max_reminders=2,
        ),
        acting_user=make_library_user(),
    )


def done(person) -> None:
    ExerciseStatus.objects.create(
        person=person,
        part1_complete=True,
        part2_state=Part2State.COMPLETE,
        checked_at=timezone.now(),
    )


def test_selection_skips_the_done_leavers_opt_outs_and_the_unmailable(campaign, physics):
    # given
    mei = make_person("Mei", "CHAN", unit=physics)
    finished = make_person("Ken", "LEE", unit=physics)
    done(finished)
    leaver = make_person("Old", "TIMER", unit=physics)
    leaver.status = PersonStatus.FORMER
    leaver.save()
    quiet = make_person("Quiet", "ONE", unit=physics)
    do_opt_out_of_exercise_mail(quiet, acting_user=None)
    no_mail = make_person("No", "MAIL", unit=physics)
    no_mail.email = ""
    no_mail.save()
    make_person("Else", "WHERE", unit=make_unit("Department of Law"))
    # when / then
    assert list(selection(campaign)) == [mei]


def test_selection_by_position(physics):
    mei = make_person("Mei", "CHAN", unit=physics)
    professor = make_person("Pro", "FESSOR", unit=physics)
    Position.objects.filter(person=professor).update(role=PositionRole.PROFESSOR)
    campaign = do_create_campaign(
        CampaignDraft(
            name="Professors",
            deadline=date(2026, 12, 31),
            subject="s",
            body="b",
            role=PositionRole.PROFESSOR,
        ),
        acting_user=None,
    )
    assert list(selection(campaign)) == [professor]
    assert mei not in selection(campaign)


def test_invitation_then_reminders_on_schedule_and_never_twice(campaign, physics):
    # given
    mei = make_person("Mei", "CHAN", unit=physics)
    # when: the first sending
    first = send_due(now=START)
    # then: one invitation with her links
    assert (first.sent, first.failed) == (1, 0)
    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == [mei.email]
    assert "Dear Mei CHAN" in invitation.body
    assert "/orcid-exercise/" in invitation.body
    assert "/backend/profile/edit/" in invitation.body
    assert "31 December 2026" in invitation.subject
    # when: sent again the same day, and six days later: nothing is due
    assert send_due(now=START).sent == 0
    assert send_due(now=START + timedelta(days=6)).sent == 0
    # when: a week later: the first reminder, then the second a week after
    assert send_due(now=START + timedelta(days=7)).sent == 1
    assert send_due(now=START + timedelta(days=14)).sent == 1
    # then: the reminders run out
    assert send_due(now=START + timedelta(days=21)).sent == 0
    sequences = list(
        CampaignMessage.objects.filter(person=mei)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == [0, 1, 2]
    assert len(mail.outbox) == 3
    # and every message is logged on her
    assert AuditEntry.objects.filter(person=mei, target_type="exercise.campaignmessage").exists()


def test_finishing_stops_the_reminders(campaign, physics):
    mei = make_person("Mei", "CHAN", unit=physics)
    send_due(now=START)
    done(mei)
    assert send_due(now=START + timedelta(days=7)).sent == 0


def test_nothing_after_the_deadline(campaign, physics):
    make_person("Mei", "CHAN", unit=physics)
    late = datetime(2027, 1, 1, 9, 0, tzinfo=HONG_KONG)
    assert send_due(now=late, campaigns=[campaign]).sent == 0


def test_a_refused_message_is_recorded_and_not_resent(campaign, physics, settings):
    # given: a mail server that refuses everything
    settings.EMAIL_BACKEND = "exercise.tests.test_campaigns.RefusingBackend"
    make_person("Mei", "CHAN", unit=physics)
    # when
    summary = send_due(now=START)
    # then
    assert (summary.sent, summary.failed) == (0, 1)
    message = CampaignMessage.objects.get()
    assert message.sent_at is None
    assert "mailbox unavailable" in message.error
    assert send_due(now=START).failed == 0


class RefusingBackend:
    def __init__(self, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def open(self):
        return True

    def close(self):
        return None

    def send_messages(self, messages):
        raise OSError("550 mailbox unavailable")


def test_only_the_library_runs_campaigns(physics):
    researcher = make_person("Mei", "CHAN", unit=physics)
    with pytest.raises(NotAllowedError):
        do_create_campaign(
            CampaignDraft(name="x", deadline=date(2026, 12, 31), subject="s", body="b"),
            acting_user=researcher.user,
        )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Dear ${name}", None),
        ("Costs $$5", None),
        ("Dear ${nmae}", "Unknown placeholder(s): ${nmae}"),
        ("Dear $", 'A "$" must start a placeholder'),
        ("{% load static %}${__class__}", "Unknown placeholder(s): ${__class__}"),
    ],
)
def test_template_problems(text, problem):
    problems = template_problems(text)
    if problem is None:
        assert problems == []
    else:
        assert problem in problems[0]


def test_opt_out_tokens_name_their_person_and_refuse_forgeries(physics):
    mei = make_person("Mei", "CHAN", unit=physics)
    token = opt_out_token(mei)
    assert person_from_opt_out_token(token) == mei
    assert person_from_opt_out_token(token[:-2] + "xx") is None
    assert person_from_opt_out_token("") is None
    assert person_from_opt_out_token("Z" * 5000) is None
