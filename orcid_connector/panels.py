"""The ORCID panel of the portal's "Edit profile" page (listed in PORTAL_PANELS)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string

from orcid_connector.actions import active_authorization
from orcid_connector.models import ExportedItem, OrcidAuthorization
from portal.models import Person
from portal.queries import person_of

# How ORCID's scopes read to a researcher.
SCOPE_LABELS = {
    "/read-limited": "read your information with visibility set to trusted parties",
    "/activities/update": "add and update your research activities (works)",
    "/person/update": "add and update your biographical information (e.g. Other IDs)",
    "/authenticate": "get your ORCID iD",
}


def orcid_panel(request: HttpRequest, person: Person | None) -> str:
    if person is None:
        return ""
    authorization = active_authorization(person)
    ended = None
    if authorization is None:
        latest = OrcidAuthorization.objects.filter(person=person).order_by("-revoked_at").first()
        # "Reconnect needed" only for a connection ORCID ended, not for the researcher's own
        # (or the Library's) "Disconnect".
        ended = latest if latest is not None and latest.was_lost else None
    return render_to_string(
        "orcid_connector/_panel.html",
        {
            "person": person,
            "authorization": authorization,
            "permissions": [
                SCOPE_LABELS.get(scope, scope)
                for scope in (authorization.scope_list() if authorization else [])
            ],
            "orcid_url": (
                f"{settings.ORCID_WEB_URL.rstrip('/')}/{authorization.orcid}"
                if authorization
                else ""
            ),
            "is_own_profile": person_of(request.user) == person,
            "ended": ended,
            "exported": (
                ExportedItem.objects.filter(
                    person=person, orcid=authorization.orcid, put_code__isnull=False
                ).count()
                if authorization
                else 0
            ),
            "site_name": settings.PORTAL_SITE_NAME,
        },
        request=request,
    )
