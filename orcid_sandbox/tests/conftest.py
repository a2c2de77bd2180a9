"""The ORCID sandbox's tests answer with its URLconf; shared fixtures are in fixtures.py."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _orcid_service(settings: Settings) -> None:
    settings.ROOT_URLCONF = "config.urls_orcid"
    settings.ORCID_SANDBOX_BASE_URL = "http://testserver"
    # The rate limit's buckets outlive a test; only the rate-limit tests switch it on.
    settings.ORCID_SANDBOX_RATE_LIMIT = 0
