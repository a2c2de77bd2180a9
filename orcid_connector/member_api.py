"""Calls to ORCID's member API for one record, paced, retried and logged.

Pacing: one token bucket in the database, shared by every process, below ORCID's 24
requests/s and burst of 40. Retries:
429/503 honour Retry-After; other 5xx answers and timeouts back off and try again, a few times,
then the record waits for the next run. Every attempt is an ExportCall row.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orcid_connector.models import ExportCall, ExportRun, RateBucket
from portal.models import Person

# Tests replace these with a transport standing in for ORCID and a clock that does not wait.
ORCID_TRANSPORT: httpx.BaseTransport | None = None
SLEEP = time.sleep
TIMEOUT_SECONDS = 20.0
MAX_RETRY_AFTER_SECONDS = 30.0
JSON_TYPE = "application/vnd.orcid+json"


class TokenRefused(Exception):
    """ORCID refused the access token: the researcher revoked it, or it expired."""


class RecordGone(Exception):
    """The record is deprecated (merged into another) or deactivated; str() says which."""


class OrcidUnavailable(Exception):
    """ORCID kept failing or could not be reached; the record waits for the next run."""


BUCKET = "orcid-member-api"


def wait_for_turn() -> None:
    """Take a token from the shared bucket, sleeping (outside the transaction) when in debt.

    The bucket may go negative: each caller takes its turn at once and waits off its debt, so
    callers in several processes are spaced out rather than racing for the same token."""
    rate, burst = settings.ORCID_EXPORT_RATE, settings.ORCID_EXPORT_BURST
    if rate <= 0:
        return
    with transaction.atomic():
        now = timezone.now()
        bucket = RateBucket.objects.select_for_update().filter(name=BUCKET).first()
        if bucket is None:
            # The first call ever; a racing first call makes this an update of its row.
            bucket, _ = RateBucket.objects.get_or_create(
                name=BUCKET, defaults={"tokens": float(burst), "updated_at": now}
            )
        elapsed = max((now - bucket.updated_at).total_seconds(), 0.0)
        bucket.tokens = min(float(burst), bucket.tokens + elapsed * rate) - 1
        bucket.updated_at = now
        bucket.save(update_fields=["tokens", "updated_at"])
        debt = -bucket.tokens
    if debt > 0:
        SLEEP(debt / rate)


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
            wait_for_turn()
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
            if response.status_code == 301 or answer.error_code() in ("9007", "9044"):
                # A deprecated record points to its primary iD; the token is for the old one.
                moved_to = response.headers.get("Location", "").split("/v3.0/")[-1].split("/")[0]
                raise RecordGone(
                    f"ORCID record {self.orcid} was merged into {moved_to}"
                    if response.status_code == 301
                    else f"ORCID record {self.orcid} is deactivated"
                )
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
