"""The Scopus sandbox's web pages: document and author search, author profiles, Edit profile."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from scopus_sandbox import actions
from scopus_sandbox.choices import (
    FeedbackKindChoices,
    ProfileStatusChoices,
    SignInPurposeChoices,
)
from scopus_sandbox.forms import AuthorSearchForm, DocumentSearchForm, FeedbackForm
from scopus_sandbox.models import AuthorProfile, Authorship, Document
from scopus_sandbox.queries import (
    DOCUMENT_FIELDS,
    UnknownValueError,
    document_term,
    pending_feedback,
    profile_documents,
    profile_facts,
    resolve_profile,
)
from scopus_sandbox.query import QuerySyntaxError, parse_query, to_q
from scopus_sandbox.sessions import signed_in_session

PAGE_SIZE = 20


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


@require_safe
def document_search(request: HttpRequest) -> HttpResponse:
    """Document search: title words, or advanced syntax such as AU-ID(…) AND PUBYEAR > 2005."""
    form = DocumentSearchForm(request.GET or None)
    page = None
    error = ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"].strip()
        try:
            if "(" in text:
                q = to_q(parse_query(text, DOCUMENT_FIELDS), document_term)
            else:
                q = Q()
                for word in text.split()[:20]:
                    q &= Q(title__icontains=word)
            results = Document.objects.filter(q).order_by("-cover_date", "-id")
            page = Paginator(results, PAGE_SIZE).get_page(_page_number(request))
        except (QuerySyntaxError, UnknownValueError) as failure:
            error = str(failure)
    return render(
        request,
        "scopus_sandbox/document_search.html",
        {"form": form, "page": page, "error": error},
        status=400 if error else 200,
    )


def _document(eid: str) -> Document | None:
    """The document an EID names; None for unknown or malformed EIDs (never a database error:
    PostgreSQL refuses NUL in text)."""
    scopus_id = eid.removeprefix("2-s2.0-")
    if not (scopus_id.isascii() and scopus_id.isdigit()) or len(scopus_id) > 20:
        return None
    return Document.objects.filter(scopus_id=scopus_id).first()


@require_safe
def document_detail(request: HttpRequest, eid: str) -> HttpResponse:
    """One document with its authors as printed and the profiles they belong to."""
    document = _document(eid)
    if document is None:
        raise Http404("No such document")
    authorships = document.authorships.select_related("profile").prefetch_related("affiliations")
    return render(
        request,
        "scopus_sandbox/document.html",
        {"document": document, "authorships": authorships},
    )


@require_safe
def author_search(request: HttpRequest) -> HttpResponse:
    """Author search by last name (and first name), affiliation or ORCID iD."""
    form = AuthorSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        q = Q(status=ProfileStatusChoices.ACTIVE)
        if data["orcid"]:
            q &= Q(orcid=data["orcid"])
        if data["last"]:
            q &= Q(surname__iexact=data["last"].strip())
        if data["first"]:
            q &= Q(given_name__istartswith=data["first"].strip().rstrip("."))
        if data["affiliation"]:
            q &= Q(
                pk__in=Authorship.objects.filter(
                    affiliations__name__icontains=data["affiliation"].strip()
                ).values("profile_id")
            )
        results = AuthorProfile.objects.filter(q).order_by("surname", "given_name", "id")
        page = Paginator(results, PAGE_SIZE).get_page(_page_number(request))
    return render(request, "scopus_sandbox/author_search.html", {"form": form, "page": page})


def _profile_or_404(author_id: str) -> AuthorProfile:
    resolution = resolve_profile(author_id) if author_id.isdigit() else None
    if resolution is None or resolution.profile is None:
        raise Http404("No such author profile")
    return resolution.profile


@require_safe
def scopus_author_link(request: HttpRequest) -> HttpResponse:
    """Scopus's public author URLs (`/authid/detail.uri?authorId=…`, and the
    `/inward/authorDetails.url?authorID=…` form ORCID records carry) lead to the profile page."""
    author_id = (request.GET.get("authorId") or request.GET.get("authorID") or "").strip()
    return redirect("scopus_sandbox:author", author_id=_profile_or_404(author_id[:20]).author_id)


@require_safe
def scopus_author_search_link(request: HttpRequest) -> HttpResponse:
    """Scopus's classic author-search address (`st1` surname, `st2` given names)."""
    query = {"last": request.GET.get("st1", "")[:200], "first": request.GET.get("st2", "")[:200]}
    return redirect(f"{reverse('scopus_sandbox:author-search')}?{urlencode(query)}")


@require_safe
def scopus_document_link(request: HttpRequest) -> HttpResponse:
    """Scopus's public document URLs (`/record/display.uri?eid=…`, `/inward/record.url?eid=…`)."""
    eid = request.GET.get("eid", "").strip()[:40]
    if _document(eid) is None:
        raise Http404("No such document")
    return redirect("scopus_sandbox:document", eid=eid)


@require_safe
def author_profile(request: HttpRequest, author_id: str) -> HttpResponse:
    """The author details page: name, affiliation, Author ID, ORCID iD, documents."""
    profile = _profile_or_404(author_id)
    if profile.author_id != author_id:
        return redirect("scopus_sandbox:author", author_id=profile.author_id)
    documents = Paginator(profile_documents(profile), PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "scopus_sandbox/author.html",
        {
            "profile": profile,
            "facts": profile_facts(profile),
            "documents": documents,
            "pending": pending_feedback(profile).exists(),
            # The ORCID the wizard links to: orcid.org in a deployment, the sandbox in the demo.
            "orcid_url": f"{settings.SCOPUS_SANDBOX_ORCID_BASE_URL.rstrip('/')}/{profile.orcid}",
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def edit_profile(request: HttpRequest, author_id: str) -> HttpResponse:
    """The Author Feedback Wizard, for researchers signed in with ORCID: corrections go to the
    feedback queue, each naming the ORCID iD that asked for it."""
    profile = _profile_or_404(author_id)
    session = signed_in_session(request)
    if session is None:
        # As real Scopus asks for an account first; a POST without one changes nothing.
        return render(
            request,
            "scopus_sandbox/edit_profile_sign_in.html",
            {"profile": profile, "purpose": SignInPurposeChoices.FEEDBACK},
            status=403 if request.method == "POST" else 200,
        )
    documents = [(str(d.pk), f"{d.title} ({d.year})") for d in profile_documents(profile)[:200]]
    form = FeedbackForm(
        request.POST or None,
        documents=documents,
        initial={"given_name": profile.given_name, "surname": profile.surname},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        who = f"{session.orcid_name} <{data['email']}> (ORCID iD {session.orcid})"[:200]
        submitted = 0
        if (data["given_name"], data["surname"]) != (profile.given_name, profile.surname):
            actions.do_submit_feedback(
                profile,
                FeedbackKindChoices.PREFERRED_NAME,
                {"given_name": data["given_name"], "surname": data["surname"]},
                acting_as=who,
            )
            submitted += 1
        if data["remove"]:
            actions.do_submit_feedback(
                profile,
                FeedbackKindChoices.REMOVE_DOCUMENTS,
                {"document_ids": [int(pk) for pk in data["remove"]]},
                acting_as=who,
            )
            submitted += 1
        merge = [value for value in data["merge"] if value != profile.author_id]
        if merge:
            actions.do_submit_feedback(
                profile, FeedbackKindChoices.MERGE, {"author_ids": merge}, acting_as=who
            )
            submitted += 1
        return render(
            request,
            "scopus_sandbox/feedback_submitted.html",
            {"profile": profile, "submitted": submitted},
        )
    return render(
        request,
        "scopus_sandbox/edit_profile.html",
        {"profile": profile, "form": form, "session": session},
        status=400 if request.method == "POST" else 200,
    )
