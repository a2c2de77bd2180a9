"""A small closed-loop HTTP load generator over loopback, shared by the benchmarks."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class LoadResult:
    """Latency percentiles and throughput of one load run."""

    name: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        return (
            f"| {self.name} | {self.requests} | {self.errors} | {self.p50_ms:.1f} | "
            f"{self.p95_ms:.1f} | {self.p99_ms:.1f} | {self.per_second:.0f} |"
        )


TABLE_HEADER = (
    "| page | requests | errors | p50 ms | p95 ms | p99 ms | requests/s |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def run_load(
    name: str,
    url_for: Callable[[int], str],
    *,
    concurrency: int,
    seconds: float,
    max_requests: int = 100_000,
    cookies: dict[str, str] | None = None,
) -> LoadResult:
    """Each of `concurrency` threads requests in a loop until time or the request cap is up
    (with `cookies`, e.g. a logged-in session, on every request)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(max_requests))

    def worker() -> None:
        nonlocal errors
        with httpx.Client(timeout=30.0, cookies=cookies) as client:
            while time.monotonic() < deadline:
                with lock:
                    number = next(counter, None)
                if number is None:
                    return
                started = time.perf_counter()
                response = client.get(url_for(number))
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 200:
                        errors += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return LoadResult(
        name=name,
        requests=len(latencies),
        errors=errors,
        seconds=duration,
        p50_ms=cuts[49] * 1000,
        p95_ms=cuts[94] * 1000,
        p99_ms=cuts[98] * 1000,
    )
