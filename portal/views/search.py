"""The one search box across every type: researchers, research output and each registered
content type (portal.content), a section per type with its count and first results; and each
content type's own public list, searched by words, a researcher or a unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from portal import content
from portal.queries import search_outputs, search_persons
from portal.views.public import paged

# A content type's public list, a page.
LIST_PAGE_SIZE = 20


class SiteSearchForm(forms.Form):
    """The search box of the home page and the search page."""

    q = forms.CharField(label="Search", max_length=200, required=False)


@dataclass(frozen=True)
class PortalSection:
    """Researchers or research output on the search page: count, first results, the rest."""

    key: str
    label: str
    count: int
    items: list[Any]
    more_url: str
    capped: bool


def _portal_section(key: str, label: str, items: Any, url_name: str, query: str) -> PortalSection:
    first, count, capped = content.found_in_search(items)
    return PortalSection(key, label, count, first, f"{reverse(url_name)}?{query}", capped)


def search(request: HttpRequest) -> HttpResponse:
    """Results per type for the words typed; nothing is searched for an empty box."""
    form = SiteSearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    portal_sections: list[PortalSection] = []
    sections: list[content.Section] = []
    if text:
        query = urlencode({"q": text})
        portal_sections = [
            _portal_section(
                "researchers", "Researchers", search_persons(text), "portal:person-list", query
            ),
            _portal_section(
                "outputs", "Research Output", search_outputs(text), "portal:output-list", query
            ),
        ]
        sections = content.sections(
            lambda kind: kind.search(text), query, keep_empty=True, search=True
        )
    return render(
        request,
        "portal/public/search.html",
        {
            "form": form,
            "query": text,
            "researchers": portal_sections[0] if portal_sections else None,
            "outputs": portal_sections[1] if portal_sections else None,
            "sections": sections,
            "total": sum(s.count for s in portal_sections) + sum(s.count for s in sections),
            "capped": any(s.capped for s in portal_sections) or any(s.capped for s in sections),
        },
    )


class ContentKind(Protocol):
    """What a content app's URLconf hands the list view (an OwnedKind or a ValidatedKind)."""

    def content_type(self) -> content.ContentType: ...


def content_list(request: HttpRequest, kind: ContentKind) -> HttpResponse:
    """A type's public list (Projects, Activities, ...): its public items, narrowed by the
    filters given (words, a researcher, a research unit with its sub-units)."""
    listing = kind.content_type().public_list(request.GET)
    return render(
        request,
        "portal/public/content_list.html",
        {**listing.context(), "page": paged(request, listing.items, LIST_PAGE_SIZE)},
    )
