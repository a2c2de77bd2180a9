"""The seed's other menu pages under concurrent load at university scale, on PostgreSQL.

    .venv/bin/python -m bench.content_pages [--seconds 10] [--concurrency 8] [--skip-seed]
        [--only search|explain] [--explain]

Uses bench.portal_pages's database (scholarhub_bench_portal; seeded by `seed-demo --persons
50000 --outputs 1000000` when missing, --reseed to rebuild it, which every content type's demo
generator fills in proportion), serves the portal with gunicorn on a free loopback port and
measures, for each content type of the seed's menu (Projects, Activities, Prizes, Student
Theses, Datasets, Impact, Press / Media): its public list, its list's fifth page and its detail
pages (the items linked from the list's first page, in turn); then the one search box across
every type (all the words in turn, then each word alone), and the graph of relations of a
project. `--only search` measures the search rows alone; `--only in-process` reads each list
and search page in this process, first afresh then from the cache, with CPU times and queries,
and each search at the two count caps; `--explain` adds, in this process, the
search page for each word with every query it runs under EXPLAIN ANALYZE (its time, the plan's
scans and the indexes they read); `--only explain` runs that alone, without the server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from bench.loadgen import TABLE_HEADER, run_load
from bench.portal_pages import DATABASE, SERVER, ensure_database
from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready
from utilities.ports import free_port

# The URL path of each type's public pages, in the seed's menu order.
CONTENT_PATHS = {
    "Projects": "projects",
    "Activities": "activities",
    "Prizes": "prizes",
    "Student Theses": "theses",
    "Datasets": "datasets",
    "Impact": "impact",
    "Press / Media": "press-media",
}
# Common and rare words, a surname, a two-letter word and two CJK characters (which have no
# trigram: PostgreSQL cannot narrow them by the trigram indexes).
SEARCHES = ["climate", "wong", "data", "ai", "health", "城市", "water", "lee"]


def detail_paths(base: str, path: str) -> list[str]:
    """The detail pages the type's public list links to on its first page."""
    page = httpx.get(f"{base}/{path}/", timeout=60).text
    found = dict.fromkeys(re.findall(rf'href="(/{re.escape(path)}/\d+/)"', page))
    return list(found)


def cycling(base: str, paths: list[str]) -> Callable[[int], str]:
    """The n-th request's URL: the paths in turn."""
    return lambda n: base + paths[n % len(paths)]


def plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def scans_of(plan: dict[str, Any]) -> str:
    """The plan's scans in a few words: "Bitmap Index Scan output_title_trgm_idx, ..."."""
    scans = []
    for node in plan_nodes(plan):
        if "Scan" in node["Node Type"]:
            where = node.get("Index Name") or node.get("Relation Name") or ""
            scans.append(f"{node['Node Type']} {where}".strip())
    return ", ".join(dict.fromkeys(scans))


def explain_search(environment: dict[str, str], words: list[str]) -> None:
    """For each word: the search page in this process, then each of its SELECTs again under
    EXPLAIN (ANALYZE, BUFFERS) (so warm: the page has just read the same rows)."""
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/search/", {"q": "warm"})
    print("\n| word | page ms | queries | SQL ms (EXPLAIN ANALYZE) | slowest ms | its scans |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for word in words:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/search/", {"q": word})
            page_ms = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"search {word!r}: {response.status_code}")
        timings = []
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
                (result,) = cursor.fetchone()
            explained = (json.loads(result) if isinstance(result, str) else result)[0]
            timings.append((explained["Execution Time"], explained["Plan"], sql))
        total = sum(ms for ms, _, _ in timings)
        slowest_ms, slowest_plan, slowest_sql = max(timings, key=lambda timing: timing[0])
        print(
            f"| {word} | {page_ms:.0f} | {len(captured)} | {total:.1f} | {slowest_ms:.1f} | "
            f"{scans_of(slowest_plan)} |"
        )
        if os.environ.get("BENCH_SHOW_SQL"):
            print(slowest_sql)


def in_process(environment: dict[str, str], words: list[str]) -> None:
    """In this process: each type's list and the search page for each word, read twice (the
    first reading computes and caches the page, the second is served from the cache), with
    the CPU time and the queries of each; then each word's search read afresh (the cache
    emptied) with the section count capped at 10,000 and at 1,000."""
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal import content

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/search/", {"q": "warm"})

    def reading(path: str, data: dict[str, str]) -> tuple[float, float, int]:
        with CaptureQueriesContext(connection) as captured:
            cpu, wall = time.process_time(), time.perf_counter()
            response = client.get(path, data)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code != 200:
            raise SystemExit(f"{path} {data}: {response.status_code}")
        return cpu * 1000, wall * 1000, len(captured)

    print("\n| page | first: CPU ms | wall ms | queries | cached: CPU ms | wall ms | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    pages: list[tuple[str, str, dict[str, str]]] = [
        (f"{label}: list", f"/{path}/", {}) for label, path in CONTENT_PATHS.items()
    ]
    pages += [(f"search: {word}", "/search/", {"q": word}) for word in words]
    for name, path, data in pages:
        first, cached = reading(path, data), reading(path, data)
        print(
            f"| {name} | {first[0]:.1f} | {first[1]:.0f} | {first[2]} | "
            f"{cached[0]:.1f} | {cached[1]:.1f} | {cached[2]} |"
        )
    print("\n| word | cap 10,000: CPU ms | wall ms | cap 1,000: CPU ms | wall ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for word in words:
        timings = []
        for cap in (10_000, 1_000):
            content.COUNT_CAP = cap
            cache.clear()
            timings.append(reading("/search/", {"q": word}))
        print(
            f"| {word} | {timings[0][0]:.1f} | {timings[0][1]:.0f} | "
            f"{timings[1][0]:.1f} | {timings[1][1]:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--outputs", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--only", choices=["all", "search", "explain", "in-process"], default="all")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    environment = {
        "SCHOLARHUB_VAR_DIR": tempfile.mkdtemp(prefix="scholarhub-bench-"),
        "SCHOLARHUB_DEBUG": "0",
        "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
        "PORTAL_DATABASE_URL": f"{SERVER}/{DATABASE}",
    }
    if not args.skip_seed:
        ensure_database(args.reseed, args.persons, args.outputs, {**os.environ, **environment})

    if args.only == "explain":
        explain_search(environment, SEARCHES)
        return
    if args.only == "in-process":
        in_process(environment, SEARCHES)
        return

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
    results = []
    try:
        wait_until_ready(process, base + "/")
        for label, path in CONTENT_PATHS.items() if args.only == "all" else ():
            details = detail_paths(base, path)
            results.append(
                run_load(
                    f"{label}: list",
                    cycling(base, [f"/{path}/"]),
                    concurrency=args.concurrency,
                    seconds=args.seconds,
                )
            )
            results.append(
                run_load(
                    f"{label}: list, page 5",
                    cycling(base, [f"/{path}/?page=5"]),
                    concurrency=args.concurrency,
                    seconds=args.seconds,
                )
            )
            if not details:
                print(f"{label}: the list's first page links to no item; detail not measured")
                continue
            results.append(
                run_load(
                    f"{label}: detail ({len(details)} items in turn)",
                    cycling(base, details),
                    concurrency=args.concurrency,
                    seconds=args.seconds,
                )
            )
        searches = {"search across every type": [f"/search/?q={query}" for query in SEARCHES]}
        searches.update({f"search: {query}": [f"/search/?q={query}"] for query in SEARCHES})
        for name, paths in searches.items():
            load = run_load(
                name, cycling(base, paths), concurrency=args.concurrency, seconds=args.seconds
            )
            results.append(load)
        projects = detail_paths(base, "projects") if args.only == "all" else []
        if projects:
            results.append(
                run_load(
                    "graph JSON, project",
                    cycling(base, [f"{project}graph.json" for project in projects]),
                    concurrency=args.concurrency,
                    seconds=args.seconds,
                )
            )
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
    if args.explain:
        explain_search(environment, SEARCHES)


if __name__ == "__main__":
    main()
