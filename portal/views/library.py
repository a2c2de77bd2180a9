"""The library console: find any profile, verify or reject identifiers, read a profile's history."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portal.actions import do_set_identifier_status
from portal.choices import IdentifierStatus
from portal.errors import PortalError
from portal.forms import IdentifierStatusForm, PersonSearchForm
from portal.identifier_claims import displaced_claims
from portal.models import Person, PersonIdentifier
from portal.permissions import is_library_staff
from portal.queries import audit_history, search_persons
from portal.views.public import PERSONS_PER_PAGE, paged

View = Callable[..., HttpResponse]


def library_only(view: View) -> View:
    """Let only library staff in; everyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_library_staff(request.user):
            raise PermissionDenied("This page is for Library staff.")
        return view(request, *args, **kwargs)

    return wrapper


@library_only
def console(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "portal/library/console.html",
        {
            "form": form,
            "page": paged(request, search_persons(text), PERSONS_PER_PAGE),
            "claim_notices": displaced_claims(),
        },
    )


@library_only
@require_POST
def set_identifier_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    identifier = get_object_or_404(
        PersonIdentifier.objects.select_related("person"), pk=pk, person__slug=slug
    )
    form = IdentifierStatusForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Choose Verified, Rejected or Entered; evidence is at most 2,000 characters."
        )
    else:
        try:
            do_set_identifier_status(
                identifier,
                IdentifierStatus(form.cleaned_data["status"]),
                acting_user=request.user,
                evidence=form.cleaned_data["evidence"],
            )
        except PortalError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{identifier.get_id_type_display()} {identifier.value} is now "
                f"{identifier.get_status_display().lower()}.",
            )
    return redirect("portal:edit-person", slug=slug)


@library_only
def history(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    return render(
        request, "portal/library/history.html", {"person": person, "entries": audit_history(person)}
    )
