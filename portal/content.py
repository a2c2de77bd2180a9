"""The registry of content types: what the portal needs to show a type it does not know.

The portal's own pages (Home, Researchers, Research Units, Research Output) are its own; every
other menu item of the seed's portal (Projects, Activities, Prizes / Honours, ...) belongs to an
app built on the portal, which the portal may not import. Each such app registers a
`ContentType` from its `AppConfig.ready()`:

    from portal import content
    content.register(content.ContentType(key="activities", label="Activities", ...))

and the portal builds from the registry its menu, the one search box across every type, and
the section per type (with its count) on person and unit pages. A type whose app is not
installed is simply not registered, so its menu item, search results and sections are left out.

Person pages are cached (portal.caching): a type names the models whose changes alter what a
person page shows and, for each, the persons whose pages change; `register` connects them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from portal.models import OrgUnit, Person
from portal.queries import unit_and_descendant_ids
from portal.search_indexes import SEARCHED_TEXT, searched_text

# The seed's menu (the CityU Scholars page on the seed's last page), in order. The first four
# are the portal's own pages; the others are registered by the apps that provide them.
SEED_MENU = (
    "Home",
    "Researchers",
    "Research Units",
    "Research Output",
    "Projects",
    "Activities",
    "Prizes / Honours",
    "Student Theses",
    "Datasets",
    "Impact",
    "Press / Media",
)
# How many items a person, unit or search section lists before "All ...".
SECTION_ITEMS = 5
# At most this many words of a search are matched (each word narrows the results).
SEARCH_WORDS = 10
# A section counts its items up to this many and then says "1000+": the count's query stops
# there, so a common word costs no more than this many rows. At 1,000,000 outputs a common word
# ("data") read 10,001 ids per section at 10,000 (454 ms, 153 ms CPU in-process) and 1,001 at
# 1,000 (231 ms, 66 ms CPU); nobody pages through a thousand results of the search box.
COUNT_CAP = 1_000

PersonsOf = Callable[[Any], Iterable[int | None]]


class ContentTypeError(ValueError):
    """A content type that contradicts the seed's menu or another registered type."""


@dataclass(frozen=True)
class ContentType:
    """How the portal shows one type of content without importing the app that provides it.

    `public_items` returns what the public sees, with what a list entry shows prefetched.
    `person_lookup` and `unit_lookup` are ORM lookups from an item to a person and to an org
    unit (None: the type has no such relation); `search_fields` are the text fields the search
    box matches, word by word. `item_template` renders one entry of a list (its context holds
    `item`). `watch` pairs each model whose changes alter a person page with a function from an
    instance of it to the ids of the persons whose pages change.
    """

    key: str
    label: str
    singular: str
    plural: str
    list_url: str
    public_items: Callable[[], QuerySet[Any]]
    person_lookup: str | None
    unit_lookup: str | None
    search_fields: tuple[str, ...]
    item_template: str
    my_items_url: str | None = None
    watch: tuple[tuple[type[Model], PersonsOf], ...] = field(default=())
    # Types the Library validates: the queue's URL name and how many wait in it (the Library
    # console links each queue with its count).
    validation_url: str | None = None
    validation_count: Callable[[], int] | None = None

    @property
    def menu_position(self) -> int:
        """Where the seed's menu shows this type (its index in SEED_MENU)."""
        return SEED_MENU.index(self.label)

    @property
    def namespace(self) -> str:
        """The URL namespace of the type's pages (the menu marks them as current)."""
        return self.list_url.split(":", 1)[0]

    def _subquery(self, lookup: str, value: Any) -> QuerySet[Any]:
        items = self.public_items()
        matching = items.model._default_manager.filter(**{lookup: value}).values("pk")
        # A subquery, not a join: an item with two matching persons is still one item.
        return items.filter(pk__in=matching)

    def items_of_person(self, person_id: int) -> QuerySet[Any]:
        """The person's public items (none if the type has no persons)."""
        if self.person_lookup is None:
            return self.public_items().none()
        return self._subquery(self.person_lookup, person_id)

    def items_of_units(self, unit_ids: list[int]) -> QuerySet[Any]:
        """The public items of any of the units (none if the type has no units)."""
        if self.unit_lookup is None:
            return self.public_items().none()
        return self._subquery(f"{self.unit_lookup}__in", unit_ids)

    def search(self, text: str) -> QuerySet[Any]:
        """Public items whose search fields hold every word typed (at most SEARCH_WORDS).

        The fields are matched as one text (portal.search_indexes), the expression the type's
        trigram index holds on PostgreSQL, so each word is one indexed condition.
        """
        items = self.public_items()
        words = text.split()[:SEARCH_WORDS]
        if not words:
            return items
        matched: QuerySet[Any] = items.alias(**{SEARCHED_TEXT: searched_text(self.search_fields)})
        for word in words:
            matched = matched.filter(**{f"{SEARCHED_TEXT}__icontains": word})
        return matched

    def public_list(self, data: Mapping[str, Any]) -> PublicList:
        """The type's public list narrowed by the filters in `data` (a request's GET): words, a
        researcher, a research unit with its sub-units. Filters that do not validate are all
        left out; a researcher or unit that does not exist is ignored."""
        return self.filtered_list(ListFilter.of(data))

    def filtered_list(self, chosen: ListFilter) -> PublicList:
        """The type's public list narrowed by normalised filters (see `ListFilter.of`)."""
        text, person, unit = chosen.text, None, None
        if chosen.person:
            person = Person.objects.filter(slug=chosen.person).first()
        if chosen.unit:
            unit = OrgUnit.objects.filter(slug=chosen.unit).first()
        form = ListFilterForm(chosen.data())
        items = self.search(text)
        if person is not None:
            items = items.filter(pk__in=self.items_of_person(person.pk).values("pk"))
        if unit is not None:
            in_unit = self.items_of_units(unit_and_descendant_ids(unit)).values("pk")
            items = items.filter(pk__in=in_unit)
        return PublicList(self, form, text, person, unit, items)


class ListFilterForm(forms.Form):
    """The filters of a type's public list: words, a researcher, a research unit."""

    q = forms.CharField(max_length=200, required=False)
    person = forms.SlugField(max_length=150, required=False)
    unit = forms.SlugField(max_length=120, required=False)


@dataclass(frozen=True)
class ListFilter:
    """A public list's filters as given, normalised: the words with their spaces collapsed, a
    researcher's slug, a unit's slug (empty: not given). Two requests with the same filters
    show the same list, so the list's cache is keyed by these."""

    text: str = ""
    person: str = ""
    unit: str = ""

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> ListFilter:
        """The filters of a request's GET; if any does not validate, none is applied."""
        form = ListFilterForm(data)
        if not form.is_valid():
            return cls()
        return cls(
            " ".join(form.cleaned_data["q"].split()),
            form.cleaned_data["person"],
            form.cleaned_data["unit"],
        )

    def data(self) -> dict[str, str]:
        """The filters given, as a query's parameters (for links to other pages of the list)."""
        given = {"q": self.text, "person": self.person, "unit": self.unit}
        return {name: value for name, value in given.items() if value}

    @property
    def cache_key(self) -> str:
        return urlencode(self.data())


@dataclass(frozen=True)
class PublicList:
    """A type's public items as its list page shows them, with the filters that chose them."""

    content_type: ContentType
    form: ListFilterForm
    query: str
    person: Person | None
    unit: OrgUnit | None
    items: QuerySet[Any]

    def context(self) -> dict[str, Any]:
        """What the list template (portal/public/content_list.html) reads, but the page."""
        return {
            "content_type": self.content_type,
            "form": self.form,
            "query": self.query,
            "selected_person": self.person,
            "selected_unit": self.unit,
        }


_registry: dict[str, ContentType] = {}


def register(content_type: ContentType) -> None:
    """Add a type (from its app's `ready()`); registering the same type again changes nothing."""
    if content_type.label not in SEED_MENU[4:]:
        raise ContentTypeError(
            f"{content_type.label!r} is not one of the seed's menu items {SEED_MENU[4:]}."
        )
    for other in _registry.values():
        if other.key != content_type.key and other.label == content_type.label:
            raise ContentTypeError(f"{other.key!r} already shows the menu item {other.label!r}.")
    _registry[content_type.key] = content_type
    _watch(content_type)


def unregister(key: str) -> None:
    """Remove a type (tests use it to show what the portal does without an app)."""
    _registry.pop(key, None)


def registered() -> list[ContentType]:
    """Every registered type, in the seed's menu order."""
    return sorted(_registry.values(), key=lambda content_type: content_type.menu_position)


def get(key: str) -> ContentType | None:
    return _registry.get(key)


def _watch(content_type: ContentType) -> None:
    """Move the profile generation of the persons an item's change shows on, and the type's
    list generation (its public list and the search page).

    Beside the models' own saves and deletions, every action's audit entry for an item of the
    type (`change_recorded`) moves the list: an action may change only the persons of an item,
    which it writes in bulk (no save signal), or its relations.
    """
    from portal import caching
    from portal.signals import change_recorded

    for model, persons_of in content_type.watch:

        def changed(
            sender: type[Model], instance: Model, persons_of: PersonsOf = persons_of, **_: Any
        ) -> None:
            caching.forget_profiles(persons_of(instance))
            caching.forget_content_list(content_type.key)

        uid = f"content-{content_type.key}-{model._meta.label_lower}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-delete")

    def recorded(sender: type[Model], **_: Any) -> None:
        caching.forget_content_list(content_type.key)

    for model in {model for model, _ in content_type.watch}:
        change_recorded.connect(
            recorded,
            sender=model,
            weak=False,
            dispatch_uid=f"content-{content_type.key}-{model._meta.label_lower}-recorded",
        )


@dataclass(frozen=True)
class Section:
    """A type's part of a person, unit or search page: how many, the first few, and where the
    rest are."""

    content_type: ContentType
    count: int
    items: list[Any]
    more_url: str
    # The count stopped at COUNT_CAP: there are more.
    capped: bool = False

    @property
    def noun(self) -> str:
        return self.content_type.singular if self.count == 1 else self.content_type.plural


def sections(
    items_of: Callable[[ContentType], QuerySet[Any]],
    more_query: str,
    *,
    keep_empty: bool = False,
    search: bool = False,
) -> list[Section]:
    """One section per registered type, in menu order: the first SECTION_ITEMS items and the
    count (counted only when there are more than shown, so a short section costs one query
    and its prefetches). `more_query` is the list page's query string for "All ...".
    `search`: the items are a search's, found as `found_in_search` says."""
    found = []
    for content_type in registered():
        if search:
            items, count, capped = found_in_search(items_of(content_type))
        else:
            items = list(items_of(content_type)[: SECTION_ITEMS + 1])
            count, capped = capped_count(items, items_of(content_type))
        if count or keep_empty:
            found.append(
                Section(
                    content_type,
                    count,
                    items[:SECTION_ITEMS],
                    f"{reverse(content_type.list_url)}?{more_query}",
                    capped,
                )
            )
    return found


def capped_count(first: list[Any], items: QuerySet[Any]) -> tuple[int, bool]:
    """How many items there are, given the first SECTION_ITEMS + 1 of them: counted only when
    there are more than a section shows, and then at most COUNT_CAP (True: there are more)."""
    if len(first) <= SECTION_ITEMS:
        return len(first), False
    # Unordered: the count needs no sort, and PostgreSQL may stop at the first COUNT_CAP + 1
    # rows it finds however it finds them.
    count = items.order_by()[: COUNT_CAP + 1].count()
    return min(count, COUNT_CAP), count > COUNT_CAP


def found_in_search(items: QuerySet[Any]) -> tuple[list[Any], int, bool]:
    """The first SECTION_ITEMS of a search's items in their order, how many there are (at most
    COUNT_CAP) and whether there are more: two queries and the first items' prefetches, one
    query when nothing matches.

    The ids that match come first, unordered, at most COUNT_CAP + 1 of them: their number is
    the count. Under the cap the first items are read among those ids. Asked directly for "the
    newest five that match", PostgreSQL may walk the whole date index of 1,000,000 outputs
    expecting a match soon, and a word no index serves (two letters, two Chinese characters)
    that matches nothing then costs 12 s instead of one scan of the table (0.9 s).
    Over the cap the word is common, and the items in order reach five matches quickly.
    """
    ids = list(items.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
    if not ids:
        return [], 0, False
    capped = len(ids) > COUNT_CAP
    chosen = items if capped else items.filter(pk__in=ids)
    return list(chosen[:SECTION_ITEMS]), min(len(ids), COUNT_CAP), capped
