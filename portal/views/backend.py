"""The researcher backend: log in with the EID, the personal overview, "Edit profile".

"Edit profile" works without JavaScript. "Add ID", "Create" and the removal buttons are submit
buttons of the one profile form: each re-renders it with everything typed so far and the IDs
created but not yet saved (carried in hidden fields), and only "Save" writes, atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portal.actions import (
    do_add_person_identifier,
    do_add_person_link,
    do_remove_person_identifier,
    do_remove_person_link,
    do_update_profile,
)
from portal.choices import PersonIdentifierType
from portal.errors import PortalError
from portal.forms import NewIdentifierForm, NewLinkForm, ProfileForm, StaffLoginForm
from portal.models import Person, PersonLink
from portal.panels import render_panels
from portal.permissions import can_edit_person, is_library_staff
from portal.queries import person_of, profile_persons
from portal.views.identifier_links import identifier_rows

PENDING_SEPARATOR = "|"
STALE_REMOVAL = (
    "Something ticked for removal is not on this profile (any more); "
    "nothing was saved, please check the list and save again."
)


class StaffLoginView(auth_views.LoginView):
    """Log in with the staff ID; django-axes throttles failures per account and address."""

    form_class = StaffLoginForm
    template_name = "portal/backend/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # LoginView puts the request's host in "site_name", hiding the portal's own name.
        context["site_name"] = settings.PORTAL_SITE_NAME
        return context


class StaffLogoutView(auth_views.LogoutView):
    """Log out (POST only, so a link cannot log anyone out)."""


@login_required
def backend_home(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    return render(
        request,
        "portal/backend/home.html",
        {
            "person": person,
            "identifiers": identifier_rows(person.identifiers.all()) if person else [],
            "library": is_library_staff(request.user),
            "panels": render_panels("backend-home", request, person),
        },
    )


@login_required
def edit_own_profile(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is not None:
        return redirect("portal:edit-person", slug=person.slug)
    if is_library_staff(request.user):
        messages.info(request, "Your account has no researcher profile; search for one to edit.")
        return redirect("portal:library-console")
    # The console would refuse a researcher; say what is wrong instead of showing a 403.
    messages.error(
        request, "Your account has no researcher profile yet; please contact the Library."
    )
    return redirect("portal:backend-home")


@dataclass
class EditState:
    """Everything the edit page carries between its own submissions."""

    profile_form: ProfileForm
    link_form: NewLinkForm
    pending: list[tuple[str, str]] = field(default_factory=list)
    remove_identifier_ids: set[int] = field(default_factory=set)
    remove_link_ids: set[int] = field(default_factory=set)
    id_form: NewIdentifierForm | None = None
    errors: list[str] = field(default_factory=list)


def read_pending(post: Any) -> list[tuple[str, str]]:
    """IDs created but not saved, from the hidden fields (re-checked before saving)."""
    pending = []
    for item in post.getlist("pending_id")[:50]:
        id_type, _, value = item.partition(PENDING_SEPARATOR)
        if id_type in PersonIdentifierType.values and value:
            pending.append((id_type, value[:300]))
    return pending


def read_ids(post: Any, name: str, allowed: set[int], errors: list[str]) -> set[int]:
    """Checked ids of the person's own rows; anything else posted is reported, never parsed."""
    # Compared as text: "²".isdigit() is true but int("²") fails, and 5,000 digits exceed int().
    by_text = {str(pk): pk for pk in allowed}
    chosen = set()
    for raw in post.getlist(name):
        if raw in by_text:
            chosen.add(by_text[raw])
        elif STALE_REMOVAL not in errors:
            errors.append(STALE_REMOVAL)
    return chosen


def state_from_post(request: HttpRequest, person: Person, library: bool) -> EditState:
    identifier_ids = {item.pk for item in person.identifiers.all()}
    link_ids = {link.pk for link in person.links.all()}
    errors: list[str] = []
    return EditState(
        profile_form=ProfileForm(request.POST, library=library),
        link_form=NewLinkForm(request.POST),
        pending=read_pending(request.POST),
        remove_identifier_ids=read_ids(request.POST, "remove_identifier", identifier_ids, errors),
        remove_link_ids=read_ids(request.POST, "remove_link", link_ids, errors),
        errors=errors,
    )


def save_profile(request: HttpRequest, person: Person, state: EditState) -> bool:
    """Check everything, then write it all through the actions in one transaction."""
    valid = state.profile_form.is_valid() & state.link_form.is_valid() & (not state.errors)
    typed_value = request.POST.get("new_id_value", "").strip()
    if typed_value:
        # An ID typed in the dialog but not yet created counts: "Save" should not drop it.
        state.id_form = NewIdentifierForm(request.POST, person=person, pending=state.pending)
        if state.id_form.is_valid():
            data = state.id_form.cleaned_data
            state.pending.append((data["new_id_type"], data["new_id_value"]))
            state.id_form = None
        else:
            valid = False
    if not valid:
        return False
    try:
        with transaction.atomic():
            do_update_profile(person, state.profile_form.cleaned_data, acting_user=request.user)
            for item in person.identifiers.filter(pk__in=state.remove_identifier_ids):
                do_remove_person_identifier(item, acting_user=request.user)
            for id_type, value in state.pending:
                do_add_person_identifier(person, id_type, value, acting_user=request.user)
            for link in PersonLink.objects.filter(person=person, pk__in=state.remove_link_ids):
                do_remove_person_link(link, acting_user=request.user)
            link_data = state.link_form.cleaned_data
            if link_data.get("new_link_url"):
                do_add_person_link(
                    person,
                    link_data["new_link_type"],
                    link_data["new_link_url"],
                    acting_user=request.user,
                )
    except PortalError as error:
        state.errors.append(str(error))
        return False
    return True


def person_to_edit(
    request: HttpRequest, slug: str, refusal: str = "You can only edit your own profile."
) -> Person:
    """The profile at slug, which the user must be allowed to edit: their own, or any for the
    Library (404 for no such profile, 403 with `refusal` otherwise). The backend pages of the
    apps built on the portal use it too."""
    person = get_object_or_404(profile_persons(), slug=slug)
    if not can_edit_person(request.user, person):
        raise PermissionDenied(refusal)
    return person


@login_required
@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, slug: str) -> HttpResponse:
    person = person_to_edit(request, slug)
    library = is_library_staff(request.user)
    if request.method == "GET":
        state = EditState(
            profile_form=ProfileForm(instance=person, library=library), link_form=NewLinkForm()
        )
        return render_edit(request, person, state, library)

    state = state_from_post(request, person, library)
    action = request.POST.get("action", "save")
    if action == "add_id":
        state.id_form = NewIdentifierForm(person=person, pending=state.pending)
    elif action == "create_id":
        state.id_form = NewIdentifierForm(request.POST, person=person, pending=state.pending)
        if state.id_form.is_valid():
            data = state.id_form.cleaned_data
            state.pending.append((data["new_id_type"], data["new_id_value"]))
            state.id_form = None
    elif action.startswith("drop_pending:"):
        index = action.partition(":")[2]
        if index.isdigit() and int(index) < len(state.pending):
            del state.pending[int(index)]
    elif action == "save" and save_profile(request, person, state):
        messages.success(request, "Your changes have been saved.")
        return redirect(reverse("portal:edit-person", args=[person.slug]) + "?saved=1")
    return render_edit(request, person, state, library, status=200)


def render_edit(
    request: HttpRequest, person: Person, state: EditState, library: bool, status: int = 200
) -> HttpResponse:
    id_labels = dict(PersonIdentifierType.choices)
    return render(
        request,
        "portal/backend/edit_profile.html",
        {
            "person": person,
            "state": state,
            "library": library,
            "identifiers": [
                (item, row)
                for item, row in zip(
                    person.identifiers.all(), identifier_rows(person.identifiers.all()), strict=True
                )
            ],
            "links": person.links.all(),
            "pending": [
                (index, id_type, id_labels[id_type], value, f"{id_type}{PENDING_SEPARATOR}{value}")
                for index, (id_type, value) in enumerate(state.pending)
            ],
            "saved": request.GET.get("saved") == "1",
            "panels": render_panels("edit-profile", request, person),
        },
        status=status,
    )
