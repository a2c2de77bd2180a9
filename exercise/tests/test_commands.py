"""The exercise's job commands run their job, recorded, and refuse a second run under way."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from exercise.actions import CampaignDraft, do_create_campaign
from jobs.models import JobRun
from portal.tests.fixtures import make_person

pytestmark = pytest.mark.django_db


def test_exercise_reminders_sends_what_is_due():
    # given
    make_person("Mei", "CHAN")
    do_create_campaign(
        CampaignDraft(name="All", deadline=date(2099, 1, 1), subject="Hello", body="${name}"),
        acting_user=None,
    )
    out = io.StringIO()
    # when
    call_command("exercise_reminders", stdout=out)
    # then
    assert "Exercise campaigns: 1 campaign(s): 1 message(s) sent, 0 failed" in out.getvalue()
    assert len(mail.outbox) == 1
    assert JobRun.objects.get(job="exercise-reminders").finished_at is not None


def test_exercise_reminders_refuses_while_a_run_is_under_way():
    JobRun.objects.create(job="exercise-reminders")
    with pytest.raises(CommandError, match="already queued"):
        call_command("exercise_reminders")


def test_scopus_id_discovery_with_scopus_down_says_so(settings):
    # given: nothing answers at the Scopus address (a closed loopback port)
    settings.SCOPUS_API_URL = "http://127.0.0.1:9/content"
    settings.SCOPUS_API_KEY = "key"
    make_person("Mei", "CHAN")
    out = io.StringIO()
    # when
    call_command("scopus_id_discovery", stdout=out)
    # then: nobody had outputs to look up, so nothing was asked and nothing failed
    assert "1 researcher(s)" in out.getvalue()
