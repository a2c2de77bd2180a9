"""Scopus sandbox Author Retrieval under load: requests per second, closed loop.

Run by hand (never in tests):

    .venv/bin/python -m bench.scopus_api --seconds 15 --concurrency 4 --crowd 20000

It makes a fresh Scopus database (SQLite in a temporary folder unless --database-url names
another), seeds it with `scholarhub scopus-sandbox seed-demo` (a small built-in cast plus the
crowd), starts the service under gunicorn, and measures GET
/content/author/author_id/{id}?view=ENHANCED for Chris's profile and for random crowd profiles,
and Scopus Search AU-ID(…) (STANDARD, 25 per page).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from scholarhub.processes import (
    SERVICES_BY_NAME,
    start_service,
    stop_all,
    wait_until_ready,
)
from utilities.ports import free_port

CHRIS = "98765432100"
CAST = {
    "institution": {"name": "City University of Hong Kong", "city": "Kowloon", "country": "HK",
                    "afid": "60008592"},
    "clients": [],
    "researchers": [
        {
            "given_names": "Chris", "family_name": "WONG", "email": "chriswong@cityu.edu.hk",
            "scopus_author_id": CHRIS,
            "outputs": [
                {"title": f"Library article {n}", "journal": "Interlending and Document Supply",
                 "year": 2000 + n % 25, "doi": f"10.1108/bench.{n}", "coauthors": []}
                for n in range(60)
            ],
        }
    ],
}  # fmt: skip


def closed_loop(call: Callable[[httpx.Client], None], seconds: float, workers: int) -> float:
    counts = [0] * workers
    stop = time.monotonic() + seconds

    def run(index: int) -> None:
        with httpx.Client(timeout=30.0) as client:
            while time.monotonic() < stop:
                call(client)
                counts[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--crowd", type=int, default=20_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        cast = root / "cast.json"
        cast.write_text(json.dumps(CAST), encoding="utf-8")
        url = args.database_url or f"sqlite:///{root / 'scopus.sqlite3'}"
        environment = {"SCHOLARHUB_DEBUG": "1", "SCOPUS_SANDBOX_DATABASE_URL": url}
        env = {**os.environ, **environment}
        scholarhub = str(Path(sys.executable).with_name("scholarhub"))
        for command in (
            ["migrate", "--database", "scopus", "-v", "0"],
            ["scopus-sandbox", "seed-demo", "--cast", str(cast), "--crowd", str(args.crowd)],
        ):
            subprocess.run([scholarhub, *command], env=env, check=True)  # noqa: S603
        key = (root / "scopus-api-key.txt").read_text().strip()
        ids = subprocess.run(  # noqa: S603
            [scholarhub, "shell", "-c",
             "from scopus_sandbox.models import AuthorProfile as P; "
             "print(' '.join(P.objects.values_list('author_id', flat=True)[:5000]))"],
            env=env, check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        # The shell may print banners (django-axes) on stdout too: keep Author IDs only.
        ids = [value for value in ids if value.isdigit() and len(value) in (10, 11)]
        port = free_port()
        process = start_service(
            SERVICES_BY_NAME["scopus"], port, environment=environment, workers=2, threads=4
        )
        base = f"http://127.0.0.1:{port}"
        headers = {"X-ELS-APIKey": key, "Accept": "application/json"}
        rng = random.Random(1)
        try:
            wait_until_ready(process, f"{base}/")

            def chris(client: httpx.Client) -> None:
                response = client.get(
                    f"{base}/content/author/author_id/{CHRIS}?view=ENHANCED", headers=headers
                )
                response.raise_for_status()

            def crowd(client: httpx.Client) -> None:
                author = rng.choice(ids)
                response = client.get(
                    f"{base}/content/author/author_id/{author}?view=ENHANCED", headers=headers
                )
                response.raise_for_status()

            def search(client: httpx.Client) -> None:
                response = client.get(
                    f"{base}/content/search/scopus",
                    params={"query": f"AU-ID({CHRIS})", "count": 25},
                    headers=headers,
                )
                response.raise_for_status()

            results = {}
            for name, call in (("chris", chris), ("crowd", crowd), ("search", search)):
                call(httpx.Client())  # warm up
                results[name] = closed_loop(call, args.seconds, args.concurrency)
            print(  # noqa: T201
                f"Author Retrieval ENHANCED, Chris (60 documents): {results['chris']:.0f} req/s\n"
                f"Author Retrieval ENHANCED, random crowd profiles: {results['crowd']:.0f} req/s\n"
                f"Scopus Search AU-ID, 25 per page: {results['search']:.0f} req/s\n"
                f"({args.concurrency} clients, {args.seconds:.0f} s each, gunicorn 2x4 threads, "
                f"{len(ids):,} profiles sampled; one run)"
            )
        finally:
            stop_all([process])


if __name__ == "__main__":
    main()
