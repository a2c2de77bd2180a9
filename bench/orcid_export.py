"""The portal's ORCID export against the ORCID sandbox over loopback, ORCID's rate limit on.

Run by hand (never in tests):

    .venv/bin/python -m bench.orcid_export --researchers 10 --works 500 [--workers 4]

It seeds a fresh demo (SQLite in a temporary folder), serves the ORCID sandbox with gunicorn
(rate limit 24/s, burst 40, as ORCID), makes each of the first R cast researchers an author of
W validated, public, published outputs, connects their records with tokens the sandbox issues,
then times three runs of `run_export` (the routine the nightly command and "Export now" use):
- first export: everything is new (bulk POSTs of 100 works, single POSTs of person items);
- rerun with nothing changed: must make no call at all;
- rerun after 10 % of the outputs changed and 2 % were withdrawn: PUTs and DELETEs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from scholarhub.processes import (
    SERVICES_BY_NAME,
    start_service,
    stop_all,
    wait_until_ready,
)
from utilities.ports import free_port

if TYPE_CHECKING:
    from portal.models import Person

PORTAL_CLIENT = "APP-SCHOLARHUBDEMO01"


def exported_records(text: str) -> int:
    """A count of records, or "all" (0)."""
    if text.strip().lower() == "all":
        return 0
    count = int(text)
    if count < 1:
        raise argparse.ArgumentTypeError("give 1 or more records, or all")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--researchers", type=int, default=10, help="at most 20 (the cast)")
    parser.add_argument("--works", type=int, default=500, help="outputs per researcher")
    parser.add_argument("--workers", type=int, default=1, help="records exported at once")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--outputs", type=int, default=1_000_000, help="postgres: outputs of the seeded portal"
    )
    parser.add_argument(
        "--exported",
        type=exported_records,
        default=1000,
        help=(
            "postgres: records exported for real in the first export, or 'all' (the rest "
            "stand in as exported)"
        ),
    )
    parser.add_argument(
        "--marked",
        type=int,
        default=1000,
        help="postgres: exported records marked with nothing changed, for the digest path's run",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="postgres: only profile the export of N records, the sandbox in this process",
    )
    parser.add_argument("--reseed", action="store_true", help="postgres: seed the portal again")
    parser.add_argument(
        "--name",
        default="scholarhub_bench_export",
        help="postgres: the portal's database (the sandbox's adds _orcid): two runs at once",
    )
    parser.add_argument(
        "--nights-only",
        action="store_true",
        help=(
            "postgres: keep the databases an earlier run exported (same sizes) and time only "
            "the nights after its first export"
        ),
    )
    options = parser.parse_args()
    if options.database == "postgres":
        from bench.orcid_export_scale import main_postgres

        main_postgres(options)
        return
    researchers = max(1, min(options.researchers, 20))
    folder = Path(tempfile.mkdtemp(prefix="scholarhub-bench-export-"))
    port = free_port()
    environment = {
        "SCHOLARHUB_DEBUG": "1",
        "SCHOLARHUB_VAR_DIR": str(folder),
        "PORTAL_DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        "ORCID_SANDBOX_DATABASE_URL": f"sqlite:///{folder / 'orcid.sqlite3'}",
        "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{folder / 'scopus.sqlite3'}",
        "SCOPUS_SANDBOX_DEMO_CROWD": "1",
        "ORCID_SANDBOX_BASE_URL": f"http://127.0.0.1:{port}",
        "ORCID_WEB_URL": f"http://127.0.0.1:{port}",
        "ORCID_API_URL": f"http://127.0.0.1:{port}/api/v3.0",
    }
    os.environ.update(environment)
    scholarhub = [sys.executable, "-m", "scholarhub.cli"]
    outputs = max(5000, researchers * options.works * 2)
    for command in (["migrate-all"], ["seed-demo", "--persons", "200", "--outputs", str(outputs)]):
        subprocess.run([*scholarhub, *command], check=True, capture_output=True)  # noqa: S603

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    process = start_service(SERVICES_BY_NAME["orcid"], port, environment=environment, workers=2)
    try:
        wait_until_ready(process, f"http://127.0.0.1:{port}/")
        persons = prepare(researchers, options.works, scholarhub)
        measure(persons, options.works, options.workers)
    finally:
        stop_all([process])


def prepare(researchers: int, works: int, scholarhub: list[str]) -> list[Person]:
    """Give each researcher `works` exportable outputs and connect their ORCID record."""
    from orcid_connector.actions import do_connect_orcid
    from orcid_connector.records import Grant
    from portal.choices import PersonIdentifierType, PublicationStatus, Visibility, WorkflowStatus
    from portal.models import Contributor, Person, ResearchOutput

    persons = []
    cursor = 0
    all_outputs = list(ResearchOutput.objects.order_by("pk").values_list("pk", flat=True))
    with_orcid = Person.objects.filter(identifiers__id_type=PersonIdentifierType.ORCID)
    for person in with_orcid.order_by("pk").distinct()[:researchers]:
        orcid = person.identifiers.get(id_type=PersonIdentifierType.ORCID).value
        Contributor.objects.filter(person=person).delete()
        chosen = all_outputs[cursor : cursor + works]
        cursor += works
        top = 1000
        Contributor.objects.bulk_create(
            Contributor(
                output_id=pk,
                position=top,
                person=person,
                given_names=person.given_names,
                family_name=person.family_name,
            )
            for pk in chosen
        )
        ResearchOutput.objects.filter(pk__in=chosen).update(
            workflow_status=WorkflowStatus.VALIDATED,
            visibility=Visibility.PUBLIC,
            publication_status=PublicationStatus.PUBLISHED,
        )
        token = subprocess.run(  # noqa: S603
            [
                *scholarhub,
                "orcid-sandbox",
                "issue-token",
                "--orcid",
                orcid,
                "--client-id",
                PORTAL_CLIENT,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        scope = "/activities/update /person/update /read-limited"
        grant = Grant(orcid, person.display_name, scope, token, "", 631138518)
        do_connect_orcid(person, grant, acting_user=None)
        persons.append(person)
    return persons


def measure(persons: list[Person], works: int, workers: int = 1) -> None:
    from orcid_connector.export import run_export
    from portal.models import Contributor, ResearchOutput

    def timed(label: str) -> None:
        started = time.monotonic()
        run = run_export(trigger="bench", persons=persons, workers=workers).run
        seconds = time.monotonic() - started
        items = run.created + run.updated + run.deleted
        rate = f"{items / seconds:,.0f}" if items else "–"
        print(
            f"| {label} | {run.calls} | {run.created} | {run.updated} | {run.deleted} | "
            f"{run.unchanged} | {run.failed} | {seconds:.1f} | {rate} |"
        )

    print(
        f"{len(persons)} researcher(s) × {works} exportable outputs, {workers} record(s) at "
        "once, ORCID sandbox rate limit on"
    )
    print("| run | calls | created | updated | deleted | unchanged | failed | seconds | items/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    timed("first export")
    timed("rerun, nothing changed")
    authored = list(
        Contributor.objects.filter(person__in=persons)
        .order_by("output_id")
        .values_list("output_id", flat=True)
    )
    changed = authored[::10]
    withdrawn = authored[5::50]
    for pk in changed:
        ResearchOutput.objects.filter(pk=pk).update(subtitle="revised edition")
    ResearchOutput.objects.filter(pk__in=withdrawn).update(visibility="backend")
    timed("10 % changed, 2 % withdrawn")


if __name__ == "__main__":
    main()
