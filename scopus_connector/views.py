"""Asking Scopus about a Scopus Author ID, from "Edit profile"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from portal.choices import PersonIdentifierType
from portal.models import PersonIdentifier
from portal.permissions import can_edit_person
from scopus_connector import verify


@login_required
@require_POST
def check(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    identifier = get_object_or_404(
        PersonIdentifier.objects.select_related("person"),
        pk=pk,
        person__slug=slug,
        id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID,
    )
    if not can_edit_person(request.user, identifier.person):
        raise PermissionDenied("You can only check the IDs of your own profile.")
    result = verify.check(identifier)
    messages.info(request, f"Scopus Author ID {identifier.value}: {result.get_verdict_display()}.")
    return redirect("portal:edit-person", slug=slug)
