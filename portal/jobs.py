"""The Library's daily digest of research output waiting for validation, as a registered job."""

from __future__ import annotations

from datetime import time

from django.conf import settings

from jobs.registry import Job, register


def send_digest() -> str:
    from portal.notifications import send_validation_digest

    sent = send_validation_digest()
    return f"digest sent to {sent} message(s)" if sent else "nothing to send"


register(
    Job(
        "output-digest",
        send_digest,
        # Before the Library's working day; PORTAL_VALIDATION_DIGEST_AT overrides it.
        daily_at=time.fromisoformat(getattr(settings, "PORTAL_VALIDATION_DIGEST_AT", "07:30")),
    )
)
