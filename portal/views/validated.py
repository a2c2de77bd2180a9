"""Pages of the content the Library validates besides research outputs (projects, datasets,
student theses).

One set of views for every `ValidatedKind`; each app's URLconf is `urls_for(kind)`:
`/<path>/` and `/<path>/<pk>/` are public, `/backend/<path>/…` the researcher's ("Save",
"Submit for validation", "Request a change", "Withdraw"), `/library/<path>/…` the Library's
queue ("Validate", bulk "Validate", "Return to researcher" with a comment).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from portal.actions.validated import (
    PersonEntry,
    do_create_validated_item,
    do_return_item,
    do_update_validated_item,
    do_validate_item,
    do_validate_items,
)
from portal.actions.workflow import (
    can_change_fields,
    can_edit,
    do_request_change,
    do_submit_for_validation,
    do_withdraw,
    is_library,
)
from portal.errors import PortalError
from portal.models import Person
from portal.models.validated import ValidatedItem
from portal.queries import person_of
from portal.validated import ValidatedKind
from portal.validated_forms import CommentForm, ValidatedItemForm
from portal.views.library import library_only
from portal.views.public import paged
from portal.views.search import content_list

ITEMS_PER_PAGE = 20
QUEUE_PAGE_SIZE = 50
MAX_BULK = 200


def _item(kind: ValidatedKind, pk: int) -> Any:
    return get_object_or_404(kind.with_details(kind.model._default_manager.all()), pk=pk)


def item_detail(request: HttpRequest, pk: int, kind: ValidatedKind) -> HttpResponse:
    """An item's public page; before validation only its researchers and the Library see it
    (a preview, with its state and the Library's comments)."""
    item = _item(kind, pk)
    insider = request.user.is_authenticated and can_edit(request.user, item)
    if not item.is_public and not insider:
        raise Http404("No such item.")
    return render(
        request,
        "portal/validated/detail.html",
        {
            "kind": kind,
            "item": item,
            "people": item.people_rows(),
            "insider": insider,
            "editable": insider and can_change_fields(request.user, item),
            "library": insider and is_library(request.user),
            "comments": list(item.comments.all()) if insider else [],
            "comment_form": CommentForm(),
        },
    )


def _own_person(request: HttpRequest) -> Person:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Your account has no researcher profile to enter this for.")
    return person


@login_required
def my_items(request: HttpRequest, kind: ValidatedKind) -> HttpResponse:
    """The researcher's own items with their workflow state."""
    person = _own_person(request)
    return render(
        request,
        "portal/validated/mine.html",
        {
            "kind": kind,
            "person": person,
            "page": paged(request, kind.items_of(person.pk), ITEMS_PER_PAGE),
        },
    )


def _form(
    kind: ValidatedKind,
    request: HttpRequest,
    item: ValidatedItem | None,
    people: list[PersonEntry],
) -> ValidatedItemForm:
    data = request.POST if request.method == "POST" else None
    return kind.form(
        data,
        instance=item,
        people_label=kind.people_label,
        external=kind.external_people,
        initial_people=people,
    )


def _refusal_to_form(form: forms.BaseForm, error: PortalError | ValidationError) -> None:
    """An action's refusal shown on the form, next to the field at fault where it names one."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, str(error) if isinstance(error, PortalError) else error)


def _submit_if_asked(request: HttpRequest, item: ValidatedItem) -> bool:
    """ "Submit for validation" (not "Save") was pressed: hand the item to the Library."""
    if request.POST.get("action") != "submit":
        return False
    try:
        do_submit_for_validation(item, acting_user=request.user)
    except PortalError as error:
        messages.error(request, str(error))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def add_item(request: HttpRequest, kind: ValidatedKind) -> HttpResponse:
    """Enter a new item ("Save" keeps it as Entry in progress)."""
    person = _own_person(request)
    form = _form(kind, request, None, [PersonEntry(person)])
    if request.method == "POST" and form.is_valid():
        try:
            item = do_create_validated_item(
                kind.model,
                person,
                form.item_fields(),
                form.cleaned_data["people"],
                acting_user=request.user,
                external_people=kind.external_people,
            )
        except (PortalError, ValidationError) as error:
            _refusal_to_form(form, error)
        else:
            submitted = _submit_if_asked(request, item)
            messages.success(
                request, f"{'Submitted for validation' if submitted else 'Saved'}: {item.title}"
            )
            return redirect(f"{kind.key}:mine")
    return render(request, "portal/validated/edit.html", {"kind": kind, "form": form, "item": None})


def _editable_item(request: HttpRequest, kind: ValidatedKind, pk: int) -> Any:
    item = _item(kind, pk)
    if not can_edit(request.user, item):
        raise PermissionDenied(f"You can only change {kind.plural} of your own.")
    return item


@login_required
@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, pk: int, kind: ValidatedKind) -> HttpResponse:
    """Correct an item; a refused change keeps everything typed."""
    item = _editable_item(request, kind, pk)
    if not can_change_fields(request.user, item):
        raise PermissionDenied(
            f"This {kind.singular} has been validated: only the Library can change it now."
        )
    people = [
        PersonEntry(row.person, row.name, row.organisation, row.role) for row in item.people_rows()
    ]
    # The form works on a copy: the action compares what was typed with what is stored.
    form = _form(kind, request, kind.model._default_manager.get(pk=pk), people)
    if request.method == "POST" and form.is_valid():
        try:
            changed = do_update_validated_item(
                item,
                form.item_fields(),
                form.cleaned_data["people"],
                acting_user=request.user,
                external_people=kind.external_people,
            )
        except (PortalError, ValidationError) as error:
            _refusal_to_form(form, error)
        else:
            if _submit_if_asked(request, item):
                messages.success(request, f"Submitted for validation: {item.title}")
            else:
                messages.success(request, "Saved." if changed else "Nothing changed.")
            if is_library(request.user) and item.owner.user_id != request.user.pk:
                return redirect(f"{kind.key}:detail", pk)
            return redirect(f"{kind.key}:mine")
    return render(request, "portal/validated/edit.html", {"kind": kind, "form": form, "item": item})


@login_required
@require_POST
def submit_item(request: HttpRequest, pk: int, kind: ValidatedKind) -> HttpResponse:
    item = _editable_item(request, kind, pk)
    try:
        do_submit_for_validation(item, acting_user=request.user)
    except PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Submitted for validation: {item.title}")
    return redirect(f"{kind.key}:detail", pk)


@login_required
@require_POST
def withdraw_item(request: HttpRequest, pk: int, kind: ValidatedKind) -> HttpResponse:
    item = _editable_item(request, kind, pk)
    try:
        do_withdraw(item, acting_user=request.user)
    except PortalError as error:
        messages.error(request, str(error))
        return redirect(f"{kind.key}:detail", pk)
    messages.success(request, f"Withdrawn: {item.title}")
    return redirect(f"{kind.key}:mine")


@login_required
@require_POST
def request_change(request: HttpRequest, pk: int, kind: ValidatedKind) -> HttpResponse:
    item = _editable_item(request, kind, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            do_request_change(item, form.cleaned_data["comment"], acting_user=request.user)
        except (PortalError, ValidationError) as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, "Your request went to the Library.")
            return redirect(f"{kind.key}:detail", pk)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{kind.key}:detail", pk)


@library_only
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest, kind: ValidatedKind) -> HttpResponse:
    """The Library's queue of submitted items, oldest first; bulk "Validate"."""
    if request.method == "POST":
        chosen = request.POST.getlist("item")[: MAX_BULK + 1]
        numbers = [int(value) for value in chosen if value.isdigit() and len(value) <= 12]
        if not numbers or len(numbers) != len(chosen) or len(numbers) > MAX_BULK:
            messages.error(request, f"Choose between 1 and {MAX_BULK} {kind.plural} to validate.")
        else:
            items = list(kind.model._default_manager.filter(pk__in=numbers).order_by("pk"))
            try:
                do_validate_items(items, acting_user=request.user)
            except PortalError as error:
                messages.error(request, f"Nothing was validated: {error}")
            else:
                messages.success(request, f"Validated {len(items)} {kind.plural}.")
        return redirect(f"{kind.key}:queue")
    return render(
        request,
        "portal/validated/queue.html",
        {"kind": kind, "page": paged(request, kind.queue(), QUEUE_PAGE_SIZE)},
    )


@library_only
@require_POST
def validate_item(request: HttpRequest, pk: int, kind: ValidatedKind) -> HttpResponse:
    item = _item(kind, pk)
    try:
        do_validate_item(item, acting_user=request.user)
    except PortalError as error:
        messages.error(request, str(error))
        return redirect(f"{kind.key}:detail", pk)
    messages.success(request, f"Validated: {item.title}")
    return redirect(f"{kind.key}:queue")


@library_only
@require_POST
def return_item(request: HttpRequest, pk: int, kind: ValidatedKind) -> HttpResponse:
    item = _item(kind, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            do_return_item(item, form.cleaned_data["comment"], acting_user=request.user)
        except (PortalError, ValidationError) as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, f"Returned to the researcher: {item.title}")
            return redirect(f"{kind.key}:queue")
    return render(
        request,
        "portal/validated/detail.html",
        {
            "kind": kind,
            "item": item,
            "people": item.people_rows(),
            "insider": True,
            "editable": can_change_fields(request.user, item),
            "library": True,
            "comments": list(item.comments.all()),
            "comment_form": form,
        },
        status=400,
    )


def urls_for(kind: ValidatedKind) -> list[URLPattern]:
    """The URL patterns of a type (its app's URLconf sets `app_name = kind.key`)."""
    extra = {"kind": kind}
    return [
        path(f"{kind.path}/", content_list, extra, name="list"),
        path(f"{kind.path}/<int:pk>/", item_detail, extra, name="detail"),
        path(f"backend/{kind.path}/", my_items, extra, name="mine"),
        path(f"backend/{kind.path}/add/", add_item, extra, name="add"),
        path(f"backend/{kind.path}/<int:pk>/edit/", edit_item, extra, name="edit"),
        path(f"backend/{kind.path}/<int:pk>/submit/", submit_item, extra, name="submit"),
        path(f"backend/{kind.path}/<int:pk>/withdraw/", withdraw_item, extra, name="withdraw"),
        path(f"backend/{kind.path}/<int:pk>/request-change/", request_change, extra, name="change"),
        path(f"library/{kind.path}/", queue, extra, name="queue"),
        path(f"library/{kind.path}/<int:pk>/validate/", validate_item, extra, name="validate"),
        path(f"library/{kind.path}/<int:pk>/return/", return_item, extra, name="return"),
    ]
