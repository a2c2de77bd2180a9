"""Fixtures shared by every test package."""

from pathlib import Path
from typing import Any

import pytest

# Fixtures one app's tests share with another's live in fixture modules, never in a conftest or
# a test module (importing those would run their tests' setup twice, or not at all).
pytest_plugins = [
    "portal.tests.fixtures",
    "orcid_sandbox.tests.fixtures",
    "scopus_sandbox.tests.fixtures",
    "orcid_connector.tests.fixtures",
]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache: a page cached by one test is not another's."""
    from django.core.cache import cache

    cache.clear()


# Here, not in portal.tests.fixtures: it reads the services' settings (config), which the
# portal's layer may not import.
@pytest.fixture
def production_cache(settings: Any, tmp_path: Path) -> None:
    """The cache the services run with (config/settings.py), in a folder of the test's own,
    in place of the tests' in-memory one."""
    import config.settings

    production = config.settings.CACHES["default"]
    settings.CACHES = {"default": {**production, "LOCATION": str(tmp_path / "cache")}}
