"""Precision and recall of the portal's Scopus Author ID discovery on the demo corpus.

    .venv/bin/python -m bench.scopus_discovery [--crowd 20000]

Builds the demo university in a temporary folder (portal and both sandboxes on SQLite, the
Scopus sandbox's crowd indexed around the cast by its author disambiguation), serves the Scopus
sandbox with gunicorn on a free port, and runs the discovery for every current researcher of
the portal. The truth is the cast's hand-over file: each cast researcher's Scopus Author ID,
which the sandbox's demo pins, plus Chris WONG's split profile. A suggestion is right when it
names one of the researcher's true profiles; recall counts the true profiles of researchers
with at least one validated output found in Scopus. The cast's colleagues have profiles too,
made by the sandbox's disambiguation; with no independent truth for them, they are counted
apart.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import httpx


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--crowd", type=int, default=20_000, help="crowd documents in Scopus")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="scholarhub-discovery-"))
    os.environ.update(
        {
            "SCHOLARHUB_DEBUG": "1",
            "SCHOLARHUB_VAR_DIR": str(var_dir),
            "SCOPUS_SANDBOX_DEMO_CROWD": str(args.crowd),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from exercise.discovery import discover
    from portal.choices import PersonStatus
    from portal.models import Person
    from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready
    from scopus_connector.client import ScopusSession
    from scopus_connector.verify import names_agree
    from scopus_sandbox.demo import CHRIS_SPLIT_ID
    from scopus_sandbox.models import Authorship
    from utilities.ports import free_port

    started = time.perf_counter()
    call_command("migrate_all", verbosity=0)
    call_command("seed_demo", verbosity=0)
    print(f"demo built in {time.perf_counter() - started:.1f} s ({args.crowd:,} crowd documents)")
    cast = json.loads((var_dir / "demo" / "cast.json").read_text(encoding="utf-8"))
    truth: dict[str, set[str]] = {
        researcher["staff_id"]: {researcher["scopus_author_id"]}
        for researcher in cast["researchers"]
        if researcher.get("scopus_author_id")
    }
    truth.setdefault("chriswong", set()).add(CHRIS_SPLIT_ID)

    port = free_port()
    server = start_service(SERVICES_BY_NAME["scopus"], port, environment={}, workers=2)
    try:
        wait_until_ready(server, f"http://127.0.0.1:{port}/")
        settings.SCOPUS_API_URL = f"http://127.0.0.1:{port}/content"
        right = wrong = found_true = missed = researchers = with_documents = 0
        others = other_profiles = fragments = 0
        searches: list[str] = []

        class Counting(httpx.HTTPTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                searches.append(str(request.url))
                return super().handle_request(request)

        started = time.perf_counter()
        with ScopusSession.from_settings(transport=Counting()) as scopus:
            for person in Person.objects.filter(status=PersonStatus.CURRENT).prefetch_related(
                "name_variants"
            ):
                result = discover(person, scopus=scopus)
                researchers += 1
                if not result.found:
                    continue
                with_documents += 1
                suggested = {author_id for author_id, _ in result.profiles}
                if person.staff_id not in truth:
                    # A colleague of the cast: the sandbox's disambiguation made their profiles,
                    # so there is no independent truth to score against.
                    others += 1
                    other_profiles += len(suggested)
                    continue
                expected = truth[person.staff_id]
                right += len(suggested & expected)
                for extra in suggested - expected:
                    # A profile beyond the pinned one: the researcher's own split-off
                    # authorships when every authorship on it bears their name, else wrong.
                    names = Authorship.objects.filter(profile__author_id=extra).values_list(
                        "given_name", "surname"
                    )
                    if names and all(names_agree(person, g, s) for g, s in names):
                        fragments += 1
                    else:
                        wrong += 1
                found_true += len(expected & suggested)
                missed += len(expected - suggested)
                if suggested != expected:
                    print(
                        f"  {person.staff_id}: suggested {sorted(suggested)}, "
                        f"true {sorted(expected)}"
                    )
        elapsed = time.perf_counter() - started
    finally:
        stop_all([server])
    judged = right + fragments + wrong
    precision = right / judged if judged else 1.0
    with_fragments = (right + fragments) / judged if judged else 1.0
    recall = found_true / (found_true + missed) if found_true + missed else 1.0
    print(
        f"{researchers} researchers looked at, {with_documents} with validated outputs found in "
        f"Scopus, {len(searches)} Scopus requests, {elapsed:.1f} s"
    )
    print(
        f"cast researchers (Scopus Author IDs pinned by the sandbox's demo): {right} right, "
        f"{wrong} wrong, {fragments} more profiles of theirs that the sandbox split off (every "
        f"authorship on them bears their name); true profiles missed: {missed}"
    )
    print(
        f"precision {precision:.3f} counting split-off profiles as wrong, "
        f"{with_fragments:.3f} counting them as theirs; recall {recall:.3f}"
    )
    print(
        f"other researchers (profiles made by the sandbox's disambiguation, no independent "
        f"truth): {others} with {other_profiles} profiles suggested"
    )


if __name__ == "__main__":
    main()
