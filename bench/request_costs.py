"""What one request costs in-process, page by page, on the 50,000-person / 1,000,000-output
database of bench.portal_pages: wall and CPU time of the Django process, its SQL queries and
their time, with the page cache warm (the usual case) and cold (emptied before each request:
the first reader after a change).

    .venv/bin/python -m bench.request_costs [--repeat 20] [--page NAME ...]

One client, no web server: the figures follow the code more than the machine's load (CPU time
least of all), so they are the ones to compare on a shared machine. The database must have been
seeded by bench.portal_pages or bench.output_pages first. The cache is a temporary folder, so
emptying it touches nothing else.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench.portal_pages import DATABASE, SERVER, scholarhub


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--page", action="append", default=[], help="only these pages")
    args = parser.parse_args()

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PORTAL_DATABASE_URL": f"{SERVER}/{DATABASE}",
            "SCHOLARHUB_DEBUG": "0",
            "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
            "SCHOLARHUB_VAR_DIR": tempfile.mkdtemp(prefix="scholarhub-bench-"),
        }
    )
    # Other apps may have added tables since the database was seeded.
    scholarhub("migrate", "--database", "default", "-v", "0", env=dict(os.environ))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    chris, library, anyone = Client(), Client(), Client()
    chris.force_login(User.objects.get(username="chriswong"))
    library.force_login(User.objects.get(username="library"))
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT o.id FROM portal_researchoutput o
               JOIN portal_contributor c ON c.output_id = o.id
               JOIN portal_person p ON p.id = c.person_id
               WHERE p.slug = 'chris-wong-demo' AND o.workflow_status = 'validated'
               AND o.visibility = 'public' ORDER BY o.id DESC LIMIT 1"""
        )
        output_id = cursor.fetchone()[0]
        # The unit with the most outputs waiting, and one with none (the queue's unit filter
        # reads them differently: portal.output_queries._in_unit).
        cursor.execute(
            """SELECT managing_unit_id FROM portal_researchoutput
               WHERE workflow_status = 'for_validation' AND managing_unit_id IS NOT NULL
               GROUP BY managing_unit_id ORDER BY count(*) DESC LIMIT 1"""
        )
        busiest = cursor.fetchone()[0]
        cursor.execute(
            """SELECT u.id FROM portal_orgunit u WHERE NOT EXISTS (
                   SELECT 1 FROM portal_researchoutput o
                   WHERE o.workflow_status = 'for_validation' AND o.managing_unit_id = u.id)
               AND NOT EXISTS (
                   SELECT 1 FROM portal_researchoutput_units l
                   JOIN portal_researchoutput o ON o.id = l.researchoutput_id
                   WHERE l.orgunit_id = u.id AND o.workflow_status = 'for_validation')
               ORDER BY u.id LIMIT 1"""
        )
        idle = cursor.fetchone()
    queue = "/backend/library/validation/"
    pages: list[tuple[str, Client, Callable[[int], str]]] = [
        ("my research output", chris, lambda n: "/backend/outputs/"),
        (
            "my research output, state + page",
            chris,
            lambda n: f"/backend/outputs/?state=validated&page={n % 8 + 1}",
        ),
        ("for validation", library, lambda n: queue),
        ("for validation, pages 1-8", library, lambda n: f"{queue}?page={n % 8 + 1}"),
        (
            "for validation, type + year + age",
            library,
            lambda n: f"{queue}?type=journal-article&year={2010 + n % 14}&older_than=30",
        ),
        ("for validation, unit", library, lambda n: f"{queue}?unit={n % 19 + 1}"),
        (
            "for validation, busiest unit, pages 1-20",
            library,
            lambda n: f"{queue}?unit={busiest}&page={n % 20 + 1}",
        ),
        *(
            [
                (
                    "for validation, unit with none waiting",
                    library,
                    lambda n: f"{queue}?unit={idle[0]}",
                )
            ]
            if idle
            else []
        ),
        ("for validation, submitter", library, lambda n: f"{queue}?submitter=chriswong"),
        ("library console", library, lambda n: "/backend/library/"),
        ("graph JSON, researcher", anyone, lambda n: "/persons/chris-wong-demo/graph.json"),
        ("graph JSON, university", anyone, lambda n: "/units/cityu/graph.json"),
        ("graph JSON, output", anyone, lambda n: f"/outputs/{output_id}/graph.json"),
        ("researcher search", anyone, lambda n: f"/persons/?q={SEARCHES[n % len(SEARCHES)]}"),
    ]
    chosen = [page for page in pages if not args.page or page[0] in args.page]
    print(f"{args.repeat} requests per row; load average {os.getloadavg()[0]:.1f} before")
    print(
        "| page | cache | p50 ms | p95 ms | CPU p50 ms | queries | SQL p50 ms |\n"
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    )
    for name, client, url_for in chosen:
        for cold in (False, True):
            row = _measure(client, url_for, args.repeat, cold, cache, connection)
            print(
                f"| {name} | {'cold' if cold else 'warm'} | {row['p50']:.1f} | {row['p95']:.1f} "
                f"| {row['cpu']:.1f} | {row['queries']} | {row['sql']:.1f} |"
            )
    print(f"load average {os.getloadavg()[0]:.1f} after")


SEARCHES = ["wong", "chan", "lee", "chris", "王", "zhang wei", "0000-0000-0000-0001", "lam"]


def _measure(
    client: Any, url_for: Callable[[int], str], repeat: int, cold: bool, cache: Any, connection: Any
) -> dict[str, Any]:
    from django.test.utils import CaptureQueriesContext

    for n in range(repeat):  # warm the cache (and the database's buffers) for every variant
        client.get(url_for(n))
    walls, cpus, sqls, counts = [], [], [], []
    for n in range(repeat):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url_for(n))
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url_for(n)} answered {response.status_code}")
        counts.append(len(queries))
        sqls.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    return {
        "p50": statistics.median(walls),
        "p95": _percentile(walls, 0.95),
        "cpu": statistics.median(cpus),
        "queries": f"{min(counts)}-{max(counts)}" if min(counts) != max(counts) else counts[0],
        "sql": statistics.median(sqls),
    }


if __name__ == "__main__":
    main()
