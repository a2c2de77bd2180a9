"""ORCID's traffic rules on the API, and injected faults for testing clients against them.

Rate limit (reference orcid-api.md §1.11): a token bucket per client (per address for anonymous
calls), 24 requests/s with a burst of 40; beyond it ORCID answers 503. Buckets live in the
process, so with several server processes each enforces the limit on its own share.

Fault injection makes a fraction of API calls fail with 500 or 503, or answer slowly, so that
a client's retries and back-off can be tested against a server that misbehaves on purpose; and
ORCID_SANDBOX_REFUSE_TEXT makes every write whose document holds that text a 400 for the whole
document, as ORCID refuses a bulk of works when one of them holds text it cannot take (the
refusal follows the content, as ORCID's do, so a client can isolate the refused item).
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from orcid_sandbox.choices import ErrorCode
from orcid_sandbox.models import AccessToken

View = Callable[..., HttpResponse]
MAX_BUCKETS = 10_000


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by caller, timed by `clock` (a test passes one it moves by hand)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.buckets: dict[str, Bucket] = {}
        self.lock = threading.Lock()

    def allow(self, key: str, rate: float, burst: int) -> bool:
        now = self.clock()
        with self.lock:
            if len(self.buckets) > MAX_BUCKETS:
                # Forget callers whose buckets have refilled: they start full again anyway.
                self.buckets = {
                    name: old
                    for name, old in self.buckets.items()
                    if old.tokens + (now - old.updated) * rate < burst
                }
            bucket = self.buckets.get(key)
            if bucket is None:
                bucket = self.buckets[key] = Bucket(tokens=float(burst), updated=now)
            bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True

    def reset(self) -> None:
        with self.lock:
            self.buckets.clear()


limiter = RateLimiter()
# How a slow answer waits; tests put a recorder here instead of sleeping.
SLEEP: Callable[[float], None] = time.sleep
_chance = random.Random()  # noqa: S311 - picking which calls fail, not security


def caller_key(request: HttpRequest) -> str:
    """The bucket a call draws on: its client's (whichever researcher's token it uses), else
    the caller's address; an unknown token counts as anonymous, so made-up tokens cannot
    open fresh buckets."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip() and "\x00" not in value:
        client_id = (
            AccessToken.objects.filter(access_token=value.strip()[:100])
            .values_list("client__client_id", flat=True)
            .first()
        )
        if client_id:
            return f"client:{client_id}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def unavailable(message: str) -> JsonResponse:
    response = JsonResponse(
        {
            "response-code": 503,
            "developer-message": message,
            "user-message": "ORCID is busy; please try again shortly.",
            "error-code": 9012,
        },
        status=503,
    )
    response["Retry-After"] = "1"
    return response


def refused(marker: str) -> JsonResponse:
    return JsonResponse(
        {
            "response-code": 400,
            "developer-message": (
                f"400 Bad Request: the document holds text ORCID refuses ({marker!r}, an "
                "injected fault)"
            ),
            "user-message": "The item could not be saved.",
            "error-code": int(ErrorCode.INVALID_DOCUMENT),
        },
        status=400,
    )


def holds_refused_text(request: HttpRequest) -> str:
    """The configured refused text when this write's document holds it, else ""."""
    marker = getattr(settings, "ORCID_SANDBOX_REFUSE_TEXT", "")
    if not marker or request.method not in ("POST", "PUT"):
        return ""
    try:
        body = request.body
    except RequestDataTooBig:
        return ""  # the view answers 413
    return marker if marker.encode() in body else ""


def traffic_rules(view: View) -> View:
    """Apply the rate limit and any configured faults to an API view."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        rate = settings.ORCID_SANDBOX_RATE_LIMIT
        if rate > 0 and not limiter.allow(
            caller_key(request), rate, settings.ORCID_SANDBOX_RATE_BURST
        ):
            return unavailable("503 Service Unavailable: rate limit exceeded")
        if marker := holds_refused_text(request):
            return refused(marker)
        draw = _chance.random()
        if draw < settings.ORCID_SANDBOX_FAULT_500:
            return JsonResponse(
                {
                    "response-code": 500,
                    "developer-message": "500 Internal Server Error (injected fault)",
                    "error-code": 9008,
                },
                status=500,
            )
        if draw < settings.ORCID_SANDBOX_FAULT_500 + settings.ORCID_SANDBOX_FAULT_503:
            return unavailable("503 Service Unavailable (injected fault)")
        if draw < (
            settings.ORCID_SANDBOX_FAULT_500
            + settings.ORCID_SANDBOX_FAULT_503
            + settings.ORCID_SANDBOX_FAULT_SLOW
        ):
            SLEEP(settings.ORCID_SANDBOX_FAULT_SLOW_SECONDS)
        return view(request, *args, **kwargs)

    return wrapper
