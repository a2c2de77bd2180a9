"""Sign-in throttling (issue 8.6): per account across addresses, per address across accounts;
time is moved by passing `now` or by dating the stored failures, never by sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from django.test import Client as TestClient
from django.utils import timezone

from orcid_sandbox import actions, throttle
from orcid_sandbox.models import SignInFailure

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db(databases=["orcid", "default"])

PASSWORD = "demo-orcid-password"  # the account fixture's
NOON = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def fail(username: str, address: str, at: datetime) -> None:
    actions.do_record_sign_in_failure(username, address=address, now=at)


def test_failures_on_one_account_from_many_addresses_lock_it(account):
    # given: ACCOUNT_LIMIT wrong passwords, each from another address, by e-mail and by iD
    for attempt in range(throttle.ACCOUNT_LIMIT):
        username = account.email if attempt % 2 else account.orcid
        fail(username, f"10.0.0.{attempt}", NOON + timedelta(seconds=attempt))
    # when
    locked = throttle.lockout(account.email.upper(), "10.9.9.9", now=NOON + timedelta(minutes=1))
    # then: locked from a fresh address, until the first failure leaves the window
    assert locked is not None
    assert locked.reason == "for this account"
    assert locked.until == NOON + throttle.WINDOW


def test_failures_from_one_address_on_many_accounts_lock_the_address(account):
    # given: ADDRESS_LIMIT failures, each on another (unknown) name
    for attempt in range(throttle.ADDRESS_LIMIT):
        fail(f"someone{attempt}@example.org", "10.0.0.1", NOON)
    # when
    from_there = throttle.lockout(account.email, "10.0.0.1", now=NOON)
    elsewhere = throttle.lockout(account.email, "10.0.0.2", now=NOON)
    # then: the address is locked for every account; the account itself is not
    assert from_there is not None
    assert from_there.reason == "from your address"
    assert elsewhere is None


def test_one_failure_short_of_either_limit_is_no_lock(account):
    # given
    for _attempt in range(throttle.ACCOUNT_LIMIT - 1):
        fail(account.email, "10.0.0.1", NOON)
    # when / then
    assert throttle.lockout(account.email, "10.0.0.1", now=NOON) is None


def test_the_lock_lifts_when_failures_leave_the_window(account):
    # given
    for attempt in range(throttle.ACCOUNT_LIMIT):
        fail(account.email, "10.0.0.1", NOON + timedelta(minutes=attempt))
    # when
    just_before = throttle.lockout(
        account.email, "10.0.0.1", now=NOON + throttle.WINDOW - timedelta(seconds=1)
    )
    after = throttle.lockout(account.email, "10.0.0.1", now=NOON + throttle.WINDOW)
    # then
    assert just_before is not None
    assert after is None


def test_expired_failures_are_dropped_when_new_ones_are_recorded(account):
    # given
    fail(account.email, "10.0.0.1", NOON)
    # when
    fail(account.email, "10.0.0.1", NOON + throttle.WINDOW + timedelta(minutes=1))
    # then
    assert SignInFailure.objects.count() == 1


def test_a_successful_sign_in_clears_the_accounts_failures_only(account):
    # given
    for _attempt in range(throttle.ACCOUNT_LIMIT - 1):
        fail(account.email, "10.0.0.1", NOON)
    fail("someone@example.org", "10.0.0.1", NOON)
    # when
    actions.do_sign_in(account)
    # then: the address's other failure stays counted
    assert list(SignInFailure.objects.values_list("account_key", flat=True)) == [
        "someone@example.org"
    ]


def post_sign_in(
    client: TestClient, username: str, password: str, address: str = "127.0.0.1"
) -> TestResponse:
    return client.post("/signin", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_sign_in_page_counts_wrong_passwords_and_refuses_with_429(client, account):
    # given: ACCOUNT_LIMIT wrong passwords through the page, from several addresses
    for attempt in range(throttle.ACCOUNT_LIMIT):
        answer = post_sign_in(client, account.email, "wrong", f"10.0.0.{attempt}")
        assert answer.status_code == 200
    # when: the right password, from yet another address
    refused = post_sign_in(client, account.email, PASSWORD, "10.0.0.99")
    # then: refused without a session, saying until when
    assert refused.status_code == 429
    assert b"Too many failed sign-ins for this account" in refused.content
    assert not account.sign_ins.exists()


def test_the_page_signs_in_again_once_the_failures_are_old(client, account):
    # given: a lock's worth of failures, dated before the window
    long_ago = timezone.now() - throttle.WINDOW - timedelta(minutes=1)
    for _attempt in range(throttle.ACCOUNT_LIMIT):
        fail(account.email, "10.0.0.1", long_ago)
    # when
    answer = post_sign_in(client, account.email, PASSWORD, "10.0.0.1")
    # then
    assert answer.status_code == 302
    assert account.sign_ins.count() == 1


def test_a_missing_password_is_not_counted(client, account):
    # when
    post_sign_in(client, account.email, "")
    # then
    assert not SignInFailure.objects.exists()


@pytest.mark.parametrize("username", ["\x00", "x" * 10_000, "0000-0000-0000-000X", "²"])
def test_hostile_names_are_counted_without_failing(client, account, username):
    # when
    answer = post_sign_in(client, username, "wrong")
    # then
    assert answer.status_code == 200
    assert SignInFailure.objects.count() <= 1
