"""Reads of the research output pages: "My research output", the validation queue, its counts.

Each page costs a constant number of queries; at a million outputs each list starts from an
index: a person's contributions (contributor_person_idx) or the queue's (workflow_status,
submitted_at) index, oldest first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from portal.choices import WorkflowStatus
from portal.models import Contributor, OrgUnit, OutputComment, Person, ResearchOutput
from portal.queries import with_listing_details


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
    return with_listing_details(outputs).order_by("-publication_year", "-id")


def validation_queue(
    *,
    now: datetime,
    unit: OrgUnit | None = None,
    output_type: str = "",
    year: int | None = None,
    submitter: str = "",
    older_than_days: int | None = None,
    changes: bool = False,
) -> QuerySet[ResearchOutput]:
    """Outputs waiting for the Library, oldest submission first; or validated outputs whose
    authors asked for a change."""
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
        outputs = outputs.filter(submitted_by__username__iexact=submitter.strip())
    if older_than_days:
        outputs = outputs.filter(submitted_at__lte=now - timedelta(days=older_than_days))
    return (
        with_listing_details(outputs)
        .select_related("managing_unit", "submitted_by")
        .order_by("submitted_at", "id")
    )


def queue_counts_per_unit() -> list[tuple[str, int]]:
    """How many outputs wait for validation per managing unit, largest first.

    Grouped by the unit's id alone (the queue's partial index holds it), names added from the
    few units afterwards: no join over the waiting outputs."""
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
