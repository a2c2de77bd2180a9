"""The nightly ORCID export at university scale on PostgreSQL (issue 14), run by hand:

    .venv/bin/python -m bench.orcid_export --researchers 50000 --outputs 1000000 \\
        --database postgres [--exported 1000] [--workers 4] [--reseed]

Seeds database scholarhub_bench_export with the demo generator (once; --reseed to rebuild),
gives ORCID sandbox database scholarhub_bench_export_orcid a fresh start, serves the sandbox
with gunicorn (its rate limit on: 24/s, burst 40, as ORCID) and connects every researcher.

The first `--exported` researchers have records in the sandbox and are exported for real;
the others are connected with a stand-in token and, after the first export, a clean export
state (no mark, a stand-in digest) as if their first export had finished: a first export of
all 50,000 records is about 200,000 calls, over two hours at ORCID's rate. The nights read
only the marks, so the stand-ins cost them what real states would. Then it times:
- the first export of the exported records (everything new);
- a no-change night over all connected records (only marked ones are visited);
- a night with every exported record marked but nothing changed (the digest path);
- a 2 % change night: 2 % of the exported works changed, each through record_change in its
  own transaction (the path every portal action takes), so the marks are the real ones.
Each with calls, seconds, the floor of its calls at the configured rate and the ratio, CPU
seconds of this process and of the sandbox, 503s and retries, and this process's peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

SERVER = "postgres://postgres@127.0.0.1:5432"
PORTAL_DB = "scholarhub_bench_export"
ORCID_DB = "scholarhub_bench_export_orcid"
PORTAL_CLIENT = "APP-SCHOLARHUBDEMO01"
STAND_IN_DIGEST = "stand-in: first export not run by the benchmark"


def orcid_for(number: int) -> str:
    """A valid ORCID iD (ISO 7064 11,2) of the benchmark's range, one per person."""
    digits = f"0000000{3_000_000 + number:08d}"
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    full = digits + ("X" if check == 10 else str(check))
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


def _admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _exists(database: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        return row.fetchone() is not None


def _count(table: str) -> int:
    with psycopg.connect(f"{SERVER}/{PORTAL_DB}") as connection:
        try:
            row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        except psycopg.errors.UndefinedTable:
            return 0
        return int(row[0]) if row else 0


def _cpu_of_tree(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pending += [int(child) for child in children]
    return total


def _analyze(table: str = "") -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def main_postgres(options: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="scholarhub-bench-export-"))
    from utilities.ports import free_port

    port = free_port()
    environment = {
        "SCHOLARHUB_DEBUG": "0",
        "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
        "SCHOLARHUB_VAR_DIR": str(folder),
        "PORTAL_DATABASE_URL": f"{SERVER}/{PORTAL_DB}",
        "ORCID_SANDBOX_DATABASE_URL": f"{SERVER}/{ORCID_DB}",
        "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{folder / 'scopus.sqlite3'}",
        "ORCID_SANDBOX_BASE_URL": f"http://127.0.0.1:{port}",
        "ORCID_WEB_URL": f"http://127.0.0.1:{port}",
        "ORCID_API_URL": f"http://127.0.0.1:{port}/api/v3.0",
        "ORCID_EXPORT_WORKERS": str(options.workers),
    }
    os.environ.update(environment)
    scholarhub = [sys.executable, "-m", "scholarhub.cli"]
    seeded = _count("portal_person") == options.researchers
    seeded = seeded and _count("portal_researchoutput") == options.outputs
    if options.reseed or not seeded:
        if _exists(PORTAL_DB):
            _admin(f"DROP DATABASE {PORTAL_DB}")
        _admin(f"CREATE DATABASE {PORTAL_DB}")
    if _exists(ORCID_DB):
        _admin(f"DROP DATABASE {ORCID_DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {ORCID_DB}")
    subprocess.run([*scholarhub, "migrate-all"], check=True, capture_output=True)  # noqa: S603
    if options.reseed or not seeded:
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            [*scholarhub, "seed-demo", "--persons", str(options.researchers), "--outputs",
             str(options.outputs), "--portal-only"],
            check=True,
        )  # fmt: skip
        print(f"seeded in {time.monotonic() - started:.0f} s (load {os.getloadavg()[0]:.1f})")

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready

    fraction = connect_everyone(options.exported)
    _analyze()  # as a database in service would have its statistics
    process = start_service(SERVICES_BY_NAME["orcid"], port, environment=environment, workers=2)
    try:
        wait_until_ready(process, f"http://127.0.0.1:{port}/")
        measure(fraction, options.workers, process.pid)
    finally:
        stop_all([process])


def connect_everyone(exported: int) -> list[int]:
    """Connect every researcher; the first `exported` get sandbox records and real tokens.
    Returns their person ids."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from orcid_connector import crypto
    from orcid_connector.models import OrcidAuthorization
    from orcid_sandbox import actions as registry
    from orcid_sandbox.models import AccessToken, Account
    from portal.models import Person

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE orcid_connector_exportcall, orcid_connector_exportrun, "
            "orcid_connector_exporteditem, orcid_connector_exportstate, "
            "orcid_connector_orcidauthorization CASCADE"
        )
    client, _ = registry.do_register_client(
        client_id=PORTAL_CLIENT,
        client_secret="scholarhub-demo-portal-secret",  # noqa: S106 - the demo's, public
        name="CityU Scholars",
        website="http://127.0.0.1:8000",
        redirect_uris=["http://127.0.0.1:8000/backend/orcid/callback"],
    )
    people = list(Person.objects.order_by("pk").values_list("pk", "given_names", "family_name"))
    chosen = people[:exported]
    unusable = make_password(None)
    accounts = Account.objects.bulk_create(
        Account(
            orcid=orcid_for(pk),
            email=f"bench{pk}@example.edu",
            password=unusable,
            given_names=given or "A.",
            family_name=family,
        )
        for pk, given, family in chosen
    )
    scope = "/read-limited /activities/update /person/update"
    AccessToken.objects.bulk_create(
        AccessToken(
            access_token=f"bench-{account.orcid}",
            client=client,
            account=account,
            scope=scope,
            expires_in=631138518,
        )
        for account in accounts
    )
    stand_in = crypto.encrypt("stand-in-token-never-used")
    OrcidAuthorization.objects.bulk_create(
        (
            OrcidAuthorization(
                person_id=pk,
                orcid=orcid_for(pk),
                scope=scope,
                access_token_encrypted=(
                    crypto.encrypt(f"bench-{orcid_for(pk)}") if index < exported else stand_in
                ),
            )
            for index, (pk, _, _) in enumerate(people)
        ),
        batch_size=5000,
    )
    print(
        f"{len(people):,} researchers connected, {len(chosen):,} of them with records in the "
        f"sandbox (load {os.getloadavg()[0]:.1f})"
    )
    return [pk for pk, _, _ in chosen]


class Queries:
    """Counts the statements this thread sends to the portal's database."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        self.count += 1
        return execute(*args)


def measure(fraction: list[int], workers: int, sandbox_pid: int) -> None:
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import Count, Q

    from orcid_connector.export import run_export
    from orcid_connector.models import ExportCall, ExportedItem, ExportRun, ExportState
    from portal.audit import record_change
    from portal.choices import AuditAction
    from portal.models import Contributor, ResearchOutput

    rate = float(settings.ORCID_EXPORT_RATE)
    print(
        f"\nConfigured rate {rate:g} calls/s (burst {settings.ORCID_EXPORT_BURST}), "
        f"{workers} record(s) at once; sandbox rate limit on (24/s, burst 40)\n"
    )
    print(
        "| run | records visited | calls | seconds | floor s | ratio | CPU s (bench) | "
        "CPU s (sandbox) | queries | 503s | retries | peak MB | load |"
    )
    print("| --- " + "| ---: " * 12 + "|")

    def timed(label: str, **kwargs: Any) -> ExportRun:
        queries = Queries()
        cpu, sandbox_cpu = time.process_time(), _cpu_of_tree(sandbox_pid)
        started = time.monotonic()
        with connection.execute_wrapper(queries):
            run = run_export(trigger="bench", workers=workers, **kwargs).run
        seconds = time.monotonic() - started
        cpu, sandbox_cpu = time.process_time() - cpu, _cpu_of_tree(sandbox_pid) - sandbox_cpu
        calls = ExportCall.objects.filter(run=run)
        unavailable = calls.filter(status__in=[429, 503]).count()
        retried = calls.filter(Q(status__isnull=True) | Q(status__gte=500) | Q(status=429))
        floor = run.calls / rate if rate else 0.0
        ratio = f"{seconds / floor:.2f}" if floor else "–"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {label} | {run.records_total:,} | {run.calls:,} | {seconds:.1f} | {floor:.1f} | "
            f"{ratio} | {cpu:.1f} | {sandbox_cpu:.1f} | {queries.count:,} | {unavailable} | "
            f"{retried.count()} | {peak:.0f} | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )
        return run

    first = timed("first export", persons=fraction, full=False)
    print(
        f"<!-- first export: {first.created:,} created, {first.failed} failed, "
        f"{ExportedItem.objects.filter(kind='work').count():,} works -->"
    )
    # The other records stand in as exported: a clean state, no mark.
    done = set(ExportState.objects.values_list("person_id", flat=True))
    from orcid_connector.models import OrcidAuthorization

    ExportState.objects.bulk_create(
        (
            ExportState(person_id=pk, orcid=orcid, digest=STAND_IN_DIGEST)
            for pk, orcid in OrcidAuthorization.objects.values_list("person_id", "orcid")
            if pk not in done
        ),
        batch_size=5000,
    )
    _analyze("orcid_connector_exportstate")
    timed("no-change night (all records)", full=False)
    from orcid_connector.dirty import mark

    mark(fraction)
    timed("every exported record marked, nothing changed", full=False)
    # 2 % of the exported works changed, each through record_change in its own transaction
    # (the path of every portal action); works with one internal author, so the marks stay
    # among the records exported for real.
    works = ExportedItem.objects.filter(kind="work", person_id__in=fraction).count()
    wanted = max(1, works * 2 // 100)
    single = (
        Contributor.objects.filter(person_id__in=fraction)
        .values("output_id")
        .annotate(internal=Count("output__contributors__person"))
        .filter(internal=1)
        .values_list("output_id", flat=True)
    )
    exported_keys = set(
        ExportedItem.objects.filter(kind="work", person_id__in=fraction).values_list(
            "key", flat=True
        )
    )
    changed = [pk for pk in single if f"output:{pk}" in exported_keys][::5][:wanted]
    started, cpu = time.monotonic(), time.process_time()
    for output in ResearchOutput.objects.filter(pk__in=changed):
        with transaction.atomic():
            output.subtitle = f"revised edition {time.time():.0f}"
            output.save(update_fields=["subtitle"])
            record_change(
                actor=None,
                action=AuditAction.UPDATE,
                target=output,
                person=None,
                after={"subtitle": output.subtitle},
            )
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    each = max(1, len(changed))
    print(
        f"<!-- {len(changed):,} of {works:,} works changed through record_change: "
        f"{seconds * 1000 / each:.1f} ms each ({cpu * 1000 / each:.1f} ms CPU), marks "
        "included -->"
    )
    timed(f"2 % change night ({len(changed):,} works)", full=False)
