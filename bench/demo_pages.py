"""The public profile on the embedded default: the demo's SQLite, as `make demo` serves it.

    .venv/bin/python -m bench.demo_pages [--seconds 15]

Builds the demo university on SQLite in a temporary folder (the portal's part only), serves the
portal with gunicorn as `make demo` does (2 workers, 4 threads) on a free loopback port, and
measures Chris WONG's profile at 4 and 8 concurrent clients, beside a static file from the same
server as the floor of what the server can answer.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.loadgen import TABLE_HEADER, run_load
from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready
from utilities.ports import free_port


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="scholarhub-demo-bench-"))
    environment = {
        "SCHOLARHUB_DEBUG": "1",
        "SCHOLARHUB_VAR_DIR": str(var_dir),
        "PORTAL_DATABASE_URL": f"sqlite:///{var_dir / 'portal.sqlite3'}",
        "ORCID_SANDBOX_DATABASE_URL": f"sqlite:///{var_dir / 'orcid.sqlite3'}",
        "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{var_dir / 'scopus.sqlite3'}",
        "SCOPUS_SANDBOX_DEMO_CROWD": "300",
    }
    env = {**os.environ, **environment}
    for command in (("migrate-all",), ("collectstatic", "--noinput"), ("seed-demo",)):
        subprocess.run(  # noqa: S603 - our own console command
            [sys.executable, "-m", "scholarhub.cli", *command],
            env=env,
            check=True,
            capture_output=True,
        )
    port = free_port()
    process = start_service(
        SERVICES_BY_NAME["portal"], port, environment=environment, workers=2, threads=4
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(process, base + "/")
        run_load("warm-up", lambda n: f"{base}/persons/chris-wong-demo/", concurrency=2, seconds=3)
        results = [
            run_load(
                f"Chris's profile, {clients} clients",
                lambda n: f"{base}/persons/chris-wong-demo/",
                concurrency=clients,
                seconds=args.seconds,
            )
            for clients in (4, 8)
        ] + [
            run_load(
                "static file, 8 clients",
                lambda n: f"{base}/static/portal/portal.css",
                concurrency=8,
                seconds=args.seconds,
            )
        ]
    finally:
        stop_all([process])
    print(TABLE_HEADER)
    for result in results:
        print(result.line())


if __name__ == "__main__":
    main()
