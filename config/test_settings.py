"""Test overrides: fast password hashing, throttling that tests can reason about."""

from __future__ import annotations

import os

os.environ.setdefault("SCHOLARHUB_DEBUG", "1")

from config.settings import *  # noqa: E402,F403

# Hashing with PBKDF2's full work factor would dominate the suite; the algorithm is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
