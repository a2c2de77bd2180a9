"""The research output pages under concurrent load at university scale, on PostgreSQL:
"My research output" of a researcher with 200+ outputs, and the Library's "For validation" queue.

    .venv/bin/python -m bench.output_pages [--skip-seed] [--seconds 20] [--concurrency 8]

Uses the database of bench.portal_pages (scholarhub_bench_portal: 50,000 persons, 1,000,000
outputs; seeded once, which takes 1 to 7 minutes, then migrated on every run), gives the outputs
waiting for validation a submission time if the demo generator left none, logs in as Chris and
as the Library, and measures each page, then the public profile as a reference: its figure on a
quiet machine is known (p95 26 ms at 8 clients, BENCHMARKS.md), so a much higher one says the
machine was busy. The pages are cached fragments (portal.caching); bench.request_costs measures
each request in-process with the cache warm and cold.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile

import httpx
import psycopg

from bench.loadgen import TABLE_HEADER, run_load
from bench.portal_pages import DATABASE, SERVER, ensure_database, give_profile_outputs
from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready
from utilities.ports import free_port

# portal.demo.DEMO_PASSWORD (not imported: this script runs outside Django).
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo login


def prepare_queue() -> int:
    """Outputs waiting for validation get a submission time spread over the last 90 days."""
    with psycopg.connect(f"{SERVER}/{DATABASE}") as connection:
        connection.execute(
            """UPDATE portal_researchoutput
               SET submitted_at = now() - (id % 90) * interval '1 day'
               WHERE workflow_status = 'for_validation' AND submitted_at IS NULL"""
        )
    # A freshly seeded table has no visibility map yet; autovacuum builds it in production, and
    # the queue's index-only scans need it.
    with psycopg.connect(f"{SERVER}/{DATABASE}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE portal_researchoutput")
        row = connection.execute(
            "SELECT count(*) FROM portal_researchoutput WHERE workflow_status = 'for_validation'"
        ).fetchone()
        return int(row[0]) if row else 0


def log_in(base: str, username: str) -> dict[str, str]:
    """A logged-in session's cookies (the backend's login form, CSRF included)."""
    with httpx.Client(base_url=base, timeout=30.0) as client:
        form = client.get("/backend/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if token is None:
            raise SystemExit("the login page has no CSRF token")
        answer = client.post(
            "/backend/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": DEMO_PASSWORD,
            },
            headers={"Referer": f"{base}/backend/login/"},
        )
        if answer.status_code != 302:
            raise SystemExit(f"could not log in as {username}: {answer.status_code}")
        return dict(client.cookies)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--outputs", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()

    environment = {
        "SCHOLARHUB_VAR_DIR": tempfile.mkdtemp(prefix="scholarhub-bench-"),
        "SCHOLARHUB_DEBUG": "0",
        "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
        "PORTAL_DATABASE_URL": f"{SERVER}/{DATABASE}",
    }
    env = {**os.environ, **environment}
    if not args.skip_seed:
        ensure_database(False, args.persons, args.outputs, env)
    give_profile_outputs("chris-wong-demo")
    waiting = prepare_queue()
    print(f"{waiting:,} outputs wait for validation")

    port = free_port()
    process = start_service(
        SERVICES_BY_NAME["portal"],
        port,
        environment=environment,
        workers=args.workers,
        threads=args.threads,
    )
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()[0]
    try:
        wait_until_ready(process, base + "/")
        chris = log_in(base, "chriswong")
        library = log_in(base, "library")
        run_load(
            "warm-up", lambda n: f"{base}/backend/outputs/", concurrency=2, seconds=3, cookies=chris
        )
        pages = [
            ("My research output (page 1)", lambda n: f"{base}/backend/outputs/", chris),
            (
                "My research output (pages 1-8, state filter)",
                lambda n: f"{base}/backend/outputs/?state=validated&page={n % 8 + 1}",
                chris,
            ),
            ("For validation (page 1)", lambda n: f"{base}/backend/library/validation/", library),
            (
                "For validation (pages 1-8)",
                lambda n: f"{base}/backend/library/validation/?page={n % 8 + 1}",
                library,
            ),
            (
                "For validation (type + year + age filters)",
                lambda n: (
                    f"{base}/backend/library/validation/?type=journal-article"
                    f"&year={2010 + n % 14}&older_than=30"
                ),
                library,
            ),
            ("public profile (reference)", lambda n: f"{base}/persons/chris-wong-demo/", None),
        ]
        results = [
            run_load(name, url, concurrency=args.concurrency, seconds=args.seconds, cookies=who)
            for name, url, who in pages
        ]
    finally:
        stop_all([process])
    print(
        f"\n{args.persons:,} persons, {args.outputs:,} outputs; gunicorn {args.workers} "
        f"workers x {args.threads} threads; {args.concurrency} concurrent clients, "
        f"{args.seconds:.0f} s each; load average before {load_before:.1f}, "
        f"after {os.getloadavg()[0]:.1f}\n"
    )
    print(TABLE_HEADER)
    for result in results:
        print(result.line())


if __name__ == "__main__":
    main()
