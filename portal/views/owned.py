"""Pages of the content researchers publish directly (activities, prizes, impact, press).

One set of views for every `OwnedKind`; each app's URLconf is `urls_for(kind)`:
`/<path>/` and `/<path>/<pk>/` are public, `/backend/<path>/…` the owner's (and the Library's).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from portal.actions.owned import (
    PersonEntry,
    can_edit_item,
    do_create_owned_item,
    do_delete_owned_item,
    do_update_owned_item,
)
from portal.errors import PortalError
from portal.models import Person
from portal.models.owned import OwnedItem
from portal.owned import OwnedKind
from portal.owned_forms import OwnedItemForm
from portal.queries import person_of
from portal.views.public import paged
from portal.views.search import content_list

ITEMS_PER_PAGE = 20


def item_detail(request: HttpRequest, pk: int, kind: OwnedKind) -> HttpResponse:
    """An item's public page; a draft only to those who may edit it (a preview)."""
    item = get_object_or_404(kind.with_details(kind.model._default_manager.all()), pk=pk)
    editable = request.user.is_authenticated and can_edit_item(request.user, item)
    if not item.is_public and not editable:
        raise Http404("No such item.")
    return render(
        request,
        "portal/owned/detail.html",
        {"kind": kind, "item": item, "people": item.people_rows(), "editable": editable},
    )


def _own_person(request: HttpRequest) -> Person:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Your account has no researcher profile to enter this for.")
    return person


@login_required
def my_items(request: HttpRequest, kind: OwnedKind) -> HttpResponse:
    """The researcher's own items, drafts included."""
    person = _own_person(request)
    return render(
        request,
        "portal/owned/mine.html",
        {
            "kind": kind,
            "person": person,
            "page": paged(request, kind.items_owned_by(person.pk), ITEMS_PER_PAGE),
        },
    )


def _form(
    kind: OwnedKind, request: HttpRequest, item: OwnedItem | None, people: list[PersonEntry]
) -> OwnedItemForm:
    data = request.POST if request.method == "POST" else None
    return kind.form(
        data,
        instance=item,
        people_label=kind.people_label,
        roles=kind.roles,
        initial_people=people,
    )


def _refusal_to_form(form: OwnedItemForm, error: PortalError | ValidationError) -> None:
    """An action's refusal shown on the form, next to the field at fault where it names one."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, str(error) if isinstance(error, PortalError) else error)


@login_required
@require_http_methods(["GET", "POST"])
def add_item(request: HttpRequest, kind: OwnedKind) -> HttpResponse:
    """Enter a new item, owned by the researcher who enters it."""
    person = _own_person(request)
    form = _form(kind, request, None, [PersonEntry(person)])
    if request.method == "POST" and form.is_valid():
        try:
            item = do_create_owned_item(
                kind.model,
                person,
                form.item_fields(),
                form.cleaned_data["people"],
                acting_user=request.user,
            )
        except (PortalError, ValidationError) as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, f"Saved: {item.title}")
            return redirect(f"{kind.key}:mine")
    return render(
        request, "portal/owned/edit.html", {"kind": kind, "form": form, "item": None}, status=200
    )


def _editable_item(request: HttpRequest, kind: OwnedKind, pk: int) -> OwnedItem:
    item: OwnedItem = get_object_or_404(kind.with_details(kind.model._default_manager.all()), pk=pk)
    if not can_edit_item(request.user, item):
        raise PermissionDenied("You can only change your own entries.")
    return item


@login_required
@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, pk: int, kind: OwnedKind) -> HttpResponse:
    """Change an item; only "Save" writes, and a refused change keeps everything typed."""
    item = _editable_item(request, kind, pk)
    people = [PersonEntry(row.person, row.role) for row in item.people_rows()]
    # The form works on a copy: the action compares what was typed with what is stored.
    form = _form(kind, request, kind.model._default_manager.get(pk=pk), people)
    if request.method == "POST" and form.is_valid():
        try:
            changed = do_update_owned_item(
                item, form.item_fields(), form.cleaned_data["people"], acting_user=request.user
            )
        except (PortalError, ValidationError) as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, "Saved." if changed else "Nothing changed.")
            return redirect(f"{kind.key}:mine")
    return render(request, "portal/owned/edit.html", {"kind": kind, "form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def delete_item(request: HttpRequest, pk: int, kind: OwnedKind) -> HttpResponse:
    """Ask, then delete (POST only writes)."""
    item = _editable_item(request, kind, pk)
    if request.method == "POST":
        title = item.title
        do_delete_owned_item(item, acting_user=request.user)
        messages.success(request, f"Deleted: {title}")
        return redirect(f"{kind.key}:mine")
    return render(request, "portal/owned/delete.html", {"kind": kind, "item": item})


def urls_for(kind: OwnedKind) -> list[URLPattern]:
    """The URL patterns of a type (its app's URLconf sets `app_name = kind.key`)."""
    extra = {"kind": kind}
    return [
        path(f"{kind.path}/", content_list, extra, name="list"),
        path(f"{kind.path}/<int:pk>/", item_detail, extra, name="detail"),
        path(f"backend/{kind.path}/", my_items, extra, name="mine"),
        path(f"backend/{kind.path}/add/", add_item, extra, name="add"),
        path(f"backend/{kind.path}/<int:pk>/edit/", edit_item, extra, name="edit"),
        path(f"backend/{kind.path}/<int:pk>/delete/", delete_item, extra, name="delete"),
    ]
