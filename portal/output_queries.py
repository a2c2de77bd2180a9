"""Reads of the research output pages: "My research output", the validation queue, its counts.

Each page costs a constant number of queries; at a million outputs each list starts from an
index: a person's contributions (contributor_person_idx) or one of the queue's partial indexes
(only the outputs waiting for validation), oldest first. A list row is light: the columns the
list shows and at most LISTED_AUTHORS names. Counts are bounded (QUEUE_COUNT_CAP) or read from
the count table the database keeps per unit (portal.queue_counts), so no page counts fifty
thousand rows.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from portal.choices import WorkflowStatus
from portal.models import Contributor, OrgUnit, OutputComment, Person, ResearchOutput
from portal.queries import with_listing_details
from portal.queue_counts import UnitCount, counts_per_unit, unit_count

# Names shown per row of the lists (one more is read to know whether to add "et al.").
LISTED_AUTHORS = 10
# A filtered queue counts at most this many outputs, and pages through them; the Library
# narrows the filters for more (the per-unit counts above the queue are exact).
QUEUE_COUNT_CAP = 1000
# Up to this many waiting outputs in a unit, some of them only listed under it, the unit filter
# reads their ids first rather than walking the queue in date order to meet them.
FEW_IN_UNIT = 1000
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
    unit_waiting: UnitCount | None = None,
    output_type: str = "",
    year: int | None = None,
    submitter: str = "",
    older_than_days: int | None = None,
    changes: bool = False,
) -> QuerySet[ResearchOutput]:
    """Outputs waiting for the Library, oldest submission first; or validated outputs whose
    authors asked for a change.

    "Waiting at least N days" counts whole days: submitted on (today - N days) or before, so a
    page stays the same all day (and may be cached for the day).

    A unit's outputs are those it manages or lists among their units; how they are read is
    chosen from the unit's counts (`unit_waiting`, or read from the count table), which the
    planner cannot know: see _in_unit."""
    if changes:
        outputs = ResearchOutput.objects.filter(
            workflow_status=WorkflowStatus.VALIDATED, change_requested=True
        )
    else:
        outputs = ResearchOutput.objects.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
    if unit is not None:
        if changes:
            outputs = outputs.filter(_in_unit(unit, None))
        else:
            outputs = outputs.filter(_in_unit(unit, unit_waiting or unit_count(unit.pk)))
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


def _in_unit(unit: OrgUnit, count: UnitCount | None) -> Q:
    """The condition "managed by the unit or listing it", in the form its counts say is fastest.

    With nothing waiting in the unit: no query at all (the planner would walk the whole queue
    index in date order to find nothing: 124 ms at 50,000 waiting). When as many wait in the
    unit as it manages, they are the same outputs: the unit's own partial index, in date order,
    at any page. When a few wait that the unit only lists: their ids first, from the unit's
    index and its listings. Otherwise (or without counts, for the change requests) the plain
    condition, which the planner serves by walking the queue index in date order, meeting the
    unit's many outputs often enough to fill a page."""
    listed = ResearchOutput.units.through.objects.filter(orgunit_id=unit.pk)
    plain = Q(managing_unit=unit) | Q(pk__in=listed.values("researchoutput_id"))
    if count is None:
        return plain
    if count.in_unit == 0:
        return Q(pk__in=[])
    if count.in_unit == count.managed:
        return Q(managing_unit=unit)
    if count.in_unit <= FEW_IN_UNIT:
        waiting = ResearchOutput.objects.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
        managed = waiting.filter(managing_unit=unit).order_by().values_list("id", flat=True)
        others = (
            listed.filter(researchoutput__workflow_status=WorkflowStatus.FOR_VALIDATION)
            .order_by()
            .values_list("researchoutput_id", flat=True)
        )
        return Q(pk__in={*managed[:FEW_IN_UNIT], *others[:FEW_IN_UNIT]})
    return plain


def queue_counts_per_unit() -> list[tuple[str, int]]:
    """How many outputs wait for validation per managing unit, largest first: read from the
    count table the database keeps (portal.queue_counts), never recounted for a page."""
    return counts_per_unit()


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
