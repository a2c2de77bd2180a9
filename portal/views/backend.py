"""The researcher backend: log in with the EID, the personal overview, "Edit profile".

"Edit profile" works without JavaScript: `portal.forms.ProfileEditForms` holds its forms (the
IDs created but not saved are a formset of hidden fields); only "Save" writes, atomically.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from portal.actions import (
    do_add_person_identifier,
    do_add_person_link,
    do_remove_person_identifier,
    do_remove_person_link,
    do_update_profile,
)
from portal.errors import PortalError
from portal.forms import ProfileEditForms, StaffLoginForm, StaffPasswordResetForm
from portal.models import Person, PersonLink
from portal.panels import render_panels
from portal.permissions import can_edit_person, is_library_staff
from portal.queries import person_of, profile_persons
from portal.views.identifier_links import identifier_rows


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


class StaffPasswordResetView(auth_views.PasswordResetView):
    """ "Forgot your password?": mail a single-use link; the same answer for any address."""

    form_class = StaffPasswordResetForm
    template_name = "registration/portal_password_reset_form.html"
    email_template_name = "registration/portal_password_reset_email.txt"
    subject_template_name = "registration/portal_password_reset_subject.txt"
    success_url = reverse_lazy("portal:password-reset-done")

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        # Links are built from the configured address, never from the request's Host header.
        return {
            "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
            "portal_name": settings.PORTAL_SITE_NAME,
        }


class StaffPasswordResetDoneView(auth_views.PasswordResetDoneView):
    """ "Check your e-mail", whether or not the address matched an account."""

    template_name = "registration/portal_password_reset_done.html"


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail: choose a new password (the link works once)."""

    template_name = "registration/portal_password_reset_confirm.html"
    success_url = reverse_lazy("portal:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever reads the account's mail may sign in again at once, even if someone else's
        # guessing had locked the account.
        axes_reset(username=form.user.get_username())
        return response


class StaffPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """The password is changed; log in with it."""

    template_name = "registration/portal_password_reset_complete.html"


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


def save_profile(request: HttpRequest, person: Person, forms: ProfileEditForms) -> bool:
    """Check everything, then write it all through the actions in one transaction."""
    if not forms.is_valid():
        return False
    removals = forms.removals
    try:
        with transaction.atomic():
            do_update_profile(person, forms.profile.cleaned_data, acting_user=request.user)
            chosen = removals.chosen("remove_identifier")
            for item in person.identifiers.filter(pk__in=chosen):
                do_remove_person_identifier(item, acting_user=request.user)
            for id_type, value in forms.identifiers_to_add():
                do_add_person_identifier(person, id_type, value, acting_user=request.user)
            chosen = removals.chosen("remove_link")
            for link in PersonLink.objects.filter(person=person, pk__in=chosen):
                do_remove_person_link(link, acting_user=request.user)
            link_data = forms.link.cleaned_data
            if link_data.get("new_link_url"):
                do_add_person_link(
                    person,
                    link_data["new_link_type"],
                    link_data["new_link_url"],
                    acting_user=request.user,
                )
    except PortalError as error:
        forms.errors.append(str(error))
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
        return render_edit(request, person, ProfileEditForms(person, library=library), library)

    forms = ProfileEditForms(person, library=library, data=request.POST)
    action = request.POST.get("action", "save")
    if action == "save":
        if save_profile(request, person, forms):
            messages.success(request, "Your changes have been saved.")
            return redirect(reverse("portal:edit-person", args=[person.slug]) + "?saved=1")
    elif action == "add_id":
        forms.open_dialog()
    elif action == "create_id":
        forms.create_id()
    elif action.startswith("drop_pending:"):
        forms.drop_pending(action.partition(":")[2])
    else:
        forms.redisplay()
    return render_edit(request, person, forms, library)


def render_edit(
    request: HttpRequest, person: Person, forms: ProfileEditForms, library: bool
) -> HttpResponse:
    identifiers = person.identifiers.all()
    return render(
        request,
        "portal/backend/edit_profile.html",
        {
            "person": person,
            "forms": forms,
            "library": library,
            "identifiers": list(zip(identifiers, identifier_rows(identifiers), strict=True)),
            "links": person.links.all(),
            "remove_identifier_ids": forms.removals.ticked("remove_identifier"),
            "remove_link_ids": forms.removals.ticked("remove_link"),
            "saved": request.GET.get("saved") == "1",
            "panels": render_panels("edit-profile", request, person),
        },
    )
