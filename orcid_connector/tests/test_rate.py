"""The export's pace: one token bucket in the database, shared by every process."""

from __future__ import annotations

import pytest

from orcid_connector import member_api
from orcid_connector.models import RateBucket

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(member_api, "SLEEP", waited.append)
    return waited


def test_a_burst_passes_then_callers_are_spaced_at_the_rate(settings, sleeps):
    settings.ORCID_EXPORT_RATE, settings.ORCID_EXPORT_BURST = 20, 3
    for _ in range(5):
        member_api.wait_for_turn()
    # three from the burst at once, then 1/20 s and 2/20 s of debt (less the few microseconds
    # the loop itself took, which refilled a sliver)
    assert len(sleeps) == 2
    assert sleeps[0] == pytest.approx(0.05, abs=0.01)
    assert sleeps[1] == pytest.approx(0.10, abs=0.01)


def test_the_bucket_is_a_row_every_process_shares(settings, sleeps):
    settings.ORCID_EXPORT_RATE, settings.ORCID_EXPORT_BURST = 20, 40
    member_api.wait_for_turn()
    bucket = RateBucket.objects.get(name=member_api.BUCKET)
    assert bucket.tokens == pytest.approx(39, abs=0.1)
    # another process that spent the bucket: this one now waits for it
    RateBucket.objects.filter(pk=bucket.pk).update(tokens=-10)
    member_api.wait_for_turn()
    assert sleeps[-1] == pytest.approx(11 / 20, abs=0.02)


def test_a_rate_of_zero_switches_pacing_off(settings, sleeps):
    settings.ORCID_EXPORT_RATE = 0
    for _ in range(100):
        member_api.wait_for_turn()
    assert sleeps == []
    assert not RateBucket.objects.exists()
