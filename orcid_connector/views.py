"""Part 1 of the exercise: "Create or Connect your ORCID iD" → ORCID sign-in → "Authorize" → back.

The state parameter lives in the researcher's portal session, so a callback can only finish a
sign-in the same browser started. Every outcome returns to "Edit profile" with a message.
"""

from __future__ import annotations

import contextlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from orcid_connector import crypto
from orcid_connector.actions import active_authorization, do_connect_orcid, do_disconnect_orcid
from orcid_connector.choices import ExportTrigger, RevokedKind
from orcid_connector.client import OrcidError, OrcidSession
from orcid_connector.export import PersonOutcome, run_export
from orcid_connector.models import ExportCall, ExportedItem, OrcidAuthorization
from portal.errors import PortalError
from portal.models import Person
from portal.queries import person_of
from portal.views.backend import person_to_edit

SESSION_KEY = "orcid_connect_state"


def _back_to_profile(request: HttpRequest) -> HttpResponse:
    return redirect("portal:edit-own-profile")


@login_required
@require_POST
def connect(request: HttpRequest) -> HttpResponse:
    """Send the researcher to ORCID. Only the researcher can connect: ORCID asks them to sign in."""
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Only a researcher can connect their own ORCID iD.")
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = state
    with OrcidSession.from_settings() as orcid:
        return redirect(orcid.authorization_url(state))


@login_required
@require_safe
def callback(request: HttpRequest) -> HttpResponse:
    """ORCID sends the researcher back with a code (or an error) and the state we gave it."""
    expected = request.session.pop(SESSION_KEY, None)
    person = person_of(request.user)
    if person is None or not expected:
        messages.error(request, "The ORCID sign-in was not started here or has expired; try again.")
        return _back_to_profile(request)
    if request.GET.get("error"):
        messages.warning(
            request,
            f"You did not authorise {settings.PORTAL_SITE_NAME} on ORCID; "
            "your ORCID iD is not connected.",
        )
        return _back_to_profile(request)
    code = request.GET.get("code", "")
    if (
        not code
        or len(code) > 100
        # compare_digest refuses non-ASCII str; bytes compare anything a client sends.
        or not secrets.compare_digest(request.GET.get("state", "").encode(), expected.encode())
    ):
        messages.error(request, "The answer from ORCID did not match your sign-in; try again.")
        return _back_to_profile(request)
    with OrcidSession.from_settings() as orcid:
        try:
            grant = orcid.exchange_code(code, expected)
        except OrcidError as error:
            messages.error(request, f"Your ORCID iD was not connected: {error}")
            return _back_to_profile(request)
        try:
            authorization = do_connect_orcid(person, grant, acting_user=request.user)
        except PortalError as error:
            # ORCID issued a token the portal will not use: give it back.
            with contextlib.suppress(OrcidError):
                orcid.revoke_token(grant.access_token)
            messages.error(request, f"Your ORCID iD was not connected: {error}")
            return _back_to_profile(request)
    messages.success(
        request,
        f"Your ORCID iD {authorization.orcid} is connected and authenticated. "
        'Click "Save" to finish.',
    )
    return _back_to_profile(request)


def _editable_connection(
    request: HttpRequest, slug: str
) -> tuple[Person, OrcidAuthorization | None]:
    """The profile (which the user must be allowed to edit) and its live ORCID connection."""
    person = person_to_edit(
        request, slug, "You can only manage the ORCID connection of your own profile."
    )
    return person, active_authorization(person)


@login_required
@require_POST
def disconnect(request: HttpRequest, slug: str) -> HttpResponse:
    """Revoke the portal's access at ORCID and stop using the grant; the iD stays on the profile."""
    person, authorization = _editable_connection(request, slug)
    if authorization is None:
        messages.info(request, "No ORCID iD is connected.")
        return redirect("portal:edit-person", slug=person.slug)
    try:
        with OrcidSession.from_settings() as orcid:
            orcid.revoke_token(crypto.decrypt(authorization.access_token_encrypted))
        reason, note = "Disconnected in the portal; revoked at ORCID.", ""
    except (OrcidError, crypto.TokenKeyError) as error:
        reason = f"Disconnected in the portal; ORCID was not told: {error}"
        note = (
            f" ORCID was not told ({error}): remove {settings.PORTAL_SITE_NAME} under "
            '"Trusted organizations" in your ORCID account.'
        )
    do_disconnect_orcid(
        authorization, reason, kind=RevokedKind.DISCONNECTED, acting_user=request.user
    )
    messages.success(request, f"ORCID iD {authorization.orcid} is disconnected.{note}")
    return redirect("portal:edit-person", slug=person.slug)


@login_required
@require_POST
def export_now(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Export now": run the researcher's export at once instead of waiting for the night."""
    person, authorization = _editable_connection(request, slug)
    if authorization is None:
        messages.info(request, "Connect your ORCID iD first.")
        return redirect("portal:edit-person", slug=person.slug)
    outcomes = run_export(trigger=ExportTrigger.EXPORT_NOW, persons=[person]).outcomes
    outcome = outcomes.get(person.pk) or PersonOutcome(stopped="No ORCID iD is connected.")
    summary = (
        f"Sent to ORCID: {outcome.created} new, {outcome.updated} updated, "
        f"{outcome.deleted} removed, {outcome.unchanged} unchanged."
    )
    if outcome.stopped or outcome.failed:
        problems = "; ".join([outcome.stopped, *outcome.problems[:3]]).strip("; ")
        messages.warning(request, f"{summary} Not everything went through: {problems}")
    else:
        messages.success(request, summary)
    return redirect("portal:edit-person", slug=person.slug)


@login_required
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every call the export made to the researcher's ORCID record, newest first."""
    person = person_to_edit(request, slug, "You can only read your own ORCID history.")
    calls = ExportCall.objects.filter(person=person).select_related("run")[:500]
    return render(
        request,
        "orcid_connector/history.html",
        {
            "person": person,
            "calls": calls,
            "authorizations": person.orcid_authorizations.all(),
            "refused": ExportedItem.objects.filter(person=person)
            .exclude(refused_hash="")
            .order_by("-refused_at"),
        },
    )
