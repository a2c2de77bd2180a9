"""Reads of the research output pages: "My research output", the validation queue, its counts.

Each page costs a constant number of queries; at a million outputs each list starts from an
index: a person's contributions (contributor_person_idx) or one of the queue's partial indexes
(only the outputs waiting for validation), oldest first. A list row is light: the columns the
list shows and at most LISTED_AUTHORS names. Counts are bounded (QUEUE_COUNT_CAP) or cached
under the queue's generation (portal.caching), so no page counts fifty thousand rows.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from portal.caching import queue_generation
from portal.choices import WorkflowStatus
from portal.models import Contributor, OrgUnit, OutputComment, Person, ResearchOutput
from portal.queries import with_listing_details

# Names shown per row of the lists (one more is read to know whether to add "et al.").
LISTED_AUTHORS = 10
# A filtered queue counts at most this many outputs, and pages through them; the Library
# narrows the filters for more (the per-unit counts above the queue are exact).
QUEUE_COUNT_CAP = 1000
_LIST_FIELDS = (
    "id",
    "title",
    "output_type",
    "publication_year",
    "workflow_status",
    "change_requested",
)


def _list_rows(outputs: QuerySet[ResearchOutput]) -> QuerySet[ResearchOutput]:
    """Only what a list row shows: a few columns and the first authors' names (as
    `listed_authors`, LISTED_AUTHORS + 1 at most), no identifiers or abstracts."""
    authors = Contributor.objects.order_by("position").only(
        "output_id", "position", "given_names", "family_name"
    )
    return outputs.only(*_LIST_FIELDS).prefetch_related(
        Prefetch("contributors", queryset=authors[: LISTED_AUTHORS + 1], to_attr="listed_authors")
    )


class BoundedPaginator(Paginator[ResearchOutput]):
    """A paginator that counts at most `cap` items (or takes a count known already): its last
    page is the cap's, and `capped` says there may be more."""

    def __init__(
        self,
        object_list: QuerySet[ResearchOutput],
        per_page: int,
        *,
        cap: int,
        known_count: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.cap = cap
        self.known_count = known_count

    @cached_property
    def _counted(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return int(self.queryset.order_by()[: self.cap + 1].count())

    @property
    def count(self) -> int:
        """The items listed: all of them, or the first `cap`."""
        return self._counted if self.known_count is not None else min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """Whether more items match than are listed."""
        return self.known_count is None and self._counted > self.cap


def bounded_page(
    objects: QuerySet[ResearchOutput],
    number: str | None,
    per_page: int,
    *,
    known_count: int | None = None,
) -> Page[ResearchOutput]:
    """One page of a list counted at most to QUEUE_COUNT_CAP; a malformed or too-high page
    number gives a real page."""
    paginator = BoundedPaginator(objects, per_page, cap=QUEUE_COUNT_CAP, known_count=known_count)
    return paginator.get_page(number)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of a day in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def my_outputs(
    person: Person, state: str = "", year: int | None = None, output_type: str = ""
) -> QuerySet[ResearchOutput]:
    """The outputs a researcher is an author of (withdrawn ones left out), newest first."""
    authored = Contributor.objects.filter(person=person).values("output_id")
    outputs = ResearchOutput.objects.filter(pk__in=authored).exclude(
        workflow_status=WorkflowStatus.WITHDRAWN
    )
    if state:
        outputs = outputs.filter(workflow_status=state)
    if year is not None:
        outputs = outputs.filter(publication_year=year)
    if output_type:
        outputs = outputs.filter(output_type=output_type)
    return _list_rows(outputs).order_by("-publication_year", "-id")


def validation_queue(
    *,
    today: date,
    unit: OrgUnit | None = None,
    output_type: str = "",
    year: int | None = None,
    submitter: str = "",
    older_than_days: int | None = None,
    changes: bool = False,
) -> QuerySet[ResearchOutput]:
    """Outputs waiting for the Library, oldest submission first; or validated outputs whose
    authors asked for a change.

    "Waiting at least N days" counts whole days: submitted on (today - N days) or before, so a
    page stays the same all day (and may be cached for the day)."""
    if changes:
        outputs = ResearchOutput.objects.filter(
            workflow_status=WorkflowStatus.VALIDATED, change_requested=True
        )
    else:
        outputs = ResearchOutput.objects.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
    if unit is not None:
        outputs = outputs.filter(
            Q(managing_unit=unit)
            | Q(
                pk__in=ResearchOutput.units.through.objects.filter(orgunit_id=unit.pk).values(
                    "researchoutput_id"
                )
            )
        )
    if output_type:
        outputs = outputs.filter(output_type=output_type)
    if year is not None:
        outputs = outputs.filter(publication_year=year)
    if submitter:
        # The few accounts of that name first (no join over the waiting outputs), then the
        # queue's submitter index.
        accounts = User.objects.filter(username__iexact=submitter.strip()).values("pk")
        outputs = outputs.filter(submitted_by__in=accounts)
    if older_than_days:
        outputs = outputs.filter(
            submitted_at__lt=start_of_day(today - timedelta(days=older_than_days - 1))
        )
    return (
        _list_rows(outputs)
        .select_related("managing_unit", "submitted_by")
        .only(*_LIST_FIELDS, "submitted_at", "managing_unit__name", "submitted_by__username")
        .order_by("submitted_at", "id")
    )


def queue_counts_per_unit() -> list[tuple[str, int]]:
    """How many outputs wait for validation per managing unit, largest first.

    Kept in the cache until the queue's generation moves (any output, contributor or unit
    saved or deleted: portal.caching), so the console and the queue count the waiting outputs
    once per change, not once per page."""
    key = f"validation-queue-counts:{queue_generation()}"
    cached = cache.get(key)
    if isinstance(cached, list):
        return [(str(name), int(n)) for name, n in cached]
    counts = _count_queue_per_unit()
    cache.set(key, counts, 24 * 3600)
    return counts


def _count_queue_per_unit() -> list[tuple[str, int]]:
    """Grouped by the unit's id alone (the queue's partial index holds it), names added from
    the few units afterwards: no join over the waiting outputs."""
    rows = (
        ResearchOutput.objects.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
        .order_by()
        .values_list("managing_unit_id")
        .annotate(count=Count("id"))
    )
    counts = dict(rows)
    # Units are few (hundreds): one query for all names keeps the page's query count constant.
    names = dict(OrgUnit.objects.values_list("pk", "name"))
    named = [
        (names.get(pk, "No managing unit") if pk else "No managing unit", n)
        for pk, n in counts.items()
    ]
    return sorted(named, key=lambda item: (-item[1], item[0]))


def backend_output(pk: int) -> ResearchOutput:
    """One output with all its backend page shows (raises DoesNotExist)."""
    return (
        with_listing_details(ResearchOutput.objects.all())
        .select_related("managing_unit", "submitted_by", "merged_into")
        .prefetch_related(
            "units",
            Prefetch("comments", queryset=OutputComment.objects.order_by("created_at", "id")),
        )
        .get(pk=pk)
    )
