"""The Library's exercise report, and a researcher's "Check again"."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from exercise import status
from exercise.forms import ReportFilterForm
from exercise.models import Part2State
from jobs.runs import JobUnderWayError, enqueue
from portal.choices import PersonStatus
from portal.models import Person
from portal.queries import person_of, unit_and_descendant_ids
from portal.views.library import library_only
from portal.views.public import paged

PER_PAGE = 50
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


def _download(persons: QuerySet[Person], file_format: str) -> HttpResponse:
    table = tablib.Dataset(headers=EXPORT_COLUMNS, title="ORCID exercise")
    for person in persons:
        row = getattr(person, "exercise", None)
        units = "; ".join(p.org_unit.name for p in person.positions.all())
        table.append(
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
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[file_format]
    response = HttpResponse(table.export(file_format), content_type=content_type)
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
    return render(
        request,
        "exercise/report.html",
        {
            "form": form,
            "page": paged(request, persons, PER_PAGE),
            "totals": totals,
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
