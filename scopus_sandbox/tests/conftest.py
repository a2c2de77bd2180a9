"""The Scopus sandbox's tests answer with its URLconf; shared fixtures are in fixtures.py."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _scopus_service(settings: Settings) -> None:
    settings.ROOT_URLCONF = "config.urls_scopus"
    settings.SCOPUS_SANDBOX_BASE_URL = "http://testserver"
    settings.SCOPUS_SANDBOX_ORCID_BASE_URL = "http://orcid.test"
    settings.SCOPUS_SANDBOX_ORCID_API_URL = "http://orcid.test/api/v3.0"
    settings.SCOPUS_SANDBOX_FEEDBACK_DELAY_HOURS = 24
