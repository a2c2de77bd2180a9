"""The export's pace: one token bucket in the database, shared by every process.

The bucket's clock and sleeper are injected: the tests assert the waits it computes, exactly,
whatever the machine's speed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from orcid_connector.models import RateBucket
from orcid_connector.rate import BUCKET, TokenBucket

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


class Clock:
    """A clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def bucket(clock: Clock, sleeps: list[float], rate: float, burst: int) -> TokenBucket:
    return TokenBucket(rate=rate, burst=burst, clock=clock, sleep=sleeps.append)


def test_a_burst_passes_then_callers_are_spaced_at_the_rate(clock, sleeps):
    # given
    pace = bucket(clock, sleeps, rate=20, burst=3)
    # when: five calls at the same instant
    for _ in range(5):
        pace.take()
    # then: three from the burst at once, then 1/20 s and 2/20 s of debt
    assert sleeps == [pytest.approx(0.05, abs=1e-9), pytest.approx(0.10, abs=1e-9)]


def test_time_passing_refills_the_bucket_up_to_the_burst(clock, sleeps):
    # given: a spent bucket
    pace = bucket(clock, sleeps, rate=20, burst=3)
    for _ in range(3):
        pace.take()
    # when: 0.1 s passes (two tokens), then an hour (never more than the burst)
    clock.advance(0.1)
    pace.take()
    pace.take()
    pace.take()
    clock.advance(3600)
    for _ in range(4):
        pace.take()
    # then: the third call after 0.1 s waited 1/20 s; after the hour only the fourth waited
    assert sleeps == [pytest.approx(0.05, abs=1e-9), pytest.approx(0.05, abs=1e-9)]


def test_the_bucket_is_a_row_every_process_shares(clock, sleeps):
    # given
    pace = bucket(clock, sleeps, rate=20, burst=40)
    pace.take()
    row = RateBucket.objects.get(name=BUCKET)
    assert row.tokens == pytest.approx(39, abs=1e-9)
    # when: another process spent the bucket
    RateBucket.objects.filter(pk=row.pk).update(tokens=-10)
    wait = pace.take()
    # then: this one waits for it
    assert wait == sleeps[-1] == pytest.approx(11 / 20, abs=1e-9)


def test_a_rate_of_zero_switches_pacing_off(clock, sleeps):
    pace = bucket(clock, sleeps, rate=0, burst=40)
    for _ in range(100):
        pace.take()
    assert sleeps == []
    assert not RateBucket.objects.exists()
