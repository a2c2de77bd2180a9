"""What one "View graph of relations" request costs in-process on the demo's SQLite: the page
(with its list for readers without JavaScript) beside the JSON endpoint, for Chris WONG, the
whole university, one of his outputs and his project; wall and CPU time of the Django process
and its SQL queries, with the cache warm and cold (emptied before each request).

    .venv/bin/python -m bench.graph_pages [--persons 200 --outputs 5000] [--repeat 30]
        [--var-dir DIR]

Builds the demo university (the portal's part) on SQLite in a temporary folder, or reuses
--var-dir if a previous run built it there. One client, no web server: the figures follow the
code more than the machine's load (CPU time least of all). bench.request_costs measures the
same on the 50,000-person PostgreSQL database of bench.portal_pages.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.request_costs import _measure


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=200)
    parser.add_argument("--outputs", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--var-dir", type=Path, default=None, help="reuse a seeded folder")
    args = parser.parse_args()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="scholarhub-graph-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    database = var_dir / "portal.sqlite3"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PORTAL_DATABASE_URL": f"sqlite:///{database}",
            "ORCID_SANDBOX_DATABASE_URL": f"sqlite:///{var_dir / 'orcid.sqlite3'}",
            "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{var_dir / 'scopus.sqlite3'}",
            "SCHOLARHUB_DEBUG": "0",
            "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
            "SCHOLARHUB_VAR_DIR": str(var_dir),
        }
    )
    seeded = database.exists()
    for command in (
        ("migrate", "--database", "default", "-v", "0"),
        *(
            ()
            if seeded
            else (
                (
                    "seed-demo",
                    "--persons",
                    str(args.persons),
                    "--outputs",
                    str(args.outputs),
                    "--portal-only",
                ),
            )
        ),
    ):
        subprocess.run(  # noqa: S603 - our own console command
            [sys.executable, "-m", "scholarhub.cli", *command], env=dict(os.environ), check=True
        )
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from portal import graph
    from portal.models import Person
    from portal.queries import public_outputs

    settings.ALLOWED_HOSTS = ["*"]
    chris = Person.objects.get(slug="chris-wong-demo")
    output = public_outputs().filter(contributors__person=chris).order_by("-pk").first()
    projects, public_projects = graph.PROJECTS.content_type(), graph.PROJECTS.public()
    project = (
        None
        if projects is None or public_projects is None
        else public_projects.filter(pk__in=projects.items_of_person(chris.pk).values("pk")).first()
    )
    centres = [
        ("researcher", f"/persons/{chris.slug}/graph"),
        ("university", "/units/cityu/graph"),
        *([("output", f"/outputs/{output.pk}/graph")] if output else []),
        *([("project", f"/projects/{project.pk}/graph")] if project else []),
    ]
    anyone = Client()
    print(f"{var_dir}: {args.repeat} requests per row; load average {os.getloadavg()[0]:.1f}")
    print(
        "| page | cache | p50 ms | p95 ms | CPU p50 ms | queries | SQL p50 ms |\n"
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    )
    for name, base in centres:
        for what, url in (
            (f"graph page, {name}", f"{base}/"),
            (f"graph JSON, {name}", f"{base}.json"),
        ):
            for cold in (False, True):
                row = _measure(anyone, _always(url), args.repeat, cold, cache, connection)
                print(
                    f"| {what} | {'cold' if cold else 'warm'} | {row['p50']:.1f} "
                    f"| {row['p95']:.1f} | {row['cpu']:.1f} | {row['queries']} | {row['sql']:.1f} |"
                )
    print(f"load average {os.getloadavg()[0]:.1f} after")


def _always(url: str) -> Callable[[int], str]:
    return lambda n: url


if __name__ == "__main__":
    main()
