"""The registry's web pages: sign-in, the record page, trusted organizations, developer tools,
and the OAuth endpoints that browsers and clients call."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qs, parse_qsl, unquote_plus, urlencode, urlsplit

import segno
from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from orcid_sandbox import actions, grouping, queries, throttle
from orcid_sandbox.choices import AffiliationSection, Scope, Visibility
from orcid_sandbox.forms import ClientForm, PersonalDataForm, RegisterForm, SignInForm
from orcid_sandbox.methods import answers_head
from orcid_sandbox.models import (
    Account,
    Affiliation,
    Client,
    Employment,
    Funding,
    OtherId,
    ResearcherUrl,
    SignInSession,
    Work,
)
from orcid_sandbox.models.record import SourcedItem
from orcid_sandbox.oauth import (
    bearer_token,
    revoke_token,
    server,
    signing_key,
    user_info,
    with_params,
)
from orcid_sandbox.traffic import traffic_rules

SIGN_IN_COOKIE = "orcid_sandbox_signin"


def signed_in(request: HttpRequest) -> Account | None:
    """The account this browser is signed in as, if any."""
    key = request.COOKIES.get(SIGN_IN_COOKIE, "")
    if not key:
        return None
    session = (
        SignInSession.objects.select_related("account")
        .filter(key_hash=actions.hash_key(key), expires_at__gt=timezone.now())
        .first()
    )
    return session.account if session else None


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def prefilled_email(request: HttpRequest) -> str:
    """ORCID's `email` parameter on an authorize link fills in the sign-in form."""
    target = urlsplit(request.GET.get("next", ""))
    if target.path != reverse("orcid_sandbox:authorize"):
        return ""
    return parse_qs(target.query).get("email", [""])[0][:254]


def sign_in_first(next_url: str) -> HttpResponse:
    """Send the browser to "Sign in", then back where it was going."""
    return redirect(f"{reverse('orcid_sandbox:signin')}?{urlencode({'next': next_url})}")


@answers_head
def home(request: HttpRequest) -> HttpResponse:
    account = signed_in(request)
    if account is not None:
        return redirect("orcid_sandbox:record", orcid=account.orcid)
    return render(request, "orcid_sandbox/home.html", {"account": None})


@answers_head
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None, initial={"username": prefilled_email(request)})
    status, lockout = 200, ""
    if request.method == "POST":
        now = timezone.now()
        address = request.META.get("REMOTE_ADDR", "")
        # NUL is no character a database column holds; the form refuses it in its own check.
        username = request.POST.get("username", "").replace("\x00", "")
        locked = throttle.lockout(username, address, now=now)
        if locked is not None:
            # Refused before the password is checked, so a locked account tells no guesser
            # whether the guess was right.
            form = SignInForm(initial={"username": username[:254]})
            lockout = locked.message
            status = 429
        elif form.is_valid():
            return signed_in_response(request, form.cleaned_data["account"])
        elif form.non_field_errors():
            actions.do_record_sign_in_failure(username, address=address, now=now)
    return render(
        request,
        "orcid_sandbox/signin.html",
        {"form": form, "next": safe_next(request, ""), "account": None, "lockout": lockout},
        status=status,
    )


def signed_in_response(request: HttpRequest, account: Account) -> HttpResponse:
    """Signed in: the cookie set, and on to where the browser was going."""
    response = HttpResponseRedirect(safe_next(request, reverse("orcid_sandbox:my-orcid")))
    response.set_cookie(
        SIGN_IN_COOKIE,
        actions.do_sign_in(account),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
        max_age=int(actions.SIGN_IN_LIFETIME.total_seconds()),
    )
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    actions.do_sign_out(request.COOKIES.get(SIGN_IN_COOKIE, ""))
    response = redirect("orcid_sandbox:signin")
    response.delete_cookie(SIGN_IN_COOKIE)
    return response


@answers_head
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = actions.do_create_account(**form.cleaned_data)
        except IntegrityError:
            # Registered a moment ago by another request with the same address.
            form.add_error("email", "This email address is already registered: sign in instead.")
            return render(request, "orcid_sandbox/register.html", {"form": form, "account": None})
        response = redirect("orcid_sandbox:record", orcid=account.orcid)
        response.set_cookie(
            SIGN_IN_COOKIE,
            actions.do_sign_in(account),
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    return render(request, "orcid_sandbox/register.html", {"form": form, "account": None})


@answers_head
def my_orcid(request: HttpRequest) -> HttpResponse:
    account = signed_in(request)
    if account is None:
        return sign_in_first(request.get_full_path())
    return redirect("orcid_sandbox:record", orcid=account.orcid)


def record_context(request: HttpRequest, account: Account) -> dict[str, Any]:
    viewer = signed_in(request)
    # "View public version" and the print view show what everyone sees, even to the owner.
    public_view = request.GET.get("view") == "public" or bool(request.GET.get("print"))
    is_owner = viewer is not None and viewer.pk == account.pk and not public_view
    works = Work.objects.filter(account=account).select_related(
        "source_client", "assertion_origin", "account"
    )
    other_ids = account.other_ids.select_related("source_client", "assertion_origin", "account")
    urls = account.researcher_urls.all()
    employments = account.employments.select_related("source_client", "assertion_origin")
    fundings = account.fundings.select_related("source_client", "assertion_origin", "account")
    affiliations = account.affiliations.select_related("source_client", "assertion_origin")
    if not is_owner:
        fundings = fundings.filter(visibility=Visibility.PUBLIC)
        affiliations = affiliations.filter(visibility=Visibility.PUBLIC)
        works = works.filter(visibility=Visibility.PUBLIC)
        other_ids = other_ids.filter(visibility=Visibility.PUBLIC)
        urls = urls.filter(visibility=Visibility.PUBLIC)
        employments = employments.filter(visibility=Visibility.PUBLIC)
    return {
        "record": account,
        "base_url": f"{settings.ORCID_SANDBOX_BASE_URL}/",
        "account": viewer,
        "is_owner": is_owner,
        "groups": grouping.group_works(list(works)),
        "other_ids": list(other_ids),
        "urls": list(urls),
        "employments": list(employments),
        # orcid.org's headings: educations with qualifications, then "Professional
        # activities" (distinctions, invited positions, memberships, services).
        "educations": [a for a in affiliations if a.section in EDUCATION_SECTIONS],
        "professional": [a for a in affiliations if a.section not in EDUCATION_SECTIONS],
        "funding_groups": [
            {"preferred": versions[0], "fundings": versions}
            for versions, _ in grouping.group_by_ids(list(fundings))
        ],
        # Names, other names, country, keywords and biography share one visibility setting.
        "show_personal": is_owner or account.names_visibility == Visibility.PUBLIC,
        "show_all": request.GET.get("versions") == "all",
        "visibility_choices": Visibility.choices,
    }


@answers_head
def record(request: HttpRequest, orcid: str) -> HttpResponse:
    account = get_object_or_404(Account, orcid=orcid)
    if account.primary_orcid:
        return redirect("orcid_sandbox:record", orcid=account.primary_orcid, permanent=True)
    template = (
        "orcid_sandbox/print.html" if request.GET.get("print") else "orcid_sandbox/record.html"
    )
    return render(request, template, record_context(request, account))


@answers_head
def qr_code(request: HttpRequest, orcid: str) -> HttpResponse:
    account = get_object_or_404(Account, orcid=orcid)
    code = segno.make(f"{settings.ORCID_SANDBOX_BASE_URL}/{account.orcid}", error="m")
    return HttpResponse(code.svg_inline(scale=6), content_type="image/svg+xml")


@answers_head
@require_http_methods(["GET", "HEAD", "POST"])
def edit_personal_data(request: HttpRequest) -> HttpResponse:
    """The signed-in researcher edits names, other names, country, keywords, biography,
    websites and who may see them."""
    account = signed_in(request)
    if account is None:
        return sign_in_first(request.path)
    own_links = account.researcher_urls.filter(source_client__isnull=True)
    initial = {
        "given_names": account.given_names,
        "family_name": account.family_name,
        "credit_name": account.credit_name,
        "names_visibility": account.names_visibility,
        "other_names": account.other_names,
        "country": account.country,
        "keywords": account.keywords,
        "biography": account.biography,
        "websites": "\n".join(f"{link.name} {link.url}".strip() for link in own_links),
    }
    form = PersonalDataForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.do_update_personal_data(account, acting_account=account, **form.cleaned_data)
        return redirect("orcid_sandbox:record", orcid=account.orcid)
    return render(request, "orcid_sandbox/edit_personal.html", {"account": account, "form": form})


def owner_or_redirect(request: HttpRequest, orcid: str) -> Account | HttpResponse:
    account = signed_in(request)
    if account is None:
        return sign_in_first(reverse("orcid_sandbox:record", args=[orcid]))
    if account.orcid != orcid:
        return HttpResponse("You can only change your own record.", status=403)
    return account


@require_POST
def make_preferred(request: HttpRequest, orcid: str, put_code: int) -> HttpResponse:
    owner = owner_or_redirect(request, orcid)
    if isinstance(owner, HttpResponse):
        return owner
    work = get_object_or_404(Work, account=owner, pk=put_code)
    actions.do_make_preferred(work, acting_account=owner)
    return redirect("orcid_sandbox:record", orcid=orcid)


# The record's item kinds whose visibility the owner sets on the record page.
VISIBILITY_KINDS: dict[str, type[SourcedItem]] = {
    "works": Work,
    "external-identifiers": OtherId,
    "researcher-urls": ResearcherUrl,
    "employments": Employment,
    "fundings": Funding,
    "affiliations": Affiliation,
}
EDUCATION_SECTIONS = {AffiliationSection.EDUCATION, AffiliationSection.QUALIFICATION}


@require_POST
def set_visibility(
    request: HttpRequest, orcid: str, put_code: int, kind: str = "works"
) -> HttpResponse:
    owner = owner_or_redirect(request, orcid)
    if isinstance(owner, HttpResponse):
        return owner
    model = VISIBILITY_KINDS.get(kind)
    if model is None:
        return HttpResponse("No such kind of item.", status=404)
    visibility = request.POST.get("visibility", "")
    if visibility not in Visibility.values:
        return HttpResponse("Choose everyone, trusted parties or only me.", status=400)
    item = get_object_or_404(model, account=owner, pk=put_code)
    actions.do_set_visibility(item, visibility, acting_account=owner)
    return redirect("orcid_sandbox:record", orcid=orcid)


@require_POST
def delete_item(request: HttpRequest, orcid: str, kind: str, put_code: int) -> HttpResponse:
    owner = owner_or_redirect(request, orcid)
    if isinstance(owner, HttpResponse):
        return owner
    model = VISIBILITY_KINDS.get(kind)
    if model is None:
        return HttpResponse("No such kind of item.", status=404)
    item = get_object_or_404(model, account=owner, pk=put_code)
    actions.do_delete_item(item, acting_account=owner)
    return redirect("orcid_sandbox:record", orcid=orcid)


@answers_head
def trusted_parties(request: HttpRequest) -> HttpResponse:
    account = signed_in(request)
    if account is None:
        return sign_in_first(request.path)
    if request.method == "POST":
        client_id = request.POST.get("client_id", "")
        # NUL is in no client id (and PostgreSQL refuses it even as a query parameter).
        client = get_object_or_404(Client, client_id=client_id.replace("\x00", "\n"))
        actions.do_revoke_client_access(client, acting_account=account)
        return redirect("orcid_sandbox:trusted-parties")
    return render(
        request,
        "orcid_sandbox/trusted_parties.html",
        {"account": account, "grants": queries.trusted_grants(account)},
    )


@answers_head
@require_http_methods(["GET", "HEAD", "POST"])
def developer_tools(request: HttpRequest) -> HttpResponse:
    account = signed_in(request)
    if account is None:
        return sign_in_first(request.path)
    form = ClientForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        client, secret = actions.do_register_client(owner=account, **form.cleaned_data)
        created = {"client": client, "secret": secret}
        form = ClientForm()
    return render(
        request,
        "orcid_sandbox/developer_tools.html",
        {
            "account": account,
            "form": form,
            "created": created,
            "clients": Client.objects.filter(owner=account),
        },
    )


# --- OAuth 2.0 / OpenID Connect ----------------------------------------------------------------

SCOPE_LABELS = dict(Scope.choices)


@answers_head
@require_http_methods(["GET", "HEAD", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """The authorize page. Sign in first; then "Authorize" / "Deny", unless the researcher
    already granted these scopes to this client and its token still lives (ORCID's persistent
    tokens). OpenID Connect's `prompt=none` never shows a page: without a sign-in it answers
    login_required, without an earlier grant consent_required; `prompt=login` signs in again."""
    account = signed_in(request)
    prompt = request.GET.get("prompt", "")
    if account is None and prompt == "none":
        return silent_error(request, "login_required")
    if account is None:
        return sign_in_first(request.get_full_path())
    if prompt == "login" and request.method != "POST":
        # Sign in again, then come back without the prompt so as not to ask for ever.
        return sign_in_first(without_param(request.get_full_path(), "prompt"))
    try:
        grant = server.get_consent_grant(request, end_user=account)
    except Exception as error:  # noqa: BLE001 - Authlib's OAuth2Error family and its kin
        description = getattr(error, "description", "") or str(error)
        return render(
            request,
            "orcid_sandbox/oauth_error.html",
            {
                "account": account,
                "error": getattr(error, "error", "invalid_request"),
                "description": description,
            },
            status=400,
        )
    if request.method == "POST":
        approved = request.POST.get("decision") == "authorize"
        answer: HttpResponse = server.create_authorization_response(
            request, grant_user=account if approved else None, grant=grant
        )
        return answer
    requested = set((grant.request.scope or "").split())
    # HEAD must change nothing: it gets the consent page's headers, never a code.
    if request.method == "GET" and queries.holds_live_grant(account, grant.client, requested):
        granted: HttpResponse = server.create_authorization_response(
            request, grant_user=account, grant=grant
        )
        return granted
    if prompt == "none":
        return silent_error(request, "consent_required", redirect_uri=grant.redirect_uri)
    scopes = (grant.request.payload.scope or "").split()
    return render(
        request,
        "orcid_sandbox/authorize.html",
        {
            "account": account,
            "client": grant.client,
            "scopes": [SCOPE_LABELS.get(scope, scope) for scope in scopes],
        },
    )


def without_param(url: str, name: str) -> str:
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != name]
    return parts._replace(query=urlencode(query)).geturl()


def silent_error(request: HttpRequest, error: str, redirect_uri: str = "") -> HttpResponse:
    """`prompt=none` could not be honoured: the error and the state go back to the client,
    but only to a redirect URI registered for it; in the fragment for the implicit flow, in
    the query for the code flow (OpenID Connect Core §3.1.2.6, §3.2.2.6)."""
    client = server.query_client(request.GET.get("client_id", ""))
    redirect_uri = redirect_uri or request.GET.get("redirect_uri", "")
    if client is None or not client.check_redirect_uri(redirect_uri):
        return render(
            request,
            "orcid_sandbox/oauth_error.html",
            {
                "account": None,
                "error": "invalid_request",
                "description": "Unknown client or unregistered redirect URI.",
            },
            status=400,
        )
    params = {"error": error}
    if request.GET.get("state"):
        params["state"] = request.GET["state"]
    fragment = request.GET.get("response_type") == "token"
    return HttpResponseRedirect(with_params(redirect_uri, params, fragment=fragment))


@csrf_exempt
@require_POST
@traffic_rules
def token(request: HttpRequest) -> HttpResponse:
    response: HttpResponse = server.create_token_response(request)
    return response


def client_credentials(request: HttpRequest) -> tuple[str, str]:
    """The client's id and secret, from HTTP Basic (client_secret_basic) or the form."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic" and encoded:
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return unquote_plus(client_id), unquote_plus(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


@csrf_exempt
@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    client_id, client_secret = client_credentials(request)
    # No client id holds NUL, and PostgreSQL refuses it even as a query parameter.
    client = None if "\x00" in client_id else Client.objects.filter(client_id=client_id).first()
    if client is None or not client.check_client_secret(client_secret):
        return JsonResponse(
            {"error": "invalid_client", "error_description": "Client authentication failed"},
            status=401,
        )
    revoke_token(client, request.POST.get("token", ""))
    return HttpResponse(status=200)


@answers_head
def userinfo(request: HttpRequest) -> HttpResponse:
    access = bearer_token(request.headers.get("Authorization", ""))
    if access is None or access.account is None:
        return JsonResponse(
            {"error": "invalid_token", "error_description": "Invalid access token"}, status=401
        )
    return JsonResponse(user_info(access.account))


@answers_head
def jwks(request: HttpRequest) -> HttpResponse:
    _, key = signing_key()
    return JsonResponse({"keys": [key.as_dict(private=False)]})


@answers_head
def openid_configuration(request: HttpRequest) -> HttpResponse:
    base = settings.ORCID_SANDBOX_BASE_URL
    return JsonResponse(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "userinfo_endpoint": f"{base}/oauth/userinfo",
            "jwks_uri": f"{base}/oauth/jwks",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "scopes_supported": ["openid"],
            "response_types_supported": ["code", "token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["family_name", "given_name", "name", "auth_time", "iss", "sub"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }
    )
