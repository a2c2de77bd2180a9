"""Calls to ORCID's member API for one record, paced, retried and logged.

Pacing: one token bucket per process, below ORCID's 24 requests/s and burst of 40. Retries:
429/503 honour Retry-After; other 5xx answers and timeouts back off and try again, a few times,
then the record waits for the next run. Every attempt is an ExportCall row.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from orcid_connector.models import ExportCall, ExportRun
from portal.models import Person

# Tests replace these with a transport standing in for ORCID and a clock that does not wait.
ORCID_TRANSPORT: httpx.BaseTransport | None = None
SLEEP = time.sleep
MONOTONIC = time.monotonic
TIMEOUT_SECONDS = 20.0
MAX_RETRY_AFTER_SECONDS = 30.0
JSON_TYPE = "application/vnd.orcid+json"


class TokenRefused(Exception):
    """ORCID refused the access token: the researcher revoked it, or it expired."""


class OrcidUnavailable(Exception):
    """ORCID kept failing or could not be reached; the record waits for the next run."""


class RateLimiter:
    """A token bucket shared by every thread of the process."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.updated = MONOTONIC()
        self.lock = threading.Lock()

    def wait(self) -> None:
        if self.rate <= 0:
            return
        with self.lock:
            now = MONOTONIC()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.tokens -= 1
            shortfall = -self.tokens
        if shortfall > 0:
            SLEEP(shortfall / self.rate)


_limiter: RateLimiter | None = None


def limiter() -> RateLimiter:
    global _limiter  # noqa: PLW0603 - one bucket per process, made on first use
    if _limiter is None:
        _limiter = RateLimiter(settings.ORCID_EXPORT_RATE, settings.ORCID_EXPORT_BURST)
    return _limiter


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: httpx.Headers

    def error_code(self) -> str:
        return str(self.body.get("error-code", "")) if isinstance(self.body, dict) else ""

    def message(self) -> str:
        if isinstance(self.body, dict):
            text = self.body.get("developer-message") or self.body.get("user-message") or ""
            return str(text or self.body.get("error_description") or "")[:400]
        return ""


def _retry_after(response: httpx.Response, attempt: int) -> float:
    raw = response.headers.get("Retry-After", "")
    if raw.isdigit():
        return min(float(raw), MAX_RETRY_AFTER_SECONDS)
    return min(2.0**attempt, MAX_RETRY_AFTER_SECONDS)


class MemberApi:
    """The member API of one ORCID record, with the researcher's access token."""

    def __init__(self, orcid: str, access_token: str, *, run: ExportRun, person: Person) -> None:
        self.orcid, self.run, self.person = orcid, run, person
        self.http = httpx.Client(
            base_url=f"{settings.ORCID_API_URL.rstrip('/')}/{orcid}/",
            transport=ORCID_TRANSPORT,
            timeout=TIMEOUT_SECONDS,
            headers={
                "Authorization": f"Bearer {access_token}",
                "Accept": JSON_TYPE,
                "Content-Type": JSON_TYPE,
            },
        )

    def close(self) -> None:
        self.http.close()

    def _log(self, method: str, path: str, status: int | None, outcome: str) -> None:
        ExportCall.objects.create(
            run=self.run,
            person=self.person,
            method=method,
            path=f"/{self.orcid}/{path}"[:300],
            status=status,
            outcome=outcome[:500],
        )
        self.run.calls += 1

    def call(self, method: str, path: str, body: Any = None, *, retry: bool = True) -> Answer:
        """One logical call; raises TokenRefused or OrcidUnavailable when it cannot succeed.

        retry=False for writes that must not be repeated blindly (see the export's employments).
        """
        attempts = 1 + (settings.ORCID_EXPORT_RETRIES if retry else 0)
        for attempt in range(attempts):
            limiter().wait()
            try:
                response = self.http.request(method, path, json=body)
            except httpx.HTTPError as error:
                self._log(method, path, None, f"no answer: {type(error).__name__}")
                if attempt + 1 < attempts:
                    SLEEP(min(2.0**attempt, MAX_RETRY_AFTER_SECONDS))
                    continue
                raise OrcidUnavailable(
                    f"ORCID could not be reached ({type(error).__name__})"
                ) from None
            answer = Answer(response.status_code, _json(response), response.headers)
            self._log(method, path, response.status_code, answer.message() or "ok")
            if response.status_code == 401 or (
                response.status_code == 400
                and isinstance(answer.body, dict)
                and answer.body.get("error") == "invalid_token"
            ):
                raise TokenRefused(answer.message() or "invalid_token")
            if response.status_code in (429, 503) or response.status_code >= 500:
                if attempt + 1 < attempts:
                    SLEEP(_retry_after(response, attempt))
                    continue
                raise OrcidUnavailable(f"ORCID answered {response.status_code}")
            return answer
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None
