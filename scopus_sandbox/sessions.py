"""Who is signed in to the Scopus sandbox: the ORCID sign-in a browser's cookie names.

The sandbox keeps no accounts of its own. Real Scopus asks for an Elsevier account before the
Author Feedback Wizard or the Scopus to ORCID wizard; the sandbox's stand-in for that account is
a sign-in with ORCID (the ORCID sandbox), which the wizard needs anyway, so one sign-in serves
both and every correction request names the ORCID iD that asked for it.
"""

from __future__ import annotations

from django.http import HttpRequest

from scopus_sandbox.models import WizardSession

COOKIE = "scopus_wizard"
MAX_COOKIE_LENGTH = 64


def current_session(request: HttpRequest) -> WizardSession | None:
    """The session the browser's cookie names, signed in or still waiting for ORCID."""
    token = request.COOKIES.get(COOKIE, "")
    if not token or len(token) > MAX_COOKIE_LENGTH:
        return None
    return WizardSession.objects.select_related("start_profile").filter(token=token).first()


def signed_in_session(request: HttpRequest) -> WizardSession | None:
    """The browser's session if ORCID has signed it in, else None."""
    session = current_session(request)
    return session if session is not None and session.signed_in else None
