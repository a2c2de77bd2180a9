"""Template context every portal page needs: the site's and institution's names."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {
        "site_name": settings.PORTAL_SITE_NAME,
        "institution_name": settings.PORTAL_INSTITUTION_NAME,
    }
