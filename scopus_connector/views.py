"""The portal's Scopus pages: checking an Author ID, and publications found in Scopus."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from portal.choices import PersonIdentifierType
from portal.errors import PortalError
from portal.models import Person, PersonIdentifier
from portal.permissions import can_edit_person
from portal.views.backend import person_to_edit
from scopus_connector import verify
from scopus_connector.actions import do_claim_candidate, do_reject_candidate
from scopus_connector.choices import CandidateDecision, CandidateState
from scopus_connector.models import Candidate


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
    result = verify.check(identifier, acting_user=request.user)
    messages.info(request, f"Scopus Author ID {identifier.value}: {result.get_verdict_display()}.")
    return redirect("portal:edit-person", slug=slug)


def _own_or_library(request: HttpRequest, slug: str) -> Person:
    return person_to_edit(
        request, slug, "You can only review publications found for your own profile."
    )


@login_required
@require_safe
def candidates(request: HttpRequest, slug: str) -> HttpResponse:
    """Publications found in Scopus, waiting for the researcher: claim or "Not mine"."""
    person = _own_or_library(request, slug)
    waiting = person.scopus_candidates.filter(state=CandidateState.NEW).select_related(
        "matched_output"
    )
    decided = person.scopus_candidates.exclude(state=CandidateState.NEW).order_by("-decided_at")
    return render(
        request,
        "scopus_connector/candidates.html",
        {"person": person, "waiting": waiting, "decided": decided[:50]},
    )


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    person = _own_or_library(request, slug)
    candidate = get_object_or_404(Candidate, pk=pk, person=person)
    decision = request.POST.get("decision", "")
    if decision == CandidateDecision.CLAIM:
        try:
            output = do_claim_candidate(candidate, acting_user=request.user)
        except (PortalError, ValidationError) as error:
            messages.error(request, f"{candidate.title}: {_sentence(error)}")
        else:
            messages.success(
                request,
                f'"{candidate.title}" is claimed; research output {output.pk} now waits for '
                "the Library's validation.",
            )
    elif decision == CandidateDecision.REJECT:
        try:
            do_reject_candidate(candidate, acting_user=request.user)
        except PortalError as error:
            messages.error(request, f"{candidate.title}: {error}")
        else:
            messages.info(request, f'"{candidate.title}" will not be suggested again.')
    else:
        messages.error(request, 'Choose "This is mine" or "Not mine".')
    return redirect("scopus_connector:candidates", slug=person.slug)


def _sentence(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
