"""The production profile: every deploy check clean, the sandboxes left out."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(
    tmp_path: Path, *arguments: str, **environment: str
) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SCHOLARHUB_", "DJANGO_")) and not key.endswith("_DATABASE_URL")
    }
    env |= {"SCHOLARHUB_VAR_DIR": str(tmp_path), **environment}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_profile_passes_every_deploy_check(tmp_path):
    # when
    done = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SCHOLARHUB_PRODUCTION="1",
        SCHOLARHUB_SECRET_KEY=secrets.token_urlsafe(50),
    )
    # then
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_profile_leaves_the_sandboxes_out(tmp_path):
    # when
    done = run_manage(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(sorted(settings.DATABASES)); "
        "print([a for a in settings.INSTALLED_APPS if 'sandbox' in a])",
        SCHOLARHUB_PRODUCTION="1",
        SCHOLARHUB_SECRET_KEY=secrets.token_urlsafe(50),
    )
    # then
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["['default']", "[]"]


def test_production_refuses_debug(tmp_path):
    done = run_manage(
        tmp_path,
        "check",
        SCHOLARHUB_PRODUCTION="1",
        SCHOLARHUB_DEBUG="1",
        SCHOLARHUB_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert done.returncode != 0
    assert "SCHOLARHUB_DEBUG and SCHOLARHUB_PRODUCTION cannot both be on" in done.stderr


def test_without_sandboxes_a_sandbox_service_is_refused_with_the_reason(tmp_path):
    done = run_manage(
        tmp_path,
        "check",
        SCHOLARHUB_SANDBOXES="0",
        SCHOLARHUB_DEBUG="1",
        SCHOLARHUB_SERVICE="orcid",
    )
    assert done.returncode != 0
    assert "the sandboxes are not installed: SCHOLARHUB_SANDBOXES=0" in done.stderr
