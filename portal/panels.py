"""Panels that apps built on the portal add to its pages, found by name in PORTAL_PANELS.

The portal may not import the connectors or the exercise (they build on it); settings name a
callable (request, person or None) -> HTML per page instead, and the page shows what they return.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from portal.models import Person


def render_panels(page: str, request: HttpRequest, person: Person | None) -> list[str]:
    return [import_string(name)(request, person) for name in settings.PORTAL_PANELS.get(page, [])]
