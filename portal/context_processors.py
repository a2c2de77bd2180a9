"""Template context every portal page needs: the site's and institution's names, the menu."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from portal import content


@dataclass(frozen=True)
class MenuItem:
    """One entry of the main menu; `current` when the page shown belongs to it."""

    label: str
    url: str
    current: bool


# The portal's own menu items: label, URL name, and the URL names of the pages under it.
PORTAL_MENU = (
    ("Home", "portal:home", {"home"}),
    ("Researchers", "portal:person-list", {"person-list", "person-detail", "person-graph"}),
    ("Research Units", "portal:unit-list", {"unit-list", "unit-detail", "unit-graph"}),
    ("Research Output", "portal:output-list", {"output-list", "output-detail", "output-graph"}),
)


def menu_items(request: HttpRequest) -> list[MenuItem]:
    """The seed's menu: the portal's own pages, then each registered type in the seed's order."""
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match is not None else ""
    url_name = match.url_name if match is not None else ""
    items = [
        MenuItem(label, reverse(name), namespace == "portal" and url_name in pages)
        for label, name, pages in PORTAL_MENU
    ]
    items += [
        MenuItem(kind.label, reverse(kind.list_url), namespace == kind.namespace)
        for kind in content.registered()
    ]
    return items


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.PORTAL_SITE_NAME,
        "institution_name": settings.PORTAL_INSTITUTION_NAME,
        "menu": lambda: menu_items(request),
        "content_types": content.registered,
    }
