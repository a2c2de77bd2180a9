"""Rate limiting and fault injection on the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orcid_sandbox.traffic import limiter

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])


@pytest.fixture(autouse=True)
def _fresh_buckets() -> Iterator[None]:
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
    slept: list[float] = []
    monkeypatch.setattr("orcid_sandbox.traffic.SLEEP", slept.append)
    settings.ORCID_SANDBOX_FAULT_SLOW, settings.ORCID_SANDBOX_FAULT_SLOW_SECONDS = 1.0, 2.5
    assert client.get(f"/pub/v3.0/{account.orcid}/works").status_code == 200
    assert slept == [2.5]


def test_rate_limit_is_per_client_whichever_token_it_uses(client, account, portal_client, settings):
    # given: the portal holds tokens of two researchers; the bucket holds 3 calls
    from orcid_sandbox import actions
    from orcid_sandbox.tests.fixtures import make_token

    other = actions.do_create_account(
        email="other@example.org", password="long-enough-pw", given_names="Other"
    )
    settings.ORCID_SANDBOX_RATE_LIMIT = 0.001
    settings.ORCID_SANDBOX_RATE_BURST = 3
    tokens = [make_token(owner, portal_client, "/read-limited") for owner in (account, other)]
    # when: it alternates between them
    statuses = [
        client.get(
            f"/api/v3.0/{(account, other)[n % 2].orcid}/works",
            HTTP_ACCEPT="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[n % 2].access_token}",
        ).status_code
        for n in range(5)
    ]
    # then: one bucket for the client
    assert statuses == [200] * 3 + [503] * 2


def test_made_up_tokens_do_not_escape_the_limit(client, account, settings):
    # given
    settings.ORCID_SANDBOX_RATE_LIMIT = 0.001
    settings.ORCID_SANDBOX_RATE_BURST = 3
    # when: every call carries a new invented token
    statuses = [
        client.get(
            f"/pub/v3.0/{account.orcid}/works",
            HTTP_ACCEPT="application/json",
            HTTP_AUTHORIZATION=f"Bearer made-up-{n}",
        ).status_code
        for n in range(5)
    ]
    # then: they share the caller's address bucket (401 while it lasts, then 503)
    assert statuses == [401] * 3 + [503] * 2


def test_idle_buckets_are_forgotten(monkeypatch):
    # given: room for two buckets, and callers whose buckets refill at once
    from orcid_sandbox import traffic

    monkeypatch.setattr(traffic, "MAX_BUCKETS", 2)
    limiter = traffic.RateLimiter()
    for caller in ("a", "b", "c"):
        assert limiter.allow(caller, rate=1e9, burst=40)
    # when: one more caller arrives
    assert limiter.allow("d", rate=1e9, burst=40)
    # then: the full (idle) buckets went; the newcomer's remains
    assert set(limiter.buckets) == {"d"}


def test_orcids_figures_24_per_second_with_a_burst_of_40(client, account, settings, monkeypatch):
    # given: ORCID's figures, and a clock that moves only when the test says so
    from orcid_sandbox import traffic

    now = [1000.0]
    monkeypatch.setattr(traffic.limiter, "clock", lambda: now[0])
    settings.ORCID_SANDBOX_RATE_LIMIT, settings.ORCID_SANDBOX_RATE_BURST = 24, 40

    def statuses(count: int) -> list[int]:
        return [
            client.get(
                f"/pub/v3.0/{account.orcid}/works", HTTP_ACCEPT="application/json"
            ).status_code
            for _ in range(count)
        ]

    # when / then: a burst of 40 passes, the 41st is refused
    assert statuses(41) == [200] * 40 + [503]
    # one second later 24 more have come back, not 25
    now[0] += 1.0
    assert statuses(25) == [200] * 24 + [503]
    # after a long pause the bucket is full again, never fuller than the burst
    now[0] += 3600.0
    assert statuses(41) == [200] * 40 + [503]


def test_the_503_is_orcids_error_shape_on_every_api_address(client, account, settings):
    settings.ORCID_SANDBOX_RATE_LIMIT, settings.ORCID_SANDBOX_RATE_BURST = 0.001, 1
    client.get(f"/pub/v3.0/{account.orcid}/works")
    for path in (
        f"/pub/v3.0/{account.orcid}/works",
        f"/api/v3.0/{account.orcid}/works",
        "/pub/v3.0/search/?q=x",
    ):
        response = client.get(path, HTTP_ACCEPT="application/json")
        assert response.status_code == 503, path
        assert response.json()["response-code"] == 503
        assert response["Retry-After"] == "1"


def test_fault_fractions_are_honoured_roughly(client, account, settings, monkeypatch):
    # given: a fixed sequence of draws, a quarter of calls to fail with 500, a quarter 503
    from orcid_sandbox import traffic

    draws = iter([0.1, 0.3, 0.6, 0.9] * 5)
    monkeypatch.setattr(traffic._chance, "random", lambda: next(draws))
    settings.ORCID_SANDBOX_FAULT_500, settings.ORCID_SANDBOX_FAULT_503 = 0.25, 0.25
    # when
    statuses = [client.get(f"/pub/v3.0/{account.orcid}/works").status_code for _ in range(20)]
    # then
    assert statuses == [500, 503, 200, 200] * 5
