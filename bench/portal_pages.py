"""Portal pages under concurrent load at university scale, on PostgreSQL.

    .venv/bin/python -m bench.portal_pages [--persons 50000 --outputs 1000000] [--seconds 20]

Seeds database scholarhub_bench_portal (once; --reseed to rebuild) with the demo generator,
gives one researcher exactly 200 public outputs, serves the portal with gunicorn on a free
loopback port and measures the profile page of that researcher and the researcher search, and
the "View graph of relations" data (issue 13) of that researcher, of the whole university (every
person below it: the caps at work) and of one of the researcher's outputs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

import psycopg

from bench.loadgen import TABLE_HEADER, run_load
from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "scholarhub_bench_portal"
TARGET_OUTPUTS = 200
SEARCHES = ["wong", "chan", "lee", "chris", "王", "zhang wei", "0000-0000-0000-0001", "lam"]


def scholarhub(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "scholarhub.cli", *args], env=env, check=True)


def ensure_database(reseed: bool, persons: int, outputs: int, env: dict[str, str]) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if exists and reseed:
            connection.execute(f"DROP DATABASE {DATABASE}")
            exists = None
        if not exists:
            connection.execute(f"CREATE DATABASE {DATABASE}")
    scholarhub("migrate", "--database", "default", "-v", "0", env=env)
    if not reseed and exists:
        return
    started = time.monotonic()
    scholarhub(
        "seed-demo", "--persons", str(persons), "--outputs", str(outputs), "--portal-only", env=env
    )
    print(f"seed-demo step took {time.monotonic() - started:.1f} s")


def scalar(connection: psycopg.Connection[Any], query: str, params: tuple[object, ...]) -> Any:
    """The first column of the query's first row (the query must return one)."""
    row = connection.execute(query, params).fetchone()
    if row is None:
        raise RuntimeError(f"no row for {query!r} {params!r}")
    return row[0]


def give_profile_outputs(slug: str) -> None:
    """Make the researcher an author of exactly TARGET_OUTPUTS public, validated outputs."""
    with psycopg.connect(f"{SERVER}/{DATABASE}") as connection:
        person_id = scalar(connection, "SELECT id FROM portal_person WHERE slug = %s", (slug,))
        public = """SELECT count(DISTINCT o.id) FROM portal_researchoutput o
                    JOIN portal_contributor c ON c.output_id = o.id
                    WHERE c.person_id = %s AND o.workflow_status = 'validated'
                    AND o.visibility = 'public'"""
        have = scalar(connection, public, (person_id,))
        if have < TARGET_OUTPUTS:
            connection.execute(
                """INSERT INTO portal_contributor
                   (output_id, position, person_id, given_names, family_name,
                    external_affiliation, role)
                   SELECT o.id, 99, %s, 'Chris', 'Wong', '', 'author'
                   FROM portal_researchoutput o
                   WHERE o.workflow_status = 'validated' AND o.visibility = 'public'
                   AND NOT EXISTS (
                       SELECT 1 FROM portal_contributor c
                       WHERE c.output_id = o.id AND (c.person_id = %s OR c.position = 99))
                   ORDER BY o.id DESC LIMIT %s""",
                (person_id, person_id, TARGET_OUTPUTS - have),
            )
        connection.execute("ANALYZE")
        print(f"{slug}: {scalar(connection, public, (person_id,))} public outputs")


def newest_output_of(slug: str) -> int:
    """The id of the researcher's newest public output (for the output graph)."""
    with psycopg.connect(f"{SERVER}/{DATABASE}") as connection:
        row = connection.execute(
            """SELECT o.id FROM portal_researchoutput o
               JOIN portal_contributor c ON c.output_id = o.id
               JOIN portal_person p ON p.id = c.person_id
               WHERE p.slug = %s AND o.workflow_status = 'validated'
               AND o.visibility = 'public'
               ORDER BY o.publication_year DESC, o.id DESC LIMIT 1""",
            (slug,),
        ).fetchone()
    if row is None:
        raise SystemExit(f"{slug} has no public output to draw the output graph of")
    return int(row[0])


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
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()

    environment = {
        # The demo hand-over file of this bench stays out of the developer's var/.
        "SCHOLARHUB_VAR_DIR": tempfile.mkdtemp(prefix="scholarhub-bench-"),
        "SCHOLARHUB_DEBUG": "0",
        "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
        "PORTAL_DATABASE_URL": f"{SERVER}/{DATABASE}",
    }
    env = {**os.environ, **environment}
    if not args.skip_seed:
        ensure_database(args.reseed, args.persons, args.outputs, env)
    give_profile_outputs("chris-wong-demo")
    output_id = newest_output_of("chris-wong-demo")

    port = 8100
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
        run_load("warm-up", lambda n: f"{base}/persons/chris-wong-demo/", concurrency=2, seconds=3)
        results = [
            run_load(
                "profile, 200 outputs (page 1)",
                lambda n: f"{base}/persons/chris-wong-demo/",
                concurrency=args.concurrency,
                seconds=args.seconds,
            ),
            run_load(
                "profile, 200 outputs (pages 1-8)",
                lambda n: f"{base}/persons/chris-wong-demo/?page={n % 8 + 1}",
                concurrency=args.concurrency,
                seconds=args.seconds,
            ),
            run_load(
                "researcher search",
                lambda n: f"{base}/persons/?q={SEARCHES[n % len(SEARCHES)]}",
                concurrency=args.concurrency,
                seconds=args.seconds,
            ),
            run_load(
                "graph JSON, researcher (200 outputs)",
                lambda n: f"{base}/persons/chris-wong-demo/graph.json",
                concurrency=args.concurrency,
                seconds=args.seconds,
            ),
            run_load(
                "graph JSON, university (all persons)",
                lambda n: f"{base}/units/cityu/graph.json",
                concurrency=args.concurrency,
                seconds=args.seconds,
            ),
            run_load(
                "graph JSON, output",
                lambda n: f"{base}/outputs/{output_id}/graph.json",
                concurrency=args.concurrency,
                seconds=args.seconds,
            ),
            run_load(
                "graph page, researcher",
                lambda n: f"{base}/persons/chris-wong-demo/graph/",
                concurrency=args.concurrency,
                seconds=args.seconds,
            ),
        ]
    finally:
        stop_all([process])
    # Other work on the same cores moves these figures most: say how busy the machine was.
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
