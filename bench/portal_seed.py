"""Seeding speed of the demo generator on PostgreSQL, with and without dropping foreign keys.

    .venv/bin/python -m bench.portal_seed [--persons 5000 --outputs 100000 --rounds 2]

Builds the demo university in database scholarhub_bench_seed (created if missing), emptying
it between builds, alternating the generator as it is with a variant whose deferred foreign
key checks run row by row at COMMIT, so both see the same machine load.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time

import psycopg

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "scholarhub_bench_seed"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=5_000)
    parser.add_argument("--outputs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if not exists:
            connection.execute(f"CREATE DATABASE {DATABASE}")
    os.environ.update(
        {
            "SCHOLARHUB_DEBUG": "0",
            "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
            "SCHOLARHUB_VAR_DIR": tempfile.mkdtemp(prefix="scholarhub-bench-"),
            "PORTAL_DATABASE_URL": f"{SERVER}/{DATABASE}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    import portal.demo as demo

    call_command("migrate", database="default", verbosity=0)
    keys_once = demo.foreign_keys_checked_once
    print("| foreign keys | seconds | load average |\n| --- | ---: | ---: |")
    for _ in range(args.rounds):
        for label, manager in (
            ("dropped, added back once", keys_once),
            ("deferred, checked per row", lambda *models: contextlib.nullcontext()),
        ):
            demo.wipe_portal()
            demo.foreign_keys_checked_once = manager  # type: ignore[assignment]
            started = time.monotonic()
            demo.DemoUniversity(args.persons, args.outputs).build()
            elapsed = time.monotonic() - started
            print(f"| {label} | {elapsed:.1f} | {os.getloadavg()[0]:.1f} |", flush=True)
    demo.foreign_keys_checked_once = keys_once


if __name__ == "__main__":
    main()
