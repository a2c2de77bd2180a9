"""The exercise's pages: the Library's report and campaigns, the researcher's overview
answers ("Check again", "Is this you?"), the user guide and the opt-out link."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exercise import progress, spreadsheet, status
from exercise.actions import (
    CampaignDraft,
    do_accept_scopus_suggestion,
    do_create_campaign,
    do_dismiss_scopus_suggestion,
    do_end_campaign,
    do_opt_out_of_exercise_mail,
    do_record_discovery,
)
from exercise.campaigns import person_from_opt_out_token, selection
from exercise.choices import Progress, SuggestionState
from exercise.discovery import discover
from exercise.forms import CampaignForm, ReportFilterForm
from exercise.models import Campaign, ExerciseStatus, Part2State, ScopusIdSuggestion
from jobs.runs import JobUnderWayError, enqueue
from portal.choices import PersonStatus
from portal.errors import PortalError
from portal.models import Person
from portal.queries import person_of, unit_and_descendant_ids
from portal.views.library import library_only
from portal.views.public import paged
from scopus_connector.client import ScopusError, ScopusSession

PER_PAGE = 50
PROBLEMS_SHOWN = 200
EXPORT_COLUMNS = [
    "EID",
    "Name",
    "Unit",
    "Part 1",
    "ORCID iD",
    "Part 2",
    "Scopus Author ID",
    "ORCID lists Scopus ID",
    "Scopus shows ORCID iD",
    "Next step",
    "Checked",
]


def _filtered(form: ReportFilterForm) -> QuerySet[Person]:
    persons = (
        Person.objects.filter(status=PersonStatus.CURRENT)
        .select_related("exercise")
        .prefetch_related("positions__org_unit")
        .order_by("family_name", "given_names", "pk")
    )
    if not form.is_valid():
        return persons
    data = form.cleaned_data
    if data["unit"]:
        persons = persons.filter(
            positions__org_unit_id__in=unit_and_descendant_ids(data["unit"])
        ).distinct()
    if data["part1"] == "done":
        persons = persons.filter(exercise__part1_complete=True)
    elif data["part1"] == "todo":
        persons = persons.filter(Q(exercise__part1_complete=False) | Q(exercise__isnull=True))
    if data["part2"] == "unchecked":
        persons = persons.filter(exercise__isnull=True)
    elif data["part2"]:
        persons = persons.filter(exercise__part2_state=data["part2"])
    return persons


# Where a spreadsheet may start a cell: the value's start, and after any separator a CSV reader
# may split on (a comma; a semicolon, as Excel does in many European locales; a tab, a pipe, a
# line break), spaces allowed before the formula's first character.
_CELL_START_FORMULA = re.compile(r"(\A|[,;\t|\r\n])( *)([=+\-@])")


def _cell(value: str) -> str:
    """A text cell spreadsheets will not run as a formula (a name like "=HYPERLINK(…)"), nor any
    part of it that a reader splitting on ";" or another separator would make a cell."""
    guarded = _CELL_START_FORMULA.sub(r"\1\2'\3", value)
    return f"'{guarded}" if guarded[:1] in ("\t", "\r") else guarded


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not checked"}[value]


def _export_rows(persons: QuerySet[Person]) -> list[list[str]]:
    rows = []
    for person in persons:
        row = getattr(person, "exercise", None)
        units = "; ".join(p.org_unit.name for p in person.positions.all())
        rows.append(
            [
                _cell(person.staff_id),
                _cell(person.display_name),
                _cell(units),
                "complete" if row and row.part1_complete else "not yet",
                row.orcid if row else "",
                row.get_part2_state_display() if row else "never checked",
                row.scopus_author_id if row else "",
                _yes_no(row.orcid_lists_scopus_id) if row else "not checked",
                _yes_no(row.scopus_shows_orcid) if row else "not checked",
                _cell(row.next_step) if row else "",
                row.checked_at.isoformat(timespec="minutes") if row else "",
            ]
        )
    return rows


def _download(persons: QuerySet[Person], file_format: str) -> HttpResponse:
    rows = _export_rows(persons)
    if file_format == "xlsx":
        # The researchers, and the same figures as the page's chart with a chart sheet.
        content = spreadsheet.workbook(EXPORT_COLUMNS, rows, progress.by_unit())
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = tablib.Dataset(*rows, headers=EXPORT_COLUMNS).export("csv")
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="orcid-exercise-{stamp}.{file_format}"'
    return response


@library_only
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    persons = _filtered(form)
    if form.is_valid() and form.cleaned_data["format"]:
        return _download(persons, form.cleaned_data["format"])
    everyone = Person.objects.filter(status=PersonStatus.CURRENT)
    totals = {
        "persons": everyone.count(),
        "part1": everyone.filter(exercise__part1_complete=True).count(),
        "part2": everyone.filter(exercise__part2_state=Part2State.COMPLETE).count(),
        "part2_applicable": everyone.filter(exercise__isnull=False)
        .exclude(exercise__part2_state=Part2State.NOT_APPLICABLE)
        .count(),
        "unchecked": everyone.filter(exercise__isnull=True).count(),
    }
    units = progress.by_unit()
    days = progress.over_time()
    problems = (
        ExerciseStatus.objects.exclude(problem="")
        .filter(person__status=PersonStatus.CURRENT)
        .select_related("person")
        .order_by("problem", "person__family_name", "pk")[:PROBLEMS_SHOWN]
    )
    return render(
        request,
        "exercise/report.html",
        {
            "form": form,
            "page": paged(request, persons, PER_PAGE),
            "totals": totals,
            "units": units,
            "days": days,
            "progress_labels": Progress.labels,
            "chart_data": progress.chart_data(units, days),
            "problems": problems,
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


@library_only
@require_POST
def refresh_all(request: HttpRequest) -> HttpResponse:
    """The Library's "Check everyone now" (the same routine the nightly command runs)."""
    # Checking everyone waits on ORCID and Scopus for each researcher: a job for the worker,
    # not a web request.
    try:
        enqueue("exercise-refresh")
    except JobUnderWayError as refusal:
        messages.info(request, f"A check of everyone is already under way. {refusal}")
    else:
        messages.success(
            request, "Checking everyone has started; see Background jobs for when it is done."
        )
    return redirect("exercise:report")


@login_required
@require_POST
def check_mine(request: HttpRequest) -> HttpResponse:
    """A researcher's "Check again" after finishing a step."""
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Only a researcher has an exercise status.")
    result = status.assess(person)
    if result.part1_complete and result.part2_state in (
        Part2State.COMPLETE,
        Part2State.NOT_APPLICABLE,
    ):
        messages.success(request, "Your ORCID Creation and Integration Exercise is complete.")
    else:
        messages.info(request, result.next_step or "Checked.")
    return redirect("portal:backend-home")


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    """The exercise's user guide, in the seed's words, with links that work in this portal."""
    person = person_of(request.user) if request.user.is_authenticated else None
    # Scopus's classic author-search address (st1 surname, st2 given names); the sandbox
    # answers it too.
    search = f"{settings.SCOPUS_WEB_URL.rstrip('/')}/results/authorNamesList.uri"
    if person is not None:
        search += "?" + urlencode({"st1": person.family_name, "st2": person.given_names})
    return render(
        request,
        "exercise/guide.html",
        {"person": person, "site_name": settings.PORTAL_SITE_NAME, "scopus_author_search": search},
    )


@login_required
@require_safe
def back_from_scopus(request: HttpRequest) -> HttpResponse:
    """Where the guide's return link leads after Scopus's "Return to ORCID": Part 2 is checked
    again at once (a fresh read of ORCID and Scopus, nothing of the researcher's changes)."""
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Only a researcher has an exercise status.")
    result = status.assess(person)
    status.record_daily_progress()
    if result.part2_state == Part2State.COMPLETE:
        messages.success(request, "Part 2 is complete: ORCID and Scopus show each other.")
    else:
        messages.info(request, result.next_step or "Checked.")
    return redirect("portal:backend-home")


@login_required
@require_POST
def discover_mine(request: HttpRequest) -> HttpResponse:
    """ "Look for my Scopus Author ID": the seed's step (1), answered from the researcher's
    validated outputs."""
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Only a researcher has an exercise status.")
    try:
        with ScopusSession.from_settings() as scopus:
            found = discover(person, scopus=scopus)
    except ScopusError as error:
        messages.error(request, f"Scopus could not be asked; try again later. ({error})")
        return redirect("portal:backend-home")
    suggestions = do_record_discovery(person, found, acting_user=request.user)
    open_ones = [s for s in suggestions if s.state == SuggestionState.OPEN]
    if not found.found:
        messages.info(
            request,
            f"None of your {found.looked_up} validated outputs with a DOI or EID is in Scopus: "
            "you have no Scopus Author ID yet; nothing to do for Part 2.",
        )
    elif not open_ones:
        messages.info(request, "No Scopus Author ID to suggest beyond what you answered before.")
    else:
        messages.success(request, "See below which Scopus author profile holds your outputs.")
    status.update_part1(person)
    return redirect("portal:backend-home")


@login_required
@require_POST
def answer_suggestion(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    """ "Is this you?" → "Yes, add it" or "Not me"."""
    if answer not in ("accept", "dismiss"):
        raise Http404("Answer accept or dismiss.")
    person = person_of(request.user)
    suggestion = get_object_or_404(ScopusIdSuggestion, pk=pk)
    if person is None or suggestion.person_id != person.pk:
        raise Http404("No such suggestion for you.")
    try:
        if answer == "accept":
            do_accept_scopus_suggestion(suggestion, acting_user=request.user)
            messages.success(
                request,
                f"Scopus Author ID {suggestion.author_id} is on your profile; the Library will "
                "verify it.",
            )
        else:
            do_dismiss_scopus_suggestion(suggestion, acting_user=request.user)
            messages.info(request, f"{suggestion.author_id} will not be suggested again.")
    except PortalError as error:
        messages.error(request, str(error))
    return redirect("portal:backend-home")


@library_only
@require_http_methods(["GET", "HEAD", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    """The Library's campaigns, and a new one."""
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = do_create_campaign(
            CampaignDraft(
                name=data["name"],
                deadline=data["deadline"],
                subject=data["subject"],
                body=data["body"],
                unit=data["unit"],
                role=data["role"],
                reminder_every_days=data["reminder_every_days"],
                max_reminders=data["max_reminders"],
            ),
            acting_user=request.user,
        )
        _queue_sending(request)
        return redirect("exercise:campaign", pk=campaign.pk)
    return render(
        request,
        "exercise/campaigns.html",
        {"form": form, "campaigns": Campaign.objects.select_related("unit")[:100]},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _queue_sending(request: HttpRequest) -> None:
    try:
        enqueue("exercise-reminders")
    except JobUnderWayError as refusal:
        messages.info(request, f"Messages are being sent already. {refusal}")
    else:
        messages.success(
            request, "The due invitations and reminders are being sent; see the log below."
        )


@library_only
@require_http_methods(["GET", "HEAD", "POST"])
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """One campaign: who it is for, every message sent, "Send due messages now", "End"."""
    chosen = get_object_or_404(Campaign.objects.select_related("unit"), pk=pk)
    if request.method == "POST":
        if request.POST.get("action") == "end":
            do_end_campaign(chosen, acting_user=request.user)
            messages.info(request, "The campaign is ended: no more reminders.")
        else:
            _queue_sending(request)
        return redirect("exercise:campaign", pk=chosen.pk)
    log = chosen.messages.select_related("person").order_by("-claimed_at", "-pk")
    return render(
        request,
        "exercise/campaign.html",
        {
            "campaign": chosen,
            "waiting": selection(chosen).count(),
            "page": paged(request, log, PER_PAGE),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of every exercise message: no more exercise mail."""
    person = person_from_opt_out_token(token)
    if person is None:
        return render(request, "exercise/opt_out.html", {"invalid": True}, status=404)
    if request.method == "POST":
        do_opt_out_of_exercise_mail(person, acting_user=None)
        return render(request, "exercise/opt_out.html", {"done": True, "person": person})
    return render(request, "exercise/opt_out.html", {"person": person})
