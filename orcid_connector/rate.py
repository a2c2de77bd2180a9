"""The pace of every call to ORCID's member API: one token bucket in the database.

ORCID counts requests per client (24/s, burst 40), whichever process makes them: the web
processes' "Export now", every worker, the exercise's reads. So the bucket is a row all of them
share, kept below ORCID's limits by ORCID_EXPORT_RATE / ORCID_EXPORT_BURST.

The clock and the sleeper are injected so tests assert the computed waits exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connections, router, transaction
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
        # Two plain statements, not querysets: this runs for every call of an export (~195,000
        # in a university's first one), and compiling the querysets cost more CPU than the
        # round trips (0.98 against 0.37 ms a take on PostgreSQL).
        connection = connections[router.db_for_write(RateBucket)]
        table = connection.ops.quote_name(RateBucket._meta.db_table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # The table's name comes from the model; every value is a parameter.
        read = f"SELECT tokens, updated_at FROM {table} WHERE name = %s{lock}"  # noqa: S608
        write = f"UPDATE {table} SET tokens = %s, updated_at = %s WHERE name = %s"  # noqa: S608
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            now = self.clock()
            cursor.execute(read, [self.name])
            row = cursor.fetchone()
            if row is None:
                # The first call ever; a racing first call makes this an update of its row.
                bucket, _ = RateBucket.objects.get_or_create(
                    name=self.name, defaults={"tokens": float(self.burst), "updated_at": now}
                )
                row = (bucket.tokens, bucket.updated_at)
            tokens: float = float(row[0])
            updated_at: datetime = row[1]
            if timezone.is_naive(updated_at):  # SQLite hands back UTC without its zone
                updated_at = timezone.make_aware(updated_at, UTC)
            elapsed = max((now - updated_at).total_seconds(), 0.0)
            tokens = min(float(self.burst), tokens + elapsed * self.rate) - 1
            cursor.execute(
                write, [tokens, connection.ops.adapt_datetimefield_value(now), self.name]
            )
            debt = -tokens
        if debt <= 0:
            return 0.0
        wait = debt / self.rate
        self.sleep(wait)
        return wait
