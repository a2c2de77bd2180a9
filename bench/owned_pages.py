"""The pages of the content researchers publish directly (activities, prizes, impact, press),
the search page across every type, and the profile and unit pages with their sections, at
university scale on PostgreSQL, measured in-process per request (CPU time and queries).

    .venv/bin/python -m bench.owned_pages [--requests 30]

Uses the database of bench.portal_pages (scholarhub_bench_portal: 50,000 persons, 1,000,000
outputs). Migrates only the four apps of this bench and, when their tables are empty, writes
their demo content at that scale with their `demo.build_demo` (what `seed-demo` runs). Each
page is requested through Django's test client in this process; the profile is asked with a new
query string each time, so its cached fragment is built afresh (the worst case). CPU time is
the process's own, which other work on the machine moves less than wall-clock time.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import time
from collections.abc import Callable

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "scholarhub_bench_portal"
APPS = ("activities", "prizes", "impacts", "press")


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SCHOLARHUB_DEBUG", "1")
    os.environ["PORTAL_DATABASE_URL"] = f"{SERVER}/{DATABASE}"
    import django

    django.setup()


def ensure_content(persons: int, outputs: int) -> None:
    from django.core.management import call_command

    for app in APPS:
        call_command("migrate", app, database="default", verbosity=0)
        demo = importlib.import_module(f"{app}.demo")
        model = importlib.import_module(f"{app}.kind").KIND.model
        if not model._default_manager.exists():
            started = time.monotonic()
            built = demo.build_demo(persons, outputs, 2006)
            print(f"{app}: {built:,} demo items in {time.monotonic() - started:.1f} s")


def measure(name: str, url: Callable[[int], str], requests: int) -> tuple[str, ...]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(url(0))  # warm: templates compiled, connection open
    cpu: list[float] = []
    wall: list[float] = []
    queries = 0
    for number in range(1, requests + 1):
        with CaptureQueriesContext(connection) as captured:
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            response = client.get(url(number))
            cpu.append((time.process_time() - cpu_start) * 1000)
            wall.append((time.perf_counter() - wall_start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code} for {url(number)}")
        queries = max(queries, len(captured))
    return (
        name,
        f"{statistics.median(cpu):.1f}",
        f"{statistics.quantiles(cpu, n=20)[18]:.1f}",
        f"{statistics.median(wall):.1f}",
        f"{statistics.quantiles(wall, n=20)[18]:.1f}",
        str(queries),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--outputs", type=int, default=1_000_000)
    args = parser.parse_args()
    setup()
    ensure_content(args.persons, args.outputs)

    from activities.models import Activity
    from portal.models import Person

    public = Activity.objects.filter(status="public")
    someone = public.order_by("people__person__slug").values_list(
        "people__person__slug", flat=True
    )[0]
    item = public.order_by("-pk").values_list("pk", flat=True)[0]
    words = ["library", "award", "open access", "hkall", "wong", "resource sharing"]
    pages: list[tuple[str, Callable[[int], str]]] = [
        ("Activities, page 1", lambda n: "/activities/"),
        ("Activities, page 200", lambda n: "/activities/?page=200"),
        ("Activities, words", lambda n: f"/activities/?q={words[n % len(words)]}"),
        ("Activities, of a person", lambda n: f"/activities/?person={someone}"),
        ("Activities, of the university", lambda n: "/activities/?unit=cityu"),
        ("an activity", lambda n: f"/activities/{item}/"),
        ("Prizes / Honours, page 1", lambda n: "/prizes/"),
        ("Impact, page 1", lambda n: "/impact/"),
        ("Press / Media, page 1", lambda n: "/press-media/"),
        ("search, every type", lambda n: f"/search/?q={words[n % len(words)]}"),
        ("Chris's profile, not cached", lambda n: f"/persons/chris-wong-demo/?fresh={n}"),
        ("a department with its sections", lambda n: "/units/library/"),
    ]
    rows = [measure(name, url, args.requests) for name, url in pages]
    header = ("page", "CPU median ms", "CPU p95 ms", "wall median ms", "wall p95 ms", "queries")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        f"\n{Person.objects.count():,} persons; {args.requests} requests a page, one client, "
        f"in-process; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
