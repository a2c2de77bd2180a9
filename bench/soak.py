"""Soak: researchers saving their profiles, readers of public pages and the worker's jobs, all
at once for a set time, against the three services served as `make demo` serves them.

Run by hand (never in tests):

    .venv/bin/python -m bench.soak [--database sqlite|postgres|both] [--clients 16]
        [--seconds 60] [--persons 200] [--sqlite-transactions immediate|deferred]

For each database it builds a fresh demo (SQLite files in a temporary folder, or PostgreSQL
databases scholarhub_soak_* on 127.0.0.1:5432, dropped and created again), serves the portal
and both sandboxes with gunicorn on free loopback ports, and then, for --seconds:
- half the clients are researchers, each logged in as a different one, who open "Edit profile"
  and save it with a changed phone number and profile text, again and again;
- the other half read public pages: researcher profiles, the researcher list and its search;
- the portal's jobs run back to back, each as its own process, as the worker runs them:
  `exercise-refresh`, `orcid-export`, `scopus-search`.
An error is an answer of 500 or more, a failed connection, a save that did not save, or a job
that exited non-zero. It prints one table row per kind of client and the jobs' outcomes.

`--sqlite-transactions deferred` serves SQLite as Django does by default (deferred
transactions, rollback journal, 5 s timeout) instead of the project's settings (IMMEDIATE,
WAL, 30 s), to measure the difference.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx

from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready
from utilities.ports import free_port

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
JOBS = ("exercise-refresh", "orcid-export", "scopus-search")


@dataclass
class Tally:
    """Latencies and errors of one kind of client."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, problem: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            if problem:
                self.errors += 1
                if len(self.examples) < 3:
                    self.examples.append(problem)

    def row(self, database: str) -> str:
        cuts = (
            statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [0.0] * 99
        )
        return (
            f"| {database} | {self.name} | {len(self.latencies)} | {self.errors} | "
            f"{cuts[49] * 1000:.0f} | {cuts[94] * 1000:.0f} | {cuts[98] * 1000:.0f} |"
        )


class FormReader(HTMLParser):
    """The fields of each POST form on a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("method", "").lower() == "post":
            self.fields = {}
            self.forms.append(self.fields)
        if self.fields is None or "name" not in attributes:
            return
        if tag == "input" and attributes.get("type", "text") not in ("submit", "checkbox"):
            self.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "input" and "checked" in attributes:
            self.fields[attributes["name"]] = attributes.get("value", "on")
        elif tag == "textarea":
            self.textarea = attributes["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea and self.fields is not None:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        if tag == "form":
            self.fields = None


def form_fields(page: str, holding: str) -> dict[str, str]:
    """The fields of the page's POST form that has a field named `holding` (a page may have
    others, such as "Log out")."""
    reader = FormReader()
    reader.feed(page)
    return next((form for form in reader.forms if holding in form), {})


def scholarhub(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "scholarhub.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def environment_for(database: str, folder: Path, transactions: str) -> dict[str, str]:
    ports = {name: free_port() for name in ("portal", "orcid", "scopus")}
    env = {
        **os.environ,
        "SCHOLARHUB_DEBUG": "1",
        "SCHOLARHUB_VAR_DIR": str(folder),
        "ORCID_SANDBOX_BASE_URL": f"http://127.0.0.1:{ports['orcid']}",
        "ORCID_WEB_URL": f"http://127.0.0.1:{ports['orcid']}",
        "ORCID_API_URL": f"http://127.0.0.1:{ports['orcid']}/api/v3.0",
        "SCOPUS_SANDBOX_BASE_URL": f"http://127.0.0.1:{ports['scopus']}",
        "SCOPUS_WEB_URL": f"http://127.0.0.1:{ports['scopus']}",
        "SCOPUS_API_URL": f"http://127.0.0.1:{ports['scopus']}/content",
        "SCOPUS_SANDBOX_ORCID_BASE_URL": f"http://127.0.0.1:{ports['orcid']}",
        "SCOPUS_SANDBOX_ORCID_API_URL": f"http://127.0.0.1:{ports['orcid']}/api/v3.0",
        # The demo crowd of namesakes in the Scopus sandbox only slows the seeding here.
        "SCOPUS_SANDBOX_DEMO_CROWD": "1",
        "SOAK_PORTS": ",".join(f"{name}={port}" for name, port in ports.items()),
    }
    if database == "sqlite":
        for variable, name in (
            ("PORTAL_DATABASE_URL", "portal"),
            ("ORCID_SANDBOX_DATABASE_URL", "orcid"),
            ("SCOPUS_SANDBOX_DATABASE_URL", "scopus"),
        ):
            env[variable] = f"sqlite:///{folder / name}.sqlite3"
        if transactions == "deferred":
            env["DJANGO_SETTINGS_MODULE"] = "bench.soak_settings"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            for name in ("portal", "orcid", "scopus"):
                connection.execute(f"DROP DATABASE IF EXISTS scholarhub_soak_{name}")
                connection.execute(f"CREATE DATABASE scholarhub_soak_{name}")
        env["PORTAL_DATABASE_URL"] = f"{PG_SERVER}/scholarhub_soak_portal"
        env["ORCID_SANDBOX_DATABASE_URL"] = f"{PG_SERVER}/scholarhub_soak_orcid"
        env["SCOPUS_SANDBOX_DATABASE_URL"] = f"{PG_SERVER}/scholarhub_soak_scopus"
    return env


def researchers(env: dict[str, str], count: int) -> tuple[list[str], list[str]]:
    """Staff IDs of researchers who can log in, and public profile slugs."""
    script = (
        "from portal.models import Person\n"
        "rows = Person.objects.filter(user__isnull=False).order_by('id')"
        f".values_list('user__username', 'slug')[:{count}]\n"
        "for username, slug in rows: print('SOAK', username, slug)\n"
    )
    done = scholarhub("shell", "-c", script, env=env)
    pairs = [line.split()[1:] for line in done.stdout.splitlines() if line.startswith("SOAK ")]
    return [pair[0] for pair in pairs], [pair[1] for pair in pairs]


def saver(
    base: str, username: str, password: str, deadline: float, tally: Tally, number: int
) -> None:
    """Log in as one researcher, then save "Edit profile" again and again."""
    with httpx.Client(base_url=base, timeout=60.0, follow_redirects=False) as client:
        login = client.get("/backend/login/")
        fields = form_fields(login.text, "username")
        fields.update({"username": username, "password": password})
        client.post("/backend/login/", data=fields, headers={"Referer": f"{base}/backend/login/"})
        # The session cookie is named after the service (portal_sessionid).
        if not any(name.endswith("sessionid") for name in client.cookies):
            tally.add(0.0, f"{username} could not log in")
            return
        count = 0
        while time.monotonic() < deadline:
            count += 1
            started = time.perf_counter()
            try:
                # "Edit profile" sends the researcher on to their own page's editor.
                page = client.get("/backend/profile/edit/", follow_redirects=True)
                fields = form_fields(page.text, "profile_text")
                fields["phone"] = f"+852 3442 {number:02d}{count % 100:02d}"
                fields["profile_text"] = f"Soak save {count} of client {number}."
                fields["action"] = "save"
                saved = client.post(page.url.path, data=fields, headers={"Referer": str(page.url)})
                problem = ""
                if page.status_code >= 500 or saved.status_code >= 500:
                    problem = f"{page.status_code}/{saved.status_code}: {saved.text[:200]!r}"
                elif saved.status_code not in (200, 302, 303):
                    problem = f"save answered {saved.status_code}"
                elif saved.status_code == 200 and "saved" not in saved.text.lower():
                    problem = "the save did not say it saved"
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
            tally.add(time.perf_counter() - started, problem)


def reader(base: str, slugs: list[str], deadline: float, tally: Tally, number: int) -> None:
    """Read public pages: profiles, the list of researchers, a search."""
    chance = random.Random(number)  # noqa: S311 - choosing pages, not security
    searches = ["wong", "chan", "lee", "chris", "王", "zhang"]
    with httpx.Client(base_url=base, timeout=60.0) as client:
        while time.monotonic() < deadline:
            draw = chance.random()
            if draw < 0.6:
                url = f"/persons/{chance.choice(slugs)}/"
            elif draw < 0.8:
                url = "/persons/"
            else:
                url = f"/persons/?q={chance.choice(searches)}"
            started = time.perf_counter()
            try:
                status = client.get(url).status_code
                problem = f"{status} on {url}" if status >= 500 or status == 404 else ""
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
            tally.add(time.perf_counter() - started, problem)


def jobs(env: dict[str, str], deadline: float, tally: Tally) -> None:
    """The worker's jobs, back to back, each as its own process; one still running at the
    deadline is stopped (and not counted)."""
    number = 0
    while time.monotonic() < deadline:
        job = JOBS[number % len(JOBS)]
        number += 1
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "scholarhub.cli", job],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            output, _ = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.terminate()
            process.communicate()
            progress(f"{job} still running at the deadline: stopped")
            tally.name = f"jobs ({number - 1} finished, {job} stopped at the end)"
            return
        problem = ""
        if process.returncode != 0 or "database is locked" in output:
            problem = f"{job} exit {process.returncode}: {output.strip()[-300:]!r}"
        progress(f"{job}: exit {process.returncode} in {time.perf_counter() - started:.1f} s")
        tally.add(time.perf_counter() - started, problem)


def progress(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def soak(database: str, options: argparse.Namespace) -> list[Tally]:
    folder = Path(tempfile.mkdtemp(prefix="scholarhub-soak-"))
    env = environment_for(database, folder, options.sqlite_transactions)
    ports = dict(pair.split("=") for pair in env["SOAK_PORTS"].split(","))
    for command in (
        ("migrate-all",),
        ("seed-demo", "--persons", str(options.persons), "--outputs", str(options.persons * 5)),
    ):
        progress(f"{database}: {' '.join(command)}")
        done = scholarhub(*command, env=env)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    usernames, slugs = researchers(env, options.clients)
    progress(f"{database}: {len(usernames)} researchers to log in as; starting the services")
    processes = []
    try:
        for name in ("orcid", "scopus", "portal"):
            process = start_service(SERVICES_BY_NAME[name], int(ports[name]), environment=env)
            processes.append(process)
            # A loaded machine can take a while to boot gunicorn and import Django.
            wait_until_ready(process, f"http://127.0.0.1:{ports[name]}/", timeout=300)
        base = f"http://127.0.0.1:{ports['portal']}"
        savers = max(1, options.clients // 2)
        tallies = [Tally("profile saves"), Tally("public pages"), Tally("jobs")]
        deadline = time.monotonic() + options.seconds
        threads: list[threading.Thread] = []
        work: list[tuple[Callable[..., None], tuple[object, ...]]] = [
            (saver, (base, usernames[n % len(usernames)], "demo", deadline, tallies[0], n))
            for n in range(savers)
        ]
        work += [
            (reader, (base, slugs, deadline, tallies[1], n))
            for n in range(options.clients - savers)
        ]
        work.append((jobs, (env, deadline, tallies[2])))
        for target, arguments in work:
            threads.append(threading.Thread(target=target, args=arguments))
        progress(f"{database}: load for {options.seconds:.0f} s")
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return tallies
    finally:
        stop_all(processes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--clients", type=int, default=16, help="saving and reading clients")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--persons", type=int, default=200, help="researchers in the demo")
    parser.add_argument(
        "--sqlite-transactions", choices=("immediate", "deferred"), default="immediate"
    )
    options = parser.parse_args()
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    print(
        f"{options.clients} clients ({options.clients // 2} saving, "
        f"{options.clients - options.clients // 2} reading) and the jobs, "
        f"{options.seconds:.0f} s per database; SQLite transactions: "
        f"{options.sqlite_transactions}"
    )
    print("| database | client | requests | errors | p50 ms | p95 ms | p99 ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    problems = []
    for database in databases:
        for tally in soak(database, options):
            print(tally.row(database), flush=True)
            problems += [f"{database} {tally.name}: {example}" for example in tally.examples]
    for problem in problems:
        print(re.sub(r"\s+", " ", problem)[:400])


if __name__ == "__main__":
    main()
