"""Test overrides: fast password hashing, throttling that tests can reason about."""

from __future__ import annotations

import os

os.environ.setdefault("SCHOLARHUB_DEBUG", "1")

from config.settings import *  # noqa: E402,F403

# Hashing with PBKDF2's full work factor would dominate the suite; the algorithm is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
# The ORCID sandbox's rate limit would make test order matter; its own test switches it on.
ORCID_SANDBOX_RATE_LIMIT = 0.0

# Several test runs may share one PostgreSQL server (developers in parallel, CI beside a demo):
# give each run test databases of its own.
_run_suffix = os.environ.get("SCHOLARHUB_TEST_DB_SUFFIX") or str(os.getpid())
for _database in DATABASES.values():  # noqa: F405
    if _database["ENGINE"] != "django.db.backends.sqlite3":
        _database["TEST"] = {"NAME": f"test_{_database['NAME']}_{_run_suffix}"}

# One cache per test process, emptied before every test (conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks run where they are queued, so a test sees their effect at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
