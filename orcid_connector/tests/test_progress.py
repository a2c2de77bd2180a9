"""A run's progress: records done of all, calls made, and the projected end while under way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from orcid_connector.models import ExportRun

STARTED = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)


def test_the_end_is_projected_from_the_pace_so_far():
    # given: one record of four done in the first minute
    run = ExportRun(started_at=STARTED, records_total=4, records_done=1, calls=10)
    # when
    text = run.progress(STARTED + timedelta(minutes=1))
    # then: three more minutes to go
    end = timezone.localtime(STARTED + timedelta(minutes=4))
    assert text == f"1 of 4 record(s), 10 call(s); projected end {end:%H:%M:%S}"


def test_a_run_that_has_not_started_or_has_finished_projects_nothing():
    fresh = ExportRun(started_at=STARTED, records_total=4)
    done = ExportRun(
        started_at=STARTED, finished_at=STARTED, records_total=4, records_done=4, calls=3
    )
    assert fresh.progress(STARTED) == "0 of 4 record(s), 0 call(s)"
    assert done.progress(STARTED) == "4 of 4 record(s), 3 call(s)"
