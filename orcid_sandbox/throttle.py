"""Sign-in throttling for the registry's own accounts (issue 8.6).

Two limits over a sliding window, each counted from the failures stored in the registry's
database (SignInFailure), so every server process sees the same counts:
- per account, from any address: ACCOUNT_LIMIT failures lock the account's password sign-in,
  so an attacker cannot spread guesses at one account over many addresses;
- per address, on any accounts: ADDRESS_LIMIT failures lock the address, so one address
  cannot try a few passwords on every account.
A lock lifts when enough of its failures have left the window; a successful sign-in clears
the account's failures (not the address's).

Why not django-axes, which the portal uses: axes keeps its attempts in the models of its own
app, which the router places in the portal's database, and it watches Django's authentication
(users, backends, signals); the sandbox stands for another organisation with its own accounts
and database, and its sign-in does not go through Django's auth. The clock is a parameter
(`now`), so tests move time instead of sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import identifiers
from orcid_sandbox.models import Account, SignInFailure

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
MAX_ADDRESS = 64


@dataclass(frozen=True)
class Lockout:
    """Why sign-in is refused, and until when."""

    reason: str
    until: datetime

    @property
    def message(self) -> str:
        return (
            f"Too many failed sign-ins {self.reason}. Try again after "
            f"{self.until:%H:%M} UTC, or reset your password."
        )


def account_key(username: str) -> str:
    """The key failures of a name typed at sign-in are counted under (see SignInFailure)."""
    name = username.strip().lower()[:254]
    account = Account.objects.filter(email=name).only("orcid").first()
    if account is None:
        try:
            orcid = identifiers.normalise(identifiers.Scheme.ORCID, username)
        except identifiers.IdentifierError:
            return name
        account = Account.objects.filter(orcid=orcid).only("orcid").first()
    return account.orcid if account is not None else name


def address_of(remote_addr: str | None) -> str:
    return (remote_addr or "unknown")[:MAX_ADDRESS]


def lockout(username: str, address: str, *, now: datetime) -> Lockout | None:
    """The lock on signing in as `username` from `address` at `now`, if there is one."""
    since = now - WINDOW
    recent = SignInFailure.objects.filter(failed_at__gt=since)
    for failures, limit, reason in (
        (recent.filter(account_key=account_key(username)), ACCOUNT_LIMIT, "for this account"),
        (recent.filter(address=address_of(address)), ADDRESS_LIMIT, "from your address"),
    ):
        if failures.count() >= limit:
            # The lock lifts when the oldest failure that keeps the count at the limit expires.
            times = failures.order_by("-failed_at").values_list("failed_at", flat=True)
            oldest = times[limit - 1]
            return Lockout(reason, oldest + WINDOW)
    return None
