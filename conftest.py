"""Fixtures shared by every test package."""

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
