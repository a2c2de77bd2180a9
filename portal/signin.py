"""Sign-in throttling: failures counted per account (any address) and per address (any account).

django-axes records every failed sign-in as (username, address) and, with the lockout
parameters ["username", "ip_address"], counts each dimension on its own. It compares one count
with one limit, so `SignInThrottleHandler` gives each dimension its own: AXES_FAILURE_LIMIT for
an account, AXES_FAILURE_LIMIT_PER_ADDRESS (higher: a campus shares few addresses) for an
address. The address is the client's, not a proxy's (`client_address`), so behind a proxy one
attacker cannot lock everyone out, and one address cannot try a few passwords on every account.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address to count: the peer's, or behind AXES_IPWARE_PROXY_COUNT trusted proxies,
    the address the outermost of them saw (that many entries from the right of
    X-Forwarded-For; the entries left of it are whatever the client chose to send)."""
    peer = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return peer
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))[:2000]
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        # The request did not come through every proxy (or they were misconfigured): the peer
        # is all we know for sure.
        return peer
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return peer


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class SignInThrottleHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes has no type hints
    """Axes' database handler with a limit per lockout dimension (account, address)."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The failures that count, in units of the per-account limit that axes compares."""
        account_limit = int(settings.AXES_FAILURE_LIMIT)
        address_limit = int(getattr(settings, "AXES_FAILURE_LIMIT_PER_ADDRESS", account_limit))
        counts = []
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = _failures(attempts)
            if parameter == "ip_address":
                # Scaled so that it reaches the account limit exactly when the address reaches
                # its own: floor(f * a / b) >= a  <=>  f >= b.
                failures = failures * account_limit // address_limit
            counts.append(failures)
        return max(counts, default=0)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A successful sign-in clears that account's failures only: signing in to one's own
        account must not wipe the address's count of failures on other accounts."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)
