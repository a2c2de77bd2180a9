"""The nightly ORCID export at university scale on PostgreSQL (issue 14), run by hand:

    .venv/bin/python -m bench.orcid_export --researchers 50000 --outputs 1000000 \\
        --database postgres [--exported 1000 | --exported all] [--workers 4] [--marked 1000] \\
        [--reseed] [--profile 200] [--nights-only]

Seeds database scholarhub_bench_export (`--name`) with the demo generator (once; --reseed to
rebuild; it never touches another database), gives ORCID sandbox database
scholarhub_bench_export_orcid (`--name` and _orcid) a fresh start, serves the sandbox with
gunicorn (its rate limit on: 24/s, burst 40, as ORCID) and connects every researcher.

The first `--exported` researchers (`all`: every one, the full first export of 1,000,000
outputs) have records in the sandbox and are exported for real; the others are connected with
a stand-in token and, after the first export, a clean export state (no mark, a stand-in
digest) as if their first export had finished. The nights read only the marks, so the
stand-ins cost them what real states would. Then it times, at the configured rate
(ORCID_EXPORT_RATE / ORCID_EXPORT_BURST, printed):
- the first export of the exported records (everything new);
- a no-change night over all connected records (only marked ones are visited);
- a night with `--marked` exported records marked but nothing changed (the digest path);
- a 2 % change night: 2 % of the exported works changed, each through record_change (the
  path every portal action takes, a transaction per 100 changes), so the marks are the real
  ones.
Each with calls, seconds, the floor of its calls at the configured rate and the ratio, CPU
seconds and CPU ms per call of this process and of the sandbox, statements sent to the
portal's database (every thread), 503s and retries, and the peak memory of this process and
of the sandbox's largest process.

`--nights-only` keeps both databases of an earlier run with the same sizes (its first export
done, its ExportState and the sandbox's records as it left them) and times only the nights: a
change to the export's code is measured at full scale without the hours of a first export.

`--profile N` instead profiles (cProfile, CPU time) the first export of N exported records and
then a night changing 10 % of their works, with the sandbox served in this process over
httpx's WSGI transport, and prints CPU ms per work and per call of each side and where it goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psycopg

import identifiers

SERVER = "postgres://postgres@127.0.0.1:5432"
PORTAL_CLIENT = "APP-SCHOLARHUBDEMO01"
STAND_IN_DIGEST = "stand-in: first export not run by the benchmark"


def orcid_for(number: int) -> str:
    """A valid ORCID iD (ISO 7064 11,2) of the benchmark's range, one per person."""
    return identifiers.orcid_from_digits(f"0000000{3_000_000 + number:08d}")


def _admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _exists(database: str) -> bool:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        return row.fetchone() is not None


def _count(database: str, table: str) -> int:
    if not _exists(database):
        return 0
    with psycopg.connect(f"{SERVER}/{database}") as connection:
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
    portal_db, orcid_db = options.name, f"{options.name}_orcid"
    folder = Path(tempfile.mkdtemp(prefix="scholarhub-bench-export-"))
    from utilities.ports import free_port

    port = free_port()
    environment = {
        "SCHOLARHUB_DEBUG": "0",
        "SCHOLARHUB_SECRET_KEY": "benchmark-only-secret-key",
        "SCHOLARHUB_VAR_DIR": str(folder),
        "PORTAL_DATABASE_URL": f"{SERVER}/{portal_db}",
        "ORCID_SANDBOX_DATABASE_URL": f"{SERVER}/{orcid_db}",
        "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{folder / 'scopus.sqlite3'}",
        "ORCID_SANDBOX_BASE_URL": f"http://127.0.0.1:{port}",
        "ORCID_WEB_URL": f"http://127.0.0.1:{port}",
        "ORCID_API_URL": f"http://127.0.0.1:{port}/api/v3.0",
        "ORCID_EXPORT_WORKERS": str(options.workers),
    }
    os.environ.update(environment)
    scholarhub = [sys.executable, "-m", "scholarhub.cli"]
    seeded = _count(portal_db, "portal_person") == options.researchers
    seeded = seeded and _count(portal_db, "portal_researchoutput") == options.outputs
    if options.reseed or not seeded:
        if _exists(portal_db):
            _admin(f"DROP DATABASE {portal_db}")
        _admin(f"CREATE DATABASE {portal_db}")
    if options.nights_only:
        if not (seeded and _exists(orcid_db)):
            sys.exit("--nights-only needs the databases of an earlier run with these sizes")
    else:
        if _exists(orcid_db):
            _admin(f"DROP DATABASE {orcid_db} WITH (FORCE)")
        _admin(f"CREATE DATABASE {orcid_db}")
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

    fraction = exported_persons() if options.nights_only else connect_everyone(options.exported)
    _analyze()  # as a database in service would have its statistics
    if options.profile:
        profile(fraction[: options.profile])
        return
    process = start_service(SERVICES_BY_NAME["orcid"], port, environment=environment, workers=2)
    try:
        wait_until_ready(process, f"http://127.0.0.1:{port}/")
        measure(fraction, options.workers, process.pid, options.marked, options.nights_only)
    finally:
        stop_all([process])


def connect_everyone(exported: int) -> list[int]:
    """Connect every researcher; the first `exported` (0: all) get sandbox records and real
    tokens. Returns their person ids."""
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
            "orcid_connector_orcidauthorization, orcid_connector_ratebucket CASCADE"
        )
    client, _ = registry.do_register_client(
        client_id=PORTAL_CLIENT,
        client_secret="scholarhub-demo-portal-secret",  # noqa: S106 - the demo's, public
        name="CityU Scholars",
        website="http://127.0.0.1:8000",
        redirect_uris=["http://127.0.0.1:8000/backend/orcid/callback"],
    )
    people = list(Person.objects.order_by("pk").values_list("pk", "given_names", "family_name"))
    chosen = people[:exported] if exported else people
    unusable = make_password(None)
    accounts = Account.objects.bulk_create(
        (
            Account(
                orcid=orcid_for(pk),
                email=f"bench{pk}@example.edu",
                password=unusable,
                given_names=given or "A.",
                family_name=family,
            )
            for pk, given, family in chosen
        ),
        batch_size=5000,
    )
    scope = "/read-limited /activities/update /person/update"
    AccessToken.objects.bulk_create(
        (
            AccessToken(
                access_token=f"bench-{account.orcid}",
                client=client,
                account=account,
                scope=scope,
                expires_in=631138518,
            )
            for account in accounts
        ),
        batch_size=5000,
    )
    stand_in = crypto.encrypt("stand-in-token-never-used")
    OrcidAuthorization.objects.bulk_create(
        (
            OrcidAuthorization(
                person_id=pk,
                orcid=orcid_for(pk),
                scope=scope,
                access_token_encrypted=(
                    crypto.encrypt(f"bench-{orcid_for(pk)}") if index < len(chosen) else stand_in
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


class Statements:
    """Counts the statements every thread sends to the portal's database (each export worker
    has its own connection: the counter joins each one as it is made)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        with self.lock:
            self.count += 1
        return execute(*args)

    def install(self) -> None:
        from django.db import connection
        from django.db.backends.signals import connection_created

        def join(sender: Any, connection: Any, **_: Any) -> None:
            if connection.alias == "default" and self not in connection.execute_wrappers:
                connection.execute_wrappers.append(self)

        connection_created.connect(join, weak=False)
        connection.ensure_connection()
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)

    def read(self) -> int:
        """Statements since the last read."""
        with self.lock:
            count, self.count = self.count, 0
        return count


def _peak_mb_of_tree(pid: int) -> float:
    """The largest peak resident size (VmHWM) among a process and its children, in MB."""
    peak, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pending += [int(child) for child in children]
    return peak


def change_works(changed: Iterable[int], per_transaction: int = 100) -> tuple[int, float, float]:
    """Change these outputs' subtitles through record_change, as a portal action does (its
    receiver marks the records): (count, seconds, CPU seconds)."""
    from django.db import transaction

    from portal.audit import record_change
    from portal.choices import AuditAction
    from portal.models import ResearchOutput

    pks = list(changed)
    started, cpu = time.monotonic(), time.process_time()
    for start in range(0, len(pks), per_transaction):
        with transaction.atomic():
            for output in ResearchOutput.objects.filter(
                pk__in=pks[start : start + per_transaction]
            ):
                output.subtitle = f"revised edition {time.time():.0f}"
                output.save(update_fields=["subtitle"])
                record_change(
                    actor=None,
                    action=AuditAction.UPDATE,
                    target=output,
                    person=None,
                    after={"subtitle": output.subtitle},
                )
    return len(pks), time.monotonic() - started, time.process_time() - cpu


def single_author_works(fraction: list[int] | None, share: float) -> list[int]:
    """`share` of the exported works (of the `fraction`'s records; None: all), among those with
    one internal author (so the marks stay among the records exported for real), spread over
    the records."""
    from django.db.models import Count

    from orcid_connector.models import ExportedItem
    from portal.models import Contributor

    items = ExportedItem.objects.filter(kind="work")
    contributors = Contributor.objects.filter(person__isnull=False)
    if fraction is not None:
        items = items.filter(person_id__in=fraction)
        contributors = contributors.filter(person_id__in=fraction)
    works = items.count()
    wanted = max(1, round(works * share))
    single = (
        contributors.values("output_id")
        .annotate(internal=Count("output__contributors__person"))
        .filter(internal=1)
        .order_by("output_id")
        .values_list("output_id", flat=True)
    )
    exported_keys = set(items.values_list("key", flat=True))
    candidates = [pk for pk in single if f"output:{pk}" in exported_keys]
    step = max(1, len(candidates) // wanted)
    return candidates[::step][:wanted]


def exported_persons() -> list[int]:
    """The records an earlier run exported for real (--nights-only)."""
    from orcid_connector.models import ExportedItem

    return sorted(set(ExportedItem.objects.values_list("person_id", flat=True).distinct()))


def measure(
    fraction: list[int], workers: int, sandbox_pid: int, marked: int, nights_only: bool = False
) -> None:
    from django.conf import settings
    from django.db.models import Q
    from django.utils import timezone

    from orcid_connector.dirty import mark
    from orcid_connector.export import run_export
    from orcid_connector.models import (
        ExportCall,
        ExportedItem,
        ExportRun,
        ExportState,
        OrcidAuthorization,
    )

    rate = float(settings.ORCID_EXPORT_RATE)
    print(
        f"\nConfigured rate {rate:g} calls/s, burst {settings.ORCID_EXPORT_BURST} "
        f"(ORCID_EXPORT_RATE / ORCID_EXPORT_BURST); {workers} record(s) at once; sandbox rate "
        f"limit {settings.ORCID_SANDBOX_RATE_LIMIT:g}/s, burst {settings.ORCID_SANDBOX_RATE_BURST}"
        f"\n"
    )
    print(
        "| run | records visited | calls | seconds | floor s | ratio | CPU s (bench) | "
        "CPU s (sandbox) | CPU ms a call (bench / sandbox) | statements | 503s | retries | "
        "peak MB (bench / sandbox) | load |"
    )
    print("| --- " + "| ---: " * 13 + "|")
    statements = Statements()
    statements.install()

    shown = [time.monotonic()]

    def show(run: ExportRun) -> None:
        """A line on stderr a minute: a full first export runs for hours."""
        if time.monotonic() - shown[0] >= 60:
            shown[0] = time.monotonic()
            print(f"  {run.progress(timezone.now())}", file=sys.stderr, flush=True)

    def timed(label: str, **kwargs: Any) -> ExportRun:
        cpu, sandbox_cpu = time.process_time(), _cpu_of_tree(sandbox_pid)
        statements.read()
        started = shown[0] = time.monotonic()
        run = run_export(trigger="bench", workers=workers, progress=show, **kwargs).run
        seconds = time.monotonic() - started
        cpu, sandbox_cpu = time.process_time() - cpu, _cpu_of_tree(sandbox_pid) - sandbox_cpu
        sent = statements.read()
        calls = ExportCall.objects.filter(run=run)
        unavailable = calls.filter(status__in=[429, 503]).count()
        retried = calls.filter(Q(status__isnull=True) | Q(status__gte=500) | Q(status=429))
        floor = run.calls / rate if rate else 0.0
        ratio = f"{seconds / floor:.2f}" if floor else "–"
        per_call = (
            f"{cpu * 1000 / run.calls:.1f} / {sandbox_cpu * 1000 / run.calls:.1f}"
            if run.calls
            else "–"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {label} | {run.records_total:,} | {run.calls:,} | {seconds:.1f} | {floor:.1f} | "
            f"{ratio} | {cpu:.1f} | {sandbox_cpu:.1f} | {per_call} | {sent:,} | {unavailable} | "
            f"{retried.count()} | {peak:.0f} / {_peak_mb_of_tree(sandbox_pid):.0f} | "
            f"{os.getloadavg()[0]:.1f} |",
            flush=True,
        )
        return run

    everyone = len(fraction) == OrcidAuthorization.objects.count()
    if not nights_only:
        first = timed("first export", persons=None if everyone else fraction, full=False)
        # The other records stand in as exported: a clean state, no mark.
        done = set(ExportState.objects.values_list("person_id", flat=True))
        ExportState.objects.bulk_create(
            (
                ExportState(person_id=pk, orcid=orcid, digest=STAND_IN_DIGEST)
                for pk, orcid in OrcidAuthorization.objects.values_list("person_id", "orcid")
                if pk not in done
            ),
            batch_size=5000,
        )
        _analyze("orcid_connector_exportstate")
    works = ExportedItem.objects.filter(kind="work").count()
    if not nights_only:
        print(
            f"<!-- first export: {first.created:,} items created ({works:,} works), "
            f"{first.failed} failed; CPU ms a work: see the CPU columns / {works:,} -->",
            flush=True,
        )
    timed("no-change night (all records)", full=False)
    if marked:
        mark(fraction[:marked])
        timed(f"{min(marked, len(fraction)):,} records marked, nothing changed", full=False)
    changed, seconds, cpu = change_works(single_author_works(None if everyone else fraction, 0.02))
    each = max(1, changed)
    print(
        f"<!-- {changed:,} of {works:,} works changed through record_change: "
        f"{seconds * 1000 / each:.1f} ms each ({cpu * 1000 / each:.1f} ms CPU), marks "
        "included -->",
        flush=True,
    )
    timed(f"2 % change night ({changed:,} works)", full=False)


def profile(fraction: list[int]) -> None:
    """Where the CPU of an export goes, the portal's side and the sandbox's apart: the first
    export of these records, then a night changing 10 % of their works, under cProfile with
    the sandbox in this process (its views over httpx's WSGI transport)."""
    import httpx
    from django.conf import settings
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    from orcid_connector.client import OrcidSession
    from orcid_connector.export import run_export
    from orcid_connector.models import ExportedItem
    from portal.models import Person, ResearchOutput

    class Sandbox(WSGIHandler):
        """The ORCID sandbox's URLs, answered in this process."""

        def get_response(self, request: Any) -> Any:
            request.urlconf = "config.urls_orcid"
            return super().get_response(request)

    # Django closes the connections a request used when it ends; the export's share them here.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    handler = Sandbox()

    def sandbox(environ: Any, start_response: Any) -> Any:
        response = handler(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()

    settings.ORCID_SANDBOX_RATE_LIMIT = 0  # CPU, not pace, is measured here
    settings.ORCID_EXPORT_RATE = 1e9  # the bucket's statements run, it never waits
    settings.ORCID_API_URL = "http://127.0.0.1/api/v3.0"
    transport = httpx.WSGITransport(app=sandbox)
    persons = list(Person.objects.filter(pk__in=fraction).order_by("pk"))
    with OrcidSession.from_settings(transport=transport) as session:
        run_export(trigger="bench", session=session, persons=persons[:1], workers=1)  # warm-up
        persons = persons[1:]

        def profiled(label: str, works: Callable[[], int]) -> None:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            run = run_export(trigger="bench", session=session, persons=persons, workers=1).run
            profiler.disable()
            work_count = max(1, works())
            stats = pstats.Stats(profiler)
            entries: Any = stats.stats  # type: ignore[attr-defined]
            total = sum(entry[2] for entry in entries.values())
            side = sum(
                entry[3]
                for (filename, _, name), entry in entries.items()
                if name == "sandbox" and filename.endswith("orcid_export_scale.py")
            )
            calls = max(1, run.calls)
            print(
                f"\n{label}: {len(persons)} records, {run.calls:,} calls, {work_count:,} works; "
                f"CPU {total:.1f} s, of it the sandbox's {side:.1f} s\n"
                f"CPU ms a work: portal {(total - side) * 1000 / work_count:.2f}, "
                f"sandbox {side * 1000 / work_count:.2f}; CPU ms a call: portal "
                f"{(total - side) * 1000 / calls:.1f}, sandbox {side * 1000 / calls:.1f}"
            )
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
                "(orcid_connector|orcid_sandbox|portal)/", 45
            )
            out.write("\n")
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
            print(out.getvalue(), flush=True)

        keys = ExportedItem.objects.filter(kind="work", person__in=persons)
        profiled("first export", keys.count)
        changed = list(keys.order_by("key").values_list("key", flat=True)[::10])
        # A subtitle of this run's own: the portal's database outlives a run.
        ResearchOutput.objects.filter(pk__in=[int(k.split(":")[1]) for k in changed]).update(
            subtitle=f"revised edition {time.time():.0f}"
        )
        profiled("10 % of the works changed (PUTs, every record compared)", lambda: len(changed))
