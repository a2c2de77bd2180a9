"""Hypothesis settings for the identifiers' property tests (test_properties.py).

- "identifiers" (the default): hypothesis' usual number of examples, with no per-example
  deadline. CI runs the suites side by side on two cores, and an example that is slow because
  the machine is busy (or because isbnlib reads its range table on first use) is not a bug.
- "thorough": 5,000 examples per property, for a hand run after changing a parser:
  `HYPOTHESIS_PROFILE=thorough .venv/bin/pytest identifiers/tests/test_properties.py`
  (under a minute).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("identifiers", deadline=None)
settings.register_profile(
    "thorough",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "identifiers"))
