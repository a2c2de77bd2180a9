"""The pace of every call to ORCID's member API: one token bucket in the database.

ORCID counts requests per client (24/s, burst 40), whichever process makes them: the web
processes' "Export now", every worker, the exercise's reads. So the bucket is a row all of them
share, kept below ORCID's limits by ORCID_EXPORT_RATE / ORCID_EXPORT_BURST.

The clock and the sleeper are injected so tests assert the computed waits exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from orcid_connector.models import RateBucket

BUCKET = "orcid-member-api"

Clock = Callable[[], datetime]
Sleeper = Callable[[float], None]


class TokenBucket:
    """A shared token bucket: `take()` spends one token, sleeping off any debt."""

    def __init__(
        self,
        *,
        rate: float,
        burst: int,
        name: str = BUCKET,
        clock: Clock = timezone.now,
        sleep: Sleeper = time.sleep,
    ) -> None:
        self.rate, self.burst, self.name = rate, burst, name
        self.clock, self.sleep = clock, sleep

    def take(self) -> float:
        """Take a token, sleeping (outside the transaction) when in debt; returns the wait.

        The bucket may go negative: each caller takes its turn at once and waits off its debt,
        so callers in several processes are spaced out rather than racing for one token."""
        if self.rate <= 0:
            return 0.0
        # Plain values and one UPDATE, not a model instance and save(): this runs for every
        # call of a first export (~195,000 at a university's scale).
        rows = RateBucket.objects.filter(name=self.name)
        with transaction.atomic():
            now = self.clock()
            row = rows.select_for_update().values_list("tokens", "updated_at").first()
            if row is None:
                # The first call ever; a racing first call makes this an update of its row.
                bucket, _ = RateBucket.objects.get_or_create(
                    name=self.name, defaults={"tokens": float(self.burst), "updated_at": now}
                )
                row = (bucket.tokens, bucket.updated_at)
            tokens, updated_at = row
            elapsed = max((now - updated_at).total_seconds(), 0.0)
            tokens = min(float(self.burst), tokens + elapsed * self.rate) - 1
            rows.update(tokens=tokens, updated_at=now)
            debt = -tokens
        if debt <= 0:
            return 0.0
        wait = debt / self.rate
        self.sleep(wait)
        return wait
