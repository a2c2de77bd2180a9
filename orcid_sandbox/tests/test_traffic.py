"""Rate limiting and fault injection on the API."""

from __future__ import annotations

import pytest

from orcid_sandbox.traffic import limiter

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])


@pytest.fixture(autouse=True)
def _fresh_buckets():
    limiter.reset()
    yield
    limiter.reset()


def test_rate_limit_answers_503_beyond_the_burst(client, account, settings):
    settings.ORCID_SANDBOX_RATE_LIMIT = 0.001  # practically no refill during the test
    settings.ORCID_SANDBOX_RATE_BURST = 5
    statuses = [
        client.get(f"/pub/v3.0/{account.orcid}/works", HTTP_ACCEPT="application/json").status_code
        for _ in range(8)
    ]
    assert statuses == [200] * 5 + [503] * 3
    response = client.get(f"/pub/v3.0/{account.orcid}/works", HTTP_ACCEPT="application/json")
    assert response["Retry-After"] == "1"


def test_rate_limit_off_when_zero(client, account, settings):
    settings.ORCID_SANDBOX_RATE_LIMIT = 0
    assert all(client.get(f"/pub/v3.0/{account.orcid}/works").status_code == 200 for _ in range(50))


@pytest.mark.parametrize(
    ("setting", "status"), [("ORCID_SANDBOX_FAULT_500", 500), ("ORCID_SANDBOX_FAULT_503", 503)]
)
def test_fault_injection(client, account, settings, setting, status):
    setattr(settings, setting, 1.0)
    assert client.get(f"/pub/v3.0/{account.orcid}/works").status_code == status
    setattr(settings, setting, 0.0)
    assert client.get(f"/pub/v3.0/{account.orcid}/works").status_code == 200


def test_slow_fault_delays_the_answer(client, account, settings, monkeypatch):
    slept = []
    monkeypatch.setattr("orcid_sandbox.traffic.time.sleep", slept.append)
    settings.ORCID_SANDBOX_FAULT_SLOW, settings.ORCID_SANDBOX_FAULT_SLOW_SECONDS = 1.0, 2.5
    assert client.get(f"/pub/v3.0/{account.orcid}/works").status_code == 200
    assert slept == [2.5]
