"""Library console → "For validation": the queue (filters, oldest first, bulk "Validate"), and
the Library's decisions on one output: "Validate", "Return to researcher" with a comment, merge
a duplicate into the output that stays."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from portal.actions import do_merge_outputs, do_return_output, do_validate_output
from portal.actions.outputs import do_validate_outputs
from portal.caching import queue_generation
from portal.choices import WorkflowStatus
from portal.errors import PortalError
from portal.models import ResearchOutput
from portal.output_forms import ReturnForm, ValidationFilterForm
from portal.output_queries import bounded_page, queue_counts_per_unit, validation_queue
from portal.queue_counts import unit_count
from portal.views.library import library_only

QUEUE_PAGE_SIZE = 50
MAX_BULK = 200


@library_only
def queue(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _bulk_validate(request)
    form = ValidationFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    changes = filters.get("queue") == "changes"
    unit = filters.get("unit")
    narrowed = [name for name in ("type", "year", "submitter", "older_than") if filters.get(name)]
    counts = SimpleLazyObject(queue_counts_per_unit)

    def page() -> Page[ResearchOutput]:
        # The whole queue's size is the sum of the counts per unit, a unit's the count table's;
        # other filters are counted up to a cap. A unit with nothing waiting is not read at all.
        known: int | None = None
        in_unit = unit_count(unit.pk) if unit is not None and not changes else None
        if not changes and unit is None and not narrowed:
            known = sum(n for _, n in counts)
        elif in_unit is not None and not narrowed:
            known = in_unit.in_unit
        outputs = validation_queue(
            today=today,
            unit=unit,
            unit_waiting=in_unit,
            output_type=filters.get("type", ""),
            year=filters.get("year"),
            submitter=filters.get("submitter", ""),
            older_than_days=filters.get("older_than"),
            changes=changes,
        )
        return bounded_page(outputs, request.GET.get("page"), QUEUE_PAGE_SIZE, known_count=known)

    # Built only when the page is not in the cache (the template's {% cache %} block, keyed by
    # the queue's generation, the day and the query).
    return render(
        request,
        "portal/library/validation.html",
        {
            "form": form,
            "page": SimpleLazyObject(page),
            "counts": counts,
            "changes": changes,
            "today": today,
            "cache_version": queue_generation(),
            "cache_query": request.GET.urlencode(),
        },
    )


def _bulk_validate(request: HttpRequest) -> HttpResponse:
    chosen = [int(raw) for raw in request.POST.getlist("selected")[:MAX_BULK] if raw.isdigit()]
    back = reverse("portal:validation-queue") + "?" + request.POST.get("query", "")[:500]
    if not chosen:
        messages.error(request, "Tick the outputs to validate first.")
        return redirect(back)
    # By managing unit: every bulk validation takes the units' count rows (portal.queue_counts)
    # in the same order, so two of them cannot deadlock on them.
    outputs = list(ResearchOutput.objects.filter(pk__in=chosen).order_by("managing_unit_id", "pk"))
    try:
        do_validate_outputs(outputs, acting_user=request.user)
    except PortalError as error:
        messages.error(request, f"Nothing was validated: {error}")
    else:
        messages.success(
            request, f"Validated {len(outputs)} research output{'s' if len(outputs) != 1 else ''}."
        )
    return redirect(back)


@library_only
@require_POST
def validate(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(ResearchOutput, pk=pk)
    try:
        do_validate_output(output, acting_user=request.user)
    except PortalError as error:
        messages.error(request, str(error))
        return redirect("portal:my-output-detail", pk=pk)
    messages.success(request, f"Validated: “{output.title}”.")
    return redirect("portal:validation-queue")


@library_only
@require_POST
def return_to_researcher(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(ResearchOutput, pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(item) for item in form.errors["comment"]))
        return redirect("portal:my-output-detail", pk=pk)
    try:
        do_return_output(output, form.cleaned_data["comment"], acting_user=request.user)
    except (PortalError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("portal:my-output-detail", pk=pk)
    messages.success(request, f"Returned to the researcher: “{output.title}”.")
    return redirect("portal:validation-queue")


@library_only
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the output at `duplicate` (posted) into the output at pk, which stays."""
    survivor = get_object_or_404(ResearchOutput, pk=pk)
    raw = request.POST.get("duplicate", "")
    duplicate = get_object_or_404(
        ResearchOutput.objects.exclude(workflow_status=WorkflowStatus.WITHDRAWN),
        pk=int(raw) if raw.isdigit() else 0,
    )
    try:
        do_merge_outputs(survivor, duplicate, acting_user=request.user)
    except PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Research output {duplicate.pk} is merged into this one; its address now leads here.",
        )
    return redirect("portal:my-output-detail", pk=pk)
