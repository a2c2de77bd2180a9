"""The Scopus to ORCID wizard: sign in to ORCID, refine the profile, send the Author ID and works.

ORCID is reached over HTTP only (Authlib's httpx client for OAuth, httpx for the member API);
the base URLs and client credentials come from settings. Corrections made on the way go to the
Author Feedback queue, so Scopus shows them only after `process-feedback`.
"""

from __future__ import annotations

from typing import Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from scopus_sandbox import actions, crypto
from scopus_sandbox.choices import (
    ProfileStatusChoices,
    SignInPurposeChoices,
)
from scopus_sandbox.models import AuthorProfile, Document, WizardSession
from scopus_sandbox.queries import profile_documents
from scopus_sandbox.sessions import COOKIE, current_session
from scopus_sandbox.views import _profile_or_404

SCOPES = "/authenticate /activities/update /person/update"
MAX_WORKS = 100
ORCID_WORK_TYPES = {"cp": "conference-paper", "ch": "book-chapter", "bk": "book"}


def _transport() -> httpx.BaseTransport | None:
    """Tests stand ORCID in with the SCOPUS_SANDBOX_ORCID_TRANSPORT setting; None otherwise."""
    return getattr(settings, "SCOPUS_SANDBOX_ORCID_TRANSPORT", None)


class OrcidCallError(Exception):
    """ORCID did not accept a call; the message is shown to the researcher."""


def author_details_url(author_id: str) -> str:
    """The Scopus author page URL that ORCID records carry for a Scopus Author ID."""
    return f"http://www.scopus.com/inward/authorDetails.url?authorID={author_id}&partnerID=MN8TOARS"


def _redirect_uri(request: HttpRequest) -> str:
    return (
        f"{settings.SCOPUS_SANDBOX_BASE_URL.rstrip('/')}{reverse('scopus_sandbox:orcid-callback')}"
    )


def _oauth(request: HttpRequest, state: str = "") -> OAuth2Client:
    return OAuth2Client(
        client_id=settings.SCOPUS_SANDBOX_ORCID_CLIENT_ID,
        client_secret=settings.SCOPUS_SANDBOX_ORCID_CLIENT_SECRET,
        scope=SCOPES,
        redirect_uri=_redirect_uri(request),
        state=state or None,
        token_endpoint_auth_method="client_secret_post",  # noqa: S106 - a method name
        transport=_transport(),
        timeout=10.0,
    )


def _session(request: HttpRequest) -> WizardSession | None:
    return current_session(request)


def _lost(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scopus_sandbox/wizard_error.html",
        {"message": "Your session has expired. Start again from your author profile."},
        status=400,
    )


def _chosen(session: WizardSession) -> list[AuthorProfile]:
    ids = session.chosen_profiles or [session.start_profile.author_id]
    profiles = {p.author_id: p for p in AuthorProfile.objects.filter(author_id__in=ids)}
    return [profiles[i] for i in ids if i in profiles]


def _documents(session: WizardSession) -> list[Document]:
    documents: dict[int, Document] = {}
    for profile in _chosen(session):
        for document in profile_documents(profile)[:500]:
            documents.setdefault(document.pk, document)
    return sorted(documents.values(), key=lambda d: (d.cover_date, d.pk), reverse=True)


@require_safe
def connect(request: HttpRequest, author_id: str) -> HttpResponse:
    """Step 1: what the wizard does, and the button that signs in to ORCID."""
    profile = _profile_or_404(author_id)
    return render(request, "scopus_sandbox/wizard_connect.html", {"profile": profile})


@require_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    """Start a session and send the researcher to ORCID to sign in and authorise: for the
    Scopus to ORCID wizard, or (purpose=feedback) for the Author Feedback Wizard."""
    profile = _profile_or_404(request.POST.get("author_id", "")[:20])
    purpose = (
        SignInPurposeChoices.FEEDBACK
        if request.POST.get("purpose") == SignInPurposeChoices.FEEDBACK
        else SignInPurposeChoices.WIZARD
    )
    session = actions.do_start_sign_in(profile, purpose)
    state = session.oauth_state
    url, _ = _oauth(request, state).create_authorization_url(
        f"{settings.SCOPUS_SANDBOX_ORCID_BASE_URL.rstrip('/')}/oauth/authorize", state=state
    )
    response = redirect(url)
    response.set_cookie(COOKIE, session.token, httponly=True, samesite="Lax", max_age=3600)
    return response


@require_safe
def callback(request: HttpRequest) -> HttpResponse:
    """ORCID sends the researcher back with a code: exchange it for a token and an iD."""
    session = _session(request)
    if session is None:
        return _lost(request)
    if request.GET.get("error"):
        message = request.GET.get("error_description") or "You did not authorise Scopus."
        return render(
            request, "scopus_sandbox/wizard_error.html", {"message": message[:300]}, status=400
        )
    code = request.GET.get("code", "")
    if not code or request.GET.get("state") != session.oauth_state:
        return render(
            request,
            "scopus_sandbox/wizard_error.html",
            {"message": "The answer from ORCID did not match this session."},
            status=400,
        )
    try:
        with _oauth(request, session.oauth_state) as client:
            token: dict[str, Any] = client.fetch_token(
                f"{settings.SCOPUS_SANDBOX_ORCID_BASE_URL.rstrip('/')}/oauth/token", code=code
            )
    except (OAuthError, httpx.HTTPError, ValueError) as error:
        return render(
            request,
            "scopus_sandbox/wizard_error.html",
            {"message": f"ORCID refused the sign-in: {str(error)[:200]}"},
            status=502,
        )
    orcid = str(token.get("orcid") or "")
    actions.do_record_sign_in(
        session,
        access_token=str(token.get("access_token", "")),
        orcid=orcid,
        name=str(token.get("name") or ""),
        acting_as=orcid or "visitor",
    )
    if session.purpose == SignInPurposeChoices.FEEDBACK:
        return redirect("scopus_sandbox:edit-profile", author_id=session.start_profile.author_id)
    return redirect("scopus_sandbox:wizard-profiles")


def _candidates(session: WizardSession) -> list[AuthorProfile]:
    start = session.start_profile
    initial = start.given_name[:1]
    others = AuthorProfile.objects.filter(
        surname__iexact=start.surname,
        given_name__istartswith=initial,
        status=ProfileStatusChoices.ACTIVE,
    ).exclude(pk=start.pk)[:30]
    return [start, *others]


@require_http_methods(["GET", "HEAD", "POST"])
def choose_profiles(request: HttpRequest) -> HttpResponse:
    """Step 3: select the profile(s) that hold your publications."""
    session = _session(request)
    if session is None or not session.signed_in:
        return _lost(request)
    candidates = _candidates(session)
    error = ""
    if request.method == "POST":
        allowed = {p.author_id for p in candidates}
        picked = [v for v in request.POST.getlist("profiles") if v in allowed]
        if picked:
            actions.do_save_wizard_choices(
                session, chosen_profiles=list(dict.fromkeys(picked)), acting_as=session.orcid
            )
            return redirect("scopus_sandbox:wizard-name")
        error = "Select at least one profile."
    chosen = set(session.chosen_profiles or [session.start_profile.author_id])
    return render(
        request,
        "scopus_sandbox/wizard_profiles.html",
        {"session": session, "candidates": candidates, "chosen": chosen, "error": error},
        status=400 if error else 200,
    )


def _name_options(session: WizardSession) -> list[tuple[str, str]]:
    options: dict[tuple[str, str], None] = {}
    for profile in _chosen(session):
        options[(profile.given_name, profile.surname)] = None
        for given, surname in profile.authorships.values_list("given_name", "surname").distinct():
            options[(given, surname)] = None
    return list(options)


@require_http_methods(["GET", "HEAD", "POST"])
def choose_name(request: HttpRequest) -> HttpResponse:
    """Step 4: choose your preferred name among the printed variants."""
    session = _session(request)
    if session is None or not session.signed_in:
        return _lost(request)
    options = _name_options(session)
    error = ""
    if request.method == "POST":
        raw = request.POST.get("name", "")
        if raw.isdigit() and int(raw) < len(options):
            given, surname = options[int(raw)]
            actions.do_save_wizard_choices(
                session,
                preferred_name={"given_name": given, "surname": surname},
                acting_as=session.orcid,
            )
            return redirect("scopus_sandbox:wizard-documents")
        error = "Choose one of the names."
    return render(
        request,
        "scopus_sandbox/wizard_name.html",
        {"session": session, "options": list(enumerate(options)), "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def review_documents(request: HttpRequest) -> HttpResponse:
    """Step 5: review your publications and remove those that are not yours."""
    session = _session(request)
    if session is None or not session.signed_in:
        return _lost(request)
    documents = _documents(session)
    if request.method == "POST":
        known = {str(d.pk) for d in documents}
        actions.do_save_wizard_choices(
            session,
            removed_documents=[int(v) for v in request.POST.getlist("remove") if v in known],
            acting_as=session.orcid,
        )
        return redirect("scopus_sandbox:wizard-review")
    return render(
        request,
        "scopus_sandbox/wizard_documents.html",
        {"session": session, "documents": documents, "removed": set(session.removed_documents)},
    )


@require_safe
def review_profile(request: HttpRequest) -> HttpResponse:
    """Step 6: review the refined profile before sending it to ORCID."""
    session = _session(request)
    if session is None or not session.signed_in:
        return _lost(request)
    removed = set(session.removed_documents)
    kept = [d for d in _documents(session) if d.pk not in removed]
    return render(
        request,
        "scopus_sandbox/wizard_review.html",
        {"session": session, "profiles": _chosen(session), "documents": kept},
    )


def _orcid_post(session: WizardSession, path: str, body: dict[str, Any]) -> httpx.Response:
    url = f"{settings.SCOPUS_SANDBOX_ORCID_API_URL.rstrip('/')}/{session.orcid}/{path}"
    try:
        token = crypto.decrypt(session.access_token_encrypted)
    except crypto.TokenKeyError:
        raise OrcidCallError("Sign in to ORCID again: the sign-in could not be read") from None
    try:
        with httpx.Client(transport=_transport(), timeout=20.0) as client:
            response = client.post(
                url,
                json=body,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Accept": "application/json",
                    "Content-Type": "application/json",
                },
            )
    except httpx.HTTPError as error:
        raise OrcidCallError(f"ORCID could not be reached ({type(error).__name__})") from None
    if response.status_code >= 400 and response.status_code != 409:
        try:
            detail = response.json().get("user-message") or response.text
        except ValueError:
            detail = response.text
        raise OrcidCallError(f"ORCID answered {response.status_code}: {str(detail)[:200]}")
    return response


@require_POST
def send_author_id(request: HttpRequest) -> HttpResponse:
    """Step 7: write the Scopus Author ID to the ORCID record, and queue the corrections."""
    session = _session(request)
    if session is None or not session.signed_in:
        return _lost(request)
    author_id = _chosen(session)[0].author_id
    try:
        _orcid_post(
            session,
            "external-identifiers",
            {
                "external-id-type": "Scopus Author ID",
                "external-id-value": author_id,
                "external-id-url": {"value": author_details_url(author_id)},
                "external-id-relationship": "self",
            },
        )
    except OrcidCallError as error:
        return render(
            request, "scopus_sandbox/wizard_error.html", {"message": str(error)}, status=502
        )
    session = actions.do_record_author_id_sent(session, _chosen(session), acting_as=session.orcid)
    return render(
        request,
        "scopus_sandbox/wizard_sent.html",
        {"session": session, "author_id": author_id, "orcid_url": _orcid_record(session)},
    )


def _orcid_record(session: WizardSession) -> str:
    return f"{settings.SCOPUS_SANDBOX_ORCID_BASE_URL.rstrip('/')}/{session.orcid}"


def work_json(document: Document) -> dict[str, Any]:
    """A document as an ORCID v3.0 work with `eid` and `doi` self identifiers."""
    ids: list[dict[str, Any]] = [
        {
            "external-id-type": "eid",
            "external-id-value": document.eid,
            "external-id-relationship": "self",
        }
    ]
    if document.doi:
        ids.append(
            {
                "external-id-type": "doi",
                "external-id-value": document.doi,
                "external-id-url": {"value": f"https://doi.org/{document.doi}"},
                "external-id-relationship": "self",
            }
        )
    return {
        "title": {"title": {"value": document.title}},
        "journal-title": {"value": document.source_title} if document.source_title else None,
        "type": ORCID_WORK_TYPES.get(document.doc_type, "journal-article"),
        "publication-date": {
            "year": {"value": f"{document.cover_date.year:04d}"},
            "month": {"value": f"{document.cover_date.month:02d}"},
        },
        "external-ids": {"external-id": ids},
        "url": {"value": f"http://www.scopus.com/inward/record.url?eid={document.eid}"},
    }


@require_POST
def send_works(request: HttpRequest) -> HttpResponse:
    """Optional step: send the publication list to ORCID as works (one bulk call)."""
    session = _session(request)
    if session is None or not session.author_id_sent:
        return _lost(request)
    removed = set(session.removed_documents)
    documents = [d for d in _documents(session) if d.pk not in removed][:MAX_WORKS]
    try:
        response = _orcid_post(
            session, "works", {"bulk": [{"work": work_json(d)} for d in documents]}
        )
    except OrcidCallError as error:
        return render(
            request, "scopus_sandbox/wizard_error.html", {"message": str(error)}, status=502
        )
    try:
        results = response.json().get("bulk", [])
    except ValueError:
        results = []
    sent = sum(1 for item in results if isinstance(item, dict) and "work" in item)
    session = actions.do_record_works_sent(session, sent, acting_as=session.orcid)
    return render(
        request,
        "scopus_sandbox/wizard_works.html",
        {
            "session": session,
            "sent": sent,
            "skipped": len(documents) - sent,
            "orcid_url": _orcid_record(session),
        },
    )
