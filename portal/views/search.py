"""The one search box across every type: researchers, research output and each registered
content type (portal.content), a section per type with its count and first results; and each
content type's own public list, searched by words, a researcher or a unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from portal import caching, content
from portal.queries import search_outputs, search_persons

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


@dataclass(frozen=True)
class SearchResults:
    """What the search page shows for some words: researchers, research output, a section per
    registered type, and the total."""

    researchers: PortalSection
    outputs: PortalSection
    sections: list[content.Section]

    @property
    def total(self) -> int:
        return self.researchers.count + self.outputs.count + sum(s.count for s in self.sections)

    @property
    def capped(self) -> bool:
        return (
            self.researchers.capped
            or self.outputs.capped
            or any(section.capped for section in self.sections)
        )


def search_results(text: str) -> SearchResults:
    """Search every type for the words of `text` (not empty)."""
    query = urlencode({"q": text})
    return SearchResults(
        _portal_section(
            "researchers", "Researchers", search_persons(text), "portal:person-list", query
        ),
        _portal_section(
            "outputs", "Research Output", search_outputs(text), "portal:output-list", query
        ),
        content.sections(lambda kind: kind.search(text), query, keep_empty=True, search=True),
    )


def search(request: HttpRequest) -> HttpResponse:
    """Results per type for the words typed; nothing is searched for an empty box.

    The results are the same for every reader: they are cached until any type's items, or
    researchers or research output, change (portal.caching.search_generation); the searches
    below are lazy, so a cached page runs none of them."""
    form = SiteSearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "portal/public/search.html",
        {
            "form": form,
            "query": text,
            "results": SimpleLazyObject(lambda: search_results(text)) if text else None,
            "cache_version": caching.search_generation(),
        },
    )


class ContentKind(Protocol):
    """What a content app's URLconf hands the list view (an OwnedKind or a ValidatedKind)."""

    def content_type(self) -> content.ContentType: ...


def content_list(request: HttpRequest, kind: ContentKind) -> HttpResponse:
    """A type's public list (Projects, Activities, ...): its public items, narrowed by the
    filters given (words, a researcher, a research unit with its sub-units).

    The page is the same for every reader with the same filters and page number: it is cached
    until an item of the type, or a person, unit or position, changes
    (portal.caching.content_list_generation); the reads below are lazy, so a cached page runs
    none of them."""
    content_type = kind.content_type()
    chosen = content.ListFilter.of(request.GET)
    number = _page_number(request.GET.get("page"))
    listing = SimpleLazyObject(lambda: content_type.filtered_list(chosen))
    return render(
        request,
        "portal/public/content_list.html",
        {
            "content_type": content_type,
            "query": chosen.text,
            "filter_query": urlencode(chosen.data()),
            "listing": listing,
            "page": SimpleLazyObject(
                lambda: Paginator(listing.items, LIST_PAGE_SIZE).get_page(number)
            ),
            "cache_version": caching.content_list_generation(content_type.key),
            "cache_filter": chosen.cache_key,
            "page_number": number,
        },
    )


def _page_number(given: str | None) -> int:
    """The page asked for, as a number: not a number is the first page; zero or a negative
    number is kept as 0, which `Paginator.get_page` turns into the last page (as a too-high
    number)."""
    try:
        number = int(given or "1")
    except ValueError:
        return 1
    return max(number, 0)
