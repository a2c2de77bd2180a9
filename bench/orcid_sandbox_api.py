"""ORCID sandbox API under load: GET /works and bulk POST /works on a record with 1,000 works.

Run by hand (never in tests):

    .venv/bin/python -m bench.orcid_sandbox_api --seconds 15 --concurrency 4

It makes a fresh registry database (SQLite in a temporary folder unless --database-url names
another, e.g. postgres://postgres@127.0.0.1:5432/scholarhub_bench_orcid), creates one record,
one member client and a token with the `scholarhub orcid-sandbox` commands, starts the ORCID
service under gunicorn with the rate limit off, fills the record with 1,000 works by ten bulk
POSTs of 100, then measures:
- bulk POST /works of 100 new works onto that record (works per second written);
- GET /works (1,000 works in about 1,000 groups) as JSON and as XML, closed loop;
- GET /work/{put-code} as JSON, closed loop.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready

ORCID = "0000-0000-0000-0001"
CLIENT_ID = "APP-BENCHMARK0000001"
JSON = "application/vnd.orcid+json"
XML = "application/vnd.orcid+xml"


def scholarhub(*args: str, env: dict[str, str]) -> str:
    command = [str(Path(sys.executable).with_name("scholarhub")), *args]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return done.stdout.strip()


def work(number: int) -> dict[str, object]:
    return {
        "work": {
            "title": {"title": {"value": f"Benchmark article number {number}"}},
            "journal-title": {"value": "Journal of Load Testing"},
            "type": "journal-article",
            "publication-date": {"year": {"value": str(1990 + number % 35)}},
            "external-ids": {
                "external-id": [
                    {
                        "external-id-type": "doi",
                        "external-id-value": f"10.5555/bench.{number}",
                        "external-id-relationship": "self",
                    },
                    {
                        "external-id-type": "issn",
                        "external-id-value": "0264-1615",
                        "external-id-relationship": "part-of",
                    },
                ]
            },
        }
    }


def post_bulk(client: httpx.Client, base: str, first: int) -> float:
    """POST 100 works; returns the seconds it took."""
    body = {"bulk": [work(number) for number in range(first, first + 100)]}
    started = time.perf_counter()
    response = client.post(f"{base}/api/v3.0/{ORCID}/works", json=body)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    if '"error"' in response.text:
        raise RuntimeError(f"bulk starting at {first} had errors: {response.text[:300]}")
    return elapsed


def closed_loop(
    name: str,
    call: Callable[[httpx.Client, int], httpx.Response],
    headers: dict[str, str],
    *,
    concurrency: int,
    seconds: float,
) -> str:
    """Each thread calls in a loop until time is up; returns a Markdown table row."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        number = 0
        with httpx.Client(timeout=60.0, headers=headers) as client:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = call(client, number)
                elapsed = time.perf_counter() - started
                number += 1
                with lock:
                    latencies.append(elapsed)
                    errors += response.status_code != 200

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return (
        f"| {name} | {len(latencies)} | {errors} | {cuts[49] * 1000:.1f} | "
        f"{cuts[94] * 1000:.1f} | {cuts[98] * 1000:.1f} | {len(latencies) / duration:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--bulks", type=int, default=5, help="timed bulk POSTs of 100 works")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="scholarhub-bench-orcid-")
    environment = {
        "SCHOLARHUB_VAR_DIR": folder,
        "SCHOLARHUB_DEBUG": "0",
        "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
        "ORCID_SANDBOX_DATABASE_URL": args.database_url or f"sqlite:///{folder}/orcid.sqlite3",
        "ORCID_SANDBOX_BASE_URL": f"http://127.0.0.1:{args.port}",
        "ORCID_SANDBOX_RATE_LIMIT": "0",
    }
    env = {**os.environ, **environment}
    scholarhub("migrate", "--database", "orcid", env=env)
    scholarhub(
        "orcid-sandbox",
        "create-account",
        "--email",
        "bench@example.org",
        "--password",
        "bench-password",
        "--given-names",
        "Bench",
        "--orcid",
        ORCID,
        env=env,
    )
    scholarhub(
        "orcid-sandbox",
        "register-client",
        "--name",
        "Benchmark CRIS",
        "--client-id",
        CLIENT_ID,
        "--redirect-uri",
        "http://127.0.0.1/callback",
        env=env,
    )
    token = scholarhub(
        "orcid-sandbox", "issue-token", "--orcid", ORCID, "--client-id", CLIENT_ID, env=env
    )
    headers = {"Authorization": f"Bearer {token}", "Accept": JSON}

    process = start_service(
        SERVICES_BY_NAME["orcid"],
        args.port,
        environment=environment,
        workers=args.workers,
        threads=args.threads,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_ready(process, base + "/")
        with httpx.Client(timeout=120.0, headers=headers) as client:
            fill = [post_bulk(client, base, first) for first in range(0, 1000, 100)]
            put_code = client.get(f"{base}/api/v3.0/{ORCID}/works").json()["group"][0][
                "work-summary"
            ][0]["put-code"]
        print(f"fill: 10 bulk POSTs of 100 works onto 0..900 works, {sum(fill):.1f} s in all")
        works = f"{base}/api/v3.0/{ORCID}/works"
        print("| request | requests | errors | p50 ms | p95 ms | p99 ms | requests/s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, accept in (("GET /works, JSON", JSON), ("GET /works, XML", XML)):
            print(
                closed_loop(
                    f"{name} (1,000 works)",
                    lambda client, n: client.get(works),
                    {**headers, "Accept": accept},
                    concurrency=args.concurrency,
                    seconds=args.seconds,
                )
            )
        print(
            closed_loop(
                "GET /work/{put-code}, JSON",
                lambda client, n: client.get(f"{base}/api/v3.0/{ORCID}/work/{put_code}"),
                headers,
                concurrency=args.concurrency,
                seconds=args.seconds,
            )
        )
        with httpx.Client(timeout=120.0, headers=headers) as client:
            timed = [post_bulk(client, base, 1000 + index * 100) for index in range(args.bulks)]
        print(
            f"bulk POST of 100 new works onto the record of 1,000 (and growing by 100 each): "
            f"median {statistics.median(timed) * 1000:.0f} ms, max {max(timed) * 1000:.0f} ms, "
            f"{1 / statistics.median(timed):.1f} bulks/s = "
            f"{100 / statistics.median(timed):.0f} works/s ({args.bulks} bulks, one client)"
        )
    finally:
        stop_all([process])


if __name__ == "__main__":
    main()
