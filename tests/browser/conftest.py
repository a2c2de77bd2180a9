"""Live services for browser tests: real gunicorn processes on free loopback ports, each with
its own freshly migrated and seeded SQLite databases, and headless Chromium driving them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from scholarhub.processes import (
    SERVICES_BY_NAME,
    start_service,
    stop_all,
    wait_until_ready,
)
from tests.browser.checks import assert_no_csp_violation, watch_csp_violations
from utilities.ports import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass(frozen=True)
class LiveServices:
    """Base URLs of the running services."""

    portal: str
    orcid: str
    scopus: str
    var_dir: Path
    environment: dict[str, str]

    def run(self, *arguments: str) -> str:
        """Run a `scholarhub` command against the live services' databases; returns stdout."""
        done = subprocess.run(  # noqa: S603 - our own console command
            [sys.executable, "-m", "scholarhub.cli", *arguments],
            env={**os.environ, **self.environment},
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


@pytest.fixture(scope="session")
def live_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServices]:
    var_dir = tmp_path_factory.mktemp("live-var")
    ports = {name: free_port() for name in SERVICES_BY_NAME}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    environment = {
        "SCHOLARHUB_DEBUG": "1",
        "SCHOLARHUB_VAR_DIR": str(var_dir),
        "PORTAL_DATABASE_URL": f"sqlite:///{var_dir / 'portal.sqlite3'}",
        "ORCID_SANDBOX_DATABASE_URL": f"sqlite:///{var_dir / 'orcid.sqlite3'}",
        "SCOPUS_SANDBOX_DATABASE_URL": f"sqlite:///{var_dir / 'scopus.sqlite3'}",
        "PORTAL_BASE_URL": urls["portal"],
        "ORCID_SANDBOX_BASE_URL": urls["orcid"],
        "SCOPUS_SANDBOX_BASE_URL": urls["scopus"],
        "ORCID_WEB_URL": urls["orcid"],
        "SCOPUS_WEB_URL": urls["scopus"],
        "SCOPUS_SANDBOX_ORCID_BASE_URL": urls["orcid"],
        "SCOPUS_SANDBOX_ORCID_API_URL": f"{urls['orcid']}/api/v3.0",
        "ORCID_API_URL": f"{urls['orcid']}/api/v3.0",
        "SCOPUS_API_URL": f"{urls['scopus']}/content",
        # The full 20,000-document crowd takes minutes to index; 300 keep the name blocks real.
        "SCOPUS_SANDBOX_DEMO_CROWD": "300",
    }
    services = LiveServices(**urls, var_dir=var_dir, environment=environment)
    services.run("migrate-all")
    services.run("seed-demo", "--persons", "40", "--outputs", "400")
    processes = []
    try:
        for name, port in ports.items():
            process = start_service(
                SERVICES_BY_NAME[name], port, environment=environment, workers=1
            )
            processes.append(process)
            wait_until_ready(process, urls[name] + "/")
        yield services
    finally:
        stop_all(processes)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    # Every test fails on a Content-Security-Policy violation in any page it opened.
    csp_violations = watch_csp_violations(context)
    page = context.new_page()
    yield page
    context.close()
    assert_no_csp_violation(csp_violations)
