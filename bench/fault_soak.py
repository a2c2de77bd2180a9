"""The ORCID export under faults and kills: does the record converge, with nothing doubled or lost?

Run by hand (never in tests):

    .venv/bin/python -m bench.fault_soak --rounds 20 --researchers 4 --works 60

It seeds a fresh demo (SQLite in a temporary folder), serves the ORCID sandbox with gunicorn
(ORCID's rate limit on) with its fault switch set: a share of API calls answer 500 or 503, a
share answer too slowly for the portal's shortened read timeout (the write may still land, as a
lost answer does), and any write holding the text REFUSED-TEXT is refused as a whole document
(400), as ORCID refuses a bulk holding text it cannot take. Then, each round:
- the portal's data changes: some titles revised (some with a U+000B pasted in), some outputs
  withdrawn or restored, some titles given or relieved of the refused text;
- `scholarhub orcid-export` runs as its own process, and is killed with SIGKILL at a random
  moment in most rounds.
After the rounds, faults off (the refused text stays refused), one export runs to the end and
the ORCID sandbox's records are compared with what the portal wants on them: duplicates, lost
works, stale or extra works, and refused works marked. A final rerun must make no call.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready
from utilities.ports import free_port

REFUSED = "REFUSED-TEXT"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--researchers", type=int, default=4, help="at most 20 (the cast)")
    parser.add_argument("--works", type=int, default=60, help="outputs per researcher")
    parser.add_argument("--fault-500", type=float, default=0.05)
    parser.add_argument("--fault-503", type=float, default=0.05)
    parser.add_argument("--fault-slow", type=float, default=0.03)
    parser.add_argument("--kill-share", type=float, default=0.75, help="rounds killed")
    parser.add_argument("--seed", type=int, default=8)
    options = parser.parse_args()
    chance = random.Random(options.seed)  # noqa: S311 - picking faults, not security
    researchers = max(1, min(options.researchers, 20))
    folder = Path(tempfile.mkdtemp(prefix="scholarhub-bench-soak-"))
    port = free_port()
    environment = {
        "DJANGO_SETTINGS_MODULE": "bench.fault_soak_settings",
        "SCHOLARHUB_DEBUG": "1",
        "SCHOLARHUB_VAR_DIR": str(folder),
        "PORTAL_DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        "ORCID_SANDBOX_DATABASE_URL": f"sqlite:///{folder / 'orcid.sqlite3'}",
        "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{folder / 'scopus.sqlite3'}",
        "SCOPUS_SANDBOX_DEMO_CROWD": "1",
        "ORCID_SANDBOX_BASE_URL": f"http://127.0.0.1:{port}",
        "ORCID_WEB_URL": f"http://127.0.0.1:{port}",
        "ORCID_API_URL": f"http://127.0.0.1:{port}/api/v3.0",
        "ORCID_SANDBOX_REFUSE_TEXT": REFUSED,
        "ORCID_TIMEOUT_SECONDS": "1",
        "ORCID_EXPORT_RETRIES": "2",
    }
    faults = {
        "ORCID_SANDBOX_FAULT_500": str(options.fault_500),
        "ORCID_SANDBOX_FAULT_503": str(options.fault_503),
        "ORCID_SANDBOX_FAULT_SLOW": str(options.fault_slow),
        "ORCID_SANDBOX_FAULT_SLOW_SECONDS": "1.5",
    }
    os.environ.update(environment)
    scholarhub = [sys.executable, "-m", "scholarhub.cli"]
    outputs = max(2000, researchers * options.works * 2)
    for command in (["migrate-all"], ["seed-demo", "--persons", "60", "--outputs", str(outputs)]):
        subprocess.run([*scholarhub, *command], check=True, capture_output=True)  # noqa: S603

    import django

    django.setup()
    from bench.orcid_export import prepare

    sandbox = start_service(
        SERVICES_BY_NAME["orcid"], port, environment={**environment, **faults}, workers=2
    )
    try:
        wait_until_ready(sandbox, f"http://127.0.0.1:{port}/")
        persons = prepare(researchers, options.works, scholarhub)
        print(
            f"{len(persons)} researcher(s) × {options.works} outputs, {options.rounds} rounds; "
            f"faults: 500 {options.fault_500:.0%}, 503 {options.fault_503:.0%}, "
            f"timeouts {options.fault_slow:.0%}, refused text; SIGKILL in "
            f"{options.kill_share:.0%} of rounds"
        )
        print(
            "| round | outputs changed | run began after (s) | killed after (s) of its run "
            "| exit | refused to start |"
        )
        print("| ---: | ---: | ---: | ---: | --- | --- |")
        refusals = 0
        for number in range(1, options.rounds + 1):
            changed = mutate(persons, chance, number)
            killed, code, refused, began = export_round(scholarhub, chance, options.kill_share)
            refusals += refused
            kill = f"{killed:.1f}" if killed is not None else "–"
            print(
                f"| {number} | {changed} | {began:.1f} | {kill} | {code} "
                f"| {'yes' if refused else 'no'} |"
            )
        stop_all([sandbox])
        sandbox = start_service(SERVICES_BY_NAME["orcid"], port, environment=environment)
        wait_until_ready(sandbox, f"http://127.0.0.1:{port}/")
        started = time.monotonic()
        final = subprocess.run(  # noqa: S603
            [*scholarhub, "orcid-export"], capture_output=True, text=True, check=False
        )
        print(f"\nfinal run without faults ({time.monotonic() - started:.1f} s): ", end="")
        print(summary(final))
        report(persons, refusals)
        rerun = subprocess.run(  # noqa: S603
            [*scholarhub, "orcid-export"], capture_output=True, text=True, check=False
        )
        print(f"rerun with nothing changed: {summary(rerun)}")
    finally:
        stop_all([sandbox])


def summary(done: subprocess.CompletedProcess[str]) -> str:
    """The command's own summary line (the ORCID calls it logged are left out)."""
    lines = (done.stdout + done.stderr).splitlines()
    return next((line for line in lines if line.startswith("ORCID export:")), (lines or [""])[-1])


def mutate(persons: list[Any], chance: random.Random, number: int) -> int:
    """Change the portal's data as a busy week would; returns how many outputs changed."""
    from portal.choices import Visibility
    from portal.models import Contributor, ResearchOutput

    pks = list(
        Contributor.objects.filter(person__in=persons)
        .order_by("output_id")
        .values_list("output_id", flat=True)
    )
    changed = 0
    for pk in chance.sample(pks, k=max(1, len(pks) // 5)):
        output = ResearchOutput.objects.get(pk=pk)
        draw = chance.random()
        if draw < 0.2:
            output.visibility = (
                Visibility.BACKEND if output.visibility == Visibility.PUBLIC else Visibility.PUBLIC
            )
        elif draw < 0.45:
            output.title = (
                output.title.replace(f" {REFUSED}", "")
                if REFUSED in output.title
                else f"{output.title} {REFUSED}"
            )
        elif draw < 0.6:
            output.title = f"{output.title.split(' (rev')[0]} (rev\x0b{number})"
        else:
            output.title = f"{output.title.split(' (rev')[0]} (rev {number})"
        output.save(update_fields=["visibility", "title"])
        changed += 1
    return changed


def export_round(
    scholarhub: list[str], chance: random.Random, kill_share: float
) -> tuple[float | None, str, bool, float]:
    """One `scholarhub orcid-export`, killed at a random moment of its export (after its run
    has started writing) or left to finish."""
    from orcid_connector.models import ExportRun

    before = ExportRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    process = subprocess.Popen(  # noqa: S603
        [*scholarhub, "orcid-export"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    launched = time.monotonic()
    # Wait for the run to begin (its records' leases and the job's are then taken or refused);
    # Django's start-up is part of that wait.
    while process.poll() is None and not ExportRun.objects.filter(pk__gt=before).exists():
        time.sleep(0.05)
    started = time.monotonic()
    killed = None
    if chance.random() < kill_share:
        # Kill it somewhere in its calls.
        try:
            process.wait(timeout=chance.uniform(0.0, 3.0))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            killed = time.monotonic() - started
    output, _ = process.communicate(timeout=600)
    refused = "already under way" in output or "already queued" in output
    code = "killed" if killed is not None else str(process.returncode)
    return killed, code, refused, started - launched


def report(persons: list[Any], refusals: int) -> None:
    """Compare the sandbox's records with what the portal wants on them."""
    from django.conf import settings

    from orcid_connector.export import desired_items
    from orcid_connector.models import ExportCall, ExportedItem
    from orcid_sandbox.models import Account, Employment, OtherId, ResearcherUrl, Work

    duplicates = lost = stale = extra = refused_marked = refused_wanted = 0
    person_items_doubled = 0
    for person in persons:
        orcid = person.orcid_authorizations.get(revoked_at__isnull=True).orcid
        account = Account.objects.get(orcid=orcid)
        mine = Work.objects.filter(
            account=account, source_client__client_id=settings.ORCID_CLIENT_ID
        )
        by_key: Counter[str] = Counter()
        titles: dict[str, str] = {}
        for work in mine:
            key = source_work_id(work)
            by_key[key] += 1
            titles[key] = work.title
        duplicates += sum(count - 1 for count in by_key.values() if count > 1)
        wanted = {item.key: item for item in desired_items(person).values() if item.kind == "work"}
        for key, item in wanted.items():
            ours = f"scholarhub-output-{key.split(':')[1]}"
            title = item.body["title"]["title"]["value"]
            if REFUSED in title:
                refused_wanted += 1
                refused_marked += (
                    ExportedItem.objects.filter(person=person, key=key)
                    .exclude(refused_hash="")
                    .count()
                )
                continue
            if ours not in by_key:
                lost += 1
            elif titles[ours] != title:
                stale += 1
        wanted_ids = {f"scholarhub-output-{key.split(':')[1]}" for key in wanted}
        extra += sum(1 for key in by_key if key not in wanted_ids)
        for model in (Employment, OtherId, ResearcherUrl):
            count = model.objects.filter(
                account=account, source_client__client_id=settings.ORCID_CLIENT_ID
            ).count()
            expected = 1 if model is not OtherId else count
            person_items_doubled += max(0, count - expected)
    statuses = Counter(ExportCall.objects.values_list("status", flat=True))
    print(
        f"calls: {sum(statuses.values())}; answers: "
        + ", ".join(
            f"{'no answer' if s is None else s}: {n}" for s, n in sorted(statuses.items(), key=str)
        )
    )
    print(
        f"duplicates: {duplicates}; lost: {lost}; stale: {stale}; extra (withdrawn, not "
        f"deleted): {extra}; doubled person items: {person_items_doubled}; refused works: "
        f"{refused_wanted}, marked refused: {refused_marked}; runs refused to start: {refusals}"
    )


def source_work_id(work: Any) -> str:
    """The portal's own id of a sandbox work (its self source-work-id)."""
    for item in work.external_ids:
        if item.get("type") == "source-work-id":
            return str(item.get("value"))
    return ""


if __name__ == "__main__":
    main()
