"""The Library's daily digest: counts per unit and the oldest's age, by e-mail, as a job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.choices import WorkflowStatus
from portal.models import ResearchOutput
from portal.notifications import send_validation_digest
from portal.tests.fixtures import make_output, make_unit

pytestmark = pytest.mark.django_db


def test_digest_counts_per_unit_and_the_oldest(researcher, library_user, mailoutbox):
    # given
    library_user.email = "library@example.edu"
    library_user.save()
    law = make_unit("School of Law")
    output = make_output(researcher, workflow=WorkflowStatus.FOR_VALIDATION)
    now = timezone.now()
    ResearchOutput.objects.filter(pk=output.pk).update(
        managing_unit=law, submitted_at=now - timedelta(days=3)
    )
    # when
    sent = send_validation_digest(now)
    # then
    assert sent == 1
    (mail,) = mailoutbox
    assert mail.to == ["library@example.edu"]
    assert "1 research output wait for validation." in mail.body
    assert "School of Law: 1" in mail.body
    assert "3 day(s) ago" in mail.body


def test_no_digest_when_nothing_waits(library_user, mailoutbox):
    library_user.email = "library@example.edu"
    library_user.save()
    assert send_validation_digest() == 0
    assert mailoutbox == []


@pytest.mark.django_db(databases=["default", "orcid", "scopus"])
def test_output_digest_command_runs_the_job(capsys, researcher, library_user, mailoutbox):
    library_user.email = "library@example.edu"
    library_user.save()
    make_output(researcher, workflow=WorkflowStatus.FOR_VALIDATION)
    call_command("output_digest")
    assert "Validation digest: digest sent to 1 message(s)" in capsys.readouterr().out
    assert len(mailoutbox) == 1
