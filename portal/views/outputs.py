"""The researcher's research output pages: "My research output", "Add research output" by type,
an output's backend page with its state and the Library's comments, edit, and the workflow
buttons ("Save", "Submit for validation", withdraw, request a change).

Saving runs the duplicate check first: a possible duplicate is shown side by side with what was
typed, with "Add me as an author of that output" and "Not a duplicate"; nothing typed is lost.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST

from portal.actions import (
    do_add_author,
    do_create_output,
    do_mark_not_duplicate,
    do_request_output_change,
    do_submit_output_for_validation,
    do_update_output,
    do_withdraw_output,
)
from portal.actions.outputs import can_change_fields, can_edit_output, is_author
from portal.caching import profile_generation
from portal.choices import WorkflowStatus
from portal.duplicates import Candidate, DuplicateMatch, candidate_of, find_duplicates
from portal.errors import DuplicateIdentifierError, PortalError
from portal.importers.service import (
    MAX_FILE_BYTES,
    PREVIEW_LIMIT,
    ImportFileError,
    confirmed_not_duplicates,
    import_rows,
    parse,
    preview,
    read_upload,
)
from portal.importers.tasks import import_batch_task
from portal.models import ImportBatch, Person, ResearchOutput
from portal.output_forms import (
    TEMPLATE_OF,
    TEMPLATES,
    ChangeRequestForm,
    ContributorFormSet,
    MyOutputFilterForm,
    OutputForm,
    OutputTemplate,
    ReturnForm,
    contributor_initial,
    template_for,
)
from portal.output_queries import backend_output, my_outputs
from portal.panels import render_panels
from portal.permissions import is_library_staff
from portal.queries import person_of
from portal.views.public import paged

CONTRIBUTOR_PREFIX = "contributors"
MORE_ROWS = 3


def _person_or_refuse(request: HttpRequest) -> Person | None:
    """The researcher's profile; the Library may work without one."""
    person = person_of(request.user)
    if person is None and not is_library_staff(request.user):
        raise PermissionDenied(
            "Your account has no researcher profile; please contact the Library."
        )
    return person


@login_required
def my_research_output(request: HttpRequest) -> HttpResponse:
    person = _person_or_refuse(request)
    form = MyOutputFilterForm(request.GET)
    state, year, output_type = "", None, ""
    if form.is_valid():
        state = form.cleaned_data["state"]
        year = form.cleaned_data["year"]
        output_type = form.cleaned_data["type"]
    outputs = (
        my_outputs(person, state, year, output_type) if person else ResearchOutput.objects.none()
    )
    return render(
        request,
        "portal/outputs/my_outputs.html",
        {
            "person": person,
            "form": form,
            # Counted and read only when the list is not in the cache: the template's
            # {% cache %} block is keyed by the researcher's generation (portal.caching), which
            # every change to their outputs, their authorships or a co-author's name moves.
            "page": SimpleLazyObject(
                lambda: paged(request, outputs, settings.PORTAL_OUTPUTS_PER_PAGE)
            ),
            "cache_version": profile_generation(person.pk) if person else None,
            "cache_query": request.GET.urlencode(),
            # "Import from Scopus" / "Import from ORCID" live in the connectors (the portal may
            # not import them); they add their links as panels of this page.
            "panels": render_panels("my-outputs", request, person),
        },
    )


@login_required
def choose_type(request: HttpRequest) -> HttpResponse:
    _person_or_refuse(request)
    return render(request, "portal/outputs/choose_type.html", {"templates": TEMPLATES})


def _contributor_formset(request: HttpRequest, initial: list[dict[str, Any]]) -> Any:
    if request.method != "POST":
        return ContributorFormSet(prefix=CONTRIBUTOR_PREFIX, initial=initial)
    if request.POST.get("action") != "more_authors":
        return ContributorFormSet(request.POST, prefix=CONTRIBUTOR_PREFIX)
    # "Add more authors" without JavaScript: the same rows, and a few empty ones below.
    data = request.POST.copy()
    key = f"{CONTRIBUTOR_PREFIX}-TOTAL_FORMS"
    total = data.get(key) or "0"
    data[key] = str(min(int(total) if total.isdigit() else 0, 490) + MORE_ROWS)
    return ContributorFormSet(data, prefix=CONTRIBUTOR_PREFIX)


def _confirmed_not_duplicates(request: HttpRequest) -> set[int]:
    return {int(raw) for raw in request.POST.getlist("not_duplicate")[:20] if raw.isdigit()}


def _candidate(form: OutputForm, formset: Any) -> Candidate:
    entries = formset.entries()
    return Candidate(
        title=form.cleaned_data.get("title", ""),
        year=form.cleaned_data.get("publication_year"),
        first_author=entries[0].family_name if entries else "",
        output_type=form.template.output_type.value,
        identifiers=form.output_identifiers(),
    )


def _apply_errors(error: Exception, form: OutputForm, problems: list[str]) -> None:
    """An action's refusal shown next to the field at fault, or above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            if name in form.fields:
                for message in messages_:
                    form.add_error(name, message)
            else:
                problems.extend(messages_)
    elif isinstance(error, ValidationError):
        problems.extend(error.messages)
    else:
        problems.append(str(error))


def _render_form(
    request: HttpRequest,
    *,
    form: OutputForm,
    formset: Any,
    output: ResearchOutput | None,
    duplicates: list[DuplicateMatch] = (),  # type: ignore[assignment]
    problems: list[str] = (),  # type: ignore[assignment]
    status: int = 200,
) -> HttpResponse:
    library = is_library_staff(request.user)
    return render(
        request,
        "portal/outputs/edit.html",
        {
            "form": form,
            "formset": formset,
            "output": output,
            "template": form.template,
            "duplicates": duplicates,
            "confirmed": sorted(_confirmed_not_duplicates(request)),
            "problems": problems,
            "library": library,
            "return_form": ReturnForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_output(request: HttpRequest, output_type: str) -> HttpResponse:
    person = _person_or_refuse(request)
    template = TEMPLATE_OF.get(output_type)
    if template is None:
        raise Http404("No such research output type.")
    form = OutputForm(request.POST or None, template=template)
    formset = _contributor_formset(request, contributor_initial(None, person))
    if request.method == "GET" or request.POST.get("action") == "more_authors":
        return _render_form(request, form=form, formset=formset, output=None)
    return _save(request, template, form, formset, output=None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_output(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(ResearchOutput, pk=pk)
    if output.merged_into_id:
        return redirect("portal:my-output-edit", pk=output.merged_into_id)
    if not can_change_fields(request.user, output):
        if can_edit_output(request.user, output):
            messages.info(
                request,
                "This output has been validated: only the Library can change it now. "
                "Use 'Request a change' to tell them what to correct.",
            )
            return redirect("portal:my-output-detail", pk=pk)
        raise PermissionDenied("You can only change outputs you are an author of.")
    template = template_for(output.output_type)
    form = OutputForm(request.POST or None, instance=output, template=template)
    formset = _contributor_formset(request, contributor_initial(output, None))
    if request.method == "GET" or request.POST.get("action") == "more_authors":
        return _render_form(request, form=form, formset=formset, output=output)
    return _save(request, template, form, formset, output=output)


def _save(
    request: HttpRequest,
    template: OutputTemplate,
    form: OutputForm,
    formset: Any,
    output: ResearchOutput | None,
) -> HttpResponse:
    """Check, look for duplicates, then write through the actions in one transaction."""
    action = request.POST.get("action", "save")
    if not (form.is_valid() & formset.is_valid()):
        return _render_form(request, form=form, formset=formset, output=output)
    confirmed = _confirmed_not_duplicates(request)
    matches = find_duplicates(_candidate(form, formset), exclude=output, ignore=confirmed)
    if matches:
        return _render_form(request, form=form, formset=formset, output=output, duplicates=matches)
    problems: list[str] = []
    try:
        with transaction.atomic():
            fields = form.output_fields()
            units = list(form.cleaned_data.get("units") or [])
            if output is None:
                saved = do_create_output(
                    fields,
                    formset.entries(),
                    form.output_identifiers(),
                    acting_user=request.user,
                    units=units,
                )
            else:
                do_update_output(
                    output,
                    fields,
                    formset.entries(),
                    form.output_identifiers(),
                    acting_user=request.user,
                    units=units,
                )
                saved = output
            for other in ResearchOutput.objects.filter(pk__in=confirmed):
                do_mark_not_duplicate(saved, other, acting_user=request.user)
            if action == "submit":
                do_submit_output_for_validation(saved, acting_user=request.user)
    except (PortalError, ValidationError) as error:
        _apply_errors(error, form, problems)
        return _render_form(request, form=form, formset=formset, output=output, problems=problems)
    if action == "submit":
        messages.success(request, "Saved and submitted for validation: the Library will check it.")
    else:
        messages.success(request, "Saved (Entry in progress). Submit it for validation when ready.")
    return redirect("portal:my-output-detail", pk=saved.pk)


@login_required
def output_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        output = backend_output(pk)
    except ResearchOutput.DoesNotExist as error:
        raise Http404("No such research output.") from error
    if output.merged_into_id:
        return redirect("portal:my-output-detail", pk=output.merged_into_id)
    if not can_edit_output(request.user, output):
        raise PermissionDenied("You can only see the backend page of outputs you are an author of.")
    library = is_library_staff(request.user)
    duplicates = []
    if library and output.workflow_status != WorkflowStatus.WITHDRAWN:
        duplicates = find_duplicates(candidate_of(output), exclude=output)
    return render(
        request,
        "portal/outputs/detail.html",
        {
            "output": output,
            "library": library,
            "author": is_author(request.user, output),
            "can_change": can_change_fields(request.user, output),
            "change_form": ChangeRequestForm(),
            "return_form": ReturnForm(),
            "duplicates": duplicates,
            "identifiers": list(output.identifiers.all()),
        },
    )


@login_required
@require_POST
def submit_output(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(ResearchOutput, pk=pk)
    try:
        do_submit_output_for_validation(output, acting_user=request.user)
    except PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Submitted for validation: the Library will check it.")
    return redirect("portal:my-output-detail", pk=pk)


@login_required
@require_POST
def withdraw_output(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(ResearchOutput, pk=pk)
    try:
        do_withdraw_output(output, acting_user=request.user)
    except PortalError as error:
        messages.error(request, str(error))
        return redirect("portal:my-output-detail", pk=pk)
    messages.success(request, f"“{output.title}” is withdrawn.")
    return redirect("portal:my-outputs")


@login_required
@require_POST
def request_change(request: HttpRequest, pk: int) -> HttpResponse:
    output = get_object_or_404(ResearchOutput, pk=pk)
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(item) for item in form.errors["comment"]))
        return redirect("portal:my-output-detail", pk=pk)
    try:
        do_request_output_change(output, form.cleaned_data["comment"], acting_user=request.user)
    except (PortalError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Your request has been sent to the Library.")
    return redirect("portal:my-output-detail", pk=pk)


@login_required
@require_POST
def add_me_as_author(request: HttpRequest, pk: int) -> HttpResponse:
    """'Add me as an author of that output': the held output gains the researcher instead of
    a second record being entered."""
    output = get_object_or_404(ResearchOutput, pk=pk)
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Your account has no researcher profile.")
    try:
        do_add_author(output, person, acting_user=request.user)
    except DuplicateIdentifierError:
        messages.info(request, "You are already an author of that output.")
    except PortalError as error:
        messages.error(request, str(error))
        return redirect("portal:my-outputs")
    else:
        messages.success(request, f"You are now an author of “{output.title}”.")
    return redirect("portal:my-output-detail", pk=pk)


class ImportUploadForm(forms.Form):
    """A BibTeX or RIS file to import."""

    file = forms.FileField(label="BibTeX (.bib) or RIS (.ris) file")


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    person = _person_or_refuse(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text, file_format = read_upload(upload.name, upload.read(MAX_FILE_BYTES + 1))
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            entries = parse(text, file_format)
            if not entries:
                form.add_error("file", "The file holds no entries.")
            else:
                large = len(entries) > PREVIEW_LIMIT
                batch = ImportBatch.objects.create(
                    owner=cast(User, request.user),  # login_required: never anonymous
                    person=person,
                    file_name=upload.name[:255],
                    file_format=file_format,
                    content=text,
                    total=len(entries),
                    state=ImportBatch.State.QUEUED if large else ImportBatch.State.PREVIEW,
                )
                if large:
                    pk = batch.pk
                    transaction.on_commit(lambda: import_batch_task.enqueue(pk))
                return redirect("portal:output-import-batch", pk=batch.pk)
    return render(
        request,
        "portal/outputs/import.html",
        {"form": form, "preview_limit": PREVIEW_LIMIT},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk, owner=request.user)
    if batch.state == ImportBatch.State.PREVIEW:
        rows = preview(parse(batch.content, batch.file_format))
        if request.method == "POST":
            with transaction.atomic():
                locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
                if locked.state != ImportBatch.State.PREVIEW:
                    return redirect("portal:output-import-batch", pk=pk)
                locked.state = ImportBatch.State.RUNNING
                locked.save(update_fields=["state"])
            try:
                imported, refused, duplicates = import_rows(
                    rows,
                    person=batch.person,
                    acting_user=request.user,
                    not_duplicates=confirmed_not_duplicates(request.POST.getlist("not_duplicate")),
                )
            except Exception:
                # Each entry is its own transaction: say which state the batch was left in.
                ImportBatch.objects.filter(pk=pk).update(
                    state=ImportBatch.State.FAILED,
                    outcome="The import stopped on an unexpected error; the entries imported "
                    "before it are in My research output.",
                    finished_at=timezone.now(),
                )
                raise
            batch.state = ImportBatch.State.DONE
            batch.processed = len(rows)
            batch.imported = len(imported)
            batch.refused = refused
            batch.duplicates = duplicates
            batch.outcome = (
                f"{len(imported):,} imported, {len(refused):,} refused, "
                f"{len(duplicates):,} possible duplicates skipped"
            )
            batch.finished_at = timezone.now()
            batch.save()
            messages.success(request, batch.outcome)
            return redirect("portal:output-import-batch", pk=pk)
        return render(request, "portal/outputs/import_preview.html", {"batch": batch, "rows": rows})
    return render(request, "portal/outputs/import_batch.html", {"batch": batch})
